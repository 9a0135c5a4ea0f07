"""The refusals of dataset building and training: each says what to fix, and the command line
prints it as one line and exits 1 (``latentd.errors.LatentdError``).

Two kinds, so that a message's first reader knows where to look: the dataset (a folder, a
manifest, an audio file, a missing package) or the training run (its checkpoint, its flags
against the run being resumed, its losses). Both keep ``RuntimeError``, the base
``DatasetError`` always had, so code that caught that still catches them.
"""

from __future__ import annotations

from latentd.errors import LatentdError


class DatasetError(LatentdError, RuntimeError):
    """A dataset cannot be built or read; the message says what to fix."""


class TrainingError(LatentdError, RuntimeError):
    """A training run cannot start or go on: a flag that conflicts with the run being resumed
    or initialised from, a checkpoint without training state, weights that do not fit."""


class TrainingDiverged(TrainingError):
    """Losses stopped being finite; the checkpoint keeps the last finite weights."""

"""The refusals of dataset building and training: each says what to fix, and the command line
prints it as one line and exits 1 (``latentd.errors.LatentdError``).

Two kinds, so that a message's first reader knows where to look: the dataset (a folder, a
manifest, an audio file, a missing package) or the training run (its checkpoint, its flags
against the run being resumed, its losses).
"""

from __future__ import annotations

from latentd.errors import LatentdError


class DatasetError(LatentdError):
    """A dataset cannot be built or read; the message says what to fix."""


class TrainingError(LatentdError):
    """A training run cannot start or go on: a flag that conflicts with the run being resumed
    or initialised from, a checkpoint without training state, weights that do not fit."""


class TrainingDiverged(TrainingError):
    """Losses stopped being finite; the checkpoint keeps the last finite weights."""

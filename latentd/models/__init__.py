"""Synth models: latentd's own RAVE-style architecture, nn~ TorchScript files, and export.

The engine uses only :class:`Synth` and :func:`load_synth`.
"""

from latentd.models.registry import list_models, load_synth, model_dirs
from latentd.models.synth import Attributes, ModelError, Synth

__all__ = ["Attributes", "ModelError", "Synth", "list_models", "load_synth", "model_dirs"]

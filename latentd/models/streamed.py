"""A model's decoder or encoder made streaming, its refusal told as a ``ModelError``.

``latentd.stream`` knows nothing of latentd above it, so its ``StreamingError`` is no
``LatentdError``: met through ``latentd info``, ``properties`` or ``export`` it would print a
traceback. Every place in ``models`` that streams a model goes through :func:`streamed`, which
turns the refusal into the one-line error (exit status 1) a model file that cannot be used gets.
"""

from __future__ import annotations

from torch import nn

from latentd.models.synth import ModelError
from latentd.stream import StreamingError, StreamingModule, streamify


def streamed(module: nn.Module, what: str) -> StreamingModule:
    """``streamify(module)``; a refusal becomes a ModelError naming ``what`` (the model and the
    part) and the layer the stream refused."""
    try:
        return streamify(module)
    except StreamingError as exc:
        raise ModelError(f"{what} cannot be streamed: {exc}") from exc

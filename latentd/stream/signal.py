"""What the converter knows about each value in a model's graph."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any


class StreamingError(ValueError):
    """A model, or a call, that cannot stream exactly. The message names the layer and why."""


@dataclass(frozen=True)
class Signal:
    """A time-varying value: how its stream relates to the offline value.

    ``rate`` is its samples per model-input sample. ``delay`` is how many of its own samples the
    stream lags the offline value by. ``time_dim`` is the axis carrying time and ``ndim`` the
    tensor's rank, so that negative axes and transposes can be followed. ``length_offset`` tracks
    the offline length, so that the stream never runs past the offline signal's end where a later
    layer pads it.
    """

    rate: Fraction
    delay: int
    time_dim: int = 2
    ndim: int = 3
    length_offset: int = 0

    @property
    def excess(self) -> int:
        """How many samples the stream holds beyond the end of the offline value (positive when
        offline padding or cropping ended the offline signal before the stream's data ends).

        The offline value has ``rate * T + length_offset`` samples for an input of T samples;
        the stream covers ``rate * T - delay`` of them.
        """
        return -self.delay - self.length_offset

    def with_(self, **changes: Any) -> Signal:
        return replace(self, **changes)

    def axis(self, dim: int) -> int:
        """Normalise a possibly negative axis against this value's rank."""
        return dim + self.ndim if dim < 0 else dim

    @property
    def time_last(self) -> bool:
        return self.time_dim == self.ndim - 1

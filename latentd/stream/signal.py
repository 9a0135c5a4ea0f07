"""What the converter knows about each value in a model's graph."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction


class StreamingError(ValueError):
    """A model, or a call, that cannot stream exactly. The message names the layer and why."""


@dataclass(frozen=True)
class Signal:
    """A time-varying value: how its stream relates to the offline value.

    ``rate`` is its samples per model-input sample. ``delay`` is how many of its own samples the
    stream lags the offline value by. ``time_dim`` is the axis carrying time and ``ndim`` the
    tensor's rank, so that negative axes and transposes can be followed.
    """

    rate: Fraction
    delay: int
    time_dim: int = 2
    ndim: int = 3

    def with_(self, **changes: object) -> Signal:
        return replace(self, **changes)

    def axis(self, dim: int) -> int:
        """Normalise a possibly negative axis against this value's rank."""
        return dim + self.ndim if dim < 0 else dim

    @property
    def time_last(self) -> bool:
        return self.time_dim == self.ndim - 1

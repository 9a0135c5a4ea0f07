"""The audio clock: which wall-clock time a given output sample is heard at.

The device callback anchors it (frames played so far, the time its buffer reaches the DAC); the
render thread asks it when a frame it is about to render will sound, so that timetagged events
land on the right latent frame. Offline backends anchor it once and it runs on sample counts.
"""

from __future__ import annotations

import time


class AudioClock:
    def __init__(self, sample_rate: int):
        self.sample_rate = sample_rate
        self._frames = 0
        self._wall = time.time()

    def anchor(self, frames: int, wall: float) -> None:
        """Device frame ``frames`` is heard at wall time ``wall`` (two stores: callback-safe)."""
        self._wall = wall
        self._frames = frames

    def time_of(self, frame: float) -> float:
        """Wall time at which device frame ``frame`` is heard."""
        return self._wall + (frame - self._frames) / self.sample_rate

    def frame_at(self, wall: float) -> float:
        """Device frame heard at wall time ``wall`` (the inverse of :meth:`time_of`)."""
        return self._frames + (wall - self._wall) * self.sample_rate

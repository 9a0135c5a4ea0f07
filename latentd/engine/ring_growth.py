"""``--latency-ms auto`` while playing: the ring's target grows when the ring runs dry.

``auto`` sizes the ring at start from the model's measured cost and a small allowance for the
machine (latency.py). A machine that pauses for longer than that allowance runs the ring dry,
and on a virtual machine whose host takes its CPUs it does so again and again: 79 underruns in
60 s on a 50 ms ring (bench/input_latency.py). A performer would rather hear one dropout and
then play on a few milliseconds later than hear a dropout every few seconds. So after an
underrun the target grows by the audio that was missing, in whole device periods, up to
GROWTH_LIMIT_SECONDS above what ``auto`` chose at start:

* it never shrinks: a latency that moves under the performer's hands, and the dropout that
  shrinking would invite again, are both worse than a latency a few milliseconds longer;
* a fixed ``--latency-ms`` never grows: the user chose that latency;
* each growth is one log line, so there are at most GROWTH_LIMIT_SECONDS / period of them in a
  run, and ``/status.reply`` ``latency_ring_ms`` and ``latency_ms`` say the new figure.

The ring's capacity cannot change once the device plays (the callback keeps the ring it was
given), so an ``auto`` ring is allocated with the limit's room from the start.
"""

from __future__ import annotations

import math

GROWTH_LIMIT_SECONDS = 0.1  # the most auto's ring target grows above its start


class RingGrowth:
    """The target of an ``auto`` ring: start, ceiling, and the underruns already paid for.
    Called from the render thread only."""

    def __init__(self, start_frames: int, period_frames: int, sample_rate: int):
        if start_frames <= 0 or period_frames <= 0 or sample_rate <= 0:
            raise ValueError("ring growth needs a positive target, period and rate")
        self.target_frames = start_frames
        self.period_frames = period_frames
        room = math.ceil(GROWTH_LIMIT_SECONDS * sample_rate / period_frames) * period_frames
        self.ceiling_frames = start_frames + room
        self._missing_seen = 0

    def after(self, missing_frames: int) -> int | None:
        """The new target when the ring has run short since the last call (``missing_frames``:
        the ring's running count of frames played as silence), else None."""
        short = missing_frames - self._missing_seen
        self._missing_seen = missing_frames
        if short <= 0 or self.target_frames >= self.ceiling_frames:
            return None
        periods = math.ceil(short / self.period_frames)
        self.target_frames = min(self.ceiling_frames,
                                 self.target_frames + periods * self.period_frames)
        return self.target_frames

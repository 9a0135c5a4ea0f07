"""What is heard now, not what was rendered last: telemetry delayed by the queued audio.

The render thread works ahead of the device by the ring's target (plus a chunk) and the device's
own latency, and a latent frame is heard a model latency after its block starts: /latent.state
and /meter used to describe sound 150-200 ms before anyone heard it (a +1.0 s bundle showed at
0.857 s). So the render thread records each value with the device frame at which it will be
heard, and readers pick the newest entry whose frame has been reached, by the audio clock.

The render thread only appends (a bounded deque: appending is atomic under the GIL); readers copy
the deque in one C call, so neither side takes a lock.
"""

from __future__ import annotations

from collections import deque
from typing import Generic, TypeVar

T = TypeVar("T")


class HeardHistory(Generic[T]):
    """(device frame heard at, value) pairs, oldest first, at most ``capacity`` of them."""

    def __init__(self, capacity: int = 2048):
        self._entries: deque[tuple[int, T]] = deque(maxlen=capacity)

    def add(self, frame: int, value: T) -> None:
        """Render thread: ``value`` is heard from device frame ``frame`` on."""
        self._entries.append((frame, value))

    def at(self, frame: float | None) -> T | None:
        """The value heard at device frame ``frame`` (None: the newest). Before the first
        entry is heard, the oldest one (the nearest to being heard)."""
        entries = tuple(self._entries)
        if not entries:
            return None
        if frame is None:
            return entries[-1][1]
        for heard_at, value in reversed(entries):
            if heard_at <= frame:
                return value
        return entries[0][1]

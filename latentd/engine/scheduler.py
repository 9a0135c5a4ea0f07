"""Timed control events: applied on the first latent frame heard at or after their time.

What a client can make the daemon hold is bounded (docs/osc.md, SECURITY.md): at most
``MAX_EVENTS`` timed events wait at once (posted and not yet due), and none may be stamped more
than ``MAX_AHEAD_SECONDS`` ahead. Past either bound an event is refused when it is posted, on
the sender's thread (``admit``), so the render thread never receives it: 1.35 M events stamped
years ahead once took +674 MB and a 0.9 s render block. A bounded heap keeps each block's share
of the work to a few heap operations.
"""

from __future__ import annotations

import heapq
import itertools
import threading

from latentd.engine.controls import Event

MAX_EVENTS = 4096  # timed events waiting at once (a bundle of 4,000 messages fits)
MAX_AHEAD_SECONDS = 3600.0  # an hour: enough for any score, not enough to pile up forever


class Scheduler:
    """A time-ordered queue of events, owned by the render thread; ``admit`` is for posters."""

    def __init__(self, max_events: int = MAX_EVENTS,
                 max_ahead_seconds: float = MAX_AHEAD_SECONDS) -> None:
        self.max_events = max_events
        self.max_ahead_seconds = max_ahead_seconds
        self._heap: list[tuple[float, int, Event]] = []
        self._order = itertools.count()
        self._admitted = 0  # timed events admitted; posters add under the lock
        self._settled = 0  # of those, applied or dropped; only the render thread adds
        self._guard = threading.Lock()

    def __len__(self) -> int:
        return len(self._heap)

    @property
    def waiting(self) -> int:
        """Timed events admitted and not yet applied (in the bus or the heap)."""
        return max(0, self._admitted - self._settled)

    def admit(self, event: Event, now: float) -> str | None:
        """Any thread, before posting a timed event: None to go ahead, else why it is refused."""
        assert event.at is not None
        ahead = event.at - now
        if not ahead <= self.max_ahead_seconds:  # (a NaN time is refused too)
            return (f"timetag {ahead:.0f} s ahead; at most {self.max_ahead_seconds:g} s ahead "
                    "is accepted")
        with self._guard:
            if self._admitted - self._settled >= self.max_events:
                return (f"{self.max_events} timed events are already waiting; send fewer or "
                        "nearer events")
            self._admitted += 1
        return None

    def settle(self, count: int = 1) -> None:
        """Render thread: ``count`` admitted events left the queue (applied late, dropped)."""
        self._settled += count

    def add(self, event: Event) -> None:
        assert event.at is not None
        heapq.heappush(self._heap, (event.at, next(self._order), event))

    def due(self, frame_time: float) -> list[Event]:
        """Events whose time has come for a frame heard at ``frame_time``, in time order."""
        ready = []
        while self._heap and self._heap[0][0] <= frame_time:
            ready.append(heapq.heappop(self._heap)[2])
        self._settled += len(ready)
        return ready

    def clear(self) -> None:
        self._settled += len(self._heap)
        self._heap.clear()

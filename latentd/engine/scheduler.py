"""Timed control events: applied on the first latent frame heard at or after their time."""

from __future__ import annotations

import heapq
import itertools

from latentd.engine.controls import Event


class Scheduler:
    """A time-ordered queue of events, owned by the render thread."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Event]] = []
        self._order = itertools.count()

    def __len__(self) -> int:
        return len(self._heap)

    def add(self, event: Event) -> None:
        assert event.at is not None
        heapq.heappush(self._heap, (event.at, next(self._order), event))

    def due(self, frame_time: float) -> list[Event]:
        """Events whose time has come for a frame heard at ``frame_time``, in time order."""
        ready = []
        while self._heap and self._heap[0][0] <= frame_time:
            ready.append(heapq.heappop(self._heap)[2])
        return ready

    def clear(self) -> None:
        self._heap.clear()

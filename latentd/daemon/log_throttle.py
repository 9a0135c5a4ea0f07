"""A backstop on the daemon's log volume: whatever a client makes any logger say (latentd's own
lines, python-osc's or asyncio's), at most ``per_key`` records per second per (logger, message
template) and ``total`` per second in all reach the handler; the rest are counted and said in
one line per key: "suppressed N similar lines ...".

Why at the handler and not only at each call site: the call sites are many and some are in
libraries (python-osc logged 73,000 warnings a second for one 20-byte packet); a filter on the
one handler bounds them all. The key is the message template (``record.msg``), not the
formatted text, so one line logged with different values counts as one. Templates that a
library formats itself are bounded by ``max_keys`` (the oldest key is forgotten first) and by
the total cap.

The summary of a key whose window has ended is written with the next record that passes, or by
``flush`` (``logging.shutdown`` calls it through the handler's close at exit).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

WINDOW_SECONDS = 1.0
MAX_SUMMARIES = 10  # summary lines written at once; the rest are counted in one more


@dataclass
class _Window:
    started: float
    passed: int = 0
    suppressed: int = 0
    logger: str = ""
    template: str = ""
    level: int = logging.WARNING


class LogThrottle(logging.Filter):
    """Attach to a handler with ``install(handler)``; ``emit`` sends the summaries there."""

    def __init__(self, per_key: int = 20, total: int = 200, max_keys: int = 1024,
                 clock: Callable[[], float] = time.monotonic,
                 lifecycle_loggers: tuple[str, ...] = ("latentd",)):
        super().__init__()
        # the daemon's own start/stop lines (a few fixed templates): capped per key only, so a
        # flood of other lines cannot hide "stopping" or "stopped"
        self.lifecycle_loggers = lifecycle_loggers
        self.per_key = per_key
        self.total = total
        self.max_keys = max_keys
        self.clock = clock
        self.suppressed_total = 0
        self._windows: OrderedDict[tuple[str, str], _Window] = OrderedDict()
        self._all = _Window(clock())
        self._guard = threading.Lock()
        self._emit: Callable[[logging.LogRecord], object] | None = None
        self._other_lines = 0  # suppressed lines not summarised one by one
        self._next_scan = clock() + WINDOW_SECONDS
        self._other_kinds = 0

    def install(self, handler: logging.Handler) -> LogThrottle:
        handler.addFilter(self)
        self._emit = handler.handle
        close = handler.close

        def close_with_summary() -> None:
            self.flush()
            close()

        handler.close = close_with_summary  # type: ignore[method-assign]  # wraps this one
        return self

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "throttle_summary", False):
            return True
        now = self.clock()
        key = (record.name, str(record.msg))
        with self._guard:
            due = self._collect_due(now)
            if now - self._all.started >= WINDOW_SECONDS:
                self._all = _Window(now)
            window = self._windows.get(key)
            if window is None:
                window = _Window(now, logger=record.name, template=str(record.msg),
                                 level=record.levelno)
                self._windows[key] = window
                while len(self._windows) > self.max_keys:
                    forgotten = self._windows.popitem(last=False)[1]
                    self._other_lines += forgotten.suppressed
                    self._other_kinds += 1 if forgotten.suppressed else 0
            elif now - window.started >= WINDOW_SECONDS:
                due.extend(self._summaries([window]))
                window.started, window.passed, window.suppressed = now, 0, 0
            self._windows.move_to_end(key)
            allowed = window.passed < self.per_key and (
                self._all.passed < self.total or record.name in self.lifecycle_loggers)
            if allowed:
                window.passed += 1
                self._all.passed += 1
            else:
                window.suppressed += 1
                self.suppressed_total += 1
        self._send(due)
        return allowed

    def flush(self) -> None:
        """Write the summaries of everything suppressed so far."""
        with self._guard:
            due = self._summaries(list(self._windows.values())) + self._other_summary()
        self._send(due)

    def _collect_due(self, now: float) -> list[logging.LogRecord]:
        """Once a window: the summaries of keys whose window has ended (one scan a second,
        so a flood costs a dictionary look-up per record, not a scan)."""
        if now < self._next_scan:
            return []
        self._next_scan = now + WINDOW_SECONDS
        ended = [w for w in self._windows.values()
                 if w.suppressed and now - w.started >= WINDOW_SECONDS]
        due = self._summaries(ended)
        for window in ended:
            window.started, window.passed = now, 0
        return due + self._other_summary()

    def _summaries(self, windows: list[_Window]) -> list[logging.LogRecord]:
        """At most MAX_SUMMARIES lines, the biggest floods first; the rest (and keys forgotten
        to keep ``max_keys``) in one line, so the summaries cannot flood either."""
        pending = sorted((w for w in windows if w.suppressed), key=lambda w: -w.suppressed)
        records = []
        for window in pending[:MAX_SUMMARIES]:
            records.append(self._record(window.logger, window.level,
                                        "suppressed %d similar lines (over %d a second): %r",
                                        (window.suppressed, self.per_key, window.template)))
        for window in pending[MAX_SUMMARIES:]:
            self._other_lines += window.suppressed
            self._other_kinds += 1
        for window in pending:
            window.suppressed = 0
        return records

    def _other_summary(self) -> list[logging.LogRecord]:
        if not self._other_lines:
            return []
        record = self._record("latentd.log", logging.WARNING,
                              "suppressed %d more lines of %d other kinds",
                              (self._other_lines, self._other_kinds))
        self._other_lines = self._other_kinds = 0
        return [record]

    @staticmethod
    def _record(name: str, level: int, message: str, args: tuple) -> logging.LogRecord:
        record = logging.LogRecord(name, level, __file__, 0, message, args, None)
        record.throttle_summary = True
        return record

    def _send(self, records: list[logging.LogRecord]) -> None:
        if self._emit is None:
            return
        for record in records:
            self._emit(record)

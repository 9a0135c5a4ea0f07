"""The log lines a client can make the daemon write, bounded so that no flood fills a disk.

One mechanism, :class:`LogThrottle`: records are counted per key in windows of
``window_seconds``; at most ``per_key`` pass per key and window (and, optionally, ``total`` in
all); the rest are counted and said in one summary line per key, "suppressed N similar lines",
written once the key's window has ended (with the next record that passes, or by ``flush``).
The table of keys is capped (the least recently used key is forgotten first, its count kept in
one line for the rest), and so are the summaries written at once, so neither can flood.

It stands at two points, because each bounds what the other cannot:

* **the daemon's one handler** (``install(handler)``, in ``daemon/serve.py``): every logger's
  records pass it, latentd's and the libraries' (python-osc once logged 73,000 warnings a second
  for one 20-byte packet; asyncio logs accept failures), keyed by (logger, message template):
  20 per template per second, 200 per second in all. Only a handler sees every library's
  lines; the daemon's own start/stop lines (``lifecycle_loggers``) are capped per key only, so
  a flood of other lines cannot hide "stopping".
* **the OSC server's lines about what a peer sent** (:class:`ThrottledLog`): each call names the
  *kind* of line (not the peer, so a spoofed-source flood cannot create keys), 10 per kind per
  10 s, 20 per kind per second for debug tracing. The per-kind bound is the one SECURITY.md
  states for client-triggered lines; it is tighter than the handler's, holds wherever the
  server runs (tests, benches, an embedding without the daemon's handler), and a line held back
  here costs no log record at all.

Why not the handler alone: its per-template bound is 20 lines a second for each of the
server's kinds, twenty times the stated bound, and it exists only under ``latentd serve``. Why
not the source alone: it cannot reach the libraries' lines.

python-osc logs through the root logger (``logging.warning(...)`` in its message and bundle
parsers), so a logger-name filter cannot catch it: :func:`quiet_python_osc` adds a filter on the
root logger that drops records coming from python-osc's modules. The daemon refuses the inputs
those warnings describe itself (``osc/packets.py``), with ``/fail`` and a throttled line.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pythonosc

MAX_SUMMARIES = 10  # summary lines written at once; the rest are counted in one more


@dataclass
class _Window:
    started: float
    logger: str
    template: str
    level: int
    passed: int = 0
    suppressed: int = 0


class LogThrottle(logging.Filter):
    """At most ``per_key`` records per key in each ``window_seconds`` (and ``total`` in all,
    when given); summaries go to ``emit`` (set by ``install`` to the handler's ``handle``)."""

    def __init__(self, per_key: int = 20, window_seconds: float = 1.0, total: int | None = 200,
                 max_keys: int = 1024, clock: Callable[[], float] = time.monotonic,
                 lifecycle_loggers: tuple[str, ...] = ("latentd",),
                 emit: Callable[[logging.LogRecord], object] | None = None):
        super().__init__()
        self.per_key = per_key
        self.window_seconds = window_seconds
        self.total = total
        self.max_keys = max_keys
        self.clock = clock
        self.lifecycle_loggers = lifecycle_loggers
        self.suppressed_total = 0
        self._emit = emit
        self._windows: OrderedDict[tuple[str, str], _Window] = OrderedDict()
        self._all = _Window(clock(), "", "", logging.NOTSET)
        self._guard = threading.Lock()
        self._next_scan = clock() + window_seconds
        self._other_lines = 0  # suppressed lines not summarised one by one
        self._other_kinds = 0

    def install(self, handler: logging.Handler) -> LogThrottle:
        """Throttle every record ``handler`` gets; its ``close`` writes the pending summaries."""
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
        return self.admit(record.name, str(record.msg), record.levelno, str(record.msg))

    def admit(self, logger: str, key: str, level: int, template: str) -> bool:
        """Count one line of ``key`` from ``logger``; whether it may be written."""
        now = self.clock()
        with self._guard:
            due = self._collect_due(now)
            if now - self._all.started >= self.window_seconds:
                self._all = _Window(now, "", "", logging.NOTSET)
            window = self._windows.get((logger, key))
            if window is None:
                window = self._windows[(logger, key)] = _Window(now, logger, template, level)
                while len(self._windows) > self.max_keys:
                    forgotten = self._windows.popitem(last=False)[1]
                    self._other_lines += forgotten.suppressed
                    self._other_kinds += 1 if forgotten.suppressed else 0
            elif now - window.started >= self.window_seconds:
                due.extend(self._summaries([window]))
                window.started, window.passed, window.suppressed = now, 0, 0
            self._windows.move_to_end((logger, key))
            allowed = window.passed < self.per_key and (
                self.total is None or self._all.passed < self.total
                or logger in self.lifecycle_loggers)
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
        """Once a window: the summaries of keys whose window has ended (one scan a window, so
        a flood costs a dictionary look-up per record, not a scan)."""
        if now < self._next_scan:
            return []
        self._next_scan = now + self.window_seconds
        ended = [w for w in self._windows.values()
                 if w.suppressed and now - w.started >= self.window_seconds]
        due = self._summaries(ended)
        for window in ended:
            window.started, window.passed = now, 0
        return due + self._other_summary()

    def _summaries(self, windows: list[_Window]) -> list[logging.LogRecord]:
        """At most MAX_SUMMARIES lines, the biggest floods first; the rest (and keys forgotten
        to keep ``max_keys``) in one line."""
        pending = sorted((w for w in windows if w.suppressed), key=lambda w: -w.suppressed)
        records = [self._record(window.logger, window.level,
                                "suppressed %d similar lines (over %d in %g s): %r",
                                (window.suppressed, self.per_key, self.window_seconds,
                                 window.template))
                   for window in pending[:MAX_SUMMARIES]]
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


class ThrottledLog:
    """``logger``, with every line naming its kind and passing a :class:`LogThrottle` keyed by
    that kind before a record is even made: ``lines`` per kind per ``interval_seconds``."""

    def __init__(self, logger: logging.Logger, lines: int = 10, interval_seconds: float = 10.0,
                 clock: Callable[[], float] = time.monotonic):
        self.logger = logger
        self.throttle = LogThrottle(per_key=lines, window_seconds=interval_seconds, total=None,
                                    max_keys=256, clock=clock, emit=self._summary)

    def log(self, kind: str, level: int, message: str, *args: object,
            exc_info: bool = False) -> bool:
        """Log unless ``kind`` already used its lines in this window; returns whether it did."""
        if not self.logger.isEnabledFor(level):
            return False
        if not self.throttle.admit(self.logger.name, kind, level, message):
            return False
        self.logger.log(level, message, *args, exc_info=exc_info)
        return True

    def _summary(self, record: logging.LogRecord) -> None:
        if self.logger.isEnabledFor(record.levelno):  # the level may have changed since
            self.logger.handle(record)

    def debug(self, kind: str, message: str, *args: object) -> bool:
        return self.log(kind, logging.DEBUG, message, *args)

    def info(self, kind: str, message: str, *args: object) -> bool:
        return self.log(kind, logging.INFO, message, *args)

    def warning(self, kind: str, message: str, *args: object) -> bool:
        return self.log(kind, logging.WARNING, message, *args)


_PYTHON_OSC_DIR = str(Path(pythonosc.__file__).parent)


class _FromPythonOsc(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.pathname.startswith(_PYTHON_OSC_DIR)


_QUIET = _FromPythonOsc()


def quiet_python_osc() -> None:
    """Drop python-osc's own log records (it logs on the root logger); idempotent."""
    for name in ("", "pythonosc"):
        logger = logging.getLogger(name)
        if _QUIET not in logger.filters:
            logger.addFilter(_QUIET)

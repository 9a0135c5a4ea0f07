"""Log lines a client can trigger, throttled so that no flood can fill a disk.

Every line the OSC server writes because of what a peer sent (a malformed packet, a refused
connection, a slow reader, a handler that failed, a command logged at debug level) goes through
:class:`ThrottledLog`: at most ``lines`` records per ``key`` in each ``interval_seconds``; past
that the lines are counted, and the first line after the window says how many similar lines were
suppressed. Keys name the *kind* of line (not the peer), so a spoofed-source flood cannot create
keys without bound either; the table of keys is itself capped.

python-osc logs through the root logger (``logging.warning(...)`` in its message and bundle
parsers), so a logger-name filter cannot catch it: :func:`quiet_python_osc` adds a filter on the
root logger that drops records coming from python-osc's modules. The daemon refuses the inputs
those warnings describe itself (see packets.py), with ``/fail`` and a throttled line.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pythonosc

MAX_KEYS = 256


class ThrottledLog:
    def __init__(self, logger: logging.Logger, lines: int = 10, interval_seconds: float = 10.0):
        self.logger = logger
        self.lines = lines
        self.interval_seconds = interval_seconds
        self._windows: dict[str, list[float | int]] = {}  # key -> [window start, logged, held]
        self.suppressed = 0  # in all, since start

    def log(self, key: str, level: int, message: str, *args: object,
            exc_info: bool = False, now: float | None = None) -> bool:
        """Log unless ``key`` already used its lines in this window; returns whether it did."""
        if not self.logger.isEnabledFor(level):
            return False
        now = time.monotonic() if now is None else now
        window = self._windows.get(key)
        if window is None or now - window[0] >= self.interval_seconds:
            held = int(window[2]) if window is not None else 0
            if len(self._windows) >= MAX_KEYS and window is None:
                self._windows.clear()
            window = self._windows[key] = [now, 0, 0]
            if held:
                self.logger.log(level, "(%d similar lines suppressed in the last %.0f s)",
                                held, self.interval_seconds)
        if window[1] >= self.lines:
            window[2] += 1
            self.suppressed += 1
            return False
        window[1] += 1
        self.logger.log(level, message, *args, exc_info=exc_info)
        return True

    def debug(self, key: str, message: str, *args: object, now: float | None = None) -> bool:
        return self.log(key, logging.DEBUG, message, *args, now=now)

    def info(self, key: str, message: str, *args: object, now: float | None = None) -> bool:
        return self.log(key, logging.INFO, message, *args, now=now)

    def warning(self, key: str, message: str, *args: object, now: float | None = None) -> bool:
        return self.log(key, logging.WARNING, message, *args, now=now)


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

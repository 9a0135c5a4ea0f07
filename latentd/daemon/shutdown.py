"""How ``latentd serve`` ends: SIGINT/SIGTERM (and SIGHUP) ask for an orderly stop, and the
process then leaves through ``os._exit``, within a bounded time whatever a device or a model is
doing.

Why not a plain ``return`` from ``main``: after the daemon's own shutdown (fade, recording
finished, sockets closed) the interpreter's exit runs ``atexit`` hooks and C++ static
destructors. sounddevice's hook calls PortAudio's ``Pa_Terminate``, which closes every stream,
and PortAudio's JACK host API waits up to ten minutes for a JACK server that has died or has
dropped the client (measured: >20 s, then killed). Torch's destructors abort the process
("terminate called without an active exception", exit -6) when a thread is still inside torch,
as the model loader is during a SIGTERM that arrives mid-load. Everything the daemon must keep
(recordings, logs, rendered files) is closed and flushed by the orderly path first; then
``exit_now`` flushes the standard streams and the log handlers and ends the process without
running either.

The rules:
* Handlers are installed before anything slow (the first model load), so a signal at any
  moment takes the orderly path and exits 0, as documented.
* From the first signal, a deadline (``DEADLINE_SECONDS``) runs on a daemon thread: if the
  orderly path has not finished by then, the log says which step was still running and the
  process exits with status 1 (something did not stop; the recording is still readable up to its
  last checkpoint).
* A second signal while stopping exits at once with status 1 (an impatient operator).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from types import FrameType

log = logging.getLogger("latentd")

DEADLINE_SECONDS = 1.7  # from the first signal to the deadline's exit, whatever hangs
FLUSH_SECONDS = 0.2  # the most exit_now waits for the logs and streams to flush
# SIGHUP too: a daemon started from a terminal that closes finishes its recording, not lost
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def exit_now(status: int) -> None:
    """Flush what the user must see or keep, then end the process without atexit hooks or
    C++ destructors (see the module docstring). The flush itself is bounded: a log handler
    blocked on a full pipe must not keep the process alive."""

    def flush() -> None:
        with contextlib.suppress(Exception):
            logging.shutdown()  # flushes every handler, the throttle's summaries included
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()

    flusher = threading.Thread(target=flush, name="latentd-exit-flush", daemon=True)
    flusher.start()
    flusher.join(timeout=FLUSH_SECONDS)
    os._exit(status)


class Shutdown:
    """The stop request (an Event) and the step the orderly path is in, for the deadline's
    message."""

    def __init__(self, deadline_seconds: float = DEADLINE_SECONDS):
        self.requested = threading.Event()
        self.deadline_seconds = deadline_seconds
        self.step = "starting"
        self.signal_name = ""
        self.requested_at = 0.0

    def install(self) -> Shutdown:
        for sig in STOP_SIGNALS:
            signal.signal(sig, self._on_signal)
        return self

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self.requested.is_set():
            log.warning("%s again while stopping (at step: %s); exiting now", name, self.step)
            exit_now(1)
        self.signal_name = name
        self.request()

    def request(self) -> None:
        """Ask for the orderly stop (a signal, or the end of ``--duration``); arms the
        deadline."""
        if self.requested.is_set():
            return
        self.requested_at = time.monotonic()
        self.requested.set()
        threading.Thread(target=self._deadline, name="latentd-shutdown-deadline",
                         daemon=True).start()

    def _deadline(self) -> None:
        time.sleep(self.deadline_seconds)
        log.error("shutdown did not finish within %.1f s (still at step: %s); exiting now",
                  self.deadline_seconds, self.step)
        exit_now(1)

    def at(self, step: str) -> None:
        """Name the step the orderly path is in (said by the deadline if it hangs there)."""
        self.step = step
        log.debug("shutdown: %s", step)

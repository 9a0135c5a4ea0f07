"""Is the audio device still pulling audio? A watchdog thread watches the callback's heartbeat
and the stream's own state, says when the output stalls or is lost, keeps the engine's clock
running without it, and tries to reopen it with backoff.

Why: when a JACK server dies (or drops a client that was stopped too long), PortAudio stops
calling the callback and says nothing. Before this, the daemon kept answering ``/status`` with
frozen values, its recording stopped growing, and nothing was logged.

States (``/status.reply`` field ``device_state``):
* ``ok``: callbacks arrive.
* ``stalled``: no callback for ``stall_seconds`` (20 device blocks, at least 0.5 s), the
  stream still claims to run. Nothing is changed yet: a loaded machine can pause a process
  that long and recover.
* ``lost``: the stream says it stopped, or the stall lasted ``lost_seconds`` (3 s). The device
  gives up the stream (``abandon``: its callback is disconnected from the ring; the stream is
  never closed, because closing a stream whose JACK server is gone blocks for minutes), a
  fallback clock pulls from the ring at real-time pace so rendering, timetags, telemetry and
  recording go on, and ``reopen`` is tried after 1, 2, 4 ... 30 s. A reopen that does not
  answer within ``reopen_timeout_seconds`` means PortAudio itself is stuck: the log says to
  restart latentd and no further attempt is made.

When the watchdog's own thread was not run for a while (the whole daemon was stopped, e.g.
SIGSTOP, or starved), that time is not blamed on the device: the silence is measured from the
first poll after the pause.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger("latentd.audio")

OK, STALLED, LOST = "ok", "stalled", "lost"
BACKOFF_SECONDS = (1.0, 2.0, 4.0, 8.0, 16.0, 30.0)


@dataclass
class CallbackCounters:
    """Written by the audio callback only (plain integer stores, no allocation)."""

    calls: int = 0
    output_underflows: int = 0  # PortAudio's output underflow flag: the device played a gap
    flagged: int = 0  # callbacks with any status flag

    def count(self, status: Any) -> None:
        """Count a callback's status flags (sounddevice's CallbackFlags, truthy when any flag
        is set)."""
        if not status:
            return
        self.flagged += 1
        if status.output_underflow:
            self.output_underflows += 1


class Supervised(Protocol):
    """What the watchdog needs from a device."""

    def heartbeat(self) -> int:
        """Callbacks so far."""
        ...

    def stream_active(self) -> bool: ...

    def abandon(self, reason: str) -> None:
        """Let go of the stream without waiting on it; keep the clock running without it."""
        ...

    def reopen(self) -> None:
        """Open a new stream on the device; raise if that fails."""
        ...


class DeviceWatchdog:
    def __init__(self, device: Supervised, block_seconds: float, *,
                 on_state: Callable[[str, str], None] | None = None,
                 lost_seconds: float = 3.0, poll_seconds: float = 0.1,
                 reopen_timeout_seconds: float = 3.0,
                 clock: Callable[[], float] = time.monotonic):
        self.device = device
        self.stall_seconds = max(0.5, 20 * block_seconds)
        self.lost_seconds = max(lost_seconds, 2 * self.stall_seconds)
        self.poll_seconds = poll_seconds
        self.reopen_timeout_seconds = reopen_timeout_seconds
        self.on_state = on_state
        self.clock = clock
        self.state = OK
        self.reason = ""
        self.reopens = 0  # successful reopens
        self.losses = 0
        self._beats = device.heartbeat()
        self._last_beat = clock()
        self._last_poll = self._last_beat
        self._attempt = 0
        self._next_reopen = 0.0
        self._stuck = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ thread
    def start(self) -> DeviceWatchdog:
        self._thread = threading.Thread(target=self._run, name="latentd-device-watchdog",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 0.5) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            try:
                self.poll()
            except Exception:  # the watchdog must outlive whatever the device does
                log.exception("device watchdog")

    # ------------------------------------------------------------------ one look
    def poll(self) -> str:
        now = self.clock()
        if now - self._last_poll > 5 * self.poll_seconds:
            self._last_beat = max(self._last_beat, now)  # we were paused, not the device
        self._last_poll = now
        if self.state == LOST:
            self._maybe_reopen(now)
            return self.state
        beats = self.device.heartbeat()
        if beats != self._beats:
            self._beats, self._last_beat = beats, now
            if self.state != OK:
                self._set(OK, "callbacks resumed")
            return self.state
        silent = now - self._last_beat
        if not self.device.stream_active():
            self._lose(now, "the stream stopped (its audio server quit or dropped latentd?)")
        elif silent >= self.lost_seconds:
            self._lose(now, f"no audio callback for {silent:.1f} s")
        elif silent >= self.stall_seconds and self.state == OK:
            self._set(STALLED, f"no audio callback for {silent:.1f} s")
        return self.state

    def _lose(self, now: float, reason: str) -> None:
        self.losses += 1
        self._set(LOST, reason)
        self.device.abandon(reason)
        self._attempt = 0
        self._next_reopen = now + BACKOFF_SECONDS[0]

    def _maybe_reopen(self, now: float) -> None:
        if self._stuck or now < self._next_reopen:
            return
        outcome: list[BaseException | None] = []

        def attempt() -> None:
            try:
                self.device.reopen()
                outcome.append(None)
            except BaseException as exc:  # reported by the watchdog, never raised here
                outcome.append(exc)

        helper = threading.Thread(target=attempt, name="latentd-device-reopen", daemon=True)
        helper.start()
        helper.join(self.reopen_timeout_seconds)
        if helper.is_alive():
            self._stuck = True
            log.error("reopening the audio device did not answer within %.0f s: PortAudio is "
                      "stuck; the daemon goes on without a device (recording and OSC still "
                      "work); restart latentd to play again", self.reopen_timeout_seconds)
            return
        error = outcome[0] if outcome else RuntimeError("no result")
        if error is None:
            self.reopens += 1
            self._beats, self._last_beat = self.device.heartbeat(), self.clock()
            self._set(OK, "reopened")
            return
        delay = BACKOFF_SECONDS[min(self._attempt, len(BACKOFF_SECONDS) - 1)]
        self._attempt += 1
        self._next_reopen = self.clock() + delay
        level = logging.WARNING if self._attempt == 1 else logging.DEBUG
        log.log(level, "cannot reopen the audio device (%s); next try in %.0f s%s", error,
                delay, "" if self._attempt > 1 else " (PortAudio's JACK host API cannot "
                "reconnect to a restarted JACK server within one process: restart latentd "
                "if this persists)")

    def _set(self, state: str, reason: str) -> None:
        previous, self.state, self.reason = self.state, state, reason
        if state == OK:
            log.info("audio device %s (was %s)", reason, previous)
        elif state == STALLED:
            log.warning("audio device stalled: %s", reason)
        else:
            log.error("audio device lost: %s; rendering goes on against a fallback clock "
                      "(nothing is heard) while latentd tries to reopen it", reason)
        if self.on_state is not None:
            try:
                self.on_state(state, reason)
            except Exception:
                log.exception("device state listener failed")

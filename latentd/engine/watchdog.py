"""The render watchdog: a render thread stuck in a model is given up and replaced.

Why a watchdog and not a decode worker: handing every block to a worker thread and waiting for it
costs tens of microseconds per block (two thread wake-ups), as much as the whole engine's
overhead over the raw decode. Instead the render thread itself is the worker that can be
abandoned. Around each step of its loop it marks itself busy (one clock read) and, before it
publishes the step's audio, claims the step under a small lock. A supervisor thread looks every
``POLL_SECONDS``: a step busy for longer than ``stall_seconds`` is abandoned under the same lock,
so exactly one of the two wins and an abandoned thread can never write to the ring (the ring has
one producer by construction).

On a stall the engine (``on_stall``) hands the controls to a silent stand-in and marks the model
stalled, and a fresh render thread keeps the ring filled with silence, serves ``/model/load``
swaps and everything else; the device never waits on anything. The stuck thread is left as a
daemon thread (Python cannot kill a thread), its priority is lowered to normal, and its model is
never called again: ``SilentSynth`` replaces it in every renderer that held it. A render thread
that died (something escaped its loop) is restarted the same way.

Limits: a model stuck in C code that holds the interpreter lock freezes every Python thread, this
one included; nothing in-process can help with that. Offline renders (``render_offline``) run on
the caller's thread and are not watched.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable

import torch

from latentd.models.synth import NoAttributes, Synth

log = logging.getLogger("latentd.engine")

POLL_SECONDS = 0.05
CANCEL_POLL_SECONDS = 0.02  # how often a start-up wait looks for a stop request


def raise_priority(priority: int) -> None:
    """Ask real-time scheduling for the calling (render) thread, as audio threads do: on a
    loaded machine an ordinary thread can wait longer than the ring lasts. Refused without the
    right (RLIMIT_RTPRIO or CAP_SYS_NICE): then the thread runs as before, and the log says so
    once per render thread."""
    if priority <= 0 or not hasattr(os, "sched_setscheduler"):
        return
    try:
        os.sched_setscheduler(threading.get_native_id(), os.SCHED_FIFO, os.sched_param(priority))
        log.info("render thread runs at real-time priority %d", priority)
    except OSError as exc:
        log.info("render thread at normal priority (real-time refused: %s)", exc.strerror)


def wait_unless(finished: threading.Event, seconds: float,
                cancel: threading.Event | None = None) -> bool:
    """``finished.wait(seconds)``, but given up early once ``cancel`` is set (a stop asked for
    while the daemon starts: its shutdown deadline must not wait for a slow model). True when
    ``finished`` is set; a cancelled wait returns whatever ``finished`` is then."""
    if cancel is None:
        return finished.wait(seconds)
    deadline = time.monotonic() + seconds
    while not cancel.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            break
        if finished.wait(min(CANCEL_POLL_SECONDS, left)):
            return True
    return finished.is_set()


def warm_up_within(synth: Synth, frames: int, batch: int, torch_threads: int,
                   seconds: float, cancel: threading.Event | None = None) -> bool:
    """``synth.warm_up`` on a helper thread; False when it has not finished within ``seconds``
    (it is left running, as a hung decode is). A warm-up that raises counts as finished: the
    render thread meets the error again, and reports it. ``cancel`` ends the wait early (the
    warm-up is left running, and the caller stops)."""
    finished = threading.Event()

    def warm() -> None:
        try:
            torch.set_num_threads(torch_threads)
            with torch.inference_mode():
                synth.warm_up(frames, batch)
        except Exception as exc:
            log.warning("warming up model '%s' failed: %s", synth.name, exc)
        finally:
            finished.set()

    threading.Thread(target=warm, name="latentd-warm-up", daemon=True).start()
    return wait_unless(finished, seconds, cancel)


class SilentSynth(Synth):
    """Stands in for an abandoned model: same shapes and rates, decodes silence for free."""

    fresh_output = True

    def __init__(self, like: Synth):
        self.name = like.name
        self.sample_rate, self.latent_size = like.sample_rate, like.latent_size
        self.ratio, self.channels, self.latency = like.ratio, like.channels, like.latency
        self.methods, self.attributes = ["decode"], NoAttributes()

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return torch.zeros(z.shape[0], self.channels, z.shape[-1] * self.ratio)

    def reset(self) -> None:
        pass

    def warm_up(self, frames: int, batch: int = 1) -> None:
        pass


class RenderWatchdog:
    """Runs ``loop(generation)`` on a render thread and replaces the thread when it stalls.

    The loop calls :meth:`enter` before each step and :meth:`claim` before publishing it; when
    ``claim`` returns False the thread was abandoned and must return at once.
    """

    def __init__(self, loop: Callable[[int], None], on_stall: Callable[[float], None],
                 stall_seconds: float, stop: threading.Event, name: str = "latentd-render"):
        self.loop = loop
        self.on_stall = on_stall
        self.stall_seconds = stall_seconds
        self.stop = stop
        self.name = name
        self.generation = 0
        self.thread: threading.Thread | None = None
        self.restarts = 0
        self._busy_since = 0.0  # perf_counter at the start of the running step; 0: idle
        self._claim = threading.Lock()
        self._native_ids: dict[int, int] = {}  # generation -> native thread id
        self._supervisor: threading.Thread | None = None

    # ----------------------------------------------------------------- render thread side
    def enter(self) -> None:
        self._busy_since = time.perf_counter()

    def claim(self, generation: int) -> bool:
        """End the step: True when this thread is still the render thread."""
        with self._claim:
            if generation != self.generation:
                return False
            self._busy_since = 0.0
            return True

    def current(self, generation: int) -> bool:
        return generation == self.generation

    # ----------------------------------------------------------------- supervisor side
    def start(self) -> None:
        self._spawn()
        self._supervisor = threading.Thread(target=self._supervise, name=f"{self.name}-watchdog",
                                            daemon=True)
        self._supervisor.start()

    def _spawn(self) -> None:
        generation = self.generation

        def run() -> None:
            self._native_ids[generation] = threading.get_native_id()
            self.loop(generation)

        self.thread = threading.Thread(target=run, name=self.name, daemon=True)
        self.thread.start()

    def _abandon_if_stuck(self) -> float | None:
        with self._claim:
            since = self._busy_since
            if not since:
                return None
            stuck = time.perf_counter() - since
            if stuck <= self.stall_seconds:
                return None
            self.generation += 1
            self._busy_since = 0.0
            return stuck

    def _supervise(self) -> None:
        while not self.stop.wait(POLL_SECONDS):
            stuck = self._abandon_if_stuck()
            if stuck is not None:
                self._lower_priority(self.generation - 1)
                try:
                    self.on_stall(stuck)
                except Exception:  # the replacement must start whatever went wrong here
                    log.exception("handling a stalled render thread failed")
                self.restarts += 1
                self._spawn()
            elif self.thread is not None and not self.thread.is_alive() \
                    and not self.stop.is_set():
                log.error("the render thread ended unexpectedly; starting a new one")
                with self._claim:
                    self.generation += 1
                    self._busy_since = 0.0
                self.restarts += 1
                self._spawn()

    def _lower_priority(self, generation: int) -> None:
        """An abandoned thread spinning at real-time priority would starve the machine."""
        native = self._native_ids.pop(generation, None)
        if native is None or not hasattr(os, "sched_setscheduler"):
            return
        with contextlib.suppress(OSError):
            os.sched_setscheduler(native, os.SCHED_OTHER, os.sched_param(0))

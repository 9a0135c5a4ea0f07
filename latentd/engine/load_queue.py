"""Model loads: one after another, each with a time limit, none able to block the rest forever.

Loading compiles TorchScript and may trace with torch.fx, neither of which is thread-safe: two
loads compiling at once have crashed CPython's parser ("SystemError: AST recursion"). So one load
runs at a time in the whole process, whichever engine asked for it: the process-wide ``GATE``.

A load that never finishes (a hostile or broken file, a stuck filesystem) must not hold the
queue, nor that process-wide lock, forever. So each load runs on its own worker thread and the
queue's thread waits for it at most ``timeout_seconds``. Past that it answers ``/fail`` and goes
on with the next load; the worker is left running as a daemon thread (Python cannot kill a
thread) and whatever it produces later is dropped. If the worker holds the gate, the gate's lock
is retired and a fresh one serves later loads: the serialisation is given up only for a load that
is presumed dead, which is the lesser risk than refusing every later load. The risk that stays:
a load that was given up and then wakes (a file system that answers after minutes) compiles
beside the next load, and CPython 3.11's parser does not survive two threads compiling at once
("AST constructor recursion depth mismatch"). Its result is dropped as soon as it returns.

At most ``max_waiting`` loads wait behind the running one; more are refused
(``LoadQueueFull``), so a flood of requests cannot queue hours of loading.

``ModelLoads`` is the engine's use of the queue: what a load does before the render thread sees
the model (load it, warm it up in the render thread's shape, pre-roll it with the latents
playing now), all on the worker, never on the render thread.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from latentd.engine.health import one_line
from latentd.engine.pipe import RenderPipe
from latentd.engine.swap import preroll
from latentd.models.synth import Synth

log = logging.getLogger("latentd.engine")

DEFAULT_TIMEOUT_SECONDS = 60.0
MAX_QUEUED_LOADS = 8  # loads waiting behind the running one; each takes a second or more


class LoadQueueFull(RuntimeError):
    """Too many model loads are waiting: the request is refused, not queued."""


class LoadGate:
    """The process-wide load lock, which a load presumed dead can be made to let go of."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._guard = threading.Lock()

    def current(self) -> threading.Lock:
        with self._guard:
            return self._lock

    def retire(self, lock: threading.Lock) -> None:
        """``lock`` is held by a load that will not finish: later loads use a new one."""
        with self._guard:
            if self._lock is lock:
                self._lock = threading.Lock()


GATE = LoadGate()


@dataclass
class _Job:
    name: str
    reply: Any
    value: Any = None
    error: BaseException | None = None
    holding: threading.Lock | None = None


class LoadQueue:
    """``submit(name, reply)``; ``load(name)`` runs on a worker under the gate, then
    ``on_loaded(name, value, reply)`` or ``on_failed(name, reason, reply)`` on the queue's
    thread."""

    def __init__(self, load: Callable[[str], Any], on_loaded: Callable[[str, Any, Any], None],
                 on_failed: Callable[[str, str, Any], None],
                 timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
                 max_waiting: int = MAX_QUEUED_LOADS):
        self.load = load
        self.on_loaded = on_loaded
        self.on_failed = on_failed
        self.timeout_seconds = timeout_seconds
        self.max_waiting = max_waiting
        self.timeouts = 0
        self._waiting: deque[tuple[str, Any]] = deque()
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, name: str, reply: Any = None) -> threading.Thread:
        """Queue a load; returns the queue's thread (it ends once the queue is empty)."""
        with self._guard:
            if len(self._waiting) >= self.max_waiting:
                raise LoadQueueFull(f"{len(self._waiting)} model loads are already waiting; "
                                    "try again when one has answered")
            self._waiting.append((name, reply))
            if self._thread is None:
                self._thread = threading.Thread(target=self._drain, name="latentd-model-loader",
                                                daemon=True)
                self._thread.start()
            return self._thread

    def _drain(self) -> None:
        while True:
            with self._guard:
                if not self._waiting:
                    self._thread = None
                    return
                name, reply = self._waiting.popleft()
            self._run(_Job(name, reply))

    def _work(self, job: _Job, finished: threading.Event) -> None:
        lock = GATE.current()
        try:
            with lock:
                job.holding = lock
                try:
                    job.value = self.load(job.name)
                finally:
                    job.holding = None
        except BaseException as exc:  # the queue reports it; nothing may escape a worker
            job.error = exc
        finally:
            finished.set()

    def _run(self, job: _Job) -> None:
        finished = threading.Event()
        worker = threading.Thread(target=self._work, args=(job, finished),
                                  name=f"latentd-model-load:{job.name}"[:60], daemon=True)
        worker.start()
        if not finished.wait(self.timeout_seconds):
            self.timeouts += 1
            holding = job.holding
            if holding is not None:
                GATE.retire(holding)
            reason = (f"model '{job.name}' did not load within {self.timeout_seconds:g} s; "
                      "gave up on it (the old model keeps playing)")
            log.error("%s; the load is left running and its result will be dropped", reason)
            self._answer(self.on_failed, job.name, reason, job.reply)
            return
        if job.error is not None:
            reason = one_line(job.error, 400)
            log.warning("model load '%s' failed: %s", job.name, reason)
            self._answer(self.on_failed, job.name, reason, job.reply)
        else:
            self._answer(self.on_loaded, job.name, job.value, job.reply)

    @staticmethod
    def _answer(callback: Callable[[str, Any, Any], None], name: str, value: Any,
                reply: Any) -> None:
        try:
            callback(name, value, reply)
        except Exception:  # the queue must go on with the next load
            log.exception("handling the end of model load '%s' failed", name)


class ModelLoads:
    """Model loads for one engine: ``submit(name, reply)`` loads ``loader(name)`` on the queue,
    prepares it (below) and hands the pipe to ``on_ready(name, pipe, reply)``; a failure or a
    timeout goes to ``on_failed(name, reason, reply)``, and the playing model is never touched.

    ``playing()`` gives the latents being decoded now (voices, latent), ``make_pipe`` wraps
    the prepared model for the render thread. ``loader`` may be replaced between loads."""

    def __init__(self, loader: Callable[[str], Synth] | None, *, block_frames: int,
                 torch_threads: int, playing: Callable[[], np.ndarray],
                 make_pipe: Callable[[Synth], RenderPipe],
                 on_ready: Callable[[str, RenderPipe, Any], None],
                 on_failed: Callable[[str, str, Any], None],
                 timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
                 max_waiting: int = MAX_QUEUED_LOADS):
        self.loader = loader
        self.block_frames = block_frames
        self.torch_threads = torch_threads
        self.playing = playing
        self.make_pipe = make_pipe
        self.queue = LoadQueue(self.prepare, on_ready, on_failed, timeout_seconds, max_waiting)

    def submit(self, name: str, reply: Any = None) -> threading.Thread:
        """Queue a load; returns the queue's thread. Raises LoadQueueFull."""
        return self.queue.submit(name, reply)

    def prepare(self, name: str) -> RenderPipe:
        """Load worker (under the process-wide gate): load, warm up in the render thread's
        shape, pre-roll with the latents playing now (swap.py), and build the pipe."""
        if self.loader is None:
            raise RuntimeError("engine has no model loader")
        synth = self.loader(name)
        torch.set_num_threads(self.torch_threads)
        playing = np.array(self.playing(), dtype=np.float32, copy=True)
        pipe = self.make_pipe(synth)
        # the rows the new model will decode (voices: renderer.preroll_rows), as take_over fits
        latents = np.zeros((pipe.renderer.preroll_rows(len(playing)), synth.latent_size),
                           np.float32)
        rows, shared = min(len(latents), len(playing)), min(synth.latent_size, playing.shape[-1])
        latents[:rows, :shared] = playing[:rows, :shared]
        with torch.inference_mode():
            synth.warm_up(self.block_frames, len(latents))
            preroll(synth, latents, self.block_frames)
        return pipe

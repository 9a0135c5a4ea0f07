"""The engine: one render thread keeping the ring filled, and the commands around it.

Threads and what they may do:
* render thread (here): the only one running torch and the only owner of controls and
  renderers. It keeps the ring filled to the latency target, crossfades model swaps and feeds the
  recorder.
* audio callback (the backend): copies out of the ring; nothing else.
* callers (OSC, TUI, CLI): post events, or ask for work on the render thread and wait for it.
  Disk and model loading happen in the caller's thread or a worker, never on the render thread.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from latentd.audio.backend import Backend
from latentd.engine.clock import AudioClock
from latentd.engine.controls import ControlBus, Controls, Event
from latentd.engine.pipe import RenderPipe
from latentd.engine.presets import PresetStore, check_name, snapshot
from latentd.engine.recorder import Recorder
from latentd.engine.renderer import Renderer
from latentd.engine.ring import RingBuffer
from latentd.engine.safe_files import create_new
from latentd.engine.scheduler import Scheduler
from latentd.engine.telemetry import Meter, Telemetry
from latentd.models.synth import Synth

log = logging.getLogger("latentd.engine")

# Loading compiles TorchScript and may trace with torch.fx, neither of which is thread-safe: two
# loads compiling at once have crashed CPython's parser ("SystemError: AST recursion"). So one
# load runs at a time in the whole process, whichever engine asked for it.
_LOAD_LOCK = threading.Lock()
MAX_QUEUED_LOADS = 8  # loads waiting behind the running one; each takes a second or more
STOP_FADE_WAIT_SECONDS = 0.3  # stop(): the most it waits for the faded audio to play out
STOP_JOIN_SECONDS = 0.5  # stop(): the most it waits for the render thread (a hung model)


class LoadQueueFull(RuntimeError):
    """Too many model loads are waiting: the request is refused, not queued."""


@dataclass
class EngineSettings:
    block_frames: int = 1  # latent frames decoded per call
    latency_ms: float = 80.0  # audio kept queued in the ring
    torch_threads: int = 1
    crossfade_ms: float = 100.0
    realtime_priority: int = 10  # SCHED_FIFO priority for the render thread; 0 leaves it normal
    presets_dir: Path = field(default_factory=lambda: Path("presets"))
    recordings_dir: Path = field(default_factory=lambda: Path("recordings"))
    seed: int = 0  # the drift's random walk


@dataclass(frozen=True)
class Notice:
    """Something a client should hear about: ``kind`` is done, fail or late."""

    kind: str
    address: str
    args: tuple[Any, ...] = ()
    reply: Any = None


class Engine:
    def __init__(self, synth: Synth, backend: Backend, settings: EngineSettings | None = None,
                 loader: Callable[[str], Synth] | None = None):
        self.settings = settings or EngineSettings()
        self.backend = backend
        self.loader = loader
        self.bus = ControlBus()
        self.controls = Controls(synth.latent_size)
        self.listeners: list[Callable[[Notice], None]] = []
        self.pipe = self._make_pipe(synth, self.controls, self.bus)
        self.fading: RenderPipe | None = None
        self.fade_done = 0
        self.fade_frames = max(1, int(self.settings.crossfade_ms / 1000 * backend.sample_rate))
        # the render loop works in whole model blocks (at the device rate) when they are larger
        # than the device's: per-chunk bookkeeping is then paid once per decode
        model_block = synth.ratio * self.settings.block_frames * backend.sample_rate \
            // synth.sample_rate
        self.chunk_frames = max(backend.blocksize, model_block)
        # the ring is topped up whenever it holds less than the target, one chunk at a time
        self.target_frames = max(backend.blocksize,
                                 int(self.settings.latency_ms / 1000 * backend.sample_rate))
        self.ring = RingBuffer(self.target_frames + self.chunk_frames + backend.blocksize,
                               backend.channels)
        self.clock = AudioClock(backend.sample_rate)
        self.meter = Meter(backend.channels, backend.sample_rate)
        self.loads: deque[float] = deque(maxlen=256)
        self.presets = PresetStore(self.settings.presets_dir)
        self.recorder: Recorder | None = None
        self.started_at = time.time()
        self._calls: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = \
            queue.SimpleQueue()
        self._swaps: queue.SimpleQueue[tuple[RenderPipe, str, Any]] = queue.SimpleQueue()
        self._loads: deque[tuple[str, Any]] = deque()  # (name, reply) waiting for the loader
        self._loads_guard = threading.Lock()
        self._loader: threading.Thread | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._written_offline = 0
        self.model_name = synth.name

    # ----------------------------------------------------------------- plumbing
    def _make_pipe(self, synth: Synth, controls: Controls, bus: ControlBus) -> RenderPipe:
        renderer = Renderer(synth, self.settings.block_frames, controls, bus,
                            seed=self.settings.seed,
                            on_late=self._late, on_error=self._event_error)
        return RenderPipe(renderer, self.backend.sample_rate, self.backend.channels)

    @property
    def synth(self) -> Synth:
        return self.pipe.renderer.synth

    def notify(self, notice: Notice) -> None:
        for listener in list(self.listeners):
            try:
                listener(notice)
            except Exception:  # a broken listener must not stop the audio
                log.exception("notice listener failed")

    def _late(self, event: Event, seconds: float) -> None:
        self.notify(Notice("late", event.name, (seconds,), event.reply))

    def _event_error(self, event: Event, reason: str) -> None:
        self.notify(Notice("fail", event.name, (reason,), event.reply))

    def post(self, event: Event) -> None:
        """From any thread: a control change, now or at ``event.at``."""
        self.bus.post(event)

    def call_in_render(self, work: Callable[[], Any], timeout: float = 2.0) -> Any:
        """Run ``work`` on the render thread between blocks (to read or change its state
        consistently) and return its result."""
        if self._thread is None or not self._thread.is_alive():
            return work()
        future: Future[Any] = Future()
        self._calls.put((work, future))
        return future.result(timeout)

    # ----------------------------------------------------------------- the render thread
    def _clock_at(self, frame: int, backlog: int) -> float:
        synth = self.synth
        written = self.ring.frames_written if self.backend.realtime else self._written_offline
        heard = self.clock.time_of(written + backlog)
        return heard + (frame * synth.ratio + synth.latency) / synth.sample_rate

    def _service(self) -> None:
        while True:
            try:
                work, future = self._calls.get_nowait()
            except queue.Empty:
                break
            try:
                future.set_result(work())
            except Exception as exc:
                future.set_exception(exc)
        if self.fading is not None:
            return  # a queued swap waits for the running crossfade to end
        try:
            pipe, name, reply = self._swaps.get_nowait()
        except queue.Empty:
            return
        self._begin_swap(pipe, name, reply)

    def _begin_swap(self, pipe: RenderPipe, name: str, reply: Any = None) -> None:
        old = self.pipe
        new_renderer = pipe.renderer
        # the new model inherits the controls, the bus and the pending timed events; the old one
        # keeps a private copy and fades out
        old_controls = Controls(old.renderer.controls.latent_size,
                                [v.copy() for v in old.renderer.controls.voices],
                                gain_db=old.renderer.controls.gain_db,
                                muted=old.renderer.controls.muted)
        new_renderer.controls = self.controls
        if self.controls.latent_size != new_renderer.synth.latent_size:
            self.controls.resize(new_renderer.synth.latent_size)
        new_renderer.smoothed = np.stack([v.latent * v.scale + v.bias
                                          for v in self.controls.voices])
        new_renderer.scheduler = old.renderer.scheduler
        new_renderer.output.gain = old.renderer.output.gain
        new_renderer.output.mute_level = old.renderer.output.mute_level
        old.renderer.controls = old_controls
        old.renderer.bus = ControlBus()
        old.renderer.scheduler = Scheduler()  # due events belong to the new model alone
        if self.controls.source not in ("manual", "drift") \
                and new_renderer.sources.get(self.controls.source) is None:
            self.controls.source = "manual"
        self.fading, self.pipe, self.fade_done = old, pipe, 0
        self.model_name = name
        self.notify(Notice("done", "/model/load", (name,), reply))

    def _next_chunk(self, frames: int) -> np.ndarray:
        chunk = self.pipe.pull(frames, self._clock_at)
        if self.fading is not None:
            old = self.fading.pull(frames, self._clock_at)
            position = self.fade_done + np.arange(1, frames + 1, dtype=np.float32)
            weight = np.minimum(position / self.fade_frames, 1.0)[:, None]
            chunk = old * (1.0 - weight) + chunk * weight
            self.fade_done += frames
            if self.fade_done >= self.fade_frames:
                self.fading = None
        renderer = self.pipe.renderer
        self.loads.append(renderer.last_render_seconds / renderer.block_seconds)
        self.meter.add(chunk)
        recorder = self.recorder
        if recorder is not None:
            recorder.push(chunk)
        return chunk

    def _raise_priority(self) -> None:
        """Ask for real-time scheduling, as audio threads do: on a loaded machine an ordinary
        thread can wait longer than the ring lasts. Refused without the right (RLIMIT_RTPRIO or
        CAP_SYS_NICE): then the thread runs as before, and the log says so once."""
        priority = self.settings.realtime_priority
        if priority <= 0 or not hasattr(os, "sched_setscheduler"):
            return
        try:
            os.sched_setscheduler(threading.get_native_id(), os.SCHED_FIFO,
                                  os.sched_param(priority))
            log.info("render thread runs at real-time priority %d", priority)
        except OSError as exc:
            log.info("render thread at normal priority (real-time refused: %s)", exc.strerror)

    def _run(self) -> None:
        self._raise_priority()
        torch.set_num_threads(self.settings.torch_threads)
        period = self.backend.blocksize / self.backend.sample_rate
        with torch.inference_mode():
            while not self._stop.is_set():
                self._service()
                if self.ring.fill < self.target_frames:
                    self.ring.write(self._next_chunk(self.chunk_frames))
                else:
                    self._stop.wait(min(period / 2, 0.005))

    # ----------------------------------------------------------------- lifecycle
    def start(self) -> None:
        """Prefill the ring (so the first callback finds audio), then start the device."""
        torch.set_num_threads(self.settings.torch_threads)
        self.started_at = time.time()
        if not self.backend.realtime:
            self.clock.anchor(0, time.time())
            return
        with torch.inference_mode():
            while self.ring.fill < self.target_frames:
                self.ring.write(self._next_chunk(self.chunk_frames))
        self.loads.clear()  # the first blocks include TorchScript's warm-up compilation
        self.backend.start(self.ring, self.clock)
        self._thread = threading.Thread(target=self._run, name="latentd-render", daemon=True)
        self._thread.start()

    def render_offline(self, seconds: float, skip_seconds: float = 0.0) -> None:
        """Offline backends: render ``seconds`` of audio as fast as possible. ``skip_seconds``
        are rendered first (they move the clock) but not written, so that a file can start
        after the model's latency, which is silent by construction."""
        skip = round(skip_seconds * self.backend.sample_rate)
        total = skip + round(seconds * self.backend.sample_rate)
        block = self.chunk_frames
        with torch.inference_mode():
            while total > 0:
                self._service()
                chunk = self._next_chunk(min(block, total))
                self._written_offline += len(chunk)
                total -= len(chunk)
                if skip:
                    dropped = min(skip, len(chunk))
                    chunk, skip = chunk[dropped:], skip - dropped
                if len(chunk):
                    self.backend.write(chunk)

    def stop(self, fade_seconds: float = 0.05) -> None:
        """Fade out, finish any recording, release the device: bounded (about 1.5 s at most,
        whatever the model or the device does), so that the daemon's shutdown is. The
        recording is finished before the device is released, because a dead device's release
        is the step that may have to be abandoned."""
        if fade_seconds > 0 and self._thread is not None and self._thread.is_alive():
            self.post(Event("mute", (True,)))
            time.sleep(min(STOP_FADE_WAIT_SECONDS,
                           fade_seconds + self.target_frames / self.backend.sample_rate))
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=STOP_JOIN_SECONDS)
        self.record_stop()
        self.backend.stop()
        self.backend.close()

    # ----------------------------------------------------------------- commands
    def load_model(self, name: str, reply: Any = None) -> threading.Thread:
        """Queue a load and return the loader thread (it ends once the queue is empty).

        Loads run one after another, in the order asked, on that thread: on success the render
        thread crossfades to the new model and a ``done`` notice carries ``reply``; on failure
        the old model keeps playing and a ``fail`` notice says why. Raises LoadQueueFull when
        MAX_QUEUED_LOADS are already waiting, so a flood of requests cannot queue hours of
        loading."""
        with self._loads_guard:
            if len(self._loads) >= MAX_QUEUED_LOADS:
                raise LoadQueueFull(f"{len(self._loads)} model loads are already waiting; "
                                    "try again when one has answered")
            self._loads.append((name, reply))
            if self._loader is None:
                self._loader = threading.Thread(target=self._load_queued,
                                                name="latentd-model-loader", daemon=True)
                self._loader.start()
            return self._loader

    def _load_queued(self) -> None:
        while True:
            with self._loads_guard:
                if not self._loads:
                    self._loader = None
                    return
                name, reply = self._loads.popleft()
            self._load_one(name, reply)

    def _load_one(self, name: str, reply: Any) -> None:
        try:
            if self.loader is None:
                raise RuntimeError("engine has no model loader")
            with _LOAD_LOCK:
                synth = self.loader(name)
                self._warm_up(synth)
            pipe = self._make_pipe(synth, Controls(synth.latent_size), self.bus)
        except Exception as exc:
            log.warning("model load '%s' failed: %s", name, exc)
            self.notify(Notice("fail", "/model/load", (str(exc),), reply))
            return
        if self.backend.realtime and self._thread is not None:
            self._swaps.put((pipe, synth.name, reply))
        else:
            self._begin_swap(pipe, synth.name, reply)

    def _warm_up(self, synth: Synth) -> None:
        torch.set_num_threads(self.settings.torch_threads)
        with torch.inference_mode():
            synth.warm_up(self.settings.block_frames, len(self.controls.voices))

    def record_start(self, name: str | None = None, reply: Any = None) -> Path:
        """Start recording to a new file in the recordings directory; returns its path.

        Never overwrites: ``NAME.wav`` when free, else ``NAME-2.wav``, ``NAME-3.wav`` ... (the
        kernel refuses a taken name atomically; a link counts as taken). The recording ends by
        itself on a write error (a full disk) or a bound (see recorder.py); then ``recorder``
        is cleared, ``recording_error`` says why, and a ``fail`` notice for /record/start
        carries ``reply`` to the client that started it."""
        if self.recorder is not None:
            raise ValueError(f"already recording to {self.recorder.path.name}")
        stem = check_name(name) if name else time.strftime("latentd-%Y%m%d-%H%M%S")
        stem = stem.removesuffix(".wav") or stem
        path, descriptor = create_new(self.settings.recordings_dir, stem, ".wav")
        self.recording_error: str | None = None  # why the last recording ended by itself

        def ended(message: str) -> None:  # on the recorder's thread, once
            self.recording_error = message
            if self.recorder is recorder:
                self.recorder = None
            self.notify(Notice("fail", "/record/start", (message,), reply))

        recorder = Recorder(path, self.backend.sample_rate, self.backend.channels,
                            descriptor=descriptor, on_error=ended)
        self.recorder = recorder
        if not recorder.active and self.recorder is recorder:  # it ended before we got here
            self.recorder = None
        return path

    def record_stop(self) -> Path | None:
        recorder, self.recorder = self.recorder, None
        if recorder is None:
            return None
        recorder.stop()
        return recorder.path

    def save_preset(self, name: str) -> Path:
        """The controls are read on the render thread (a consistent snapshot), the file is
        written here: disk I/O stays off the render thread."""
        self.presets.filename(name)  # a bad name is refused before the render thread is asked
        data = self.call_in_render(lambda: snapshot(self.controls))
        return self.presets.save_snapshot(name, data)

    def load_preset(self, name: str, seconds: float = 0.0, reply: Any = None) -> None:
        """Read and check the preset here (raises PresetError): only a preset that applies
        without error to the controls reaches the render thread, so a ``/done`` sent after
        this returns is never followed by a failure."""
        data = self.presets.load(name, self.controls.latent_size)
        self.post(Event("preset", (data, float(seconds)), reply=reply))

    # ----------------------------------------------------------------- telemetry
    def snapshot(self) -> Telemetry:
        synth = self.synth
        loads = list(self.loads)
        renderer = self.pipe.renderer
        return Telemetry(
            peak_db=self.meter.peak_db(), rms_db=self.meter.rms_db(),
            latents=[float(v) for v in renderer.last_latents[0]],
            underruns=self.ring.underruns,
            load_mean=float(np.mean(loads)) if loads else 0.0,
            load_peak=float(np.max(loads)) if loads else 0.0,
            ring_fill=self.ring.fill / self.ring.capacity,
            latency_device_ms=1000 * self.backend.device_latency,
            latency_ring_ms=1000 * (self.target_frames + self.chunk_frames)
            / self.backend.sample_rate,  # the most the ring holds: target plus one chunk
            latency_model_ms=1000 * synth.latency / synth.sample_rate,
            model_rate=synth.sample_rate, device_rate=self.backend.sample_rate,
            block_frames=self.settings.block_frames, model=self.model_name,
            latent_size=synth.latent_size, source=self.controls.source,
            uptime=time.time() - self.started_at,
            recording=str(self.recorder.path) if self.recorder else "",
        )

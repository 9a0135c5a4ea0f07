"""The engine: one render thread keeping the ring filled, and the commands around it.

Threads and what they may do:
* render thread (here): the only one running torch and the only owner of controls and
  renderers. It keeps the ring filled to the latency target, crossfades model swaps and feeds the
  recorder. A render watchdog replaces it when a model hangs (watchdog.py); a model that raises
  or answers wrongly is played as silence (renderer.py); either way the ring is fed.
* audio callback (the backend): copies out of the ring; nothing else.
* callers (OSC, TUI, CLI): post events, or ask for work on the render thread and wait for it.
  Disk and model loading happen in the caller's thread or a worker, never on the render thread:
  loads run one at a time with a time limit, and the incoming model is prepared and
  pre-rolled on the loader's worker (load_queue.py, swap.py); the render thread only swaps.
* telemetry readers (OSC): see what is heard now, not what was rendered last (heard.py).
* the live audio input (live_input.py): set from the callers' threads with one store, drained
  by the render thread, a lost one stopped on a helper thread.
"""

from __future__ import annotations

import logging
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

from latentd import paths
from latentd.audio.backend import Backend
from latentd.audio.clock import AudioClock
from latentd.audio.input import AudioInput
from latentd.audio.ring import RingBuffer
from latentd.engine.control_names import InputControlName
from latentd.engine.controls import ALL_VOICES, ControlBus, Controls, Event
from latentd.engine.deck import Deck
from latentd.engine.health import ModelHealth
from latentd.engine.heard import HeardHistory
from latentd.engine.input_stage import WAIT_SECONDS as INPUT_WAIT_SECONDS
from latentd.engine.input_stage import InputStage
from latentd.engine.interpreter import prepare_for_realtime
from latentd.engine.latency import FALLBACK_MS, AutoRing, LatencySetting, choose
from latentd.engine.live_input import InputOpener, LiveInput
from latentd.engine.load_queue import GATE, MAX_QUEUED_LOADS, LoadQueueFull, ModelLoads
from latentd.engine.pipe import RenderPipe
from latentd.engine.presets import PresetStore, check_name, snapshot
from latentd.engine.recorder import Recorder
from latentd.engine.renderer import Renderer
from latentd.engine.ring_growth import RingGrowth
from latentd.engine.safe_files import create_new
from latentd.engine.spectrum import WINDOW_FRAMES as SPECTRUM_FRAMES
from latentd.engine.spectrum import spectrum_db
from latentd.engine.telemetry import Meter, Telemetry, VoiceLevels, performer_view, voices_view
from latentd.engine.watchdog import RenderWatchdog, SilentSynth, raise_priority, warm_up_within
from latentd.models.synth import Synth

log = logging.getLogger("latentd.engine")

__all__ = ["GATE", "MAX_QUEUED_LOADS", "Engine", "EngineSettings", "LoadQueueFull", "Notice"]
LOAD_PEAK_SECONDS = 2.0  # load_peak is the largest render load over this much recent audio
STOP_FADE_WAIT_SECONDS = 0.3  # stop(): the most it waits for the faded audio to play out
STOP_JOIN_SECONDS = 0.5  # stop(): the most it waits for the render thread (a hung model)


@dataclass
class EngineSettings:
    block_frames: int = 1  # latent frames decoded per call
    latency_ms: LatencySetting = 80.0  # audio kept queued in the ring; "auto": latency.py
    torch_threads: int = 1
    crossfade_ms: float = 100.0
    realtime_priority: int = 10  # SCHED_FIFO priority for the render thread; 0 leaves it normal
    presets_dir: Path = field(default_factory=paths.presets_dir)
    recordings_dir: Path = field(default_factory=paths.recordings_dir)
    seed: int = 0  # the drift's random walk
    stall_seconds: float = 2.0  # a render step (a decode) longer than this abandons the model
    load_timeout_seconds: float = 60.0  # a model load longer than this is given up with /fail
    inputs_dir: Path | None = None  # where /input/file finds files; None: it is refused
    voices: int = 1  # voices playing at start (/voices changes it up to max_voices)
    max_voices: int = 8
    voice_outputs: bool = False  # one output channel per voice instead of the panned mix
    resampler: str = "quality"  # live model-to-device resampling: pipe.LIVE_RESAMPLERS


@dataclass(frozen=True)
class Notice:
    """Something a client should hear about: ``kind`` is done, fail or late.

    ``reply`` names the client that asked (None for news nobody asked for: a stalled model, a
    lost device). News nobody asked for, and news marked ``everyone``, goes to every subscriber
    too, since a performer watching the daemon must learn that a recording or a model ended."""

    kind: str
    address: str
    args: tuple[Any, ...] = ()
    reply: Any = None
    everyone: bool = False


class Engine:
    def __init__(self, synth: Synth, backend: Backend, settings: EngineSettings | None = None,
                 loader: Callable[[str], Synth] | None = None,
                 input_opener: InputOpener | None = None):
        """``loader`` loads a model by name for ``/model/load``, ``input_opener`` a file for
        ``/input/file`` (live_input.py); without them those are refused."""
        self.settings = settings or EngineSettings()
        self.backend = backend
        self.bus = ControlBus()
        self.controls = Controls(synth.latent_size)
        self.controls.resize_voices(self.settings.voices)
        self.listeners: list[Callable[[Notice], None]] = []
        self.health = ModelHealth()
        self.live_input = LiveInput(backend, lambda: self.synth, self._rendering,
                                    self._input_lost, block_frames=self.settings.block_frames,
                                    inputs_dir=self.settings.inputs_dir, opener=input_opener)
        fade_frames = max(1, int(self.settings.crossfade_ms / 1000 * backend.sample_rate))
        self.deck = Deck(self._make_pipe(synth, self.controls, self.bus), fade_frames)
        self.scheduler = self.pipe.renderer.scheduler  # handed from model to model on swaps
        # the render loop works in whole model blocks (at the device rate) when they are larger
        # than the device's: per-chunk bookkeeping is then paid once per decode
        # (a live step renders whole blocks until a period is there and queues all of them:
        # one block, rounded up, when blocks are longer than the period; the ring's capacity
        # leaves a period beyond this for the shorter ones)
        model_block = -(-synth.ratio * self.settings.block_frames * backend.sample_rate
                        // synth.sample_rate)
        self.chunk_frames = max(backend.blocksize, model_block)
        # the ring is topped up whenever it holds less than the target, one chunk at a time;
        # "auto" is measured and sized in start(), before the device plays
        latency = self.settings.latency_ms
        latency_ms = FALLBACK_MS if isinstance(latency, str) else latency
        self.auto_ring: AutoRing | None = None  # what --latency-ms auto chose, once started
        self.ring_growth: RingGrowth | None = None  # auto's target after underruns (ring_growth.py)
        self._size_ring(max(backend.blocksize, int(latency_ms / 1000 * backend.sample_rate)))
        self.clock = AudioClock(backend.sample_rate)
        self.heard_latents: HeardHistory[np.ndarray] = HeardHistory()
        self.heard_voice_levels: HeardHistory[VoiceLevels] = HeardHistory()
        chunk_seconds = self.chunk_frames / backend.sample_rate
        self.loads: deque[float] = deque(maxlen=max(256, round(LOAD_PEAK_SECONDS
                                                               / chunk_seconds) + 1))
        self._input_waited_seconds = 0.0  # live_input.waited_seconds() at the last chunk
        self.presets = PresetStore(self.settings.presets_dir)
        self.recorder: Recorder | None = None
        self.recording_error: str | None = None  # why the last recording ended by itself
        self.started_at = time.time()
        self._calls: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = \
            queue.SimpleQueue()
        self._swaps: queue.SimpleQueue[tuple[RenderPipe, str, Any]] = queue.SimpleQueue()
        self.model_loads = ModelLoads(
            loader, block_frames=self.settings.block_frames,
            torch_threads=self.settings.torch_threads,
            playing=lambda: self.pipe.renderer.playing_latents(),
            make_pipe=lambda synth: self._make_pipe(synth, Controls(synth.latent_size), self.bus),
            on_ready=self._loaded, on_failed=self._load_failed,
            timeout_seconds=self.settings.load_timeout_seconds, max_waiting=MAX_QUEUED_LOADS)
        self._stop = threading.Event()
        self.watchdog = RenderWatchdog(self._run, self._abandon_stalled,
                                       self.settings.stall_seconds, self._stop)
        self._written_offline = 0
        self.model_name = synth.name
        self._model_reply: Any = None  # who loaded the playing model: told if it stalls

    # ----------------------------------------------------------------- plumbing
    def _size_ring(self, target_frames: int, room_frames: int = 0) -> None:
        """The ring for a target (and ``room_frames`` for it to grow into), and the meter whose
        history covers what it holds. Only before the device starts: the callback keeps the
        ring it was given."""
        backend = self.backend
        self.target_frames = target_frames
        self.ring = RingBuffer(target_frames + room_frames + self.chunk_frames + backend.blocksize,
                               backend.channels)
        queued_seconds = self.ring.capacity / backend.sample_rate + backend.device_latency
        self.meter = Meter(backend.channels, backend.sample_rate, history=queued_seconds + 1.0)

    def _size_ring_auto(self, cancel: threading.Event | None = None) -> None:
        """``--latency-ms auto``: time the playing model's block decode here, at the render
        thread's priority, and keep only the ring that covers it (latency.py)."""
        synth, backend = self.synth, self.backend
        model_block = max(1, synth.ratio * self.settings.block_frames * backend.sample_rate
                          // synth.sample_rate)
        self.auto_ring = choose(synth, self.settings.block_frames, self.pipe.renderer.batch_rows(),
                                self.settings.torch_threads, self.settings.realtime_priority,
                                backend.blocksize, backend.sample_rate,
                                timeout=self.settings.load_timeout_seconds,
                                blocks_per_step=-(-backend.blocksize // model_block),
                                cancel=cancel,  # an open input: each step encodes too
                                encode=self.live_input.stage is not None and synth.can_encode)
        growth = RingGrowth(self.auto_ring.target_frames, backend.blocksize, backend.sample_rate)
        self._size_ring(growth.target_frames, growth.ceiling_frames - growth.target_frames)
        self.ring_growth = growth
        log.info("%s", self.auto_ring.describe(backend.sample_rate))

    def _grow_ring(self, growth: RingGrowth) -> None:
        """Render thread, each step of an ``auto`` ring: after an underrun the target grows by
        what was missing (ring_growth.py)."""
        grown = growth.after(self.ring.missing_frames)
        if grown is None:
            return
        self.target_frames = grown
        rate = self.backend.sample_rate
        limit = "" if grown < growth.ceiling_frames else " (its limit)"
        log.warning("the output ran dry (%d underruns so far): the auto ring's target grew to "
                    "%.1f ms%s", self.ring.underruns, 1000 * grown / rate, limit)

    def _make_pipe(self, synth: Synth, controls: Controls, bus: ControlBus) -> RenderPipe:
        renderer = Renderer(synth, self.settings.block_frames, controls, bus,
                            seed=self.settings.seed, on_late=self._late,
                            on_error=self._event_error, health=self.health,
                            input_feed=self.live_input.feed,
                            max_voices=self.settings.max_voices,
                            out_channels=self.backend.channels,
                            voice_outputs=self.settings.voice_outputs)
        return RenderPipe(renderer, self.backend.sample_rate, self.backend.channels,
                          realtime=self.backend.realtime, resampler=self.settings.resampler)

    @property
    def pipe(self) -> RenderPipe:
        """The model playing now (deck.py)."""
        return self.deck.pipe

    @property
    def fading(self) -> RenderPipe | None:
        """The model fading out after a swap, if any."""
        return self.deck.fading

    @property
    def synth(self) -> Synth:
        return self.pipe.renderer.synth

    @property
    def loader(self) -> Callable[[str], Synth] | None:
        """Loads a model by name for ``load_model`` (load_queue.py); may be replaced."""
        return self.model_loads.loader

    @loader.setter
    def loader(self, loader: Callable[[str], Synth] | None) -> None:
        self.model_loads.loader = loader

    @property
    def _thread(self) -> threading.Thread | None:
        """The render thread now (the watchdog may have replaced it)."""
        return self.watchdog.thread

    def _rendering(self) -> bool:
        """Whether a render thread runs now."""
        return self._thread is not None and self._thread.is_alive()

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

    def post(self, event: Event) -> bool:
        """From any thread: a control change, now or at ``event.at``. A timed event beyond the
        scheduler's bounds (how many wait, how far ahead) is refused: a ``fail`` notice goes to
        ``event.reply`` and False is returned."""
        if event.at is not None:
            refusal = self.scheduler.admit(event, time.time())
            if refusal is not None:
                self.notify(Notice("fail", event.name, (refusal,), event.reply))
                return False
        self.bus.post(event)
        return True

    def call_in_render(self, work: Callable[[], Any], timeout: float = 2.0) -> Any:
        """Run ``work`` on the render thread between blocks (to read or change its state
        consistently) and return its result."""
        if not self._rendering():
            return work()
        future: Future[Any] = Future()
        self._calls.put((work, future))
        return future.result(timeout)

    # ----------------------------------------------------------------- audio input
    # the input itself is live_input.py; these are the callers' names for it
    @property
    def input(self) -> InputStage | None:
        """The open input's stage, None without one."""
        return self.live_input.stage

    def set_input(self, source: AudioInput | None, channels: list[int] | None = None) -> None:
        """From any thread but the render thread: ``source`` (None: none) becomes the input,
        ``channels`` (1-based) picked from it; the one it replaces is stopped here."""
        self.live_input.set(source, channels)

    def set_input_level(self, name: InputControlName, db: float) -> None:
        """``/input/gain`` or ``/input/dry``, at once; kept for inputs opened later."""
        self.live_input.set_level(name, db)

    def open_input_file(self, name: str) -> Path:
        """``/input/file``: a file from ``settings.inputs_dir`` becomes the input, opened on
        the caller's thread. Raises InputError, PresetError or UnsafePath with the reason."""
        return self.live_input.open_file(name)

    def _input_lost(self, reason: str) -> None:
        self.notify(Notice("fail", "/input", ("lost", reason)))  # for every subscriber

    # ----------------------------------------------------------------- the render thread
    def _written(self) -> int:
        """Device frames rendered so far: where the next chunk starts."""
        return self.ring.frames_written if self.backend.realtime else self._written_offline

    def _clock_at(self, frame: int, backlog: int) -> float:
        synth = self.synth
        heard = self.clock.time_of(self._written() + backlog)
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
        if self.deck.fading is not None:
            return  # a queued swap waits for the running crossfade to end
        try:
            pipe, name, reply = self._swaps.get_nowait()
        except queue.Empty:
            return
        self._begin_swap(pipe, name, reply)

    def _begin_swap(self, pipe: RenderPipe, name: str, reply: Any = None) -> None:
        """The new model takes over the controls and fades in (swap.py). ``name`` is the name
        the client asked for, echoed in ``/done``; when the new model cannot play the current
        source, the source becomes manual and ``/done`` says ``source manual``."""
        given_up = self.deck.begin(pipe, self.controls)
        self.model_name, self._model_reply = name, reply
        self.health.recovered()
        args: tuple[Any, ...] = (name,)
        if given_up is not None:
            log.info("model '%s' cannot play the %s source: the source is now manual", name,
                     given_up)
            args = (name, "source", "manual")
        log.info("model '%s' now plays", name)
        self.notify(Notice("done", "/model/load", args, reply))

    def _mix(self, frames: int | None = None) -> np.ndarray:
        """The next chunk: ``frames`` long (offline), or live (None) whole blocks of at least
        a device period, all of them (``RenderPipe.pull_rendered``: nothing rendered waits in
        the pipe). Changes no engine state but the deck's own, so a render thread abandoned
        inside it can return without harm (watchdog.py)."""
        if frames is None:
            return self.deck.mix_rendered(self.backend.blocksize, self._clock_at)
        return self.deck.mix(frames, self._clock_at)

    def _account(self, chunk: np.ndarray) -> None:
        """Bookkeeping for a chunk about to be queued: fade progress, load, telemetry
        (keyed by the device frame it is heard at), recording."""
        self.deck.settle()
        renderer = self.pipe.renderer
        waited_total = self.live_input.waited_seconds()
        waited = max(0.0, waited_total - self._input_waited_seconds)  # a new input restarts it
        self._input_waited_seconds = waited_total
        self.loads.append(max(0.0, renderer.last_render_seconds - waited)
                          / renderer.block_seconds)
        start = self._written()
        self.meter.add(chunk, start)
        synth = renderer.synth
        offset = ((renderer.block_frames - 1) * synth.ratio + synth.latency) \
            * self.backend.sample_rate // synth.sample_rate
        self.heard_latents.add(start + offset, renderer.last_latents)
        self.heard_voice_levels.add(start + offset, (renderer.mix.voice_peaks,
                                                     renderer.mix.voice_rms))
        recorder = self.recorder
        if recorder is not None:
            recorder.push(chunk)

    def _next_chunk(self, frames: int) -> np.ndarray:
        chunk = self._mix(frames)
        self._account(chunk)
        return chunk

    def _input_wait_budget_seconds(self) -> float:
        """How long the next chunk may wait for input blocks still arriving: only the ring's
        fill above its usual low point (the target less a device period) less the longest
        wait, so waiting never drains the ring further than that and an input slower than
        the output misses a block instead of pulling the output down (input_stage.py)."""
        rate = self.backend.sample_rate
        low = self.target_frames - self.backend.blocksize - round(INPUT_WAIT_SECONDS * rate)
        return max(0.0, (self.ring.fill - low) / rate)

    def _run(self, generation: int) -> None:
        """The render thread (one generation of it: see watchdog.py)."""
        raise_priority(self.settings.realtime_priority)
        torch.set_num_threads(self.settings.torch_threads)
        period = self.backend.blocksize / self.backend.sample_rate
        watch = self.watchdog
        failures = 0
        with torch.inference_mode():
            while not self._stop.is_set():
                watch.enter()
                chunk = None
                try:
                    self._service()
                    if self.ring_growth is not None:
                        self._grow_ring(self.ring_growth)
                    if self.ring.fill < self.target_frames:
                        self.live_input.poll()
                        self.live_input.allow_wait(self._input_wait_budget_seconds())
                        chunk = self.live_input.with_dry(self._mix())
                except Exception:  # a bug outside the model: log it, keep the thread
                    failures += 1
                    if failures in (1, 10, 100) or failures % 1000 == 0:
                        log.exception("render step failed (%d so far)", failures)
                if not watch.claim(generation):
                    return  # abandoned while stuck: another thread renders now
                if chunk is None:
                    self._stop.wait(min(period / 2, 0.005))
                    continue
                try:
                    self._account(chunk)
                except Exception:
                    log.exception("render bookkeeping failed")
                self.ring.write(chunk)

    def _abandon_stalled(self, stuck_seconds: float) -> None:
        """Watchdog thread, once the render thread is given up: the model it was stuck in is
        never called again. When that was the outgoing model of a crossfade, it is dropped and
        the incoming one plays on; otherwise silence stands in until the next load."""
        name = self.model_name

        def silent_pipe(like: Synth) -> RenderPipe:
            return self._make_pipe(SilentSynth(like), Controls(like.latent_size), self.bus)

        if self.deck.abandon_stuck(silent_pipe, self.controls):
            self.health.stall(playing=False)
            log.error("the outgoing model stalled while fading out (a render step took over "
                      "%.1f s); it was dropped and '%s' plays on", stuck_seconds, name)
            return
        self.health.stall()
        reason = (f"model '{name}' stalled: a render step took over {stuck_seconds:.1f} s "
                  f"(bound {self.settings.stall_seconds:g} s); it was abandoned and silence "
                  "plays until a model is loaded")
        log.error("%s", reason)
        self.notify(Notice("fail", "/model/load", (reason,), self._model_reply))
        self.notify(Notice("fail", "/model", ("stalled", reason)))  # for every subscriber

    # ----------------------------------------------------------------- lifecycle
    def start(self, cancel: threading.Event | None = None) -> None:
        """Start the render thread, let it prefill the ring (so the first callback finds
        audio), then start the device. ``cancel`` (the daemon's stop request) ends the start
        early, between steps and during the model's warm-up and timing, so that a signal
        while a slow model warms up stops the daemon in order, within its deadline; the
        caller then stops the engine."""
        torch.set_num_threads(self.settings.torch_threads)
        self.started_at = time.time()
        if not self.backend.realtime:
            self.clock.anchor(0, time.time())
            return
        # TorchScript optimises over its first calls: make them before the render thread needs
        # the model (loaded models are warmed by their load); one that hangs there is abandoned
        warmed = warm_up_within(self.synth, self.settings.block_frames,
                                self.pipe.renderer.batch_rows(), self.settings.torch_threads,
                                self.settings.load_timeout_seconds, cancel)
        if cancel is not None and cancel.is_set():
            return
        if not warmed:
            self._abandon_stalled(self.settings.load_timeout_seconds)
        if isinstance(self.settings.latency_ms, str):
            self._size_ring_auto(cancel)
            if cancel is not None and cancel.is_set():
                return
        prepare_for_realtime()  # short GC pauses, prompt lock hand-over (interpreter.py)
        self.live_input.start()  # before the output: a duplex stream feeds it from its start
        self.watchdog.start()
        deadline = time.monotonic() + 2 * self.settings.stall_seconds + 1.0
        while self.ring.fill < self.target_frames and time.monotonic() < deadline:
            time.sleep(0.002)
        self.loads.clear()  # the first blocks include TorchScript's warm-up compilation
        self.backend.start(self.ring, self.clock)

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
        if fade_seconds > 0 and self._rendering():
            self.post(Event("mute", (True,), voice=ALL_VOICES))
            time.sleep(min(STOP_FADE_WAIT_SECONDS,
                           fade_seconds + self.target_frames / self.backend.sample_rate))
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=STOP_JOIN_SECONDS)
        self.record_stop()
        self.live_input.stop()
        self.backend.stop()
        self.backend.close()

    # ----------------------------------------------------------------- commands
    def load_model(self, name: str, reply: Any = None) -> threading.Thread:
        """Queue a load and return the load queue's thread (it ends once the queue is empty).

        Loads run one after another, in the order asked, each within
        ``settings.load_timeout_seconds`` (load_queue.py): on success the incoming model is
        pre-rolled with the current latents, the render thread crossfades to it and a ``done``
        notice carrying ``name`` (as asked) goes to ``reply``; on failure or timeout the old
        model keeps playing and a ``fail`` notice says why. Raises LoadQueueFull when
        MAX_QUEUED_LOADS are already waiting. Nothing here waits on the render thread, so a
        stalled model never blocks a load that replaces it."""
        return self.model_loads.submit(name, reply)

    def _loaded(self, name: str, pipe: RenderPipe, reply: Any) -> None:
        """Load queue's thread: a prepared model is handed to the render thread, or swapped
        in at once when no render thread runs (offline, or not started yet)."""
        if self.backend.realtime and self._thread is not None:
            self._swaps.put((pipe, name, reply))
        else:
            self._begin_swap(pipe, name, reply)

    def _load_failed(self, name: str, reason: str, reply: Any) -> None:
        self.notify(Notice("fail", "/model/load", (reason,), reply))

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
        self.recording_error = None

        def ended(message: str) -> None:  # on the recorder's thread, once
            self.recording_error = message
            if self.recorder is recorder:
                self.recorder = None
            self.notify(Notice("fail", "/record/start", (message,), reply, everyone=True))

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
        """What is heard now: levels and latents are those of the audio at the device's output
        at this moment (heard.py), not of the last block rendered. ``load_peak`` is the
        largest load over the last LOAD_PEAK_SECONDS of blocks, so a spike decays."""
        synth = self.synth
        loads = list(self.loads)
        chunk_seconds = self.chunk_frames / self.backend.sample_rate
        recent = loads[-max(1, round(LOAD_PEAK_SECONDS / chunk_seconds)):]
        renderer = self.pipe.renderer
        now = self.clock.frame_at(time.time()) if self.backend.realtime else None
        latents = self.heard_latents.at(now)
        if latents is None or latents.shape[-1] != synth.latent_size:
            latents = renderer.last_latents
        health = self.health
        return Telemetry(
            peak_db=self.meter.peak_db(now), rms_db=self.meter.rms_db(now),
            latents=[float(v) for v in latents[0]],
            underruns=self.ring.underruns,
            load_mean=float(np.mean(loads)) if loads else 0.0,
            load_peak=float(np.max(recent)) if recent else 0.0,
            ring_fill=self.ring.fill / self.ring.capacity,
            latency_device_ms=1000 * self.backend.device_latency,
            latency_ring_ms=1000 * ((self.target_frames + self.chunk_frames)
                                    / self.backend.sample_rate + self.pipe.held_seconds()),
            # the most the ring holds (target plus one chunk) and the resampler holds back
            latency_model_ms=1000 * synth.latency / synth.sample_rate,
            model_rate=synth.sample_rate, device_rate=self.backend.sample_rate,
            block_frames=self.settings.block_frames, model=self.model_name,
            latent_size=synth.latent_size, source=self.controls.source,
            model_state=health.state, model_errors=health.errors,
            nonfinite_samples=health.nonfinite_samples,
            uptime=time.time() - self.started_at,
            recording=str(self.recorder.path) if self.recorder else "",
            recording_error=self.recording_error or "",
            **self.live_input.view(),
            **voices_view(renderer, latents, self.heard_voice_levels.at(now)),
            **performer_view(synth, self.controls, spectrum_db(
                self.meter.heard(SPECTRUM_FRAMES, now), self.backend.sample_rate)),
        )

"""The engine's live audio input: which input is open, the input gain and dry level it keeps
for inputs opened later, why the last one was lost, and the render thread's three calls into
it (the input source's feed, the per-chunk poll, the dry monitor). The conversion itself is
``input_stage.py``; the producers (a device callback, a file's pacing thread) are in ``audio/``.

Threads:
* ``set``, ``set_level`` and ``open_file``: any thread but the render thread (OSC, the daemon's
  start, a CLI). The new stage is built and started there and published with one store to
  ``stage``, which the render thread picks up on its next chunk; the stage it replaces is
  stopped there too, off the render thread (closing a device may block).
* ``feed``, ``poll`` and ``with_dry``: the render thread only. A lost input is dropped there with
  one store and stopped on a helper thread, ``latentd-input-stop``.
* ``latentd-input-reopen``: after a loss, asks the lost input to ``reopen`` after 1, 2, 4 ... 30
  s, then every 30 s, until it answers (``set`` then makes it the input again), another input is
  set, or the engine stops. One log line per change: lost, still missing (with the reason, again
  only when the reason changes), back.
* ``view``: telemetry readers (the OSC loop); it reads ``stage`` once.

Files for ``/input/file`` are opened by the ``opener`` passed in (the daemon passes
``WavInput``), as the model loader is passed in: the engine room imports only the input
interface (``audio/input.py``), never a concrete input.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from latentd.audio.backend import Backend
from latentd.audio.input import AudioInput, InputError
from latentd.audio.watchdog import BACKOFF_SECONDS
from latentd.engine.control_names import InputControlName
from latentd.engine.input_stage import DRY_OFF_DB, InputStage
from latentd.engine.presets import check_name
from latentd.engine.safe_files import confined
from latentd.models.synth import Synth

log = logging.getLogger("latentd.engine")  # the engine's: the operator's log reads as before


class InputOpener(Protocol):
    """Opens a file from the inputs directory as a live input (``WavInput`` is one)."""

    def __call__(self, path: Path, *, selected: list[int] | None) -> AudioInput: ...


class LiveInput:
    """The input as the engine holds it; ``playing`` gives the model playing now (the rate
    and channels to convert to), ``rendering`` whether the render thread runs (a new input is
    started only then; otherwise the engine's start starts it), ``on_lost`` is told why once
    when an input is lost (the engine tells every subscriber)."""

    def __init__(self, backend: Backend, playing: Callable[[], Synth],
                 rendering: Callable[[], bool], on_lost: Callable[[str], None], *,
                 block_frames: int, inputs_dir: Path | None = None,
                 opener: InputOpener | None = None):
        self.backend = backend
        self._playing = playing
        self._rendering = rendering
        self._on_lost = on_lost
        self.block_frames = block_frames
        self.inputs_dir = inputs_dir
        self.opener = opener
        self.stage: InputStage | None = None  # set here; read by the render thread
        self.channels: list[int] | None = None  # --input-channels, kept for /input/file
        self.levels: dict[InputControlName, float] = {"input_gain": 0.0,
                                                      "input_dry": DRY_OFF_DB}
        self.error = ""  # why the last input was lost, for the log and status
        self.reopens = 0  # lost inputs that came back
        self._setting = threading.Lock()  # set() from OSC and from the reopen thread
        self._generation = 0  # bumped by every set(): a reopen for an older input gives up
        self._closed = threading.Event()  # the engine stopped: reopen threads end

    # ----------------------------------------------------------------- callers' threads
    def set(self, source: AudioInput | None, channels: list[int] | None = None) -> None:
        """From any thread but the render thread: ``source`` becomes the input (None: no
        input), ``channels`` (1-based) picked from it; the input gain and dry level stay as
        they are. The input it replaces is stopped here (off the render thread); a running
        engine starts the new one first."""
        with self._setting:
            self._generation += 1
            self._set(source, channels)

    def _set(self, source: AudioInput | None, channels: list[int] | None) -> None:
        old = self.stage
        stage = None
        if source is not None:
            synth = self._playing()
            stage = InputStage(source, synth.sample_rate, synth.channels,
                               self.backend.sample_rate, self.backend.channels, channels)
            stage.gain_db = self.levels["input_gain"]
            stage.dry_db = self.levels["input_dry"]
            if self._rendering():
                stage.start()
            self.channels = channels
        self.stage = stage  # one store: the render thread takes it on its next chunk
        if old is not None:
            old.stop()

    def set_level(self, name: InputControlName, db: float) -> None:
        """``/input/gain`` or ``/input/dry``, at once (two float stores; the stage ramps)."""
        self.levels[name] = float(db)
        stage = self.stage
        if stage is not None:
            if name == "input_gain":
                stage.gain_db = float(db)
            else:
                stage.dry_db = float(db)

    def open_file(self, name: str) -> Path:
        """``/input/file``: a file from ``inputs_dir`` (a bare name, links leading out
        refused, as for presets) becomes the input, opened and checked here, on the caller's
        thread. Raises InputError, PresetError or UnsafePath with the reason."""
        directory = self.inputs_dir
        if directory is None:
            raise InputError("no inputs directory (start the daemon with --inputs-dir)")
        if self.opener is None:
            raise InputError("this engine was given no way to open input files")
        path = confined(directory, check_name(name))
        if not path.is_file():
            raise InputError(f"no input file '{name}' in {directory}")
        self.set(self.opener(path, selected=self.channels), self.channels)
        return path

    def start(self) -> None:
        """The engine's start, before the render thread and the output: a duplex stream then
        feeds the input from its start."""
        stage = self.stage
        if stage is not None:
            stage.start()

    def stop(self) -> None:
        """The engine's stop, after the render thread: the input is closed and forgotten."""
        self._closed.set()
        stage, self.stage = self.stage, None
        if stage is not None:
            stage.stop()

    # ----------------------------------------------------------------- the render thread
    def feed(self, samples: int) -> np.ndarray | None:
        """The input source's feed (sources.py); None without a live input."""
        stage = self.stage
        if stage is None or not stage.ok:
            return None
        synth = self._playing()
        if (stage.model_rate, stage.model_channels) != (synth.sample_rate, synth.channels):
            stage.retarget(synth.sample_rate, synth.channels)  # a model of another rate
        return stage.take(samples)

    def poll(self) -> None:
        """Once per chunk: drain the input (meter, dry monitor); a lost input is dropped
        (once: logged, told through ``on_lost``, stopped on a helper thread) and the output
        plays on."""
        stage = self.stage
        if stage is None:
            return
        if stage.ok:
            stage.poll()
            return
        if stage.lost_reported:
            return
        stage.lost_reported = True
        self.error = stage.source.error or "the input stopped"
        self.stage = None
        log.warning("input lost: %s; playing on without input", self.error)
        self._on_lost(self.error)
        threading.Thread(target=stage.stop, name="latentd-input-stop", daemon=True).start()
        threading.Thread(target=self._reopen, args=(stage.source, self._generation),
                         name="latentd-input-reopen", daemon=True).start()

    # ----------------------------------------------------------------- after a loss
    def _reopen(self, lost: AudioInput, generation: int) -> None:
        """``latentd-input-reopen``: ask ``lost`` to reopen, with backoff, until it answers
        (it becomes the input again), another input was set or the engine stopped."""
        attempt, said = 0, ""
        while not self._closed.wait(BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS) - 1)]):
            attempt += 1
            if self._generation != generation:
                return  # another input (or none) was chosen since
            try:
                fresh = lost.reopen()
                with self._setting:
                    if self._generation != generation or self._closed.is_set():
                        fresh.close()
                        return
                    self._generation += 1
                    self._set(fresh, self.channels)
            except InputError as exc:
                if str(exc) != said:
                    said = str(exc)
                    log.warning("input still missing: %s; trying again every %.0f s at most",
                                said, BACKOFF_SECONDS[-1])
                continue
            self.reopens += 1
            self.error = ""
            log.warning("input back: %s (after %d tries)", fresh.describe(), attempt)
            return

    def allow_wait(self, seconds: float) -> None:
        """Before a chunk: how long its steps may wait, in all, for a block still arriving
        (input_stage.py), out of the output ring's margin."""
        stage = self.stage
        if stage is not None:
            stage.wait_budget_seconds = seconds

    def waited_seconds(self) -> float:
        """Seconds the render thread has waited for input blocks, in all: not render work."""
        stage = self.stage
        return 0.0 if stage is None else stage.waited_seconds

    def with_dry(self, chunk: np.ndarray) -> np.ndarray:
        """``chunk`` with the dry monitor mixed in (input_stage.py); as is without an input."""
        stage = self.stage
        return chunk if stage is None else stage.mix_dry(chunk)

    # ----------------------------------------------------------------- telemetry
    def latency_ms(self) -> tuple[float, float]:
        """(input, encoder) parts of the input-to-output delay, in ms: the input device, the
        resampler and the longest a completed block waited for its render step (measured,
        input_stage.py); and the encoder's own latency. Zero without an input.

        The block the encoder waits to fill is not added here: it is the chunk in the ring's
        figure (``latency_ring_ms`` is the target plus one chunk, the wait of a chunk's last
        sample), and a sound's first sample waits the same block at the input instead.
        Counting it twice overstated the total by one block (23.2 ms for default-causal)."""
        stage, synth = self.stage, self._playing()
        if stage is None:
            return 0.0, 0.0
        encoder = float(getattr(synth, "encode_latency", 0)) / synth.sample_rate
        return 1000 * stage.latency_seconds(), 1000 * encoder

    def view(self) -> dict[str, Any]:
        """The snapshot's input fields: ``input`` (the device or file, '' for none), its
        meter and latency parts."""
        stage = self.stage
        latency_input, latency_encoder = self.latency_ms()
        peak, rms = stage.levels() if stage is not None else ([], [])
        return {"input": stage.describe() if stage is not None else "",
                "input_peak_db": peak, "input_rms_db": rms,
                "latency_input_ms": latency_input, "latency_encoder_ms": latency_encoder}

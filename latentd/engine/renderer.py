"""One block of sound: controls -> latent frames -> streaming decode -> output stage.

The renderer is pure work with no threads of its own, so the real-time render thread and the
faster-than-real-time WAV backend run exactly the same code.

A model's answer is checked before it is used: whatever the model does (raise, return a wrong
shape, dtype or channel count, or not a tensor at all), the block is played as silence, the
failure is counted in the engine's ModelHealth and logged (throttled), and the next block asks
the model again. A model that hangs is the render watchdog's business (``watchdog.py``).
"""

# mypy: strict-equality
# (a comparison with a misspelt control or source name is a type error)
from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np
import torch

from latentd.engine.control_names import SourceName, is_source
from latentd.engine.controls import ControlBus, Controls, Event
from latentd.engine.health import ModelHealth
from latentd.engine.output_stage import OutputStage
from latentd.engine.presets import Morph
from latentd.engine.scheduler import Scheduler
from latentd.engine.sources import (
    DriftSource,
    InputFeed,
    InputSource,
    LatentSource,
    ManualSource,
    PriorSource,
)
from latentd.models.synth import ModelError, Synth

FrameClock = Callable[[int], float]  # latent frames from now -> wall time it is heard
# a change of source glides at least this slowly, whatever /glide says: the input's latents and
# the manual ones may be far apart, and a jump between them would click
SWITCH_GLIDE_MS = 60.0


class Renderer:
    """Renders blocks of ``block_frames`` latent frames from a Synth and the controls."""

    def __init__(self, synth: Synth, block_frames: int = 1, controls: Controls | None = None,
                 bus: ControlBus | None = None, seed: int = 0,
                 on_late: Callable[[Event, float], None] | None = None,
                 on_error: Callable[[Event, str], None] | None = None,
                 health: ModelHealth | None = None, input_feed: InputFeed | None = None):
        self.synth = synth
        self.health = health or ModelHealth()
        self.block_frames = block_frames
        self.controls = controls or Controls(synth.latent_size)
        if self.controls.latent_size != synth.latent_size:
            self.controls.resize(synth.latent_size)
        self.bus = bus or ControlBus()
        self.scheduler = Scheduler()
        self.output = OutputStage(synth.sample_rate, health=self.health)
        self.frame_seconds = synth.ratio / synth.sample_rate
        self.block_seconds = block_frames * self.frame_seconds  # audio time one render makes
        # None: this model cannot do it
        self.sources: dict[SourceName, LatentSource | None] = {
            "manual": ManualSource(),
            "drift": DriftSource(self.frame_seconds, seed),
            "input": InputSource(synth, input_feed, block_frames) if synth.can_encode
            else None,
            "prior": PriorSource(synth) if synth.has_prior else None,
        }
        self.smoothed = np.stack([v.latent * v.scale + v.bias for v in self.controls.voices])
        self.on_late = on_late or (lambda event, seconds: None)
        self.on_error = on_error or (lambda event, reason: None)
        self.morph: Morph | None = None
        self._cached_version = -1
        self._glide_ms, self._glide = float("nan"), 1.0
        self._cached = (np.ones(0, np.float32), np.zeros(0, np.float32))
        self._steady: np.ndarray | None = None  # frames of a block where nothing moves
        self._steady_version = -1
        self._source_seen: SourceName = self.controls.source
        self._switch_frames = 0  # frames left of a source change's glide (SWITCH_GLIDE_MS)
        self.frames_rendered = 0
        self.last_render_seconds = 0.0
        self.last_latents = self.smoothed.copy()

    # ----------------------------------------------------------------- model swaps
    def take_over(self, old: Renderer, controls: Controls, keep_source: bool = True
                  ) -> str | None:
        """This (incoming) renderer takes the shared ``controls``, the bus, the pending timed
        events and the output gain from ``old``, and goes on gliding where ``old`` was (the
        pre-roll decoded those values) unless the latent size changed; ``old`` keeps private
        copies while it fades out, so it can neither take the new model's events nor change the
        performer's controls (swap.py). Returns the source given up (it became ``manual``)
        when this model cannot play it, or None; ``keep_source`` False keeps it regardless."""
        old_controls = Controls(old.controls.latent_size,
                                [v.copy() for v in old.controls.voices],
                                gain_db=old.controls.gain_db, muted=old.controls.muted)
        self.controls = controls
        if controls.latent_size != self.synth.latent_size:
            controls.resize(self.synth.latent_size)
        target = np.stack([v.latent * v.scale + v.bias for v in controls.voices])
        self.smoothed = old.smoothed.copy() if old.smoothed.shape == target.shape else target
        self.last_latents = self.smoothed.copy()
        self.bus = old.bus
        self.scheduler = old.scheduler
        self.output.gain = old.output.gain
        self.output.mute_level = old.output.mute_level
        old.controls = old_controls
        old.bus = ControlBus()
        old.scheduler = Scheduler()  # due events belong to the new model alone
        if not keep_source or controls.source in ("manual", "drift") \
                or self.sources.get(controls.source) is not None:
            return None
        given_up, controls.source = controls.source, "manual"
        controls.touch()
        return given_up

    def begin_with(self, source: SourceName, glide_ms: float | None = None) -> None:
        """Before the first block: start on ``source`` (and ``glide_ms``) as if it had always
        been chosen, with no source-change glide (``serve --source``, ``render --input``)."""
        if self.sources.get(source) is None:
            raise ValueError(f"source '{source}' needs a model that can "
                             f"{'encode' if source == 'input' else 'sample a prior'}")
        self.controls.source = source
        if glide_ms is not None:
            self.controls.glide_ms = glide_ms
        self.controls.touch()
        self._source_seen, self._switch_frames = source, 0

    # ----------------------------------------------------------------- events
    def _apply(self, event: Event) -> None:
        try:
            if event.name == "preset":
                self._start_preset(*event.values)
                return
            if event.name == "source":
                name = str(event.values[0])
                if not is_source(name) or self.sources.get(name) is None:
                    raise ValueError(f"source '{name}' needs a model that can "
                                     f"{'encode' if name == 'input' else 'sample a prior'}")
            self.controls.apply(event)
        except (ValueError, IndexError) as exc:
            self.on_error(event, str(exc))

    def _start_preset(self, preset: dict, seconds: float) -> None:
        """Glide and source switch at once; latents, bias, scale and gain morph."""
        self.controls.glide_ms = float(preset.get("glide_ms", self.controls.glide_ms))
        source = str(preset.get("source", self.controls.source))
        if is_source(source) and self.sources.get(source) is not None:
            self.controls.source = source
        self.morph = Morph.towards(self.controls, preset, round(seconds / self.frame_seconds))
        if seconds <= 0:
            self.morph.step(self.controls)
            self.morph = None

    def _take_events(self, first_frame_time: float) -> None:
        for event in self.bus.drain():
            if event.at is None:
                self._apply(event)
            elif event.at < first_frame_time:
                self.scheduler.settle()
                self._apply(event)
                self.on_late(event, first_frame_time - event.at)
            else:
                self.scheduler.add(event)

    # ----------------------------------------------------------------- rendering
    def latent_frames(self, frame_clock: FrameClock) -> np.ndarray:
        """The block's latent frames (voices, latent, frames), after events, sources and glide.

        While nothing moves (manual source, glide settled, no events, no morph) the last block's
        frames are returned as they are: at one frame per block the per-frame numpy work, run
        cache-cold after each decode, cost as much as 7% of the default model's decode."""
        steady = self._steady
        if steady is not None and self._steady_version == self.controls.version \
                and not self.bus.pending() and not len(self.scheduler) and self.morph is None:
            return steady
        self._steady = None
        if self.bus.pending():
            self._take_events(frame_clock(0))
        frames = np.empty((*self.smoothed.shape, self.block_frames), np.float32)
        timed = len(self.scheduler) > 0
        for j in range(self.block_frames):
            if timed:
                for event in self.scheduler.due(frame_clock(j)):
                    self._apply(event)
            if self.morph is not None and not self.morph.step(self.controls):
                self.morph = None
            source = self.sources.get(self.controls.source) or self.sources["manual"]
            assert source is not None  # "manual" is always there
            raw = source.next_frame(self.controls)
            scale, bias = self._scale_bias()
            target = raw * scale + bias
            if target.shape != self.smoothed.shape:
                self.smoothed = target.astype(np.float32)
                frames = np.empty((*self.smoothed.shape, self.block_frames), np.float32)
            coefficient = self._glide_coefficient()
            if self.controls.source != self._source_seen:
                self._source_seen = self.controls.source
                self._switch_frames = max(1, round(3 * SWITCH_GLIDE_MS / 1000
                                                   / self.frame_seconds))
            if self._switch_frames:
                self._switch_frames -= 1
                coefficient = min(coefficient, 1.0 - math.exp(
                    -self.frame_seconds * 1000.0 / SWITCH_GLIDE_MS))
            self.smoothed += coefficient * (target - self.smoothed)
            frames[..., j] = self.smoothed
        if self.controls.source == "manual" and self.morph is None and not len(self.scheduler):
            self._settle(target, frames)
        return frames

    def _settle(self, target: np.ndarray, frames: np.ndarray) -> None:
        """Once the glide is within float32 rounding of its target, hold the target exactly and
        cache a block of it for :meth:`latent_frames`' steady path."""
        # in float32 a one-pole glide stops moving about eps / coefficient short of its target
        # (1e-5 for a 2 s glide), so the tolerance grows as the glide slows
        tolerance = 1e-6 / min(1.0, max(self._glide, 1e-3))
        if np.abs(target - self.smoothed).max() > tolerance * max(1.0, float(np.abs(target).max())):
            return
        self.smoothed[...] = target
        if np.array_equal(frames[..., 0], target):
            self._steady = frames
        else:
            self._steady = np.repeat(self.smoothed[..., None], self.block_frames, axis=-1)
        self._steady_version = self.controls.version

    def _glide_coefficient(self) -> float:
        glide_ms = self.controls.glide_ms
        if glide_ms != self._glide_ms:
            self._glide = self.controls.glide_coefficient(self.frame_seconds)
            self._glide_ms = glide_ms
        return self._glide

    def _scale_bias(self) -> tuple[np.ndarray, np.ndarray]:
        if self._cached_version != self.controls.version:
            self._cached = (self.controls.stacked("scale"), self.controls.stacked("bias"))
            self._cached_version = self.controls.version
        return self._cached

    def render(self, frame_clock: FrameClock) -> np.ndarray:
        """One block of audio (samples, channels) float32 at the model's rate."""
        started = time.perf_counter()
        try:
            z = self.latent_frames(frame_clock)  # the prior and input sources run the model too
            self.last_latents = z[..., -1]
            mixed = self._decode(z)
        except BaseException as exc:  # a model may raise anything, even SystemExit
            self.health.model_error(self.synth.name, exc)
            mixed = np.zeros((self.synth.channels, self.block_samples()), np.float32)
        # the output stage never writes into its input, so a model that returns a new tensor
        # per call (latentd's own) has its block copied once, into the ring
        out = self.output.process(mixed.T, self.controls.gain_db, self.controls.muted)
        self.frames_rendered += self.block_frames
        self.last_render_seconds = time.perf_counter() - started
        return out

    def _decode(self, z: np.ndarray) -> np.ndarray:
        """The model's audio for ``z``, voices mixed: (channels, samples) float32, checked."""
        audio = self.synth.decode(torch.from_numpy(z))
        synth = self.synth
        expected = (len(z), synth.channels, self.block_frames * synth.ratio)
        if not isinstance(audio, torch.Tensor) or audio.shape != expected \
                or audio.is_complex():
            shape = tuple(audio.shape) if isinstance(audio, torch.Tensor) else type(audio).__name__
            raise ModelError(f"model '{synth.name}' answered {shape} "
                             f"({getattr(audio, 'dtype', '')}) for {tuple(z.shape)} latent "
                             f"frames; expected a real tensor {expected}")
        if audio.requires_grad or not audio.is_cpu:
            audio = audio.detach().cpu()
        samples = audio.numpy()  # (voices, channels, samples)
        mixed = samples[0] if len(samples) == 1 else samples.sum(axis=0)
        if mixed.dtype != np.float32:  # a TorchScript model may answer in another dtype
            with np.errstate(over="ignore", invalid="ignore"):
                mixed = mixed.astype(np.float32)  # beyond float32: inf, silenced downstream
        elif len(samples) == 1 and not synth.fresh_output:
            # a foreign model may reuse its output tensor on the next call, while the pipe, the
            # meter or the recorder still hold this block: own a copy
            mixed = mixed.copy()
        return mixed

    def block_samples(self) -> int:
        return self.block_frames * self.synth.ratio

"""One block of sound: controls -> latent frames -> streaming decode -> voice mix -> output stage.

The renderer is pure work with no threads of its own, so the real-time render thread and the
faster-than-real-time WAV backend run exactly the same code.

Voices (issue 20): every voice has its own latents, source and glide, and all of them decode as
one batched call per block, row i being voice i. How the batch follows the voice count depends
on the model (``Synth.regroup``): a model that can rearrange its streaming state per row is
decoded with as many rows as voices (a voice added starts from a reset state, the others go
on); one that cannot is decoded at ``max_voices`` rows from the start, and the rows of voices
not playing are decoded but not heard (their latents held), so a count change never restarts
the stream. Either way the voices that stay continue sample for sample.

A model's answer is checked before it is used: whatever the model does (raise, return a wrong
shape, dtype or channel count, or not a tensor at all), the block is played as silence, the
failure is counted in the engine's ModelHealth and logged (throttled), and the next block asks
the model again. A model that hangs is the render watchdog's business (``watchdog.py``).
"""

# mypy: strict-equality
# (a comparison with a misspelt control or source name is a type error)
from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable

import numpy as np
import torch

from latentd.engine.control_names import SourceName, is_source
from latentd.engine.controls import VOICES_LIMIT, ControlBus, Controls, Event
from latentd.engine.health import ModelHealth
from latentd.engine.notes import PitchMap
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
from latentd.engine.voice_mix import VoiceMix
from latentd.engine.voice_notes import apply_voice_event
from latentd.models.synth import ModelError, Synth

log = logging.getLogger("latentd.engine")
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
                 health: ModelHealth | None = None, input_feed: InputFeed | None = None,
                 max_voices: int = 1, out_channels: int | None = None,
                 voice_outputs: bool = False):
        """``max_voices`` bounds ``/voices``; ``out_channels`` are the device's (None: the
        model's); ``voice_outputs`` gives each voice its own channel (voice_mix.py)."""
        self.synth = synth
        self.health = health or ModelHealth()
        self.block_frames = block_frames
        self.controls = controls or Controls(synth.latent_size)
        if self.controls.latent_size != synth.latent_size:
            self.controls.resize(synth.latent_size)
        self.bus = bus or ControlBus()
        self.scheduler = Scheduler()
        self.output = OutputStage(synth.sample_rate, health=self.health)
        self.max_voices = min(max(max_voices, len(self.controls.voices)), VOICES_LIMIT)
        self.mix = VoiceMix(synth.sample_rate, out_channels or synth.channels, voice_outputs,
                            self.max_voices)
        self.pitch_map = PitchMap.of(synth)
        # rows decoded per block: None until the first block asks the model (_rows_for)
        self.regroups: bool | None = None
        self._inherited_rows = 0  # rows the model was pre-rolled with (take_over)
        self._state_rows = 0  # rows the model's streaming state holds (0: none decoded yet)
        self.notes_played = 0  # orders notes, so that stealing takes the oldest
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
        self.morphs: list[Morph] = []
        self._cached_version = -1
        self._cached = (np.ones(0, np.float32), np.zeros(0, np.float32))
        self._steady: np.ndarray | None = None  # frames of a block where nothing moves
        self._steady_version = -1
        self._sources_seen: list[SourceName] = [v.source for v in self.controls.voices]
        # per voice: frames left of a source change's glide (SWITCH_GLIDE_MS)
        self._switch_frames = [0] * len(self.controls.voices)
        self._glides: tuple[list[float], np.ndarray] = ([], np.ones((0, 1), np.float32))
        self.frames_rendered = 0
        self.last_render_seconds = 0.0
        self.last_latents = self.smoothed.copy()
        self.last_rows = np.zeros((0, synth.channels, 0), np.float32)  # every row's audio

    @property
    def rows(self) -> int:
        """Batch rows decoded per block (voices, or max_voices: see the module's docstring)."""
        return len(self.smoothed)

    def batch_rows(self) -> int:
        """The rows every decode will have (asks the model once: see _ensure_rows)."""
        if self.regroups is None:
            self._ensure_rows()
        return self.rows

    @property
    def voice_count(self) -> int:
        return len(self.controls.voices)

    @property
    def morph(self) -> Morph | None:
        """The first morph running (presets.py), None when none is."""
        return self.morphs[0] if self.morphs else None

    @morph.setter
    def morph(self, morph: Morph | None) -> None:
        self.morphs = [] if morph is None else [morph]

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
                                [v.copy() for v in old.controls.voices])
        self.controls = controls
        if controls.latent_size != self.synth.latent_size:
            controls.resize(self.synth.latent_size)
        target = np.stack([v.latent * v.scale + v.bias for v in controls.voices])
        self.max_voices = max(self.max_voices, old.max_voices)
        self._sources_seen = [v.source for v in controls.voices]
        self._switch_frames = [0] * len(controls.voices)
        self._fit_rows(old.smoothed, target)
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
        given_up = controls.source
        for voice in controls.voices:
            if voice.source == given_up:
                voice.source = "manual"
        controls.touch()
        return given_up

    def begin_with(self, source: SourceName, glide_ms: float | None = None) -> None:
        """Before the first block: start on ``source`` (and ``glide_ms``) as if it had always
        been chosen, with no source-change glide (``serve --source``, ``render --input``)."""
        if self.sources.get(source) is None:
            raise ValueError(f"source '{source}' needs a model that can "
                             f"{'encode' if source == 'input' else 'sample a prior'}")
        for voice in self.controls.voices:
            voice.source = source
            if glide_ms is not None:
                voice.glide_ms = glide_ms
        self.controls.touch()
        self._sources_seen = [source] * self.voice_count
        self._switch_frames = [0] * self.voice_count

    # ----------------------------------------------------------------- events
    def _apply(self, event: Event) -> None:
        try:
            if event.name == "preset":
                self._start_preset(*event.values)
                return
            if event.name == "voices":
                self._set_voice_count(int(event.values[0]))
                return
            if event.name in ("voice_preset", "note", "note_off", "pitch"):
                apply_voice_event(self, event)
                return
            if event.voice >= self.voice_count:
                raise ValueError(f"voice {event.voice} is outside [0, {self.voice_count - 1}] "
                                 f"({self.voice_count} voices play: /voices sets how many)")
            if event.name == "source":
                name = str(event.values[0])
                if not is_source(name) or self.sources.get(name) is None:
                    raise ValueError(f"source '{name}' needs a model that can "
                                     f"{'encode' if name == 'input' else 'sample a prior'}")
            self.controls.apply(event)
        except (ValueError, IndexError) as exc:
            self.on_error(event, str(exc))

    def _start_preset(self, preset: dict, seconds: float,
                      voices: list[int] | None = None) -> None:
        """Glide, source and pan switch at once; latents, bias, scale and gain morph.
        ``voices``: the voices it applies to (all when None), ``voices`` taking the preset's
        first voice; the whole ensemble takes voice i from the preset's voice i (its last
        when it holds fewer)."""
        morph = Morph.towards(self.controls, preset, round(seconds / self.frame_seconds),
                              voices, playable=self._can_play)
        self.morphs = [m for m in self.morphs if not set(m.voices) <= set(morph.voices)]
        if seconds <= 0:
            morph.step(self.controls)
        else:
            self.morphs.append(morph)

    def playing_latents(self) -> np.ndarray:
        """The voices' latents being decoded now (voices, latent), idle rows left out: what
        a model loaded to replace this one is pre-rolled with (load_queue.py)."""
        return self.smoothed[:self.voice_count]

    def preroll_rows(self, playing_rows: int) -> int:
        """Rows to pre-roll (and warm up) this model with before it takes over from a model
        decoding ``playing_rows``: its own fixed batch when it cannot regroup, else those (it
        regroups to its voices in take_over). Call before the pre-roll; it asks the model."""
        rows = self.batch_rows() if self.regroups is not False else self.rows
        self._inherited_rows = rows if not self.regroups else playing_rows
        return self._inherited_rows

    def _fit_rows(self, old_smoothed: np.ndarray, target: np.ndarray) -> None:
        """After a take-over: the rows this model decodes (its voices, or max_voices), gliding
        on from the old model's latents where they match, the model regrouped from the rows it
        was pre-rolled with (preroll_rows)."""
        if self.regroups is None:
            self._inherited_rows = self._inherited_rows or len(old_smoothed)
            self._ensure_rows()
        count = len(target)
        wanted = count if self.regroups else self.max_voices
        if self.regroups and self._inherited_rows != count:
            self._regroup([i if i < self._inherited_rows else None for i in range(count)])
            self._state_rows = count if self._inherited_rows else 0
        smoothed = np.zeros((wanted, target.shape[-1]), np.float32)
        smoothed[:min(count, wanted)] = target[:wanted]
        if old_smoothed.shape[-1] == target.shape[-1]:
            shared = min(len(old_smoothed), wanted)
            smoothed[:shared] = old_smoothed[:shared]
        self.smoothed = smoothed
        self._steady = None

    def _can_play(self, source: str) -> bool:
        return is_source(source) and self.sources.get(source) is not None

    def _set_voice_count(self, count: int) -> None:
        """``/voices``: the first voices keep playing, sample for sample; new ones start."""
        if not 1 <= count <= self.max_voices:
            raise ValueError(f"voices {count} is outside [1, {self.max_voices}] (the daemon's "
                             "--max-voices)")
        old = self.voice_count
        if count == old:
            return
        if self.regroups is None:
            self._ensure_rows()  # before any block: the model is asked now
        if self.regroups:  # first, so that a refusal changes nothing
            # rows the model's state holds continue; before its first block it holds none
            held = min(old, count, self._state_rows)
            if not self._regroup([i if i < held else None for i in range(count)]):
                raise ValueError(f"model '{self.synth.name}' could not regroup its voices")
            self._state_rows = count if held else 0
        self.controls.resize_voices(count)
        self._sources_seen = self._sources_seen[:count] + [
            v.source for v in self.controls.voices[old:]]
        self._switch_frames = self._switch_frames[:count] + [0] * max(0, count - old)
        self.mix.levels = self.mix.levels[:count]  # a voice that comes back fades in
        self.morphs = [m for m in self.morphs if max(m.voices) < count]
        fresh = [v.latent * v.scale + v.bias for v in self.controls.voices[old:]]
        if self.regroups:
            kept = self.smoothed[:min(old, count)]
            self.smoothed = np.concatenate([kept, *(f[None] for f in fresh)]) \
                if fresh else kept.copy()
        else:  # fixed batch: a new voice's row starts at its target, like a reset row
            for i, target in enumerate(fresh):
                self.smoothed[old + i] = target
        self._steady = None

    def _regroup(self, rows: list[int | None]) -> bool:
        try:
            return bool(self.synth.regroup(rows))
        except Exception as exc:  # a model's failure to regroup: it cannot, then
            self.health.model_error(self.synth.name, exc)
            return False

    def _ensure_rows(self) -> None:
        """Before the first block: ask the model once whether it can regroup. It can: one row
        per voice (the rows it was pre-rolled with continue). It cannot: ``max_voices`` rows
        from now on, idle ones held at their latents."""
        count = self.voice_count
        inherited = self._inherited_rows
        rows = [i if i < inherited else None for i in range(count)]
        self.regroups = self._regroup(rows)
        self._state_rows = inherited  # a regroup into new rows alone holds no state yet
        wanted = count if self.regroups else self.max_voices
        if not self.regroups and self.max_voices > 1:
            log.info("model '%s' cannot regroup its streaming state per voice: every block "
                     "decodes %d rows (--max-voices), the voices not playing unheard",
                     self.synth.name, wanted)
        if len(self.smoothed) < wanted:
            extra = np.zeros((wanted - len(self.smoothed), self.smoothed.shape[-1]), np.float32)
            self.smoothed = np.concatenate([self.smoothed, extra])
        elif len(self.smoothed) > wanted:
            self.smoothed = self.smoothed[:wanted].copy()
        self._steady = None

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
        """The block's latent frames (rows, latent, frames), after events, sources and glide;
        rows beyond the voices playing (a model that cannot regroup) hold their latents.

        While nothing moves (manual sources, glides settled, no events, no morph) the last
        block's frames are returned as they are: at one frame per block the per-frame numpy
        work, run cache-cold after each decode, cost as much as 7% of the default model's
        decode."""
        steady = self._steady
        if steady is not None and self._steady_version == self.controls.version \
                and not self.bus.pending() and not len(self.scheduler) and not self.morphs:
            return steady
        self._steady = None
        if self.regroups is None:
            self._ensure_rows()
        if self.bus.pending():
            self._take_events(frame_clock(0))
        frames = np.empty((*self.smoothed.shape, self.block_frames), np.float32)
        timed = len(self.scheduler) > 0
        target = self.smoothed
        for j in range(self.block_frames):
            if timed:
                for event in self.scheduler.due(frame_clock(j)):
                    self._apply(event)
            if self.morphs:
                self.morphs = [m for m in self.morphs if m.step(self.controls)]
            if frames.shape[0] != len(self.smoothed):  # /voices regrouped the rows
                frames = np.empty((*self.smoothed.shape, self.block_frames), np.float32)
            count = self.voice_count
            raw = self._raw_frame()
            scale, bias = self._scale_bias()
            target = raw * scale + bias
            coefficients = self._switch_glides(self._glide_coefficients())
            playing = self.smoothed[:count]
            playing += coefficients * (target - playing)
            frames[..., j] = self.smoothed
        if all(v.source == "manual" for v in self.controls.voices) and not self.morphs \
                and not len(self.scheduler):
            self._settle(target, frames)
        return frames

    def _switch_glides(self, coefficients: np.ndarray) -> np.ndarray:
        """The glide coefficients, slowed to SWITCH_GLIDE_MS for voices whose source just
        changed (for three of those glides)."""
        switch = 1.0 - math.exp(-self.frame_seconds * 1000.0 / SWITCH_GLIDE_MS)
        changed = coefficients
        for i, voice in enumerate(self.controls.voices):
            if voice.source != self._sources_seen[i]:
                self._sources_seen[i] = voice.source
                self._switch_frames[i] = max(1, round(3 * SWITCH_GLIDE_MS / 1000
                                                      / self.frame_seconds))
            if self._switch_frames[i]:
                self._switch_frames[i] -= 1
                if changed is coefficients:
                    changed = coefficients.copy()
                changed[i] = min(float(changed[i, 0]), switch)
        return changed

    def _raw_frame(self) -> np.ndarray:
        """Each voice's frame from its own source (voices, latent); a source the model cannot
        play (after a swap) is played as manual."""
        voices = self.controls.voices
        chosen = [v.source if self.sources.get(v.source) is not None else "manual"
                  for v in voices]
        manual = self.sources["manual"]
        assert manual is not None  # "manual" is always there
        first = chosen[0]
        if all(name == first for name in chosen):
            source = self.sources[first]
            assert source is not None
            return source.next_frame(self.controls)
        raw = manual.next_frame(self.controls).copy()
        for name in dict.fromkeys(chosen):
            source = self.sources[name]
            if name != "manual" and source is not None:
                rows = [i for i, c in enumerate(chosen) if c == name]
                raw[rows] = source.next_frame(self.controls, rows)
        return raw

    def _settle(self, target: np.ndarray, frames: np.ndarray) -> None:
        """Once every voice's glide is within float32 rounding of its target, hold the targets
        exactly and cache a block of them for :meth:`latent_frames`' steady path."""
        # in float32 a one-pole glide stops moving about eps / coefficient short of its target
        # (1e-5 for a 2 s glide), so the tolerance grows as the glide slows
        slowest = float(self._glide_coefficients().min()) if self.voice_count else 1.0
        tolerance = 1e-6 / min(1.0, max(slowest, 1e-3))
        playing = self.smoothed[:len(target)]
        if np.abs(target - playing).max() > tolerance * max(1.0, float(np.abs(target).max())):
            return
        playing[...] = target
        if np.array_equal(frames[..., 0], self.smoothed):
            self._steady = frames
        else:
            self._steady = np.repeat(self.smoothed[..., None], self.block_frames, axis=-1)
        self._steady_version = self.controls.version

    def _glide_coefficients(self) -> np.ndarray:
        """(voices, 1): each voice's one-pole coefficient per latent frame (cached)."""
        glides = [v.glide_ms for v in self.controls.voices]
        if glides != self._glides[0]:
            self._glides = (glides, self.controls.glide_coefficients(self.frame_seconds))
        return self._glides[1]

    def _scale_bias(self) -> tuple[np.ndarray, np.ndarray]:
        if self._cached_version != self.controls.version:
            self._cached = (self.controls.stacked("scale"), self.controls.stacked("bias"))
            self._cached_version = self.controls.version
        return self._cached

    def render(self, frame_clock: FrameClock) -> np.ndarray:
        """One block of audio (samples, channels) float32 at the model's rate, the voices
        mixed (voice_mix.py) and limited (output_stage.py)."""
        started = time.perf_counter()
        try:
            z = self.latent_frames(frame_clock)  # the prior and input sources run the model too
            self.last_latents = z[..., -1]
            self.last_rows = self._decode(z)
            mixed = self.mix.mix(self.last_rows, self.controls.voices)
        except BaseException as exc:  # a model may raise anything, even SystemExit
            self.health.model_error(self.synth.name, exc)
            mixed = np.zeros((self.block_samples(), self.mix.channels), np.float32)
        # the output stage never writes into its input; per-voice gain and mute are the mix's
        out = self.output.process(mixed, 0.0, False)
        self.frames_rendered += self.block_frames
        self.last_render_seconds = time.perf_counter() - started
        return out

    def _decode(self, z: np.ndarray) -> np.ndarray:
        """The model's audio for ``z``, one batched call: (rows, channels, samples), checked."""
        audio = self.synth.decode(torch.from_numpy(z))
        self._state_rows = len(z)
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
        samples = audio.numpy()  # (rows, channels, samples)
        if samples.dtype != np.float32:  # a TorchScript model may answer in another dtype
            with np.errstate(over="ignore", invalid="ignore"):
                samples = samples.astype(np.float32)  # beyond float32: inf, silenced downstream
        # the mix makes a new array, so a foreign model reusing its output tensor is harmless
        return samples

    def block_samples(self) -> int:
        return self.block_frames * self.synth.ratio

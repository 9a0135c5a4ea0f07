"""Latent sources: where each latent frame comes from before ``* scale + bias``.

Each source returns one frame per call for the voices asked (``rows``: the voices playing it),
(len(rows), latent_size), in the model's own units. Each voice chooses its source; a source is
asked once per latent frame for all the voices playing it (the input's one stream is shared).

Frames that come from the model itself (its encoder, its prior) are checked like its audio: a
NaN or infinite value becomes 0 and values are held within +-MAX_MODEL_LATENT, because one NaN
in the glide's state would stay there for good and silence every later block.
"""

# mypy: strict-equality
# (a comparison with a misspelt control or source name is a type error)
from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from typing import Protocol

import numpy as np
import torch

from latentd.engine.controls import Controls
from latentd.models.synth import Synth

MAX_MODEL_LATENT = 64.0  # far beyond any trained model's latents (OSC accepts +-16)


def finite_latents(z: np.ndarray) -> np.ndarray:
    """``z`` as float32 with NaN/inf replaced by 0 and values clipped to +-MAX_MODEL_LATENT."""
    z = np.nan_to_num(np.asarray(z, dtype=np.float32), nan=0.0, posinf=0.0, neginf=0.0)
    return np.clip(z, -MAX_MODEL_LATENT, MAX_MODEL_LATENT)


def all_voices(controls: Controls, rows: list[int] | None) -> list[int]:
    """``rows``, or every voice when None."""
    return list(range(len(controls.voices))) if rows is None else rows


class LatentSource(Protocol):
    """What the renderer asks of a source: the next frame (len(rows), latent_size) for the
    voices ``rows``."""

    def next_frame(self, controls: Controls,
                   rows: list[int] | None = None) -> np.ndarray: ...


class ManualSource:
    """The values clients set, as they are."""

    def __init__(self) -> None:
        self._version = -1
        self._frame = np.zeros(0, np.float32)

    def next_frame(self, controls: Controls, rows: list[int] | None = None) -> np.ndarray:
        if controls.version != self._version:
            self._frame, self._version = controls.stacked("latent"), controls.version
        return self._frame if rows is None or len(rows) == len(self._frame) \
            else self._frame[rows]


class DriftSource:
    """Unattended motion: a bounded random walk or slow LFOs, one per dimension and voice.

    The walk is an Ornstein-Uhlenbeck process, so it wanders at ``drift_rate`` Hz but keeps to
    about ``drift_depth`` around the manual values instead of running off. Each voice has its
    own random generator (seeded ``seed + voice``) and moves only on frames it drifts, so a
    voice drifts the same whichever other voices play.
    """

    def __init__(self, frame_seconds: float, seed: int = 0):
        self.frame_seconds = frame_seconds
        self.seed = seed
        self.voices: dict[int, tuple[np.random.Generator, np.ndarray, np.ndarray]] = {}

    def _voice(self, i: int, size: int) -> tuple[np.random.Generator, np.ndarray, np.ndarray]:
        kept = self.voices.get(i)
        if kept is None or kept[1].shape != (size,):
            rng = np.random.default_rng(self.seed + i)
            phase = rng.uniform(0, 2 * math.pi, (1, size)).astype(np.float32)[0]
            kept = self.voices[i] = (rng, np.zeros(size, np.float32), phase)
        return kept

    def next_frame(self, controls: Controls, rows: list[int] | None = None) -> np.ndarray:
        rows = all_voices(controls, rows)
        rate = max(controls.drift_rate, 1e-4)
        out = np.empty((len(rows), controls.latent_size), np.float32)
        for k, i in enumerate(rows):
            rng, state, phase = self._voice(i, controls.latent_size)
            base = controls.voices[i].latent
            if controls.drift_mode == "lfo":
                # incommensurate speeds per dimension, so the pattern does not loop audibly
                speeds = rate * (1.0 + 0.37 * np.arange(len(base), dtype=np.float32))
                phase[:] = (phase + 2 * math.pi * speeds * self.frame_seconds) % (2 * math.pi)
                out[k] = base + controls.drift_depth * np.sin(phase)
                continue
            theta = 2 * math.pi * rate * self.frame_seconds
            noise = rng.standard_normal((1, len(base))).astype(np.float32)[0]
            state += -theta * state + math.sqrt(2 * theta) * noise
            out[k] = base + controls.drift_depth * state
        return out


InputFeed = Callable[[int], "np.ndarray | None"]  # samples wanted -> model-rate audio or None


class InputSource:
    """Live audio encoded through the model's streaming encoder, block after block, one
    continuous stream; frames are taken as input audio arrives.

    ``feed(samples)`` gives model-rate audio (samples, channels): a live input gives what it
    captured so far, an offline one exactly what is asked; None means no input is open (the
    last frame, or the manual values before any, are held). Encoding runs here, on the render
    thread. Live, frames that pile up beyond ``max_backlog`` (a render thread that fell behind,
    or audio buffered while another source played) are dropped oldest first, so the input's
    delay stays bounded."""

    def __init__(self, synth: Synth, feed: InputFeed | None = None, block_frames: int = 1,
                 max_backlog: int | None = None):
        self.synth = synth
        self.feed = feed
        self.block_samples = block_frames * synth.ratio
        self.max_backlog = max_backlog if max_backlog is not None else 2 * block_frames + 2
        self.pending = np.zeros((0, synth.channels), np.float32)
        self.frames: deque[np.ndarray] = deque()
        self.last: np.ndarray | None = None
        self.dropped = 0  # frames dropped to keep the delay bounded

    def push_audio(self, audio: np.ndarray) -> None:
        """Audio (samples, channels) at the model's rate, from the input device."""
        audio = np.asarray(audio, dtype=np.float32)
        self.pending = np.concatenate([self.pending, audio]) if len(self.pending) else audio
        whole = len(self.pending) // self.synth.ratio * self.synth.ratio
        if whole:
            block = torch.from_numpy(np.ascontiguousarray(self.pending[:whole].T)).unsqueeze(0)
            z = finite_latents(self.synth.encode(block)[0].numpy())  # (latent, frames)
            self.frames.extend(z.T)
            self.pending = self.pending[whole:]

    def next_frame(self, controls: Controls, rows: list[int] | None = None) -> np.ndarray:
        if not self.frames and self.feed is not None:
            audio = self.feed(max(self.synth.ratio, self.block_samples - len(self.pending)))
            if audio is not None and len(audio):
                self.push_audio(audio)
        while len(self.frames) > self.max_backlog:
            self.frames.popleft()
            self.dropped += 1
        if self.frames:
            self.last = self.frames.popleft()
        base = controls.stacked("latent")[all_voices(controls, rows)]
        if self.last is None:
            return base
        return np.broadcast_to(self.last[: base.shape[-1]], base.shape).copy()


class PriorSource:
    """Frames sampled from the model's prior at the current temperature."""

    def __init__(self, synth: Synth, chunk: int = 8):
        self.synth = synth
        self.chunk = chunk
        self.frames: list[np.ndarray] = []

    def next_frame(self, controls: Controls, rows: list[int] | None = None) -> np.ndarray:
        voices = len(controls.voices)
        if not self.frames or len(self.frames[0]) != voices:
            z = finite_latents(
                self.synth.prior(self.chunk, controls.temperature, batch=voices).numpy())
            self.frames = list(np.moveaxis(z, -1, 0))  # frames of (voices, latent)
        return self.frames.pop(0)[all_voices(controls, rows)]

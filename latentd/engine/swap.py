"""Model swaps that keep the sound steady: hand-over, pre-roll and a loudness-keeping crossfade.

Why each part:
* **Hand-over** (``Renderer.take_over``). The incoming model inherits the controls, the control
  bus, the pending timed events and the output gain; the outgoing one keeps private copies while
  it fades out, so it can neither take the new model's events nor change the performer's
  controls. The source is kept when the new model offers it; otherwise it falls back to
  ``manual`` and the caller says so.
* **Pre-roll.** A streaming model starts from an empty state (silence in its caches), so a fresh
  model fades in from a transient: reloading the same model dipped ~8 dB, another model bumped
  +13 dB. Before the crossfade, the incoming model decodes the current latents for its receptive
  field (on the loader thread, off the render thread), in blocks of exactly the render thread's
  shape, so it is also warm for that shape. It then continues from a settled state.
* **Crossfade.** Linear gains keep loudness for identical (correlated) signals and dip 3 dB for
  uncorrelated ones; equal-power gains keep it for uncorrelated ones and bump 3 dB for
  correlated ones. Two models, or one model restarted at another oscillator phase, are anything
  in between, so the gains are normalised by the measured correlation of the two signals
  (``g = 1 / sqrt(a^2 + b^2 + 2 r a b)``): equal power when r = 0, linear when r = 1, and at most
  ``MAX_BOOST`` where they cancel. The sum is clipped to [-1, 1] like every output.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from latentd.models.synth import Synth

PREROLL_MIN_SECONDS = 0.5  # models that do not state their receptive field (RAVE exports) get this
PREROLL_MAX_SECONDS = 2.0  # a huge (or unbounded: a running sum) field is cut here
MAX_BOOST = 2.0  # +6 dB: the most the crossfade lifts two signals that cancel


def preroll_frames(synth: Synth, block_frames: int) -> int:
    """Latent frames to decode before a swap: the receptive field when the model states it
    (latentd's own), else twice its latency, within [PREROLL_MIN_SECONDS,
    PREROLL_MAX_SECONDS], rounded up to whole blocks."""
    frame_seconds = synth.ratio / synth.sample_rate
    stream = getattr(synth, "decoder_stream", None)
    field = getattr(stream, "receptive_field", None)
    if not isinstance(field, int) or field <= 0:
        field = 2 * math.ceil(synth.latency / synth.ratio)
    low = math.ceil(PREROLL_MIN_SECONDS / frame_seconds)
    high = math.ceil(PREROLL_MAX_SECONDS / frame_seconds)
    frames = min(max(field + math.ceil(synth.latency / synth.ratio), low), high)
    return -(-frames // block_frames) * block_frames


def preroll(synth: Synth, latents: np.ndarray, block_frames: int) -> int:
    """Decode ``latents`` (voices, latent) held still for the model's receptive field, in
    blocks of ``block_frames``; returns the frames decoded. Run off the render thread."""
    z = torch.from_numpy(np.ascontiguousarray(
        np.repeat(latents.astype(np.float32)[..., None], block_frames, axis=-1)))
    frames = preroll_frames(synth, block_frames)
    with torch.inference_mode():
        for _ in range(frames // block_frames):
            synth.decode(z)
    return frames


class Crossfade:
    """Mixes the outgoing and incoming pipes' chunks over ``frames`` device frames."""

    def __init__(self, frames: int):
        self.frames = max(1, frames)
        self.done = 0
        self.correlation = 0.0

    @property
    def finished(self) -> bool:
        return self.done >= self.frames

    def mix(self, old: np.ndarray, new: np.ndarray) -> np.ndarray:
        count = len(new)
        position = (self.done + np.arange(1, count + 1, dtype=np.float64)) / self.frames
        b = np.minimum(position, 1.0)
        a = 1.0 - b
        energy = float(np.vdot(old, old)) * float(np.vdot(new, new))
        measured = float(np.vdot(old, new)) / math.sqrt(energy) if energy > 1e-12 else 0.0
        # smoothed across chunks, so the gain law does not step from one chunk to the next
        self.correlation = 0.5 * self.correlation + 0.5 * min(max(measured, -1.0), 1.0)
        power = a * a + b * b + 2.0 * self.correlation * a * b
        norm = np.minimum(1.0 / np.sqrt(np.maximum(power, 1e-12)), MAX_BOOST)
        gains_old = (a * norm).astype(np.float32)[:, None]
        gains_new = (b * norm).astype(np.float32)[:, None]
        out = old * gains_old + new * gains_new
        np.clip(out, -1.0, 1.0, out=out)
        self.done += count
        return out

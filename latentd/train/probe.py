"""``latentd probe``: what each latent dimension does to the sound, measured.

The bundled model's dimensions are its controls, so each must change the sound audibly. For one
dimension at a time, every other dimension is held at a typical value and this one is swept
across the range the encoder actually uses (mean ± ``width`` standard deviations of the
posterior means over the held-out split's sounding frames); the decoded sound's spectral
centroid (brightness) and RMS level are measured at each step.

"Typical" uses only sounding frames (within ``LOUD_DB`` of their clip's loudest frame): the mean
over all frames would lean towards the silence around notes, and sweeping from silence measures
little. A dimension counts as audible when its sweep moves the centroid by at least
``AUDIBLE_CENTROID`` (relative) or the level by at least ``AUDIBLE_DB``: both well above the
just-noticeable differences (about 5% in brightness, 1 dB in level).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import torch

from latentd.models.rave import RaveModel
from latentd.train.evaluate import Clip, encode_clip
from latentd.train.metrics import level_db, spectral_centroid

LOUD_DB = 30.0
AUDIBLE_CENTROID = 0.10
AUDIBLE_DB = 3.0
SILENT_DB = -80.0  # below this level a step is silence, and has no centroid to speak of


def posterior_frames(model: RaveModel, clips: list[Clip]) -> torch.Tensor:
    """Posterior means (frames, latent) of every sounding frame of ``clips``."""
    ratio = model.config.ratio
    kept = []
    for clip in clips:
        latents = encode_clip(model, clip.audio)
        x = torch.zeros(len(latents) * ratio)
        x[: len(clip.audio)] = torch.from_numpy(clip.audio)
        power = x.view(len(latents), ratio).pow(2).mean(dim=1)
        kept.append(latents[power >= power.max() * 10 ** (-LOUD_DB / 10)])
    return torch.cat(kept)


@dataclass
class Sweep:
    dimension: int
    values: list[float]  # latent values swept, in the model's units
    centroid_hz: list[float]
    level_db: list[float]

    @property
    def centre(self) -> int:
        return len(self.values) // 2

    @property
    def centroid_change_hz(self) -> float:
        sounding = [c for c in self.centroid_hz if math.isfinite(c)]
        return float(max(sounding) - min(sounding)) if sounding else float("nan")

    @property
    def centroid_change_pct(self) -> float:
        return 100.0 * self.centroid_change_hz / self.centroid_hz[self.centre]

    @property
    def level_change_db(self) -> float:
        return float(max(self.level_db) - min(self.level_db))

    @property
    def audible(self) -> bool:
        """NaN (a silent centre) compares False, so only the level change can count then."""
        return bool(self.centroid_change_pct >= 100 * AUDIBLE_CENTROID
                    or self.level_change_db >= AUDIBLE_DB)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "centroid_change_hz": self.centroid_change_hz,
                "centroid_change_pct": self.centroid_change_pct,
                "level_change_db": self.level_change_db, "audible": self.audible}


def sweep(model: RaveModel, centre: torch.Tensor, spread: torch.Tensor, *, steps: int = 7,
          width: float = 3.0, frames: int = 48, edge: int = 8, seed: int = 0) -> list[Sweep]:
    """Decode ``frames`` constant latent frames per step and dimension; measure the middle.

    ``edge`` frames at each end are dropped before measuring, because there the decoder's
    receptive field reaches past the constant latent into its zero padding.
    """
    if steps < 2 or steps % 2 == 0:
        raise ValueError(f"steps must be odd and at least 3 (a centre and two ends), got {steps}")
    ratio, rate = model.config.ratio, model.config.sample_rate
    offsets = torch.linspace(-width, width, steps)
    results = []
    for dimension in range(model.config.latent_size):
        z = centre.view(1, -1, 1).repeat(steps, 1, frames)
        values = centre[dimension] + offsets * spread[dimension]
        z[:, dimension, :] = values.view(-1, 1)
        torch.manual_seed(seed)
        with torch.inference_mode():
            audio = model.decoder(z)[:, 0, edge * ratio: (frames - edge) * ratio].numpy()
        levels = [level_db(a) for a in audio]
        centroids = [spectral_centroid(a, rate) if level >= SILENT_DB else float("nan")
                     for a, level in zip(audio, levels, strict=True)]
        results.append(Sweep(dimension, [round(float(v), 4) for v in values], centroids,
                             levels))
    return results


def format_sweeps(sweeps: list[Sweep], width: float) -> str:
    lines = [f"  {'dim':>3}  {'sweep (latent units)':>21}  {'centroid -/0/+ Hz':>23}  "
             f"{'change':>14}  {'level -/0/+ dB':>20}  {'change':>8}  audible"]
    for s in sweeps:
        c, lv = s.centroid_hz, s.level_db
        lines.append(
            f"  {s.dimension:>3}  {s.values[0]:>9.2f} .. {s.values[-1]:<8.2f}  "
            f"{c[0]:>7.0f}/{c[s.centre]:>6.0f}/{c[-1]:<7.0f}  "
            f"{s.centroid_change_hz:>6.0f} Hz {s.centroid_change_pct:>4.0f}%  "
            f"{lv[0]:>6.1f}/{lv[s.centre]:>5.1f}/{lv[-1]:<6.1f}  "
            f"{s.level_change_db:>5.1f} dB  {'yes' if s.audible else 'NO'}")
    audible = sum(s.audible for s in sweeps)
    lines.append(f"  {audible}/{len(sweeps)} dimensions audible (sweep ±{width:g} std of the "
                 f"posterior; centroid change >= {100 * AUDIBLE_CENTROID:.0f}% or level change "
                 f">= {AUDIBLE_DB:g} dB)")
    return "\n".join(lines)

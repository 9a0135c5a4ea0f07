"""``latentd probe``: what each latent dimension does to the sound, measured.

The bundled model's dimensions are its controls, so each must change the sound audibly. For one
dimension at a time, every other dimension is held at a typical value and this one is swept
across the range the encoder actually uses; the decoded sound's spectral centroid (brightness)
and RMS level are measured at each step.

With latent stats in the checkpoint (``latentd.models.latents``) the typical value is the user
units' 0 and the range ±``width`` user units: exactly the range a user's controls span. Without
them (or with ``--centre held-out``) they are the mean ± ``width`` standard deviations of the
posterior means over the held-out split's sounding frames. Values are reported in user units
when the model has them, in raw units otherwise.

"Typical" uses only sounding frames (within ``LOUD_DB`` of their clip's loudest frame): the mean
over all frames would lean towards the silence around notes, and sweeping from silence measures
little. A dimension counts as audible when its sweep moves the centroid by at least
``AUDIBLE_CENTROID`` (relative) or the level by at least ``AUDIBLE_DB``: both well above the
just-noticeable differences (about 5% in brightness, 1 dB in level).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch

from latentd.models.latents import LatentStats
from latentd.models.rave import RaveModel
from latentd.train.device import model_device
from latentd.train.evaluate import encode_clip
from latentd.train.metrics import level_db, spectral_centroid
from latentd.train.splits import DatasetClip

LOUD_DB = 30.0
AUDIBLE_CENTROID = 0.10
AUDIBLE_DB = 3.0
SILENT_DB = -80.0  # below this level a step is silence, and has no centroid to speak of


def sounding_frames(audio: np.ndarray, frames: int, ratio: int, loud_db: float = LOUD_DB
                    ) -> torch.Tensor:
    """Which of a clip's latent frames (``frames`` of ``ratio`` samples, the clip zero-padded)
    are within ``loud_db`` of its loudest frame: a (frames,) bool tensor."""
    x = torch.zeros(frames * ratio)
    length = min(len(audio), len(x))
    x[:length] = torch.from_numpy(np.ascontiguousarray(audio[:length], dtype=np.float32))
    power = x.view(frames, ratio).pow(2).mean(dim=1)
    return power >= power.max() * 10 ** (-loud_db / 10)


def posterior_frames(model: RaveModel, clips: list[DatasetClip]) -> torch.Tensor:
    """Posterior means (frames, latent) of every sounding frame of ``clips``."""
    kept = []
    for clip in clips:
        latents = encode_clip(model, clip.audio)
        kept.append(latents[sounding_frames(clip.audio, len(latents), model.config.ratio)])
    return torch.cat(kept)


@dataclass
class Sweep:
    dimension: int
    values: list[float]  # latent values swept: user units, or raw ones without latent stats
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
          width: float = 3.0, frames: int = 48, edge: int = 8, seed: int = 0,
          units: LatentStats | None = None) -> list[Sweep]:
    """Decode ``frames`` constant latent frames per step and dimension; measure the middle.

    ``centre`` and ``spread`` are raw (the decoder's) units; ``units``, when given, are the
    latent stats the swept values are reported in (per-dimension stats only). ``edge`` frames
    at each end are dropped before measuring, because there the decoder's receptive field
    reaches past the constant latent into its zero padding.
    """
    if units is not None and units.basis is not None:
        raise ValueError("stats with principal axes: sweep their axes with sweep_user_axes")

    def report(dimension: int, offsets: torch.Tensor) -> torch.Tensor:
        values = centre[dimension] + offsets * spread[dimension]
        if units is None:
            return values
        return (values - units.mean[dimension]) / units.std[dimension]

    directions = torch.eye(model.config.latent_size) * spread.view(1, -1)
    return _sweep_directions(model, centre, directions, torch.linspace(-width, width, steps),
                             frames, edge, seed, report)


def sweep_user_axes(model: RaveModel, units: LatentStats, *, steps: int = 7,
                    width: float = 3.0, frames: int = 48, edge: int = 8,
                    seed: int = 0) -> list[Sweep]:
    """:func:`sweep` along each user dimension of ``units`` (per dimension or principal axes),
    from user 0, ±``width`` user units: exactly what a performer's control moves."""
    origin = units.denormalise(torch.zeros(units.latent_size))
    directions = (units.basis_matrix() * units.std.view(1, -1)).T  # (user, raw) per unit
    return _sweep_directions(model, origin, directions, torch.linspace(-width, width, steps),
                             frames, edge, seed, lambda dimension, offsets: offsets)


def _sweep_directions(model: RaveModel, origin: torch.Tensor, directions: torch.Tensor,
                      offsets: torch.Tensor, frames: int, edge: int, seed: int,
                      report: Callable[[int, torch.Tensor], torch.Tensor]) -> list[Sweep]:
    """Decode ``origin + offset * direction`` (raw units) for each direction row; ``report``
    gives the values the table shows for a dimension's offsets."""
    steps = len(offsets)
    if steps < 2 or steps % 2 == 0:
        raise ValueError(f"steps must be odd and at least 3 (a centre and two ends), got {steps}")
    ratio, rate = model.config.ratio, model.config.sample_rate
    results = []
    for dimension, direction in enumerate(directions):
        raw = origin.view(1, -1) + offsets.view(-1, 1) * direction.view(1, -1)
        z = raw.view(steps, -1, 1).repeat(1, 1, frames)
        values = report(dimension, offsets)
        torch.manual_seed(seed)
        with torch.inference_mode():
            audio = model.decoder(z.to(model_device(model)))[
                :, 0, edge * ratio: (frames - edge) * ratio].cpu().numpy()
        levels = [level_db(a) for a in audio]
        centroids = [spectral_centroid(a, rate) if level >= SILENT_DB else float("nan")
                     for a, level in zip(audio, levels, strict=True)]
        results.append(Sweep(dimension, [round(float(v), 4) for v in values], centroids,
                             levels))
    return results


def format_sweeps(sweeps: list[Sweep], width: float, units: str = "raw units",
                  around: str = "the posterior") -> str:
    """The table; ``units`` names the units of the sweep column, ``around`` what the spread
    in the summary line is a std of."""
    lines = [f"  {'dim':>3}  {'sweep (' + units + ')':>21}  {'centroid -/0/+ Hz':>23}  "
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
    lines.append(f"  {audible}/{len(sweeps)} dimensions audible (sweep ±{width:g} std of "
                 f"{around}; centroid change >= {100 * AUDIBLE_CENTROID:.0f}% or level change "
                 f">= {AUDIBLE_DB:g} dB)")
    return "\n".join(lines)

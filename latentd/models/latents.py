"""User latent units: a per-dimension normalisation of a model's latent space.

An encoder's raw units are arbitrary. On the default model the posterior means of the data sit
at different offsets per dimension with spreads of only 0.3 to 0.9, so a manual latent of 0 is
not a typical sound, a drift of depth 1 is three spreads on one dimension and one on another,
and "across its range" means nothing. RAVE's exports normalise the latent space for the same
reason. A latentd checkpoint may therefore carry ``latent_stats``: the mean and standard
deviation, per dimension, of the encoder's posterior means over the training split's sounding
frames (``latentd latent-stats`` or ``latentd train-prior`` compute them). Every interface then
speaks user units::

    decode(z_user) = decoder(z_user * std + mean)      encode(x) = (encoder(x) - mean) / std

so 0 is the typical sound, ±1 is one spread of the data, and ±3 covers nearly all of it. A
checkpoint without the slot keeps raw units (the identity), as before.

Sounding frames only (within ``LOUD_DB`` of their clip's loudest frame, see
``latentd.train.probe``): isolated-note datasets are a tenth silence, and the silent frames sit
together at one end of the level dimension (+1.5 spreads on the default model). Counting them
would pull "typical" towards silence and widen that dimension's unit, so a drift of one unit
would reach the silence between notes.

The affine is applied by tiny TorchScript wrappers around the streaming modules
(``Denormalised``, ``Normalised``), so the render thread still calls ScriptMethods directly
and the latency and ratio are those of the streams inside. The latent prior stores which units
it was trained in (``units_of``) and is converted exactly on load (``LatentPrior.rebase``).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from latentd.models.synth import ModelError

MIN_STD = 1e-3  # a collapsed dimension keeps a usable (if tiny) unit instead of dividing by 0


@dataclass(frozen=True)
class LatentStats:
    """Per-dimension mean and standard deviation (float32, shape (latent,)) that define user
    units, with where they came from (plain values: data, split, frames, selection, encoder)."""

    mean: torch.Tensor
    std: torch.Tensor
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def latent_size(self) -> int:
        return int(self.mean.numel())

    @property
    def encoder(self) -> str | None:
        """Digest of the encoder weights the stats were computed with (``encoder_digest``)."""
        value = self.metadata.get("encoder")
        return value if isinstance(value, str) else None

    def to_payload(self) -> dict[str, Any]:
        """The checkpoint's ``latent_stats`` slot: tensors and plain containers only, so the
        checkpoint still loads with ``torch.load(weights_only=True)``."""
        return {"mean": self.mean.detach().float().cpu().clone(),
                "std": self.std.detach().float().cpu().clone(),
                "metadata": dict(self.metadata)}

    @classmethod
    def from_payload(cls, payload: Any, latent_size: int, source: object = "checkpoint"
                     ) -> LatentStats:
        """Validated: a malformed slot is reported here, not as NaN audio later."""
        try:
            mean = payload["mean"].detach().float().reshape(-1).clone()
            std = payload["std"].detach().float().reshape(-1).clone()
            metadata = dict(payload.get("metadata") or {})
        except (KeyError, TypeError, AttributeError) as exc:
            raise ModelError(f"{source}: malformed latent_stats ({exc.__class__.__name__}: "
                             f"{exc})") from exc
        if mean.numel() != latent_size or std.numel() != latent_size:
            raise ModelError(f"{source}: latent_stats hold {mean.numel()} means and "
                             f"{std.numel()} spreads for a model with {latent_size} latents")
        if not (torch.isfinite(mean).all() and torch.isfinite(std).all() and (std > 0).all()):
            raise ModelError(f"{source}: latent_stats must be finite with positive spreads")
        return cls(mean, std, metadata)

    @classmethod
    def from_checkpoint(cls, payload: dict[str, Any], source: object = "checkpoint"
                        ) -> LatentStats | None:
        """The stats in a checkpoint payload, or None (raw units) when it has none."""
        slot = payload.get("latent_stats")
        if slot is None:
            return None
        return cls.from_payload(slot, int(payload["config"]["latent_size"]), source)

    @classmethod
    def fit(cls, frames: torch.Tensor, metadata: dict[str, Any] | None = None) -> LatentStats:
        """From posterior means (frames, latent)."""
        if frames.dim() != 2 or len(frames) < 2:
            raise ValueError(f"need at least two latent frames (frames, latent), got "
                             f"{tuple(frames.shape)}")
        frames = frames.double()
        return cls(frames.mean(dim=0).float(), frames.std(dim=0).clamp(min=MIN_STD).float(),
                   dict(metadata or {}))

    def normalise(self, z: torch.Tensor, dim: int = -1) -> torch.Tensor:
        """Raw latents -> user units, ``dim`` being the latent axis."""
        shape = [1] * z.dim()
        shape[dim] = -1
        return (z - self.mean.view(shape)) / self.std.view(shape)

    def denormalise(self, z: torch.Tensor, dim: int = -1) -> torch.Tensor:
        """User units -> raw latents."""
        shape = [1] * z.dim()
        shape[dim] = -1
        return z * self.std.view(shape) + self.mean.view(shape)

    def units(self) -> dict[str, list[float]]:
        """What a prior records as the units it samples in (plain lists, exact floats)."""
        return {"mean": [float(v) for v in self.mean], "std": [float(v) for v in self.std]}

    def matches(self, other: LatentStats | None, rtol: float = 1e-5) -> bool:
        return other is not None and bool(
            torch.allclose(self.mean, other.mean, rtol=rtol, atol=rtol)
            and torch.allclose(self.std, other.std, rtol=rtol, atol=0.0))

    def describe(self) -> str:
        """One line per dimension, for logs."""
        lines = [f"  {'dim':>3}  {'mean':>8}  {'std':>7}"]
        for i, (m, s) in enumerate(zip(self.mean.tolist(), self.std.tolist(), strict=True)):
            note = "  (nearly unused)" if s < 0.05 else ""
            lines.append(f"  {i:>3}  {m:>8.3f}  {s:>7.3f}{note}")
        return "\n".join(lines)


def units_from(record: Any, latent_size: int) -> LatentStats | None:
    """A prior's ``latent_units`` record (``LatentStats.units``) back as stats; None is raw."""
    if record is None:
        return None
    try:
        mean = torch.tensor([float(v) for v in record["mean"]])
        std = torch.tensor([float(v) for v in record["std"]])
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"malformed latent_units record in a prior ({exc})") from exc
    if (len(mean) != latent_size or len(std) != latent_size
            or not all(math.isfinite(v) for v in mean.tolist())
            or not all(math.isfinite(v) and v > 0 for v in std.tolist())):
        raise ModelError("a prior's latent_units do not fit its latent size")
    return LatentStats(mean, std)


def encoder_digest(weights: dict[str, torch.Tensor], config: dict[str, Any]) -> str:
    """What latent stats depend on: the encoder's weights (and the architecture).

    The decoder is left out, so adversarial fine-tuning (which freezes the encoder) keeps the
    stats valid. Weights are hashed rounded to float16, so ``latentd``'s half-precision release
    copy has the same digest while any training step (which moves many weights by more than
    float16's resolution) changes it.
    """
    digest = hashlib.sha256(repr(sorted(config.items())).encode())
    for name in sorted(weights):
        if name.startswith("encoder."):
            digest.update(name.encode())
            digest.update(weights[name].detach().half().cpu().numpy().tobytes())
    return digest.hexdigest()[:20]


class _Affine(nn.Module):
    """A stream plus the stats as (1, latent, 1) buffers; ``reset`` passes through."""

    def __init__(self, stream: nn.Module, stats: LatentStats):
        super().__init__()
        self.stream = stream
        self.register_buffer("mean", stats.mean.view(1, -1, 1).clone())
        self.register_buffer("std", stats.std.view(1, -1, 1).clone())

    @torch.jit.export
    def reset(self) -> None:
        self.stream.reset()


class Denormalised(_Affine):
    """A streaming decoder that takes user units: ``stream(z * std + mean)``.

    TorchScript-compatible. Multiplying before the stream keeps it exact: the stream's own zero
    padding is in raw units, as offline.
    """

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.stream(z * self.std + self.mean)


class Normalised(_Affine):
    """A streaming encoder that returns user units: ``(stream(x) - mean) / std``."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (self.stream(x) - self.mean) / self.std

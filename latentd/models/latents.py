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

Principal components (``fit(..., fidelity=F)``, as RAVE exports do). A small model trained with
a KL term spreads a few real directions of variation over all its learned dimensions (on the
default model 14 learned dimensions, 99% of the variance in 9 directions), so one raw dimension
moved alone changes little: dead knobs. With a ``basis`` (raw, user) of orthonormal columns the
user dimensions are the principal axes of the learned dimensions, by decreasing variance, kept
until they explain ``F`` of it; measured dimensions (pitch, periodicity) stay axes of their
own, first::

    decode(z_user) = decoder(mean + basis @ (z_user * std))
    encode(x) = basis.T @ (encoder(x) - mean) / std

so a model's user latent size can be smaller than its decoder's, and every knob moves the
sound.

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
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from latentd.models.synth import ModelError

MIN_STD = 1e-3  # a collapsed dimension keeps a usable (if tiny) unit instead of dividing by 0


@dataclass(frozen=True)
class LatentStats:
    """Mean (raw,) and standard deviations (user,) that define user units, an optional basis
    (raw, user) of orthonormal columns (None: the raw axes themselves), and where they came
    from (plain values: data, split, frames, selection, encoder)."""

    mean: torch.Tensor
    std: torch.Tensor
    metadata: dict[str, Any] = field(default_factory=dict)
    basis: torch.Tensor | None = None

    @property
    def latent_size(self) -> int:
        """User dimensions: what controls, the prior and exports see."""
        return int(self.std.numel())

    @property
    def raw_size(self) -> int:
        """The decoder's latent dimensions."""
        return int(self.mean.numel())

    def basis_matrix(self) -> torch.Tensor:
        """(raw, user): the basis, or the identity."""
        return self.basis if self.basis is not None else torch.eye(self.raw_size)

    @property
    def encoder(self) -> str | None:
        """Digest of the encoder weights the stats were computed with (``encoder_digest``)."""
        value = self.metadata.get("encoder")
        return value if isinstance(value, str) else None

    def to_payload(self) -> dict[str, Any]:
        """The checkpoint's ``latent_stats`` slot: tensors and plain containers only, so the
        checkpoint still loads with ``torch.load(weights_only=True)``."""
        payload = {"mean": self.mean.detach().float().cpu().clone(),
                   "std": self.std.detach().float().cpu().clone(),
                   "metadata": dict(self.metadata)}
        if self.basis is not None:
            payload["basis"] = self.basis.detach().float().cpu().clone()
        return payload

    @classmethod
    def from_payload(cls, payload: Any, latent_size: int, source: object = "checkpoint"
                     ) -> LatentStats:
        """Validated: a malformed slot is reported here, not as NaN audio later."""
        try:
            mean = payload["mean"].detach().float().reshape(-1).clone()
            std = payload["std"].detach().float().reshape(-1).clone()
            metadata = dict(payload.get("metadata") or {})
            basis = payload.get("basis")
            basis = None if basis is None else basis.detach().float().clone()
        except (KeyError, TypeError, AttributeError) as exc:
            raise ModelError(f"{source}: malformed latent_stats ({exc.__class__.__name__}: "
                             f"{exc})") from exc
        users = latent_size if basis is None else std.numel()
        if mean.numel() != latent_size or std.numel() != users:
            raise ModelError(f"{source}: latent_stats hold {mean.numel()} means and "
                             f"{std.numel()} spreads for a model with {latent_size} latents")
        if not (torch.isfinite(mean).all() and torch.isfinite(std).all() and (std > 0).all()):
            raise ModelError(f"{source}: latent_stats must be finite with positive spreads")
        if basis is not None:
            _check_basis(basis, latent_size, users, source)
        return cls(mean, std, metadata, basis)

    @classmethod
    def from_checkpoint(cls, payload: dict[str, Any], source: object = "checkpoint"
                        ) -> LatentStats | None:
        """The stats in a checkpoint payload, or None (raw units) when it has none."""
        slot = payload.get("latent_stats")
        if slot is None:
            return None
        return cls.from_payload(slot, int(payload["config"]["latent_size"]), source)

    @classmethod
    def fit(cls, frames: torch.Tensor, metadata: dict[str, Any] | None = None,
            fidelity: float | None = None, measured: int = 0) -> LatentStats:
        """From posterior means (frames, latent): per dimension, or with ``fidelity`` the
        principal axes of the dimensions after the first ``measured``, kept until they explain
        that share of their variance (the measured ones stay axes of their own)."""
        if frames.dim() != 2 or len(frames) < 2:
            raise ValueError(f"need at least two latent frames (frames, latent), got "
                             f"{tuple(frames.shape)}")
        frames = frames.double()
        mean, std = frames.mean(dim=0), frames.std(dim=0).clamp(min=MIN_STD)
        if fidelity is None:
            return cls(mean.float(), std.float(), dict(metadata or {}))
        if not 0.0 < fidelity <= 1.0 or not 0 <= measured < frames.shape[1]:
            raise ValueError(f"fidelity must be in (0, 1] and measured below the latent size, "
                             f"got {fidelity}, {measured}")
        centred = frames[:, measured:] - mean[measured:]
        variances, axes = torch.linalg.eigh(centred.T @ centred / (len(frames) - 1))
        variances, axes = variances.flip(0).clamp(min=0.0), axes.flip(1)
        explained = torch.cumsum(variances, 0) / variances.sum().clamp(min=1e-30)
        keep = int(torch.searchsorted(explained, torch.tensor(fidelity - 1e-12,
                                                              dtype=explained.dtype))) + 1
        keep = min(keep, len(variances))
        axes = axes[:, :keep] * torch.sign(axes[:, :keep].sum(dim=0) + 1e-30)  # fixed signs
        basis = torch.zeros(frames.shape[1], measured + keep, dtype=torch.float64)
        basis[:measured, :measured] = torch.eye(measured, dtype=torch.float64)
        basis[measured:, measured:] = axes
        spreads = torch.cat([std[:measured], variances[:keep].sqrt().clamp(min=MIN_STD)])
        record = {**dict(metadata or {}), "fidelity": fidelity, "measured": measured,
                  "explained": round(float(explained[keep - 1]), 6)}
        return cls(mean.float(), spreads.float(), record, basis.float())

    @property
    def axis_numbers(self) -> list[int]:
        """The principal axes the user dimensions after the measured ones lie along, numbered
        by decreasing variance: 0, 1, 2... unless ``keep_axes`` left some out."""
        measured = int(self.metadata.get("measured", 0))
        return list(self.metadata.get("axes", range(self.latent_size - measured)))

    def keep_axes(self, axes: list[int]) -> LatentStats:
        """Only these principal axes (numbered from 0 after the measured dimensions, by
        decreasing variance) as user dimensions, the measured ones kept: a direction the
        decoder ignores would be a dead control. The kept axes' numbers are recorded."""
        if self.basis is None:
            raise ValueError("only principal axes can be left out")
        measured = int(self.metadata.get("measured", 0))
        numbers = self.axis_numbers
        if not axes or any(a not in numbers for a in axes):
            raise ValueError(f"axes {axes} are not among {numbers}")
        columns = list(range(measured)) + [measured + numbers.index(a) for a in axes]
        index = torch.tensor(columns)
        return LatentStats(self.mean, self.std[index], {**self.metadata, "axes": list(axes)},
                           self.basis[:, index])

    def normalise(self, z: torch.Tensor, dim: int = -1) -> torch.Tensor:
        """Raw latents -> user units, ``dim`` being the latent axis."""
        last = (z.movedim(dim, -1) - self.mean)
        if self.basis is not None:
            last = last @ self.basis
        return (last / self.std).movedim(-1, dim)

    def denormalise(self, z: torch.Tensor, dim: int = -1) -> torch.Tensor:
        """User units -> raw latents."""
        last = z.movedim(dim, -1) * self.std
        if self.basis is not None:
            last = last @ self.basis.T
        return (last + self.mean).movedim(-1, dim)

    def units(self) -> dict[str, Any]:
        """What a prior records as the units it samples in (plain lists, exact floats)."""
        record: dict[str, Any] = {"mean": [float(v) for v in self.mean],
                                  "std": [float(v) for v in self.std]}
        if self.basis is not None:
            record["basis"] = [[float(v) for v in row] for row in self.basis]
        return record

    def same_basis(self, other: LatentStats, tolerance: float = 1e-5) -> bool:
        """Whether user dimension i points the same way in both (so that converting between
        them is an affine per dimension)."""
        if self.raw_size != other.raw_size or self.latent_size != other.latent_size:
            return False
        return bool(torch.allclose(self.basis_matrix(), other.basis_matrix(), atol=tolerance,
                                   rtol=0.0))

    def matches(self, other: LatentStats | None, rtol: float = 1e-5) -> bool:
        return other is not None and self.same_basis(other) and bool(
            torch.allclose(self.mean, other.mean, rtol=rtol, atol=rtol)
            and torch.allclose(self.std, other.std, rtol=rtol, atol=0.0))

    def describe(self) -> str:
        """One line per dimension, for logs."""
        if self.basis is not None:
            lines = [f"  {'dim':>3}  {'std':>7}  (principal axes; "
                     f"{self.metadata.get('explained', '?')} of the learned variance)"]
            for i, s in enumerate(self.std.tolist()):
                lines.append(f"  {i:>3}  {s:>7.3f}")
            return "\n".join(lines)
        lines = [f"  {'dim':>3}  {'mean':>8}  {'std':>7}"]
        for i, (m, s) in enumerate(zip(self.mean.tolist(), self.std.tolist(), strict=True)):
            note = "  (nearly unused)" if s < 0.05 else ""
            lines.append(f"  {i:>3}  {m:>8.3f}  {s:>7.3f}{note}")
        return "\n".join(lines)


def _check_basis(basis: torch.Tensor, raw: int, users: int, source: object) -> None:
    if basis.shape != (raw, users) or users > raw or not torch.isfinite(basis).all():
        raise ModelError(f"{source}: latent basis of shape {tuple(basis.shape)} does not map "
                         f"{users} user dimensions onto {raw} latents")
    if not torch.allclose(basis.T @ basis, torch.eye(users), atol=1e-3):
        raise ModelError(f"{source}: latent basis columns are not orthonormal")


def units_from(record: Any, latent_size: int) -> LatentStats | None:
    """A prior's ``latent_units`` record (``LatentStats.units``) back as stats; None is raw.
    ``latent_size`` is the prior's: the user dimensions."""
    if record is None:
        return None
    try:
        mean = torch.tensor([float(v) for v in record["mean"]])
        std = torch.tensor([float(v) for v in record["std"]])
        basis = record.get("basis")
        basis = None if basis is None else torch.tensor(
            [[float(v) for v in row] for row in basis])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelError(f"malformed latent_units record in a prior ({exc})") from exc
    raw = len(mean) if basis is not None else latent_size
    if (len(mean) != raw or len(std) != latent_size
            or not all(math.isfinite(v) for v in mean.tolist())
            or not all(math.isfinite(v) and v > 0 for v in std.tolist())):
        raise ModelError("a prior's latent_units do not fit its latent size")
    if basis is not None:
        _check_basis(basis, raw, latent_size, "a prior's latent_units")
    return LatentStats(mean, std, basis=basis)


def convertible(source: LatentStats | None, target: LatentStats | None) -> bool:
    """Whether values in ``source`` units (None: raw) convert into ``target`` units one
    dimension at a time: both on the same axes. Raw units reach only per-dimension stats."""
    if source is None or target is None:
        given = target if source is None else source
        return given is None or given.basis is None
    return source.same_basis(target)


def user_latent_names(config: Any, stats: LatentStats | None) -> list[str]:
    """Labels of the user dimensions: the model's own names (``RaveConfig.latent_names``), or
    with principal axes its measured dimensions' names, then the axes by decreasing variance."""
    names = list(config.latent_names())
    if stats is None or stats.basis is None:
        return names
    measured = int(stats.metadata.get("measured", 0))
    return names[:measured] + [f"principal axis {i}" for i in stats.axis_numbers]


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
    """A stream plus the stats as (1, latent, 1) buffers and the basis (raw, user), or an empty
    one for the raw axes (so a per-dimension model pays no product); ``reset`` passes
    through."""

    __constants__ = ["rotates"]  # noqa: RUF012
    if TYPE_CHECKING:  # buffers, typed for mypy (nn.Module.__getattr__ says Tensor | Module);
        # hidden from TorchScript, which cannot read this module's string annotations
        mean: torch.Tensor
        std: torch.Tensor
        basis: torch.Tensor

    def __init__(self, stream: nn.Module, stats: LatentStats):
        super().__init__()
        self.stream = stream
        self.register_buffer("mean", stats.mean.view(1, -1, 1).clone())
        self.register_buffer("std", stats.std.view(1, -1, 1).clone())
        self.rotates = stats.basis is not None
        self.register_buffer("basis", stats.basis.clone() if stats.basis is not None
                             else torch.zeros(0, 0))

    @torch.jit.export
    def reset(self) -> None:
        # reset: the streaming module's exported method, which nn.Module does not declare
        self.stream.reset()  # type: ignore[operator]


class Denormalised(_Affine):
    """A streaming decoder that takes user units: ``stream(z * std + mean)``.

    TorchScript-compatible. Multiplying before the stream keeps it exact: the stream's own zero
    padding is in raw units, as offline.
    """

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        scaled = z * self.std
        if self.rotates:
            scaled = torch.matmul(self.basis, scaled)
        return self.stream(scaled + self.mean)


class Normalised(_Affine):
    """A streaming encoder that returns user units: ``(stream(x) - mean) / std``."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        centred = self.stream(x) - self.mean
        if self.rotates:
            centred = torch.matmul(self.basis.t(), centred)
        return centred / self.std

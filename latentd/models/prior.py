"""A small autoregressive prior over latent frames: what the ``prior`` source plays.

A GRU reads the previous latent frame and predicts a Gaussian over the next one (mean and
log-scale per dimension); sampling draws from it with the noise scaled by a temperature and
feeds the sample back. It works in normalised units (the training latents' per-dimension mean
and standard deviation are buffers), so one learning rate suits every dimension.

It streams: the GRU's hidden state and the last frame are kept between calls, so asking for
8 frames and then 8 more continues one sequence, and ``reset`` starts again. Everything is
TorchScript-compatible, so the synth scripts it and ``latentd export`` can put it into an nn~
file. ``forward`` has nn~'s prior signature: a temperature signal (batch, 1, frames) at the latent
rate in, latent frames (batch, latent, frames) out.

In a checkpoint the prior is a plain dict (format, version, config, weights, metadata), so the
checkpoint still loads with ``torch.load(weights_only=True)``.

Units. ``metadata["latent_units"]`` records the latent units the prior samples in: the
``LatentStats.units`` of the checkpoint's ``latent_stats`` it was trained with, or absent/None
for the encoder's raw units (every prior written before latent stats existed). ``load_prior``
converts a prior into the units the caller plays in, exactly: the GRU works in its own
normalised units, and only ``center``/``spread`` map them to latents (``rebase``). So a prior
and the stats beside it can never disagree, whatever order they were written in. The format
version stays 1: a prior in user units only ever sits in a version-2 checkpoint (with stats),
which older latentd refuses as a whole.
"""

from pathlib import Path
from typing import Any, List, Optional  # noqa: UP035 (TorchScript reads these annotations)

import torch
from torch import nn

from latentd.models.checkpoint import check_header
from latentd.models.latents import LatentStats, convertible, units_from
from latentd.models.synth import ModelError

FORMAT = "latentd-prior"
VERSION = 1
MIN_LOG_SCALE = -7.0
MAX_LOG_SCALE = 2.0


class LatentPrior(nn.Module):
    latent_size: int
    hidden_size: int
    layers: int
    min_log_scale: float
    max_log_scale: float
    center: torch.Tensor  # buffers, typed for mypy (nn.Module.__getattr__ says Tensor | Module)
    spread: torch.Tensor
    low: torch.Tensor
    high: torch.Tensor
    hidden: torch.Tensor
    previous: torch.Tensor

    def __init__(self, latent_size: int, hidden_size: int = 256, layers: int = 2):
        super().__init__()
        self.latent_size = latent_size
        self.hidden_size = hidden_size
        self.layers = layers
        self.min_log_scale, self.max_log_scale = MIN_LOG_SCALE, MAX_LOG_SCALE
        self.gru = nn.GRU(latent_size, hidden_size, layers, batch_first=True)
        self.head = nn.Linear(hidden_size, 2 * latent_size)
        self.register_buffer("center", torch.zeros(latent_size))
        self.register_buffer("spread", torch.ones(latent_size))
        # the normalised range the training latents span: samples are kept inside it, so one
        # unlucky draw cannot carry the sequence where the GRU has never been and runs away
        self.register_buffer("low", torch.full((latent_size,), -4.0))
        self.register_buffer("high", torch.full((latent_size,), 4.0))
        # streaming state, never saved: batch 1 until a call asks for another batch size
        self.register_buffer("hidden", torch.zeros(layers, 1, hidden_size), persistent=False)
        self.register_buffer("previous", torch.zeros(1, 1, latent_size), persistent=False)

    @torch.jit.unused
    def config(self) -> dict[str, int]:
        return {"latent_size": self.latent_size, "hidden_size": self.hidden_size,
                "layers": self.layers}

    def predict(self, inputs: torch.Tensor, hidden: Optional[torch.Tensor] = None  # noqa: UP045
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Normalised frames (batch, time, latent) -> mean and log-scale of each next frame,
        and the final hidden state. The mean is a residual on the input frame: latents move
        smoothly, so "stay where you are" is the natural starting guess."""
        output, hidden_out = self.gru(inputs, hidden)
        mean, log_scale = self.head(output).chunk(2, dim=-1)
        return inputs + mean, log_scale.clamp(self.min_log_scale, self.max_log_scale), hidden_out

    def normalise(self, z: torch.Tensor) -> torch.Tensor:
        """Model-unit latents (..., latent) -> the prior's units."""
        return (z - self.center) / self.spread

    def forward(self, temperature: torch.Tensor) -> torch.Tensor:
        """Sample ``temperature.shape[-1]`` frames, one temperature per batch row and frame.

        A batch size other than the last call's starts fresh streams for the new batch.
        """
        batch, frames = temperature.shape[0], temperature.shape[-1]
        if self.hidden.shape[1] != batch:
            self.hidden = torch.zeros(self.layers, batch, self.hidden_size,
                                      dtype=self.hidden.dtype, device=self.hidden.device)
            self.previous = torch.zeros(batch, 1, self.latent_size, dtype=self.previous.dtype,
                                        device=self.previous.device)
        if frames == 0:
            return torch.zeros(batch, self.latent_size, 0, dtype=temperature.dtype)
        hidden, frame = self.hidden, self.previous
        samples: List[torch.Tensor] = []  # noqa: UP006
        for i in range(frames):
            mean, log_scale, hidden = self.predict(frame, hidden)
            noise = torch.randn_like(mean) * temperature[:, :, i].reshape(batch, 1, 1)
            frame = torch.minimum(torch.maximum(mean + torch.exp(log_scale) * noise, self.low),
                                  self.high)
            samples.append(frame)
        self.hidden, self.previous = hidden, frame
        normalised = torch.cat(samples, dim=1)
        return (normalised * self.spread + self.center).transpose(1, 2).contiguous()

    @torch.jit.export
    def reset(self) -> None:
        """Start a new sequence: zero hidden state, previous frame at the training mean."""
        self.hidden = torch.zeros_like(self.hidden)
        self.previous = torch.zeros_like(self.previous)


def gaussian_nll(target: torch.Tensor, mean: torch.Tensor, log_scale: torch.Tensor
                 ) -> torch.Tensor:
    """Negative log-likelihood per element (nats), without the constant 0.5 log(2 pi)."""
    return (log_scale + 0.5 * ((target - mean) * torch.exp(-log_scale)) ** 2).mean()


def rebase(prior: LatentPrior, source: LatentStats | None, target: LatentStats | None) -> None:
    """Re-express ``prior``'s samples from ``source`` latent units into ``target`` units (None:
    raw). Exact when both share their axes: raw = mean_s + B (u_s * std_s) and
    u_t = B^T (raw - mean_t) / std_t make u_t an affine of u_s per dimension, and the GRU never
    sees latents, only its own normalised frames; ``center``/``spread`` absorb it. Units on
    other axes (another principal-axes fit) cannot be reached that way: retrain the prior."""
    if not convertible(source, target):
        raise ModelError("the prior samples along other latent axes than the checkpoint's "
                         "latent stats; retrain it with `latentd train-prior`")
    with torch.no_grad():
        center, spread = prior.center.clone(), prior.spread.clone()
        if source is not None and target is not None:
            offset = (source.mean - target.mean) @ source.basis_matrix()
            center = (center * source.std + offset) / target.std
            spread = spread * source.std / target.std
        elif source is not None:
            center, spread = center * source.std + source.mean, spread * source.std
        elif target is not None:
            center, spread = (center - target.mean) / target.std, spread / target.std
        prior.center.copy_(center)
        prior.spread.copy_(spread)


def prior_payload(prior: LatentPrior, metadata: dict[str, Any] | None = None,
                  units: LatentStats | None = None) -> dict[str, Any]:
    """The checkpoint's ``prior`` slot: plain containers and tensors only. ``units`` are the
    latent stats the prior's samples are in (None: the encoder's raw units)."""
    return {"format": FORMAT, "version": VERSION, "architecture": "gru",
            "config": prior.config(),
            "weights": {k: v.detach().cpu().clone() for k, v in prior.state_dict().items()},
            "metadata": {**dict(metadata or {}),
                         "latent_units": units.units() if units is not None else None}}


def load_prior(payload: Any, source: str | Path = "checkpoint",
               units: LatentStats | None = None) -> LatentPrior:
    """A prior from a checkpoint's ``prior`` slot, in eval mode with gradients off, sampling in
    ``units`` (the checkpoint's latent stats; None: raw units) whatever units it was saved in.
    """
    check_header(payload, source, "latentd prior", FORMAT, VERSION, "gru")
    try:
        prior = LatentPrior(**payload["config"])
        prior.load_state_dict({k: v.float() for k, v in payload["weights"].items()})
        metadata = payload.get("metadata") or {}
        saved = units_from(metadata.get("latent_units"), prior.latent_size)
    except (KeyError, TypeError, ValueError, RuntimeError) as exc:
        raise ModelError(f"{source}: prior does not match its architecture ({exc})") from exc
    if units is not None and units.latent_size != prior.latent_size:
        raise ModelError(f"{source}: its prior samples {prior.latent_size} latents but the "
                         f"latent stats have {units.latent_size}")
    if not (saved is None and units is None) and not (saved is not None
                                                      and saved.matches(units)):
        rebase(prior, saved, units)
    return prior.eval().requires_grad_(False)

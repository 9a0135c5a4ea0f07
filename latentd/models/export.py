"""Export latentd models to nn~ TorchScript, so they play in nn~ inside Max or PureData.

A checkpoint's prior, when given, becomes nn~'s ``prior`` method as RAVE exports it: a
temperature signal (one channel at the latent rate) in, latent frames out.

A checkpoint's latent stats, when given, are built into the file the way ``LatentdSynth`` plays
them (``latentd.models.latents``): ``decode`` takes, and ``encode`` and ``prior`` give, user
units, so a patch drives the exported model with the same numbers as latentd. Use
``export_checkpoint`` to export a checkpoint file with everything it holds.
"""

from pathlib import Path
from typing import Any, List  # noqa: UP035 (TorchScript reads these annotations)

import torch
from torch import nn

from latentd.models.checkpoint import load_model
from latentd.models.latents import Denormalised, LatentStats, Normalised, user_latent_names
from latentd.models.prior import LatentPrior, load_prior
from latentd.models.rave import EncoderMean, RaveModel
from latentd.models.streamed import streamed


class NnTildeModel(nn.Module):
    """The nn~ interface around streamed encoder and decoder.

    Methods are declared the way nn_tilde does: a ``<method>_params`` buffer holding
    [in_channels, in_ratio, out_channels, out_ratio], labels for the patcher's inlets/outlets, and
    ``get_methods``/``get_attributes``. Batches of any size work, for mc.nn~. Latents are in
    ``stats``' user units; without stats, in the encoder's raw units.
    """

    sr: int
    latency: int
    _methods: List[str]  # noqa: UP006
    _attributes: List[str]  # noqa: UP006

    def __init__(self, model: RaveModel, stats: "LatentStats | None" = None):
        super().__init__()
        config = model.config
        given = stats
        if stats is None:  # identity: z * 1 + 0 is exact, and one code path scripts
            stats = LatentStats(torch.zeros(config.latent_size), torch.ones(config.latent_size))
        decoder = streamed(model.decoder, "the model's decoder")
        self.decoder = Denormalised(decoder, stats)
        self.encoder = Normalised(streamed(EncoderMean(model.encoder), "the model's encoder"),
                                  stats)
        self.sr = config.sample_rate
        self.latency = decoder.latency  # latentd reads this back; nn~ ignores it
        latent, ratio, channels = stats.latent_size, config.ratio, config.channels
        self._methods = ["encode", "decode", "forward"]
        self._attributes = []
        self.register_buffer("encode_params", torch.tensor([channels, 1, latent, ratio]))
        self.register_buffer("decode_params", torch.tensor([latent, ratio, channels, 1]))
        self.register_buffer("forward_params", torch.tensor([channels, 1, channels, 1]))
        audio = [f"(signal) audio channel {i}" for i in range(channels)]
        latents = [f"(signal) {name}" for name in user_latent_names(config, given)]
        self.encode_input_labels, self.encode_output_labels = audio, latents
        self.decode_input_labels, self.decode_output_labels = latents, audio
        self.forward_input_labels, self.forward_output_labels = audio, audio

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x)

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.encoder(x))

    @torch.jit.export
    def get_methods(self) -> List[str]:  # noqa: UP006
        return self._methods

    @torch.jit.export
    def get_attributes(self) -> List[str]:  # noqa: UP006
        return self._attributes

    @torch.jit.export
    def get_sample_rate(self) -> int:
        return self.sr

    @torch.jit.export
    def reset(self) -> None:
        self.encoder.reset()
        self.decoder.reset()


class NnTildePriorModel(NnTildeModel):
    """NnTildeModel plus the ``prior`` method (TorchScript compiles every exported method, so
    the prior is a subclass rather than an optional member)."""

    def __init__(self, model: RaveModel, prior: LatentPrior,
                 stats: "LatentStats | None" = None):
        super().__init__(model, stats)
        config = model.config
        self.prior_model = prior.eval().requires_grad_(False)
        self._methods = ["encode", "decode", "forward", "prior"]
        self.register_buffer("prior_params",
                             torch.tensor([1, config.ratio, prior.latent_size, config.ratio]))
        self.prior_input_labels = ["(signal) temperature"]
        self.prior_output_labels = self.decode_input_labels

    @torch.jit.export
    def prior(self, temperature: torch.Tensor) -> torch.Tensor:
        return self.prior_model(temperature)

    @torch.jit.export
    def reset(self) -> None:
        self.encoder.reset()
        self.decoder.reset()
        self.prior_model.reset()


def export_nn_tilde(model: RaveModel, path: "str | Path",
                    prior: "LatentPrior | dict[str, Any] | None" = None,
                    latent_stats: "LatentStats | dict[str, Any] | None" = None) -> Path:
    """Script and save; written to a temporary name first so a failure leaves no partial file.

    ``prior`` is a LatentPrior (sampling in ``latent_stats``' units) or a checkpoint's ``prior``
    slot (converted into them); with one, the file has a ``prior`` method too.
    ``latent_stats`` (LatentStats or a checkpoint's ``latent_stats`` slot) sets the latent
    units; None keeps the raw ones.
    """
    path = Path(path)
    if isinstance(latent_stats, dict):
        latent_stats = LatentStats.from_payload(latent_stats, model.config.latent_size, path)
    if isinstance(prior, dict):
        prior = load_prior(prior, path, units=latent_stats)
    wrapper = (NnTildeModel(model.eval(), latent_stats) if prior is None
               else NnTildePriorModel(model.eval(), prior, latent_stats))
    scripted = torch.jit.script(wrapper)
    temporary = path.with_name(path.name + ".tmp")
    scripted.save(str(temporary))
    temporary.replace(path)
    return path


def export_checkpoint(source: "str | Path", path: "str | Path") -> tuple[Path, List[str]]:  # noqa: UP006
    """Export a latentd checkpoint with its prior and latent stats; returns the file and its
    nn~ methods. What ``latentd export`` should call, so no slot is forgotten."""
    model, payload = load_model(source)
    stats = LatentStats.from_checkpoint(payload, source)
    prior = payload.get("prior")
    written = export_nn_tilde(model, path, prior=prior, latent_stats=stats)
    return written, ["encode", "decode", "forward"] + (["prior"] if prior is not None else [])

"""Export latentd models to nn~ TorchScript, so they play in nn~ inside Max or PureData.

A checkpoint's prior, when given, becomes nn~'s ``prior`` method as RAVE exports it: a
temperature signal (one channel at the latent rate) in, latent frames out.
"""

from pathlib import Path
from typing import Any, List  # noqa: UP035 (TorchScript reads these annotations)

import torch
from torch import nn

from latentd.models.prior import LatentPrior, load_prior
from latentd.models.rave import EncoderMean, RaveModel
from latentd.stream import streamify


class NnTildeModel(nn.Module):
    """The nn~ interface around streamed encoder and decoder.

    Methods are declared the way nn_tilde does: a ``<method>_params`` buffer holding
    [in_channels, in_ratio, out_channels, out_ratio], labels for the patcher's inlets/outlets, and
    ``get_methods``/``get_attributes``. Batches of any size work, for mc.nn~.
    """

    sr: int
    latency: int
    _methods: List[str]  # noqa: UP006
    _attributes: List[str]  # noqa: UP006

    def __init__(self, model: RaveModel):
        super().__init__()
        config = model.config
        self.decoder = streamify(model.decoder)
        self.encoder = streamify(EncoderMean(model.encoder))
        self.sr = config.sample_rate
        self.latency = self.decoder.latency  # latentd reads this back; nn~ ignores it
        latent, ratio, channels = config.latent_size, config.ratio, config.channels
        self._methods = ["encode", "decode", "forward"]
        self._attributes = []
        self.register_buffer("encode_params", torch.tensor([channels, 1, latent, ratio]))
        self.register_buffer("decode_params", torch.tensor([latent, ratio, channels, 1]))
        self.register_buffer("forward_params", torch.tensor([channels, 1, channels, 1]))
        audio = [f"(signal) audio channel {i}" for i in range(channels)]
        latents = [f"(signal) latent dimension {i}" for i in range(latent)]
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

    def __init__(self, model: RaveModel, prior: LatentPrior):
        super().__init__(model)
        config = model.config
        self.prior_model = prior.eval().requires_grad_(False)
        self._methods = ["encode", "decode", "forward", "prior"]
        self.register_buffer("prior_params",
                             torch.tensor([1, config.ratio, config.latent_size, config.ratio]))
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
                    prior: "LatentPrior | dict[str, Any] | None" = None) -> Path:
    """Script and save; written to a temporary name first so a failure leaves no partial file.

    ``prior`` is a LatentPrior or a checkpoint's ``prior`` slot; with one, the file has a
    ``prior`` method too.
    """
    path = Path(path)
    if isinstance(prior, dict):
        prior = load_prior(prior, path)
    wrapper = NnTildeModel(model.eval()) if prior is None else NnTildePriorModel(model.eval(),
                                                                                 prior)
    scripted = torch.jit.script(wrapper)
    temporary = path.with_name(path.name + ".tmp")
    scripted.save(str(temporary))
    temporary.replace(path)
    return path

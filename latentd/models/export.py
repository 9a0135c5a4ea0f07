"""Export latentd models to nn~ TorchScript, so they play in nn~ inside Max or PureData."""

from pathlib import Path
from typing import List  # noqa: UP035 (TorchScript reads these annotations)

import torch
from torch import nn

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


def export_nn_tilde(model: RaveModel, path: "str | Path") -> Path:
    """Script and save; written to a temporary name first so a failure leaves no partial file."""
    path = Path(path)
    scripted = torch.jit.script(NnTildeModel(model.eval()))
    temporary = path.with_name(path.name + ".tmp")
    scripted.save(str(temporary))
    temporary.replace(path)
    return path

"""Synths from latentd's own checkpoints, streamed by ``latentd.stream`` on load."""

from __future__ import annotations

from pathlib import Path

import torch

from latentd.models.checkpoint import load_model
from latentd.models.rave import EncoderMean, RaveModel
from latentd.models.synth import Attributes, ModelError, NoAttributes, Synth
from latentd.stream import StreamingModule, streamify


class LatentdSynth(Synth):
    """A RaveModel whose decoder (and encoder) run as streaming modules.

    ``script`` compiles the streaming modules with TorchScript, which cuts the per-layer Python
    overhead that dominates at one latent frame per block.
    """

    def __init__(self, model: RaveModel, name: str, script: bool = True):
        config = model.config
        self.model = model.eval()
        self.name = name
        self.sample_rate = config.sample_rate
        self.latent_size = config.latent_size
        self.ratio = config.ratio
        self.channels = config.channels
        self.attributes: Attributes = NoAttributes()
        self.methods = ["decode", "encode"]
        decoder = streamify(model.decoder)
        encoder = streamify(EncoderMean(model.encoder))
        self.latency = decoder.latency
        self.encode_latency = encoder.latency * self.ratio
        self._decoder: StreamingModule | torch.jit.ScriptModule = (
            torch.jit.script(decoder) if script else decoder)
        self._encoder: StreamingModule | torch.jit.ScriptModule = (
            torch.jit.script(encoder) if script else encoder)
        self.decoder_stream = decoder
        # Call the compiled methods directly, not through nn.Module.__call__: torch.fx patches
        # __call__ process-wide while it traces, so a model being streamified on the loader
        # thread would otherwise capture this (render-thread) call into its trace.
        self._decode = self._decoder.forward
        self._encode = self._encoder.forward

    @classmethod
    def from_checkpoint(cls, path: str | Path, script: bool = True) -> LatentdSynth:
        model, _ = load_model(path)
        return cls(model, Path(path).stem, script=script)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        if z.dim() != 3 or z.shape[1] != self.latent_size:
            raise ModelError(f"model '{self.name}' decodes (batch, {self.latent_size}, frames), "
                             f"got {tuple(z.shape)}")
        if torch.is_inference_mode_enabled():  # the render thread already is: skip the cost
            return self._decode(z)
        with torch.inference_mode():
            return self._decode(z)

    def encode(self, audio: torch.Tensor) -> torch.Tensor:
        if audio.dim() != 3 or audio.shape[1] != self.channels or audio.shape[-1] % self.ratio:
            raise ModelError(f"model '{self.name}' encodes (batch, {self.channels}, samples) "
                             f"with samples a multiple of {self.ratio}, got {tuple(audio.shape)}")
        with torch.inference_mode():
            return self._encode(audio)

    def reset(self) -> None:
        self._decoder.reset()
        self._encoder.reset()

"""Synths from latentd's own checkpoints, streamed by ``latentd.stream`` on load."""

from __future__ import annotations

import math
from pathlib import Path

import torch

from latentd.models.checkpoint import load_model
from latentd.models.prior import LatentPrior, load_prior
from latentd.models.rave import EncoderMean, RaveModel
from latentd.models.synth import Attributes, ModelError, NoAttributes, Synth
from latentd.stream import StreamingModule, streamify


class LatentdSynth(Synth):
    """A RaveModel whose decoder (and encoder) run as streaming modules, with its prior when the
    checkpoint has one.

    ``script`` compiles the streaming modules (and the prior) with TorchScript, which cuts the
    per-layer Python overhead that dominates at one latent frame per block.
    """

    def __init__(self, model: RaveModel, name: str, script: bool = True,
                 prior: LatentPrior | None = None):
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
        self._prior: LatentPrior | torch.jit.ScriptModule | None = None
        if prior is not None:
            if prior.latent_size != self.latent_size:
                raise ModelError(f"model '{name}': its prior samples {prior.latent_size} "
                                 f"latents but the decoder takes {self.latent_size}")
            self._prior = torch.jit.script(prior.eval()) if script else prior.eval()
            self._sample = self._prior.forward  # direct, for the same reason as above
            self._prior_reset = self._prior.reset
            self.methods.append("prior")

    @classmethod
    def from_checkpoint(cls, path: str | Path, script: bool = True) -> LatentdSynth:
        model, payload = load_model(path)
        prior = load_prior(payload["prior"], path) if payload.get("prior") is not None else None
        return cls(model, Path(path).stem, script=script, prior=prior)

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

    def prior(self, frames: int, temperature: float = 1.0, batch: int = 1) -> torch.Tensor:
        """The next ``frames`` frames (batch, latent, frames) of the prior's sequence; the
        temperature scales its sampling noise (0 follows the predicted means)."""
        if self._prior is None:
            return super().prior(frames, temperature, batch)
        if frames < 0 or batch < 1 or not math.isfinite(temperature):
            raise ModelError(f"model '{self.name}': prior needs frames >= 0, batch >= 1 and a "
                             f"finite temperature, got {frames}, {batch}, {temperature}")
        temperatures = torch.full((batch, 1, frames), float(temperature))
        if torch.is_inference_mode_enabled():
            return self._sample(temperatures)
        with torch.inference_mode():
            return self._sample(temperatures)

    def warm_up(self, frames: int, batch: int = 1) -> None:
        """The prior too: its first scripted calls are as slow as the decoder's."""
        if self._prior is not None:
            for _ in range(3):
                self.prior(frames, 1.0, batch)
        super().warm_up(frames, batch)

    def reset(self) -> None:
        self._decoder.reset()
        self._encoder.reset()
        if self._prior is not None:
            with torch.inference_mode():
                self._prior_reset()

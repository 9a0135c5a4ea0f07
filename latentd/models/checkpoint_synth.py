"""Synths from latentd's own checkpoints, streamed by ``latentd.stream`` on load.

Latents are in the checkpoint's user units (``latentd.models.latents``): with ``latent_stats``
the decoder takes and the encoder and prior give values where 0 is the typical sound and 1 is
one standard deviation of the training data; without them, the encoder's raw units.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch
from torch import nn

from latentd.models.checkpoint import load_model
from latentd.models.latents import Denormalised, LatentStats, Normalised, user_latent_names
from latentd.models.prior import LatentPrior, load_prior
from latentd.models.rave import EncoderMean, RaveModel
from latentd.models.streamed import streamed
from latentd.models.synth import Attributes, ModelError, NoAttributes, Synth


def plain_call(scripted: Callable[[torch.Tensor], torch.Tensor],
               tensor: torch.Tensor) -> torch.Tensor:
    """``scripted(tensor)`` in inference mode, without TorchScript's optimising executor.

    That executor profiles a function's first calls, then compiles a version specialised to
    the shapes it saw, and again for each new shape (a batch size: a voice added). The
    compiling happened in render steps (60-94 ms for the soak's tiny model, and the ring ran
    dry) and took 1.2-2.1 s of the default model's start (``warm_up``: 1.45-2.14 s with it,
    0.11-0.12 s without); the compiled decoder was no faster (median of 60 two-frame blocks of
    the default model: 1.44 and 1.54 ms with it, 1.41 and 1.78 ms without, one thread). The
    executor's switch is per thread, so it is set around each call rather than once."""
    with torch.jit.optimized_execution(False):
        if torch.is_inference_mode_enabled():  # the render thread already is: skip the cost
            return scripted(tensor)
        with torch.inference_mode():
            return scripted(tensor)


class LatentdSynth(Synth):
    """A RaveModel whose decoder (and encoder) run as streaming modules, with its prior when the
    checkpoint has one.

    ``script`` compiles the streaming modules (and the prior) with TorchScript, which cuts the
    per-layer Python overhead that dominates at one latent frame per block.

    ``stats`` set the user latent units: the affine runs inside the scripted modules
    (``Denormalised``/``Normalised`` around the streams). ``prior`` must already sample in
    those units (``load_prior(..., units=stats)`` makes sure).
    """

    fresh_output = True  # latentd's stream layers build a new output tensor every block

    def __init__(self, model: RaveModel, name: str, script: bool = True,
                 prior: LatentPrior | None = None, stats: LatentStats | None = None):
        config = model.config
        self.model = model.eval()
        self.name = name
        self.sample_rate = config.sample_rate
        self.latent_size = stats.latent_size if stats is not None else config.latent_size
        self.ratio = config.ratio
        self.channels = config.channels
        self.attributes: Attributes = NoAttributes()
        self.methods = ["decode", "encode"]
        if stats is not None and stats.raw_size != config.latent_size:
            raise ModelError(f"model '{name}': latent stats for {stats.raw_size} latents but "
                             f"the decoder takes {config.latent_size}")
        self.stats = stats
        decoder = streamed(model.decoder, f"model '{name}': its decoder")
        encoder = streamed(EncoderMean(model.encoder), f"model '{name}': its encoder")
        self.latency = decoder.latency
        self.encode_latency = encoder.latency * self.ratio
        self.decoder_stream = decoder
        user_decoder: nn.Module = decoder if stats is None else Denormalised(decoder, stats)
        user_encoder: nn.Module = encoder if stats is None else Normalised(encoder, stats)
        self._decoder: nn.Module | torch.jit.ScriptModule = (
            torch.jit.script(user_decoder) if script else user_decoder)
        self._encoder: nn.Module | torch.jit.ScriptModule = (
            torch.jit.script(user_encoder) if script else user_encoder)
        # Call the compiled methods directly, not through nn.Module.__call__: torch.fx patches
        # __call__ process-wide while it traces, so a model being streamified on the loader
        # thread would otherwise capture this (render-thread) call into its trace.
        self._decode = self._decoder.forward
        self._encode = self._encoder.forward
        # the stream inside the units' affine, whose batch rows regroup() rearranges
        self._decoder_stream: Any = self._decoder if stats is None else self._decoder.stream
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
        stats = LatentStats.from_checkpoint(payload, path)
        prior = (load_prior(payload["prior"], path, units=stats)
                 if payload.get("prior") is not None else None)
        return cls(model, Path(path).stem, script=script, prior=prior, stats=stats)

    @property
    def latent_units(self) -> str:
        """'normalised' (0 typical, 1 = one std of the training data) or 'raw' (encoder)."""
        return "raw" if self.stats is None else "normalised"

    def describe(self) -> dict[str, object]:
        return {**super().describe(), "latent_units": self.latent_units,
                "latent_names": user_latent_names(self.model.config, self.stats),
                "voices": "one batched call; voices come and go without restarting the others"}

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        if z.dim() != 3 or z.shape[1] != self.latent_size:
            raise ModelError(f"model '{self.name}' decodes (batch, {self.latent_size}, frames), "
                             f"got {tuple(z.shape)}")
        return plain_call(self._decode, z)

    def encode(self, audio: torch.Tensor) -> torch.Tensor:
        if audio.dim() != 3 or audio.shape[1] != self.channels or audio.shape[-1] % self.ratio:
            raise ModelError(f"model '{self.name}' encodes (batch, {self.channels}, samples) "
                             f"with samples a multiple of {self.ratio}, got {tuple(audio.shape)}")
        return plain_call(self._encode, audio)

    def prior(self, frames: int, temperature: float = 1.0, batch: int = 1) -> torch.Tensor:
        """The next ``frames`` frames (batch, latent, frames) of the prior's sequence; the
        temperature scales its sampling noise (0 follows the predicted means)."""
        if self._prior is None:
            return super().prior(frames, temperature, batch)
        if frames < 0 or batch < 1 or not math.isfinite(temperature):
            raise ModelError(f"model '{self.name}': prior needs frames >= 0, batch >= 1 and a "
                             f"finite temperature, got {frames}, {batch}, {temperature}")
        return plain_call(self._sample, torch.full((batch, 1, frames), float(temperature)))

    def warm_up(self, frames: int, batch: int = 1) -> None:
        """The prior too: its first scripted calls are as slow as the decoder's."""
        if self._prior is not None:
            for _ in range(3):
                self.prior(frames, 1.0, batch)
        super().warm_up(frames, batch)

    def regroup(self, rows: Sequence[int | None]) -> bool:
        """The decoder's stream keeps each voice's state as a batch row, so voices come and
        go at the live count: rows are kept, reordered or started afresh (None) between
        blocks, exactly. The prior's sequences (GRU state and last frame per row) follow the
        same rows, a new row starting a new sequence. The encoder is left alone: voices
        that play the input share one encoded input (batch 1)."""
        wanted = [-1 if row is None else int(row) for row in rows]
        shape = self._decoder_stream.state_shape
        batch = shape[0] if shape else 0
        if not wanted or any(not -1 <= row < batch for row in wanted):
            raise ValueError(f"model '{self.name}': cannot regroup {list(rows)}: rows must "
                             f"be among the {batch} decoded last (or None for a new one), "
                             f"at least one")
        with torch.inference_mode(), torch.jit.optimized_execution(False):
            if not self._decoder_stream.regroup(wanted):
                return False
            if self._prior is not None:
                self._regroup_prior(wanted)
        return True

    def _regroup_prior(self, rows: list[int]) -> None:
        """The prior's state rows in the new order; new rows (and rows it never had: it may
        not have sampled at this batch yet) start a sequence, as its reset does."""
        prior = self._prior
        assert prior is not None
        hidden, previous = prior.hidden, prior.previous  # (layers, batch, h), (batch, 1, latent)
        had = previous.shape[0]
        index = torch.tensor([row if 0 <= row < had else 0 for row in rows])
        fresh = torch.tensor([not 0 <= row < had for row in rows])
        prior.hidden = hidden.index_select(1, index).masked_fill_(fresh.view(1, -1, 1), 0.0)
        prior.previous = previous.index_select(0, index).masked_fill_(fresh.view(-1, 1, 1), 0.0)

    def reset(self) -> None:
        # reset: the streaming modules' exported method, which nn.Module does not declare
        with torch.jit.optimized_execution(False):
            self._decoder.reset()  # type: ignore[operator]
            self._encoder.reset()  # type: ignore[operator]
            if self._prior is not None:
                with torch.inference_mode():
                    self._prior_reset()

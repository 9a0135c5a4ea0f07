"""RAVE-v2-like decoders in plain torch layers, for the streaming benchmark.

The benchmark needs decoders that look like what latentd will stream (a latent frame rate
upsampled by transposed convs, dilated residual stacks, PQMF synthesis) but must not depend on
``latentd.models``, which changes under its own issues: a benchmark whose model drifts cannot be
compared run to run. Weights are random; speed does not depend on their values.

Nothing here knows about streaming. ``bench/cached_conv_twin.py`` mirrors this structure with
cached_conv's layers, which is why the decoder keeps its parts in named attributes (``inp``,
``stages``, ``out``, ``synthesis``) instead of one anonymous ``nn.Sequential``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

SAMPLE_RATE = 44100
"""RAVE's default rate; used to turn samples into seconds and milliseconds in the tables."""

SLOPE = 0.2
"""LeakyReLU slope, as in RAVE."""


@dataclass(frozen=True)
class DecoderConfig:
    """A decoder's shape.

    Channels start at ``base * 2 ** len(ratios)`` and halve at every stage, as in RAVE v2, so the
    first stage (at the lowest rate) holds most of the weights and the last ones most of the
    per-sample work. ``bands * prod(ratios)`` is audio samples per latent frame.
    """

    name: str
    latent: int = 16
    base: int = 8
    ratios: tuple[int, ...] = (4, 4, 4, 2)
    dilations: tuple[int, ...] = (1, 3, 9)
    bands: int = 16
    pqmf_taps_per_band: int = 8

    @property
    def samples_per_frame(self) -> int:
        return self.bands * math.prod(self.ratios)

    @property
    def width(self) -> int:
        return self.base * 2 ** len(self.ratios)


class Residual(nn.Module):
    """``x + mix(lrelu(conv(lrelu(x))))``: RAVE's dilated residual unit (kernel 3, centred)."""

    def __init__(self, channels: int, dilation: int):
        super().__init__()
        self.act1 = nn.LeakyReLU(SLOPE)
        self.conv = nn.Conv1d(channels, channels, 3, dilation=dilation, padding=dilation)
        self.act2 = nn.LeakyReLU(SLOPE)
        self.mix = nn.Conv1d(channels, channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.mix(self.act2(self.conv(self.act1(x))))


class Stage(nn.Module):
    """Upsample by ``ratio`` and halve the channels, then one residual unit per dilation.

    The transposed conv has kernel ``2 * ratio`` and padding ``ratio // 2``: for an even ratio its
    output is exactly ``ratio`` times its input, and ``kernel - stride == 2 * padding``, the only
    case cached_conv's transposed conv supports.
    """

    def __init__(self, channels: int, ratio: int, dilations: tuple[int, ...]):
        super().__init__()
        if ratio % 2:
            raise ValueError(f"ratio {ratio} must be even (output length and cached_conv twin)")
        self.act = nn.LeakyReLU(SLOPE)
        self.up = nn.ConvTranspose1d(channels, channels // 2, 2 * ratio, ratio, ratio // 2)
        self.residuals = nn.Sequential(*[Residual(channels // 2, d) for d in dilations])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.residuals(self.up(self.act(x)))


class Decoder(nn.Module):
    """Latent ``(batch, latent, frames)`` -> audio ``(batch, 1, frames * samples_per_frame)``.

    The PQMF synthesis is a ``ConvTranspose1d(bands, 1)`` with stride ``bands`` and fixed random
    weights: the same op shape as a real filter bank (``bands * taps_per_band`` taps), without the
    cost of designing one. Its padding again gives ``kernel - stride == 2 * padding``.
    """

    def __init__(self, config: DecoderConfig):
        super().__init__()
        self.config = config
        width = config.width
        self.inp = nn.Conv1d(config.latent, width, 3, padding=1)
        stages = []
        for ratio in config.ratios:
            stages.append(Stage(width, ratio, config.dilations))
            width //= 2
        self.stages = nn.Sequential(*stages)
        self.out_act = nn.LeakyReLU(SLOPE)
        self.out = nn.Conv1d(width, config.bands, 3, padding=1)
        taps = config.bands * config.pqmf_taps_per_band
        if (taps - config.bands) % 2:
            raise ValueError("bands * (taps_per_band - 1) must be even")
        self.synthesis = nn.ConvTranspose1d(config.bands, 1, taps, config.bands,
                                            (taps - config.bands) // 2, bias=False)
        self.synthesis.weight.requires_grad_(False)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.synthesis(self.out(self.out_act(self.stages(self.inp(z)))))


def build(config: DecoderConfig, seed: int = 0) -> Decoder:
    """The decoder with reproducible random weights, in eval mode, gradients off."""
    torch.manual_seed(seed)
    model = Decoder(config).eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    return model


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def weight_bytes(model: nn.Module) -> int:
    """Bytes of parameters and buffers: what every call must at least read once."""
    tensors = list(model.parameters()) + list(model.buffers())
    return sum(t.numel() * t.element_size() for t in tensors)


SMALL = DecoderConfig("small", latent=8, base=16, ratios=(4, 4, 2), bands=8,
                      pqmf_taps_per_band=8)
"""About 0.15M parameters, 256 samples per frame: a light decoder, dominated by per-op overhead."""

RAVE_V2_SCALE = DecoderConfig("rave_v2_scale", latent=16, base=80, ratios=(4, 4, 4, 2),
                              bands=16, pqmf_taps_per_band=8)
"""About 15M parameters, 16 latents, 2048 samples per frame (16 bands x 4*4*4*2)."""


def small(seed: int = 0) -> Decoder:
    return build(SMALL, seed)


def rave_v2_scale(seed: int = 0) -> Decoder:
    return build(RAVE_V2_SCALE, seed)


if __name__ == "__main__":
    for config in (SMALL, RAVE_V2_SCALE):
        model = build(config)
        print(f"{config.name}: {parameter_count(model) / 1e6:.3f}M parameters, "
              f"{config.samples_per_frame} samples per frame, width {config.width}")

"""latentd's own RAVE-style model, in plain torch layers.

It is trained offline without causal constraints and streamed after training by
``latentd.stream.streamify``: nothing here knows about caches or blocks. The decoder upsamples
latent frames with transposed convs and dilated residual stacks to PQMF sub-bands, shapes them
with an amplitude envelope, adds band-limited noise, and the PQMF synthesis brings them to audio.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, TypeVar

import torch
from torch import nn
from torch.nn.utils import parametrize
from torch.nn.utils.parametrizations import weight_norm as torch_weight_norm

from latentd.models.oscillator import HarmonicOscillator
from latentd.models.pitch_tracker import PitchTracker
from latentd.models.pqmf import PQMFAnalysis, PQMFSynthesis

MEASURED_LATENTS = 2  # pitch and periodicity, with RaveConfig.pitch_latent


@dataclass(frozen=True)
class RaveConfig:
    """Architecture of a latentd model, from a test-sized toy up to RAVE v2 scale.

    ``ratios`` are the decoder's upsampling factors (the encoder mirrors them); audio samples per
    latent frame = ``bands * prod(ratios)``. ``lookahead`` splits each conv's padding: 0.5 is
    centred (non-causal, best quality), 0 is causal (latency 0, worse quality). Causal means
    every layer: convs, transposed convs, PQMF analysis and synthesis, the oscillator's head and
    the encoder's pitch tracker, so that encode -> decode streams with no delay beyond the block
    (``causal`` is that case; ``repadded_weights`` moves weights between paddings).
    """

    sample_rate: int = 44100
    channels: int = 1
    latent_size: int = 8
    bands: int = 16
    capacity: int = 32
    ratios: tuple[int, ...] = (4, 4, 2)
    dilations: tuple[int, ...] = (1, 3, 9)
    noise: bool = True
    amplitude_modulation: bool = True
    lookahead: float = 0.5
    pqmf_taps_per_band: int = 8
    harmonics: int = 0  # > 0 adds a harmonic oscillator branch (models/oscillator.py)
    # latent dimensions 0 and 1 are pitch and periodicity measured by YIN, not learned
    # (models/pitch_tracker.py); the oscillator plays dimension 0 (needs harmonics > 0)
    pitch_latent: bool = False

    def __post_init__(self) -> None:
        if self.pitch_latent and (self.harmonics <= 0 or self.latent_size < 3):
            raise ValueError("pitch_latent needs harmonics > 0 and at least 3 latent "
                             "dimensions (two are measured, the rest learned)")

    @property
    def ratio(self) -> int:
        return self.bands * math.prod(self.ratios)

    @property
    def measured_latents(self) -> int:
        """How many leading latent dimensions the encoder measures instead of learning."""
        return MEASURED_LATENTS if self.pitch_latent else 0

    def latent_names(self) -> list[str]:
        """What each latent dimension is, for labels: measured ones by name, learned ones by
        number."""
        measured = ["pitch (measured)", "periodicity (measured)"][: self.measured_latents]
        return measured + [f"latent dimension {i}"
                           for i in range(len(measured), self.latent_size)]

    @property
    def causal(self) -> bool:
        return self.lookahead == 0

    def to_dict(self) -> dict[str, object]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> RaveConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown model config keys: {sorted(unknown)}")
        tupled: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v
                                  for k, v in values.items()}
        return cls(**tupled)

    @classmethod
    def tiny(cls, **overrides: Any) -> RaveConfig:
        """A model small enough for unit tests."""
        base: dict[str, Any] = dict(latent_size=4, bands=4, capacity=4, ratios=(2, 2),
                                    dilations=(1, 3), pqmf_taps_per_band=4)
        base.update(overrides)
        return cls(**base)


ConvModule = TypeVar("ConvModule", nn.Conv1d, nn.ConvTranspose1d)


class _WeightNormShapes(nn.Module):
    """Weight norm's two parameters, by shape only: ``g`` (out, 1, ...) and ``v``."""

    def forward(self, g: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return v

    def right_inverse(self, weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        g_shape = (weight.shape[0],) + (1,) * (weight.dim() - 1)
        return torch.empty(g_shape, dtype=weight.dtype, device=weight.device), weight


def weight_norm(conv: ConvModule) -> ConvModule:
    """torch's weight norm (over dim 0). On the meta device, where a checkpoint's architecture
    is built to check its weights' shapes (architecture_bounds.py), the same parameters by
    shape only: torch's norm on meta imports torch._dynamo, 2.2 s of every process's first
    model load (``latentd serve``'s start, each CLI command), for numbers nobody reads."""
    if not conv.weight.is_meta:
        return torch_weight_norm(conv)
    parametrize.register_parametrization(conv, "weight", _WeightNormShapes(), unsafe=True)
    return conv


def _conv(config: RaveConfig, cin: int, cout: int, kernel: int, dilation: int = 1,
          stride: int = 1) -> nn.Sequential | nn.Conv1d:
    """A weight-normed conv whose padding is split by ``lookahead`` (explicit pad + conv)."""
    total = (kernel - 1) * dilation - (stride - 1)
    right = round(total * config.lookahead)
    left = total - right
    conv = weight_norm(nn.Conv1d(cin, cout, kernel, stride=stride, dilation=dilation))
    if left == right:
        conv.padding = (left,)
        return conv
    return nn.Sequential(nn.ConstantPad1d((left, right), 0.0), conv)


class ResidualUnit(nn.Module):
    def __init__(self, config: RaveConfig, channels: int, dilation: int):
        super().__init__()
        self.net = nn.Sequential(
            nn.LeakyReLU(0.2), _conv(config, channels, channels, 3, dilation),
            nn.LeakyReLU(0.2), weight_norm(nn.Conv1d(channels, channels, 1)),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.net(x)


class UpsampleBlock(nn.Module):
    def __init__(self, config: RaveConfig, cin: int, cout: int, ratio: int):
        super().__init__()
        if config.causal:
            up = nn.ConvTranspose1d(cin, cout, 2 * ratio, ratio, 0)
        else:
            up = nn.ConvTranspose1d(cin, cout, 2 * ratio, ratio, ratio // 2)
        self.causal_crop = ratio if config.causal else 0
        self.up = weight_norm(up)
        self.act = nn.LeakyReLU(0.2)
        self.residuals = nn.Sequential(*[ResidualUnit(config, cout, d) for d in config.dilations])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.up(self.act(x))
        if self.causal_crop:
            y = y[..., : -self.causal_crop]
        return self.residuals(y)


class Decoder(nn.Module):
    """Latent frames (batch, latent, frames) -> audio (batch, channels, frames * ratio)."""

    def __init__(self, config: RaveConfig):
        super().__init__()
        self.config = config
        width = config.capacity * 2 ** len(config.ratios)
        self.inp = _conv(config, config.latent_size, width, 3)
        blocks = []
        for ratio in config.ratios:
            blocks.append(UpsampleBlock(config, width, width // 2, ratio))
            width //= 2
        self.blocks = nn.Sequential(*blocks)
        out_bands = config.bands * config.channels
        self.act = nn.LeakyReLU(0.2)
        self.wave = _conv(config, width, out_bands, 3)
        self.amplitude = _conv(config, width, out_bands, 3) if config.amplitude_modulation else None
        self.noise = _conv(config, width, out_bands, 3) if config.noise else None
        self.synthesis = PQMFSynthesis(config.bands, config.pqmf_taps_per_band, config.channels,
                                       config.causal)
        self.oscillator = (HarmonicOscillator(config.latent_size, config.harmonics, config.ratio,
                                              config.sample_rate, lookahead=config.lookahead,
                                              pitch_from_latent=config.pitch_latent)
                           if config.harmonics else None)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        h = self.act(self.blocks(self.inp(z)))
        bands = torch.tanh(self.wave(h))
        if self.amplitude is not None:
            bands = bands * torch.sigmoid(self.amplitude(h))
        if self.noise is not None:
            level = torch.sigmoid(self.noise(h) - 3.0)
            bands = bands + level * (torch.rand_like(level) * 2 - 1)
        audio = self.synthesis(bands)
        if self.oscillator is not None:
            audio = audio + self.oscillator(z)
        return audio


class Encoder(nn.Module):
    """Audio -> (mean, log variance) of the latent, each (batch, latent, frames)."""

    def __init__(self, config: RaveConfig):
        super().__init__()
        self.config = config
        self.analysis = PQMFAnalysis(config.bands, config.pqmf_taps_per_band, config.channels,
                                     config.causal)
        width = config.capacity
        layers: list[nn.Module] = [_conv(config, config.bands * config.channels, width, 7)]
        for ratio in reversed(config.ratios):
            layers += [ResidualUnit(config, width, 1), nn.LeakyReLU(0.2),
                       _conv(config, width, width * 2, 2 * ratio, stride=ratio)]
            width *= 2
        layers += [nn.LeakyReLU(0.2), _conv(config, width, 2 * config.latent_size, 3)]
        self.net = nn.Sequential(*layers)
        self.pitch = (PitchTracker(config.sample_rate, config.ratio, config.lookahead)
                      if config.pitch_latent else None)

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        """Returns mean and log variance stacked on channels: (batch, 2 * latent, frames).

        Measured dimensions replace the net's first means; their log variance is the floor
        (``RaveModel.encode`` clamps at -10), and training samples no noise for them."""
        stats = self.net(self.analysis(audio))
        if self.pitch is None:
            return stats
        measured = self.pitch(audio)
        size = self.config.latent_size
        floor = stats[:, size: size + MEASURED_LATENTS] * 0.0 - 10.0
        return torch.cat([measured, stats[:, MEASURED_LATENTS:size], floor,
                          stats[:, size + MEASURED_LATENTS:]], dim=1)


class EncoderMean(nn.Module):
    """The deterministic encoder used at play time: the posterior mean only."""

    def __init__(self, encoder: Encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        mean, _ = self.encoder(audio).chunk(2, dim=1)
        return mean


class RaveModel(nn.Module):
    """Encoder and decoder together, as trained."""

    def __init__(self, config: RaveConfig | None = None):
        super().__init__()
        self.config = config or RaveConfig()
        self.encoder = Encoder(self.config)
        self.decoder = Decoder(self.config)

    def encode(self, audio: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mean, logvar = self.encoder(audio).chunk(2, dim=1)
        return mean, logvar.clamp(-10.0, 5.0)

    def sample(self, mean: torch.Tensor, logvar: torch.Tensor,
               noise_scale: float = 1.0) -> torch.Tensor:
        """The reparameterised latent, its noise scaled by ``noise_scale``; measured dimensions
        stay exact (a pitch jittered by noise would teach the decoder to distrust it)."""
        noise = torch.randn_like(mean) * (noise_scale * torch.exp(0.5 * logvar))
        measured = self.config.measured_latents
        if measured:
            noise[:, :measured] = 0.0
        return mean + noise

    def forward(self, audio: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Reconstruction, mean and log variance, with the reparameterised sample in training."""
        mean, logvar = self.encode(audio)
        z = self.sample(mean, logvar) if self.training else mean
        return self.decoder(z), mean, logvar


def repadded_weights(weights: Mapping[str, torch.Tensor], source: RaveConfig,
                     target: RaveConfig) -> dict[str, torch.Tensor]:
    """The ``weights`` of a ``source`` model, named for a ``target`` model that differs from it
    in ``lookahead`` only (e.g. a centred model fine-tuned into a causal one).

    Padding changes no parameter, but a conv padded unevenly is a (pad, conv) Sequential, so the
    names of its weights gain an index and a plain ``load_state_dict`` across paddings fails.
    Both layouts hold the same tensors in the same order (pads hold none), so the i-th name of
    one is the i-th of the other; every shape is checked, and a missing name is refused.
    """
    if replace(source, lookahead=target.lookahead) != target:
        raise ValueError("only the padding (lookahead) may differ between the two models")
    with torch.device("meta"):  # names and shapes only
        source_names = list(RaveModel(source).state_dict())
        target_state = RaveModel(target).state_dict()
    if len(source_names) != len(target_state):  # pragma: no cover - pads hold no tensors
        raise ValueError("the two paddings hold different numbers of tensors")
    renamed: dict[str, torch.Tensor] = {}
    for old, (new, shape_of) in zip(source_names, target_state.items(), strict=True):
        if old not in weights:
            raise ValueError(f"weights lack {old!r}")
        if weights[old].shape != shape_of.shape:
            raise ValueError(f"{old!r} has shape {tuple(weights[old].shape)}, "
                             f"{new!r} needs {tuple(shape_of.shape)}")
        renamed[new] = weights[old]
    return renamed

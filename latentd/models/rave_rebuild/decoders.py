"""RAVE's decoders (``Generator`` of v1, ``GeneratorV2`` of v2), split for streaming.

Everything up to the noise branch's band amplitudes is convolutional and goes to ``streamify``
as one body. The body returns the waveform bands and, when there is a noise branch, the
amplitudes repeated up to the band rate and stacked under them (one output, one rate). What is
left, :meth:`DecoderPlan.finish`, runs on each block: the frame-wise filtered noise, added where
RAVE adds it (v1: after the loudness, when the generator is warmed up; v2: before the tanh).
RAVE draws the noise even when v1 does not add it (not warmed up), so the plan draws it too:
the same numbers, in the same shape, but nothing else of the noise branch runs then (its
amplitude net, filters and convolution only shape noise that is thrown away).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from latentd.models.rave_rebuild import noise as noise_ops
from latentd.models.rave_rebuild.atrous import atrous
from latentd.models.rave_rebuild.blocks import align, build
from latentd.models.rave_rebuild.cached import Branches
from latentd.models.rave_rebuild.tree import (
    Unrecognised,
    attribute,
    child,
    children,
    join,
    kind,
    tensor,
)


@dataclass(frozen=True)
class NoiseBranch:
    """Where the noise amplitudes sit in the body's output and how to turn them into noise."""

    first_channel: int  # the amplitudes start here (the bands come before them)
    phase: int  # frame f of the amplitudes is sample f * target_size + phase of the block
    bands: int  # noise output channels (the decoder's bands)
    target_size: int  # samples of noise per amplitude frame
    added: bool  # v1 adds the noise only once warmed up; the draw happens anyway


@dataclass
class DecoderPlan:
    body: nn.Module
    noise: NoiseBranch | None
    tanh_after_noise: bool  # v2: tanh(bands + noise); v1: the body already applied it

    def finish(self, out: torch.Tensor) -> torch.Tensor:
        """The streamed body's block -> the decoder's bands for that block."""
        if self.noise is None:
            return out
        spec = self.noise
        if not spec.added:  # the body left the branch out: only advance the generator alike
            noise_ops.draw(out, out.shape[-1] // spec.target_size, spec.bands, spec.target_size)
            return out
        bands = out[:, : spec.first_channel]
        # contiguous as the export's amplitudes are: rand_like follows its argument's layout
        amp = out[:, spec.first_channel:, spec.phase:: spec.target_size].contiguous()
        drawn = noise_ops.filtered_noise(amp, spec.bands, spec.target_size)
        if self.tanh_after_noise:
            return torch.tanh(bands + drawn)
        return bands + drawn


class _NoiseAmplitudes(nn.Module):
    """A noise generator's net (computed at the band rate, see ``atrous``), squashed."""

    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return noise_ops.mod_sigmoid(self.net(x) - 5)


def _noise_amplitudes(module: Any, path: str, first_channel: int, added: bool
                      ) -> tuple[_NoiseAmplitudes, NoiseBranch]:
    """A ``NoiseGenerator``/``NoiseGeneratorV2``: its amplitude net and where its frames
    land in the body's output."""
    target = int(tensor(module, "target_size", path).item())
    data_size = int(attribute(module, "data_size", path))
    channels = int(getattr(module, "n_channels", 1))
    net, period, phase = atrous(child(module, "net", path), join(path, "net"))
    if period != target:
        raise Unrecognised(f"{path}: its net's strides make frames of {period} samples, its "
                           f"noise frames are {target}")
    branch = NoiseBranch(first_channel, phase, data_size * channels, target, added)
    return _NoiseAmplitudes(net), branch


class _GeneratorV1Body(nn.Module):
    def __init__(self, net: nn.Module, synth: nn.Module, loud_stride: int, has_noise: bool):
        super().__init__()
        self.net = net
        self.synth = synth
        self.loud_stride = loud_stride
        self.has_noise = has_noise

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outputs = self.synth(self.net(x))
        waveform, loudness = outputs[0], outputs[1]
        if self.loud_stride != 1:  # one loudness channel: RAVE's flat repeat is a time repeat
            loudness = loudness.repeat_interleave(self.loud_stride, dim=-1)
        bands = torch.tanh(waveform) * noise_ops.mod_sigmoid(loudness)
        if self.has_noise:
            return torch.cat([bands, outputs[2]], 1)
        return bands


def generator_v1(module: Any, path: str) -> DecoderPlan:
    """RAVE v1's ``Generator``: net, then aligned waveform, loudness (and noise) branches."""
    use_noise = bool(attribute(module, "use_noise", path))
    synth_path = join(path, "synth")
    synth_module = child(module, "synth", path)
    branch_modules = children(child(synth_module, "branches", synth_path))
    if len(branch_modules) != (3 if use_noise else 2):
        raise Unrecognised(f"{synth_path}: {len(branch_modules)} branches for use_noise="
                           f"{use_noise}")
    noise = None
    if use_noise:
        name, noise_module = branch_modules[2]
        noise_path = join(join(synth_path, "branches"), name)
        if kind(noise_module) != "NoiseGenerator":
            raise Unrecognised(f"{noise_path}: block {kind(noise_module)} is not a noise "
                               "generator latentd rebuilds")
        waveform_channels = int(tensor(branch_modules[0][1], "weight", synth_path).shape[0])
        amplitudes, noise = _noise_amplitudes(
            noise_module, noise_path, waveform_channels,
            added=bool(tensor(module, "warmed_up", path).item()))
        synth = align(synth_module, synth_path, {2: amplitudes})
        if not noise.added:  # waveform and loudness only; their delays do not depend on it
            synth = Branches(list(synth.branches)[:2], list(synth.delays)[:2])
    else:
        synth = align(synth_module, synth_path)
    net = build(child(module, "net", path), join(path, "net"))
    body = _GeneratorV1Body(net, synth, int(attribute(module, "loud_stride", path)),
                            noise is not None and noise.added)
    return DecoderPlan(body, noise, tanh_after_noise=False)


class _GeneratorV2Body(nn.Module):
    def __init__(self, net: nn.Module, waveform: nn.Module | None,
                 amplitudes: nn.Module | None, modulated_channels: int):
        super().__init__()
        self.net = net
        self.waveform = waveform
        self.amplitudes = amplitudes
        self.modulated_channels = modulated_channels  # 0: no amplitude modulation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        hidden = self.net(x)
        bands = hidden if self.waveform is None else self.waveform(hidden)
        if self.modulated_channels:
            half = self.modulated_channels
            bands = bands[:, :half] * torch.sigmoid(bands[:, half:])
        if self.amplitudes is None:
            return torch.tanh(bands)
        return torch.cat([bands, self.amplitudes(hidden)], 1)


def generator_v2(module: Any, path: str) -> DecoderPlan:
    """RAVE v2's ``GeneratorV2``: net (ending in the waveform conv unless there is a noise
    module), optional amplitude modulation, optional noise added before the tanh."""
    names = {n for n, _ in children(module)}
    if names - {"net", "waveform_module", "noise_module"}:
        raise Unrecognised(f"{path} (GeneratorV2) holds {sorted(names)}")
    net = build(child(module, "net", path), join(path, "net"))
    waveform = amplitudes = None
    noise = None
    if "noise_module" in names:
        noise_path = join(path, "noise_module")
        noise_module = child(module, "noise_module", path)
        if kind(noise_module) != "NoiseGeneratorV2":
            raise Unrecognised(f"{noise_path}: block {kind(noise_module)} is not a noise "
                               "generator latentd rebuilds")
        waveform_module = child(module, "waveform_module", path)
        waveform = build(waveform_module, join(path, "waveform_module"))
        out_channels = int(tensor(waveform_module, "weight", path).shape[0])
    else:
        out_channels = _last_conv_channels(net, path)
    modulated = out_channels // 2 if bool(attribute(module, "amplitude_modulation", path)) else 0
    if "noise_module" in names:
        amplitudes, noise = _noise_amplitudes(noise_module, noise_path,
                                              modulated or out_channels, added=True)
    body = _GeneratorV2Body(net, waveform, amplitudes, modulated)
    return DecoderPlan(body, noise, tanh_after_noise=True)


def _last_conv_channels(net: nn.Module, path: str) -> int:
    convs = [m for m in net.modules() if isinstance(m, nn.Conv1d)]
    if not convs:
        raise Unrecognised(f"{path} (GeneratorV2): its net has no conv")
    return int(convs[-1].out_channels)


DECODERS = {"Generator": generator_v1, "GeneratorV2": generator_v2}


def decoder_plan(module: Any, path: str) -> DecoderPlan:
    builder = DECODERS.get(kind(module))
    if builder is None:
        raise Unrecognised(f"{path}: decoder {kind(module)} is not one latentd rebuilds")
    return builder(module, path)


__all__ = ["DecoderPlan", "NoiseBranch", "decoder_plan"]

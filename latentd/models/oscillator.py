"""A harmonic oscillator branch for the decoder: pitch that is not tied to the frame rate.

A conv decoder is shift-invariant by whole latent frames: with steady latents its output repeats
every frame, so a held note can only sound at a multiple of the frame rate (43 Hz at 1024
samples per frame, 44.1 kHz) unless the encoder learns to rotate the latents frame by frame,
which takes far more training than a CPU allows. This branch carries phase the way an
instrument does: the latents set a fundamental, a loudness and a spectral shape per frame; the
fundamental is integrated sample by sample (a running sum, which ``latentd.stream`` streams with
a carried state) and drives a bank of harmonics, each silenced above Nyquist. It follows DDSP's
harmonic synthesiser (Engel et al., 2020) in plain torch layers, so ``streamify`` needs no
special classes.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

F0_MIN = 30.0  # Hz: below the lowest note of a bass
F0_MAX = 4000.0  # Hz: above the highest fundamental of a piccolo


def pitch_to_latent(f0: torch.Tensor, f0_min: float = F0_MIN,
                    f0_max: float = F0_MAX) -> torch.Tensor:
    """A fundamental in Hz -> the latent value that the oscillator plays at that pitch (the
    inverse of ``HarmonicOscillator._position`` and its log scale): about 0.57 per octave,
    0 at 346 Hz. (The range is passed in so TorchScript, which reads no float globals, can
    compile it.)"""
    position = torch.log(f0 / f0_min) / math.log(f0_max / f0_min)
    return (position - 0.5) * 4.0


class FrameInterpolator(nn.Module):
    """Frames -> samples: each channel moves linearly from one frame's value to the next over a
    frame, so controls never step at a frame edge. A value is reached at the end of its frame,
    half a frame after its centre; a centred head looks two frames ahead, so training absorbs
    the lag. (A grouped transposed conv with triangular taps did the same at 10x the cost when
    streamed a frame at a time.)"""

    def __init__(self, ratio: int):
        super().__init__()
        self.ratio = ratio
        self.ramp = nn.ConvTranspose1d(1, 1, ratio, stride=ratio, bias=False)
        with torch.no_grad():
            # from a list: torch.arange on meta imports torch._dynamo (see numbers below)
            ramp = torch.tensor([(k + 0.5) / ratio for k in range(ratio)])
            self.ramp.weight.copy_(ramp.view(1, 1, -1))
        self.ramp.weight.requires_grad_(False)

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        previous = F.pad(frames, (1, 0))[..., :-1]
        ramp = self.ramp(frames.sum(dim=1, keepdim=True) * 0.0 + 1.0)
        # joined at the frame rate, so a stream aligns "previous" with a one-frame delay there,
        # not with a frame of samples per channel after upsampling
        start, end = torch.cat([previous, frames], dim=1).repeat_interleave(
            self.ratio, dim=-1).chunk(2, dim=1)
        return torch.lerp(start, end, ramp)


def _padded_conv(cin: int, cout: int, lookahead: float) -> list[nn.Module]:
    """A kernel-3 conv whose padding is split by ``lookahead`` like the decoder's (0 = causal,
    so a causal model stays at latency 0 with the branch)."""
    right = round(2 * lookahead)
    if right == 1:
        return [nn.Conv1d(cin, cout, 3, padding=1)]
    return [nn.ConstantPad1d((2 - right, right), 0.0), nn.Conv1d(cin, cout, 3)]


class HarmonicOscillator(nn.Module):
    """Latent frames (batch, latent, frames) -> audio (batch, 1, frames * ratio).

    With ``pitch_from_latent`` the fundamental is latent dimension 0 itself (measured by the
    encoder's ``models.pitch_tracker``), and the head sets only level and harmonic shares.
    """

    if TYPE_CHECKING:  # buffers, typed for mypy (nn.Module.__getattr__ says Tensor | Module);
        # hidden from TorchScript, which cannot read this module's string annotations
        numbers: torch.Tensor
        angles: torch.Tensor

    def __init__(self, latent_size: int, harmonics: int, ratio: int, sample_rate: int,
                 hidden: int = 128, lookahead: float = 0.5, pitch_from_latent: bool = False):
        super().__init__()
        self.sample_rate = float(sample_rate)
        self.harmonics = harmonics
        self.pitch_from_latent = pitch_from_latent
        self.head = nn.Sequential(
            *_padded_conv(latent_size, hidden, lookahead), nn.LeakyReLU(0.2),
            *_padded_conv(hidden, hidden, lookahead), nn.LeakyReLU(0.2),
            nn.Conv1d(hidden, (1 if pitch_from_latent else 2) + harmonics, 1))
        with torch.no_grad():  # start quiet (level 0.05): a trained decoder it joins stays intact,
            # yet the level is not so deep in softplus's flat tail that it cannot grow
            last = self.head[-1]
            assert isinstance(last, nn.Conv1d) and last.bias is not None
            last.weight.mul_(0.1)
            last.bias.zero_()
            last.bias[0 if pitch_from_latent else 1] = -3.0
        self.upsample = FrameInterpolator(ratio)
        # from lists, not torch.arange and a product: on the meta device (a checkpoint's
        # shapes checked, architecture_bounds.py) those run Python references that import
        # torch._dynamo, 2 s of a process's first model load
        numbers = [float(n) for n in range(1, harmonics + 1)]
        self.register_buffer("numbers", torch.tensor(numbers).view(1, -1, 1))
        turn = np.float32(2 * math.pi)  # float32 products, as torch's were: the same bits
        self.register_buffer("angles", torch.tensor([float(turn * np.float32(n))
                                                     for n in numbers]).view(1, -1, 1),
                             persistent=False)

    @staticmethod
    def _position(pitch: torch.Tensor) -> torch.Tensor:
        """The head's pitch output -> where the fundamental lies on a log scale from F0_MIN (0)
        to F0_MAX (1), unclamped."""
        return 0.5 + 0.25 * pitch

    def pitch_position(self, z: torch.Tensor) -> torch.Tensor:
        """Per frame, the unclamped position: the pitch loss reads it here, so its gradient
        never vanishes the way a saturated sigmoid's does (early latents are large and pinned
        one at 30 Hz)."""
        return self._position(z[:, :1] if self.pitch_from_latent else self.head(z)[:, :1])

    def controls(self, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Per frame: fundamental in Hz (batch, 1, frames), amplitude (batch, 1, frames) and the
        share of each harmonic (batch, harmonics, frames)."""
        if self.pitch_from_latent:
            pitch = z[:, :1]
            level, shape = torch.split(self.head(z), [1, self.harmonics], dim=1)
        else:
            pitch, level, shape = torch.split(self.head(z), [1, 1, self.harmonics], dim=1)
        position = torch.clamp(self._position(pitch), 0.0, 1.0)
        f0 = F0_MIN * torch.exp(position * math.log(F0_MAX / F0_MIN))
        amplitude = F.softplus(level)
        return f0, amplitude, torch.softmax(shape, dim=1)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        f0, amplitude, shares = self.controls(z)
        # each partial's weight is set per frame (level, share, silenced above Nyquist at that
        # frame's f0) and only then brought to the sample rate: at one frame per block the cost
        # is the number of ops on (harmonics x samples) tensors, so there are as few as can be
        audible = (f0 * self.numbers < 0.5 * self.sample_rate).to(f0.dtype)
        weights = amplitude * shares * audible
        f0, weights = torch.split(self.upsample(torch.cat([f0, weights], dim=1)),
                                  [1, self.harmonics], dim=1)
        # the phase in cycles, summed in float64: a float32 total of thousands of cycles would
        # round away the fraction that matters; the fraction in [0, 1) is exact again in float32
        cycles = torch.cumsum(f0.double() / self.sample_rate, dim=-1)
        cycles = (cycles - torch.floor(cycles)).to(f0.dtype)
        partials = torch.sin(cycles * self.angles) * weights
        return partials.sum(dim=1, keepdim=True)

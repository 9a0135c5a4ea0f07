"""RAVE's filtered noise (``NoiseGenerator``, ``NoiseGeneratorV2``), frame by frame.

The noise branch turns each frame of band amplitudes into ``target_size`` samples of noise
filtered by those amplitudes (an FFT convolution inside the frame), so it needs no state across
frames: it runs on each block's frames as they come. It draws its uniform noise with
``torch.rand`` in the shape RAVE draws it, once per call, so that with the same seed the
rebuilt model draws the same numbers as the export.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import fft


def mod_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """RAVE's amplitude squashing (``rave.core.mod_sigmoid``)."""
    return 2 * torch.sigmoid(x) ** 2.3 + 1e-7


def impulse_responses(amp: torch.Tensor, target_size: int) -> torch.Tensor:
    """Zero-phase, Hann-windowed filters of ``target_size`` taps from band amplitudes on the
    last axis (``rave.core.amp_to_impulse_response``)."""
    spectrum = torch.view_as_complex(torch.stack([amp, torch.zeros_like(amp)], -1))
    response = fft.irfft(spectrum)
    size = response.shape[-1]
    response = torch.roll(response, size // 2, -1)
    response = response * torch.hann_window(size, dtype=response.dtype, device=response.device)
    response = F.pad(response, (0, target_size - size))
    return torch.roll(response, -size // 2, -1)


def convolve(signal: torch.Tensor, kernel: torch.Tensor) -> torch.Tensor:
    """Linear convolution on the last axis through the FFT, cropped to the signal's length
    (``rave.core.fft_convolve``)."""
    signal = F.pad(signal, (0, signal.shape[-1]))
    kernel = F.pad(kernel, (kernel.shape[-1], 0))
    output = fft.irfft(fft.rfft(signal) * fft.rfft(kernel))
    return output[..., output.shape[-1] // 2:]


def draw(like: torch.Tensor, frames: int, bands_out: int, target_size: int) -> None:
    """The uniform draw of :func:`filtered_noise` alone (same shape, same numbers taken from
    the generator), for noise that is not added."""
    torch.rand(like.shape[0], frames, bands_out, target_size, dtype=like.dtype,
               device=like.device)


def filtered_noise(amp: torch.Tensor, bands_out: int, target_size: int) -> torch.Tensor:
    """(batch, bands_out * noise_bands, frames) squashed amplitudes -> (batch, bands_out,
    frames * target_size) noise, as RAVE's noise generators make it."""
    frames = amp.permute(0, 2, 1)
    frames = frames.reshape(frames.shape[0], frames.shape[1], bands_out, -1)
    response = impulse_responses(frames, target_size)
    noise = torch.rand_like(response) * 2 - 1
    noise = convolve(noise, response).permute(0, 2, 1, 3)
    return noise.reshape(noise.shape[0], noise.shape[1], -1)


__all__ = ["draw", "filtered_noise", "mod_sigmoid"]

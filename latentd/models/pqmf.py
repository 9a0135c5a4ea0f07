"""Pseudo-QMF filter banks written as plain convolutions.

RAVE splits audio into M sub-bands so the networks run at 1/M of the sample rate. Here analysis is
a strided Conv1d and synthesis a strided ConvTranspose1d with fixed cosine-modulated weights, so
``latentd.stream.streamify`` streams them like any other layer, without a polyphase special case.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import torch
from torch import nn


def _kaiser_lowpass(taps: int, cutoff: float, beta: float) -> np.ndarray:
    n = np.arange(taps) - (taps - 1) / 2
    return np.sinc(cutoff / np.pi * n) * cutoff / np.pi * np.kaiser(taps, beta)


@lru_cache(maxsize=8)
def prototype_filter(bands: int, taps: int, beta: float = 9.0) -> np.ndarray:
    """The lowpass prototype whose cutoff best makes the bank power-complementary.

    Near-perfect reconstruction needs |H(w)|^2 + |H(pi/M - w)|^2 = 1 across the transition band;
    the cutoff is searched for the smallest worst-case deviation.
    """
    grid = np.linspace(0, np.pi, 8193)
    inside = grid <= np.pi / bands
    best_error, best = math.inf, None
    for cutoff in np.linspace(0.6, 1.4, 321) * np.pi / (2 * bands):
        h = _kaiser_lowpass(taps, cutoff, beta)
        power = np.abs(np.fft.rfft(h, 2 * (len(grid) - 1))) ** 2
        mirrored = np.interp(np.pi / bands - grid[inside], grid, power)
        error = np.max(np.abs(power[inside] + mirrored - 1))
        if error < best_error:
            best_error, best = error, h
    assert best is not None
    return best


def _modulated(prototype: np.ndarray, bands: int, sign: int) -> np.ndarray:
    taps = len(prototype)
    n = np.arange(taps) - (taps - 1) / 2
    k = np.arange(bands)[:, None]
    phase = (2 * k + 1) * np.pi / (2 * bands) * n[None] + sign * (-1.0) ** k * np.pi / 4
    return 2 * prototype[None] * np.cos(phase)


class PQMFAnalysis(nn.Conv1d):
    """Audio (batch, channels, time) -> bands (batch, channels * bands, time / bands).

    ``causal`` moves all padding to the left, so that a causal model streams with no latency.
    """

    def __init__(self, bands: int, taps_per_band: int = 8, channels: int = 1,
                 causal: bool = False):
        taps = bands * taps_per_band
        self.causal_pad = taps - bands if causal else 0
        super().__init__(channels, channels * bands, taps, stride=bands,
                         padding=0 if causal else (taps - bands) // 2, groups=channels,
                         bias=False)
        bank = _modulated(prototype_filter(bands, taps), bands, +1)[:, ::-1].copy()
        weight = torch.tensor(bank, dtype=torch.float32).unsqueeze(1).repeat(channels, 1, 1)
        self.weight = nn.Parameter(weight, requires_grad=False)

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        if self.causal_pad:
            audio = nn.functional.pad(audio, (self.causal_pad, 0))
        return super().forward(audio)


class PQMFSynthesis(nn.ConvTranspose1d):
    """Bands (batch, channels * bands, time) -> audio (batch, channels, time * bands).

    ``causal`` uses no padding and trims the filter's tail at the end instead of the start.
    """

    def __init__(self, bands: int, taps_per_band: int = 8, channels: int = 1,
                 causal: bool = False):
        taps = bands * taps_per_band
        self.causal_trim = taps - bands if causal else 0
        super().__init__(channels * bands, channels, taps, stride=bands,
                         padding=0 if causal else (taps - bands) // 2, groups=channels,
                         bias=False)
        bank = bands * _modulated(prototype_filter(bands, taps), bands, -1)
        weight = torch.tensor(bank, dtype=torch.float32).unsqueeze(1).repeat(channels, 1, 1)
        self.weight = nn.Parameter(weight, requires_grad=False)

    # takes the bands alone: the length is the stride's, trimmed, never an ``output_size``
    def forward(self, bands: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        audio = super().forward(bands)
        return audio[..., : -self.causal_trim] if self.causal_trim else audio

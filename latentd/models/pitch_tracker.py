"""YIN in torch, inside the encoder: two latent dimensions that carry pitch exactly.

A small conv encoder trained for hours on a CPU does not learn pitch to a few cents, and a conv
decoder cannot hold a pitch between multiples of its frame rate (``models.oscillator``). So a
model built with ``RaveConfig.pitch_latent`` does not learn its first two latent dimensions: the
encoder measures them with YIN (de Cheveigné & Kawahara, 2002), the same tracker that evaluation
uses (``latentd.train.pitch``, numpy), and the decoder's harmonic oscillator plays dimension 0
as its fundamental. Dimension 1 is YIN's periodicity, which tells the decoder how tonal a frame
is. Both are musically direct controls: a performer moving dimension 0 plays a melody.

The tracker is a :class:`~latentd.stream.frames.FrameAnalysis`: one window per latent frame, so
``streamify`` streams the encoder with it, and TorchScript exports it for nn~.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from latentd.models.oscillator import pitch_to_latent
from latentd.stream.frames import FrameAnalysis

WINDOW = 2048  # samples compared per lag (at 44.1 kHz; scaled with the rate)
FMIN = 40.0  # Hz: below the lowest bass note of the GM dataset
FMAX = 2500.0  # Hz: above a piccolo's highest fundamental
THRESHOLD = 0.15  # YIN's absolute threshold on the cumulative mean normalised difference
SILENCE = 1e-4  # window RMS (-80 dBFS) under which a frame has no pitch at all


class PitchTracker(FrameAnalysis):
    """Audio (batch, 1, samples) -> (batch, 2, samples // hop): the fundamental as a latent value
    (``oscillator.pitch_to_latent``) and the periodicity mapped to [-2, 2] (2 = periodic).

    Frame ``i`` is centred on the end of latent frame ``i`` (sample ``(i + 1) * hop``), where
    the decoder's oscillator has fully moved to that frame's pitch. A silent window gives the
    middle pitch (0) and periodicity -2. The window looks ahead, so a causal model's encoder
    (``lookahead=0``) ends the span at the frame's end instead, and lags. It then measures the
    span's newest ``window`` samples against older ones (YIN on the reversed span: the same
    periods), so its pitch and onsets lag half a window, not the 1.5 windows of the oldest.
    """

    if TYPE_CHECKING:  # buffers, typed for mypy (nn.Module.__getattr__ says Tensor | Module);
        # hidden from TorchScript, which cannot read this module's string annotations
        lags: torch.Tensor
        positions: torch.Tensor

    def __init__(self, sample_rate: int, hop: int, lookahead: float = 0.5):
        window = max(64, round(WINDOW * sample_rate / 44100))
        max_lag = min(math.ceil(sample_rate / FMIN), window)
        span = max(window + max_lag, hop)
        left = span - hop if lookahead == 0 else min(max(span // 2 - hop, 0), span - hop)
        super().__init__(span, hop, left, span - hop - left)
        self.newest_first = lookahead == 0  # causal: measure the newest samples (docstring)
        self.sample_rate = float(sample_rate)
        self.threshold = THRESHOLD  # attributes, not globals: TorchScript reads no float globals
        self.silence = SILENCE
        self.window = window
        self.max_lag = max_lag
        self.min_lag = max(2, int(sample_rate / FMAX))
        self.fft_size = 1 << math.ceil(math.log2(window + span))
        # from lists, not torch.arange: on the meta device (a checkpoint's shapes checked,
        # architecture_bounds.py) arange runs a Python reference that imports torch._dynamo
        self.register_buffer("lags", torch.tensor([float(lag) for lag in range(1, max_lag + 1)]),
                             persistent=False)
        self.register_buffer("positions", torch.tensor(list(range(max_lag + 1 - self.min_lag))),
                             persistent=False)

    def _normalised_difference(self, x: torch.Tensor) -> torch.Tensor:
        """YIN's cumulative mean normalised difference d'(tau), tau = 0..max_lag, per window
        (..., span), with the cross term from one FFT correlation."""
        n = self.fft_size
        head = torch.fft.rfft(x[..., : self.window], n=n)
        whole = torch.fft.rfft(x, n=n)
        cross = torch.fft.irfft(torch.conj(head) * whole, n=n)[..., : self.max_lag + 1]
        squares = torch.cumsum(torch.nn.functional.pad(x * x, [1, 0]), dim=-1)
        energy = (squares[..., self.window: self.window + self.max_lag + 1]
                  - squares[..., : self.max_lag + 1])
        difference = torch.clamp(energy[..., :1] + energy - 2.0 * cross, min=0.0)
        running = torch.cumsum(difference[..., 1:], dim=-1)
        normalised = difference[..., 1:] * self.lags / torch.clamp(running, min=1e-12)
        return torch.cat([torch.ones_like(difference[..., :1]), normalised], dim=-1)

    def _pick(self, normalised: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The lag per window: the first dip below the threshold followed down to its local
        minimum, else the global minimum; refined by a parabola. Returns (lag, d' there)."""
        search = normalised[..., self.min_lag:]
        below = search < self.threshold
        first = torch.where(below.any(dim=-1), below.to(torch.int64).argmax(dim=-1),
                            search.argmin(dim=-1))
        # the global minimum is a local one, so "first local minimum from ``first`` on" covers
        # both cases
        falls_next = torch.cat([search[..., 1:] < search[..., :-1],
                                torch.zeros_like(below[..., :1])], dim=-1)
        bottom = (~falls_next) & (self.positions >= first.unsqueeze(-1))
        index = bottom.to(torch.int64).argmax(dim=-1) + self.min_lag
        width = normalised.size(-1)
        left = normalised.gather(-1, torch.clamp(index - 1, min=0).unsqueeze(-1)).squeeze(-1)
        centre = normalised.gather(-1, index.unsqueeze(-1)).squeeze(-1)
        right = normalised.gather(-1, torch.clamp(index + 1, max=width - 1)
                                  .unsqueeze(-1)).squeeze(-1)
        curvature = left - 2.0 * centre + right
        bent = torch.abs(curvature) > 1e-12
        shift = torch.where(bent, 0.5 * (left - right)
                            / torch.where(bent, curvature, torch.ones_like(curvature)),
                            torch.zeros_like(curvature))
        return index.to(normalised.dtype) + torch.clamp(shift, -1.0, 1.0), centre

    def analyse(self, windows: torch.Tensor) -> torch.Tensor:
        x = windows.mean(dim=1)  # (batch, frames, span): channels mixed to mono
        if self.newest_first:
            x = x.flip(-1)
        lag, aperiodicity = self._pick(self._normalised_difference(x))
        sounding = torch.sqrt(torch.mean(x[..., : self.window] ** 2, dim=-1)) > self.silence
        pitch = torch.where(sounding, pitch_to_latent(self.sample_rate / lag),
                            torch.zeros_like(lag))
        periodicity = torch.where(sounding, 2.0 - 4.0 * torch.clamp(aperiodicity, 0.0, 1.0),
                                  torch.full_like(lag, -2.0))
        return torch.stack([pitch, periodicity], dim=1)

"""RAVE's ``CachedPQMF``: band analysis for encode, band synthesis for decode.

Analysis is a strided cached conv; synthesis a cached conv followed by interleaving the bands
into time (band ``m - 1 - j`` of frame ``t`` becomes sample ``t * m + j``, scaled by ``m``). The
interleave is written as a transposed conv whose weights pick one band per output phase, so that
``streamify`` streams it as one small matrix product per frame. RAVE's ``reverse_half`` flips
the sign of odd bands at even band-rate indices counted from the start of *each call*; it is
applied per block (:func:`reverse_half`), exactly as the export applies it.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from latentd.models.rave_rebuild.cached import conv_layer
from latentd.models.rave_rebuild.tree import Unrecognised, attribute, child, join, kind, tensor


def reverse_half(x: torch.Tensor) -> torch.Tensor:
    """``rave.pqmf.reverse_half`` on one block."""
    flipped = x.clone()
    flipped[..., 1::2, ::2] *= -1
    return flipped


class BandSynthesis(nn.Module):
    """(batch, bands, frames) -> (batch, 1, frames * bands): the synthesis conv and the
    interleave."""

    def __init__(self, conv: nn.Module, bands: int):
        super().__init__()
        self.conv = conv
        self.bands = bands
        interleave = nn.ConvTranspose1d(bands, 1, bands, stride=bands, bias=False)
        with torch.no_grad():
            interleave.weight.zero_()
            for phase in range(bands):
                interleave.weight[bands - 1 - phase, 0, phase] = 1.0
        self.interleave = interleave

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.interleave(self.conv(x) * self.bands)


def pqmf_parts(module: Any, path: str) -> tuple[nn.Module, nn.Module, int]:
    """(analysis, synthesis, bands) of a ``CachedPQMF``; identities for one band."""
    if kind(module) != "CachedPQMF":
        raise Unrecognised(f"{path}: band filter {kind(module)} is not one latentd rebuilds")
    bands = int(attribute(module, "n_band", path))
    if bands == 1:
        return nn.Identity(), nn.Identity(), 1
    if int(tensor(module, "hk", path).shape[0]) != bands:
        raise Unrecognised(f"{path} (CachedPQMF): filter bank size differs from n_band")
    analysis = conv_layer(child(module, "forward_conv", path), join(path, "forward_conv"))
    synthesis = conv_layer(child(module, "inverse_conv", path), join(path, "inverse_conv"))
    return analysis, BandSynthesis(synthesis, bands), bands


__all__ = ["BandSynthesis", "pqmf_parts", "reverse_half"]

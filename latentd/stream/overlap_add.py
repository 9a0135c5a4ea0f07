"""Overlap-add streaming: the baseline the paper compares against.

Each block re-renders a window of past input long enough to cover the model's receptive field,
keeps the part of the output that lies ``latency`` samples before the window's end, and
crossfades its head with the previous window's overhang. It needs no change to the model, but
every block pays for the whole window: that redundant compute is what cached convolutions save.
"""

import math
from fractions import Fraction

import torch
from torch import nn

from latentd.stream.module import StreamingModule


class OverlapAdd(nn.Module):
    """Stream ``model`` by re-rendering ``context`` past input samples with every block.

    ``crossfade`` output samples are rendered beyond each block and faded into the next one; they
    must fit in ``latency`` minus the model's own look-ahead.
    """

    def __init__(self, model: nn.Module, context: int, latency: int, ratio: Fraction,
                 input_multiple: int = 1, crossfade: int = 0):
        super().__init__()
        self.model = model
        self.context = math.ceil(context / input_multiple) * input_multiple
        self.latency = latency
        self.ratio = Fraction(ratio)
        self.input_multiple = input_multiple
        self.crossfade = crossfade
        self.history: torch.Tensor | None = None
        self.overhang: torch.Tensor | None = None

    @classmethod
    def like(cls, model: nn.Module, streaming: StreamingModule, crossfade: int = 0) -> "OverlapAdd":
        """The baseline at the same latency as ``streaming``, with context for exact output."""
        ahead = math.ceil(streaming.latency / streaming.ratio)
        return cls(model, streaming.receptive_field + ahead, streaming.latency, streaming.ratio,
                   streaming.input_multiple, crossfade)

    def reset(self) -> None:
        self.history = None
        self.overhang = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        block = x.shape[-1]
        if block == 0 or block % self.input_multiple:
            raise ValueError(f"block length {block} is not a positive multiple of "
                             f"{self.input_multiple}")
        if self.history is None or self.history.shape[:-1] != x.shape[:-1]:
            self.history = x.new_zeros(*x.shape[:-1], self.context)
        window = torch.cat([self.history, x], -1)
        self.history = window[..., block:]
        rendered = self.model(window)
        out_length = int(block * self.ratio)
        end = int(window.shape[-1] * self.ratio) - self.latency
        start = end - out_length
        segment = rendered[..., start : end + self.crossfade]
        out = segment[..., :out_length].clone()
        if self.crossfade and self.overhang is not None:
            fade = torch.linspace(0.0, 1.0, self.crossfade + 2, dtype=x.dtype)[1:-1]
            head = out[..., : self.crossfade]
            out[..., : self.crossfade] = self.overhang * (1 - fade) + head * fade
        self.overhang = segment[..., out_length:] if self.crossfade else None
        return out

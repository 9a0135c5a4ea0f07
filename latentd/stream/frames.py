"""Frame-wise analysis: a layer that looks at overlapping windows of its input, and its stream.

Some encoders need more than convolutions: a pitch tracker, for one, compares a window with
itself at every lag, which no fixed-weight conv expresses at a sane cost. Such a layer still
reads the signal the way a strided conv does (a window of ``span`` samples every ``hop``
samples, padded by ``left``/``right`` zeros), so it streams the same way: a cache of the last
``span - 1`` samples, and the windows gathered from cache plus block. Subclass
:class:`FrameAnalysis`, write :meth:`FrameAnalysis.analyse`, and ``streamify`` keeps the layer
whole (fx does not trace into it) and wraps it in :class:`StreamFrameAnalysis`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from latentd.stream.layers import _Cached


class FrameAnalysis(nn.Module):
    """(batch, channels, time) -> (batch, features, time // hop): ``analyse`` applied to each
    window of ``span`` samples taken every ``hop`` samples of the zero-padded input.

    ``left + right`` must be ``span - hop``, so that an input of ``n * hop`` samples gives ``n``
    frames, as a conv with that kernel, stride and padding would.
    """

    def __init__(self, span: int, hop: int, left: int, right: int):
        super().__init__()
        if span < hop or left < 0 or right < 0 or left + right != span - hop:
            raise ValueError(f"frame analysis needs span >= hop and left + right = span - hop, "
                             f"got span {span}, hop {hop}, padding ({left}, {right})")
        self.span = span
        self.hop = hop
        self.left = left
        self.right = right

    def analyse(self, windows: torch.Tensor) -> torch.Tensor:
        """(batch, channels, frames, span) windows -> (batch, features, frames)."""
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        padded = F.pad(x, [self.left, self.right])
        return self.analyse(padded.unfold(-1, self.span, self.hop))


class StreamFrameAnalysis(_Cached):
    """A :class:`FrameAnalysis` streamed: the analysis itself is the offline layer's, fed the
    same windows from a cache of the last ``span - 1 + delay`` samples (``delay`` aligns the
    input to the hop grid, as for a strided conv)."""

    __constants__ = [*_Cached.__constants__, "span", "hop"]  # noqa: RUF012

    def __init__(self, analysis: FrameAnalysis, delay: int, warmup: int):
        super().__init__(analysis.span - 1 + delay, warmup)
        self.analysis = analysis
        self.span = analysis.span
        self.hop = analysis.hop

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        xt = x.transpose(1, 2)
        joined = self._with_history(xt).contiguous()  # (batch, history + block, channels)
        batch, channels = joined.size(0), joined.size(2)
        frames = xt.size(1) // self.hop
        windows = joined.as_strided([batch, frames, self.span, channels],
                                    [joined.size(1) * channels, self.hop * channels, channels, 1])
        return self.analysis.analyse(windows.permute(0, 3, 1, 2))


class FrameAnalysisTracer(torch.fx.Tracer):
    """fx's default tracer, keeping frame analyses whole: their insides (FFTs, reductions over
    the window) are not ops the converter streams one by one."""

    def is_leaf_module(self, module: nn.Module, qualified_name: str) -> bool:
        return isinstance(module, FrameAnalysis) or super().is_leaf_module(module,
                                                                          qualified_name)


__all__ = ["FrameAnalysis", "FrameAnalysisTracer", "StreamFrameAnalysis"]

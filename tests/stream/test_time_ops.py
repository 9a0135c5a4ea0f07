"""Stride alignment (``latentd.stream.time_ops.stride_alignment``): every block is a whole number
of strides, so a strided window whose frame reads into its own stride, up to the stride's last
sample, is computed in the same block with no extra output frame. A causal encoder whose latent
frame has heard its whole frame then streams with latency 0, still exactly as offline."""

import pytest
import torch
from support.blocks import stream_in_blocks
from torch import nn

from latentd.stream import streamify
from latentd.stream.frames import FrameAnalysis
from latentd.stream.time_ops import stride_alignment


@pytest.mark.parametrize(("lag", "stride", "span", "expected"), [
    (3, 4, 7, -3),   # causal: the frame ends on its stride's last sample, read in the block
    (5, 4, 7, -1),   # one stride and one sample behind: one frame, not two
    (8, 4, 7, 0),    # already on the grid
    (3, 4, 2, 1),    # a cache of span + a samples cannot be negative: round up instead
    (-2, 4, 7, 2),   # ahead of the input (more left pad than span): wait for it
    (5, 1, 0, 0),    # no stride, nothing to align
])
def test_stride_alignment(lag, stride, span, expected):
    alignment = stride_alignment(lag, stride, span)
    assert alignment == expected
    assert (lag + alignment) % stride == 0 and lag + alignment >= 0
    assert alignment > -stride and span + alignment >= 0


def _causal_strided(stride: int, groups: int) -> nn.Module:
    """A causal encoder stage: each output frame reads its own stride and the one before."""
    return nn.Sequential(nn.ZeroPad1d((stride, 0)),
                         nn.Conv1d(4, 4, 2 * stride, stride=stride, groups=groups))


class _Window(FrameAnalysis):
    def analyse(self, windows: torch.Tensor) -> torch.Tensor:
        return windows.pow(2).mean(dim=-1)


MODELS = {
    # the matmul path and the grouped (F.conv1d) path of StreamConv1d
    "conv": lambda: nn.Sequential(nn.Conv1d(1, 4, 1), _causal_strided(4, 1), nn.Tanh(),
                                  _causal_strided(2, 1)),
    "grouped conv": lambda: nn.Sequential(nn.Conv1d(1, 4, 1), _causal_strided(4, 2), nn.Tanh(),
                                          _causal_strided(2, 4)),
    # frames reading exactly their own stride: no cache at all, the block itself is read
    "whole-stride conv": lambda: nn.Sequential(nn.Conv1d(1, 4, 4, stride=4), nn.Tanh(),
                                               nn.Conv1d(4, 4, 2, stride=2)),
    # a causal frame analysis ending on its hop's last sample (as default-causal's pitch tracker)
    "frame analysis": lambda: nn.Sequential(_Window(12, 4, 8, 0), nn.Conv1d(1, 2, 1),
                                            _causal_strided_two()),
}


def _causal_strided_two() -> nn.Module:
    return nn.Sequential(nn.ZeroPad1d((2, 0)), nn.Conv1d(2, 4, 4, stride=2))


@pytest.mark.parametrize("name", list(MODELS))
def test_causal_strided_stages_stream_with_zero_latency_exactly(name):
    torch.manual_seed(len(name))
    model = MODELS[name]().eval()
    stream = streamify(model)
    assert stream.latency == 0
    assert stream.input_multiple == 8
    x = torch.randn(2, 1, 8 * 24)
    with torch.inference_mode():
        offline = model(x)
        first = stream(x[..., :8])  # one whole frame in: that frame's output at once
        rest = stream_in_blocks(stream, x[..., 8:], [8, 24, 16, 40] * 2 + [8])
        scripted = torch.jit.script(streamify(model))
        one_by_one = torch.cat([scripted(x[..., i: i + 8]) for i in range(0, 8 * 24, 8)], -1)
    streamed = torch.cat([first, rest], -1)
    peak = offline.abs().max()
    assert peak > 0
    assert first.shape[-1] == 1
    assert (streamed - offline).abs().max() <= 1e-5 * peak
    assert (one_by_one - offline).abs().max() <= 1e-5 * peak


def test_a_frame_reading_past_its_stride_still_waits_for_the_next_block():
    """Reading one sample beyond its own stride, a frame needs the next block: one frame of
    latency remains, and the stream stays exact."""
    torch.manual_seed(3)
    model = nn.Sequential(nn.ZeroPad1d((3, 0)), nn.Conv1d(1, 2, 8, stride=4)).eval()
    stream = streamify(model)
    assert stream.latency == 1
    x = torch.randn(1, 1, 64)
    with torch.inference_mode():
        offline = model(x)
        streamed = stream_in_blocks(stream, x, [4, 8, 4, 12, 36])
    assert offline.shape[-1] == 15
    assert (streamed[..., 1:] - offline[..., :15]).abs().max() <= 1e-5 * offline.abs().max()

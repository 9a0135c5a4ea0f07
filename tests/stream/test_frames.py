"""Frame-wise analyses (``latentd.stream.frames``) stream like strided convs: any span, hop
and padding split, behind other layers and beside a conv branch, in blocks of any valid
lengths, and scripted."""

import pytest
import torch
from torch import nn

from latentd.stream import streamify
from latentd.stream.frames import FrameAnalysis


class WindowStats(FrameAnalysis):
    """Per window: energy and the largest absolute sample (not a convolution)."""

    def analyse(self, windows: torch.Tensor) -> torch.Tensor:
        x = windows.mean(dim=1)
        return torch.stack([x.pow(2).mean(dim=-1), x.abs().amax(dim=-1)], dim=1)


class Model(nn.Module):
    def __init__(self, span: int, hop: int, left: int):
        super().__init__()
        self.pre = nn.Conv1d(1, 2, 3, padding=1)
        self.frames = WindowStats(span, hop, left, span - hop - left)
        self.side = nn.Conv1d(1, 2, hop, stride=hop)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.frames(self.pre(x)) + self.side(x)


@pytest.mark.parametrize(("span", "hop", "left"), [(8, 4, 2), (37, 8, 0), (37, 8, 29),
                                                   (16, 16, 0), (50, 5, 7)])
def test_frame_analysis_streams_exactly(span, hop, left):
    torch.manual_seed(span + hop + left)
    model = Model(span, hop, left).eval()
    stream = streamify(model)
    scripted = torch.jit.script(streamify(model))
    x = torch.randn(2, 1, hop * 40)
    with torch.inference_mode():
        offline = model(x)
        lengths = [hop, 3 * hop, 2 * hop, 7 * hop] * 10
        pieces, at = [], 0
        for length in lengths:
            if at >= x.shape[-1]:
                break
            pieces.append(stream(x[..., at: at + length]))
            at += length
        streamed = torch.cat(pieces, -1)
        script_out = torch.cat([scripted(x[..., i: i + hop]) for i in range(0, x.shape[-1], hop)],
                               -1)
    lag = stream.latency
    span_out = offline.shape[-1] - lag
    peak = offline.abs().max()
    assert (streamed[..., lag:] - offline[..., :span_out]).abs().max() <= 1e-5 * peak
    assert (script_out - streamed).abs().max() <= 1e-5 * peak
    stream.reset()
    with torch.inference_mode():
        again = torch.cat([stream(x[..., i: i + hop]) for i in range(0, x.shape[-1], hop)], -1)
    assert torch.allclose(again, streamed, atol=1e-6)


def test_padding_must_make_one_frame_per_hop():
    with pytest.raises(ValueError, match="span - hop"):
        WindowStats(16, 4, 3, 3)
    with pytest.raises(ValueError, match="span >= hop"):
        WindowStats(4, 8, 0, 0)

"""cumsum along time streams with a carried total (an oscillator's phase); other axes stay
pointwise; a dtype argument is refused with a reason."""

import io

import pytest
import torch
from support.blocks import stream_in_blocks
from torch import nn

from latentd.stream import StreamingError, streamify


class PhaseModel(nn.Module):
    """Frames -> per-sample frequency -> running phase -> sine: the shape of an oscillator."""

    def __init__(self, cast: bool = True):
        super().__init__()
        self.head = nn.Conv1d(3, 2, 3, padding=1)
        self.up = nn.ConvTranspose1d(2, 2, 8, stride=4, padding=2)
        self.cast = cast

    def forward(self, z):
        frequency, level = torch.chunk(self.up(self.head(z)), 2, dim=1)
        rate = torch.sigmoid(frequency) * 0.2
        cycles = torch.cumsum(rate.double() if self.cast else rate, dim=-1)
        cycles = (cycles - torch.floor(cycles)).float()
        return torch.sin(6.283185307179586 * cycles) * level


@pytest.mark.parametrize("lengths", [[1] * 40, [3, 1, 7, 2, 9, 18], [40]])
def test_running_sum_streams_exactly(lengths):
    torch.manual_seed(0)
    model = PhaseModel().eval()
    x = torch.randn(2, 3, sum(lengths))
    stream = streamify(model)
    with torch.inference_mode():
        offline = model(x)
        streamed = stream_in_blocks(stream, x, lengths)
    assert stream.latency > 0  # the centred conv looks ahead: pre-signal samples must not count
    span = offline.shape[-1] - stream.latency
    error = (streamed[..., stream.latency:] - offline[..., :span]).abs().max()
    assert error <= 1e-5 * offline.abs().max()


def test_running_sum_resets_and_scripts():
    torch.manual_seed(1)
    model = PhaseModel().eval()
    x = torch.randn(1, 3, 30)
    stream = streamify(model)
    scripted = torch.jit.script(stream)
    buffer = io.BytesIO()
    torch.jit.save(scripted, buffer)
    buffer.seek(0)
    loaded = torch.jit.load(buffer)
    with torch.inference_mode():
        first = stream_in_blocks(stream, x, [5] * 6)
        stream.reset()
        second = stream_in_blocks(stream, x, [2] * 15)
        script_out = stream_in_blocks(loaded, x, [6] * 5)
    assert torch.equal(first, second)
    assert (script_out - first).abs().max() <= 1e-6 * first.abs().max()


def test_cumsum_over_channels_is_pointwise_in_time():
    class Channels(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv1d(3, 4, 3, padding=1)

        def forward(self, x):
            return torch.cumsum(self.conv(x), dim=1)

    model = Channels().eval()
    x = torch.randn(1, 3, 12)
    stream = streamify(model)
    with torch.inference_mode():
        streamed = stream_in_blocks(stream, x, [4, 4, 4])
        offline = model(x)
    assert torch.allclose(streamed[..., stream.latency:], offline[..., :12 - stream.latency],
                          atol=1e-6)


def test_cumsum_with_a_dtype_is_refused():
    class Typed(nn.Module):
        def forward(self, x):
            return torch.cumsum(x, dim=-1, dtype=torch.float64)

    with pytest.raises(StreamingError, match="takes a dtype"):
        streamify(Typed())

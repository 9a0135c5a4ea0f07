"""The streaming core's channels-first products (latentd/stream/layers.py), which RAVE-scale
decoders such as the rebuilt exports use: layers whose weights reach ``CHANNELS_FIRST_BYTES``
multiply (out x in) by (in x rows), or rows by the transposed (out, in) memory below
``FEW_ROWS`` rows. Streamed in blocks of several sizes and batch 2 (2 to 32 rows, both paths),
they must give the offline output, delayed by the stream's latency."""

import pytest
import torch
from torch import nn

from latentd.stream import streamify
from latentd.stream.layers import CHANNELS_FIRST_BYTES, StreamConv1d, StreamConvTranspose1d
from tests.support.blocks import stream_in_blocks


def _model() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv1d(16, 512, 3, padding=1),  # small: the (in x out) layout
        nn.LeakyReLU(0.2),
        nn.ConvTranspose1d(512, 384, 8, stride=4, padding=2),  # 6 MB: channels first
        nn.LeakyReLU(0.2),
        nn.Conv1d(384, 512, 3, dilation=3, padding=3),  # 2.4 MB: channels first
        nn.Conv1d(512, 8, 1),
    ).eval()


@pytest.mark.parametrize("lengths", [[1] * 8, [2, 3, 1, 2], [8]])
def test_channels_first_products_stream_as_offline(lengths):
    model = _model()
    stream = streamify(model)
    layers = [m for m in stream.modules() if isinstance(m, (StreamConv1d, StreamConvTranspose1d))]
    assert [m.channels_first for m in layers] == [False, True, True, False]
    for layer in layers:
        matrix = layer.weight_t if isinstance(layer, StreamConv1d) else layer.weight_matrix
        assert (matrix.numel() * 4 >= CHANNELS_FIRST_BYTES) == layer.channels_first
    x = torch.randn(2, 16, 8)
    with torch.inference_mode():
        offline = model(x)
        scripted = torch.jit.script(stream)
        got = stream_in_blocks(scripted.forward, x, lengths)
    delay = stream.latency
    assert delay < got.shape[-1]
    torch.testing.assert_close(got[..., delay:], offline[..., : got.shape[-1] - delay],
                               atol=1e-5, rtol=1e-4)

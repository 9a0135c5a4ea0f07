"""StreamingModule behaviour: figures, reset, batch changes, scripting, and leaving the model be."""

import io
from fractions import Fraction

import pytest
import torch
from support.blocks import stream_in_blocks
from torch import nn

from latentd.demo import small_decoder
from latentd.stream import streamify


def assert_matches_offline(model, stream, x, lengths):
    with torch.inference_mode():
        offline = model(x)
        streamed = stream_in_blocks(stream, x, lengths)
    span = min(offline.shape[-1], streamed.shape[-1] - stream.latency)
    assert span > 0
    error = (streamed[..., stream.latency : stream.latency + span] - offline[..., :span]).abs()
    assert error.max() <= 1e-5 * offline.abs().max()


@pytest.fixture(scope="module")
def decoder():
    torch.manual_seed(1)
    return small_decoder(latent=4, ratios=(2, 4)).eval()


def test_decoder_figures(decoder):
    stream = streamify(decoder)
    assert stream.ratio == 8
    assert stream.input_multiple == 1
    assert stream.latency > 0
    assert stream.receptive_field > 0


def test_decoder_streams_exactly_in_mixed_blocks(decoder):
    stream = streamify(decoder)
    assert_matches_offline(decoder, stream, torch.randn(2, 4, 40), [1, 2, 7, 1, 13, 16])


def test_reset_makes_a_second_run_identical(decoder):
    stream = streamify(decoder)
    x = torch.randn(1, 4, 24)
    with torch.inference_mode():
        first = stream_in_blocks(stream, x, [3] * 8)
        stream.reset()
        second = stream_in_blocks(stream, x, [3] * 8)
    assert torch.equal(first, second)


def test_new_batch_size_restarts_the_stream(decoder):
    stream = streamify(decoder)
    x = torch.randn(3, 4, 16)
    with torch.inference_mode():
        stream(torch.randn(1, 4, 8))
        restarted = stream_in_blocks(stream, x, [4] * 4)
        stream.reset()
        fresh = stream_in_blocks(stream, x, [4] * 4)
    assert torch.equal(restarted, fresh)


def test_scripted_module_saves_loads_and_matches(decoder):
    stream = streamify(decoder)
    scripted = torch.jit.script(streamify(decoder))
    buffer = io.BytesIO()
    torch.jit.save(scripted, buffer)
    buffer.seek(0)
    loaded = torch.jit.load(buffer)
    x = torch.randn(2, 4, 12)
    with torch.inference_mode():
        expected = stream_in_blocks(stream, x, [2, 4, 6])
        assert torch.equal(stream_in_blocks(loaded, x, [2, 4, 6]), expected)
        loaded.reset()
        assert torch.equal(stream_in_blocks(loaded, x, [6, 6]), expected)
    assert loaded.latency == stream.latency
    assert loaded.input_multiple == stream.input_multiple


def test_causal_model_has_zero_latency():
    torch.manual_seed(0)
    causal = nn.Sequential(
        nn.ConstantPad1d((4, 0), 0.0), nn.Conv1d(2, 4, 5), nn.ReLU(),
        nn.ZeroPad1d((6, 0)), nn.Conv1d(4, 4, 3, dilation=3), nn.Tanh(),
        nn.Conv1d(4, 1, 1),
    )
    stream = streamify(causal)
    assert stream.latency == 0
    assert_matches_offline(causal, stream, torch.randn(1, 2, 30), [1] * 30)


def test_encoder_ratio_is_a_fraction():
    torch.manual_seed(0)
    encoder = nn.Sequential(
        nn.Conv1d(1, 4, 7, padding=3), nn.LeakyReLU(0.2),
        nn.Conv1d(4, 8, 8, stride=4, padding=2), nn.LeakyReLU(0.2),
        nn.Conv1d(8, 8, 6, stride=2, padding=2), nn.Conv1d(8, 3, 3, padding=1),
    )
    stream = streamify(encoder)
    assert stream.ratio == Fraction(1, 8)
    assert stream.input_multiple == 8
    assert_matches_offline(encoder, stream, torch.randn(2, 1, 256), [8, 16, 8, 64, 32, 128])


def test_original_model_is_left_untouched(decoder):
    decoder.train()
    before = {k: v.clone() for k, v in decoder.state_dict().items()}
    stream = streamify(decoder)
    with torch.inference_mode():
        stream(torch.randn(1, 4, 4))
    assert decoder.training
    decoder.eval()
    after = decoder.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_float64_stream():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv1d(2, 3, 5, padding=2), nn.ConvTranspose1d(3, 1, 4, 2, 1))
    model = model.double()
    stream = streamify(model)
    assert_matches_offline(model, stream, torch.randn(1, 2, 20, dtype=torch.float64), [5] * 4)


def test_cropping_the_start_becomes_delay():
    class Cropped(nn.Module):
        def __init__(self):
            super().__init__()
            self.up = nn.ConvTranspose1d(2, 2, 4, 2)  # offline length 2T + 2
            self.conv = nn.Conv1d(2, 1, 3, padding=1)

        def forward(self, x):
            return self.conv(self.up(x)[..., 1:-1])

    torch.manual_seed(0)
    model = Cropped()
    stream = streamify(model)
    assert stream.ratio == 2
    assert_matches_offline(model, stream, torch.randn(1, 2, 16), [1, 3, 4, 8])

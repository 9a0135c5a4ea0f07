"""The harmonic oscillator branch: pitch free of the frame grid, silent partials above Nyquist,
and streaming through a carried phase."""

import math

import numpy as np
import pytest
import torch

from latentd.models.oscillator import F0_MAX, F0_MIN, FrameInterpolator, HarmonicOscillator
from latentd.models.rave import RaveConfig, RaveModel
from latentd.stream import streamify
from latentd.train.pitch import cents, yin

RATE = 44100
RATIO = 1024


def steady(frequency: float, harmonics: int = 8, level: float = 1.0) -> HarmonicOscillator:
    """An oscillator whose head ignores the latents and holds ``frequency``."""
    oscillator = HarmonicOscillator(4, harmonics, RATIO, RATE).eval()
    last = oscillator.head[-1]
    with torch.no_grad():
        last.weight.zero_()
        position = math.log(frequency / F0_MIN) / math.log(F0_MAX / F0_MIN)
        last.bias.zero_()
        last.bias[0] = (position - 0.5) / 0.25  # the head's pitch output -> position
        last.bias[1] = math.log(math.expm1(level))  # softplus^-1
    return oscillator


@pytest.mark.parametrize("frequency", [110.0, 233.08, 440.0, 1000.0])
def test_steady_latents_hold_any_pitch_not_only_multiples_of_the_frame_rate(frequency):
    oscillator = steady(frequency)
    with torch.inference_mode():
        audio = oscillator(torch.zeros(1, 4, 40))[0, 0].numpy()
    track = yin(audio[RATIO * 4:], RATE)
    assert track.voiced.mean() > 0.9
    error = np.nanmedian(np.abs(cents(track.f0[track.voiced], frequency)))
    assert error < 5.0
    grid = RATE / RATIO
    if abs(frequency / grid - round(frequency / grid)) > 0.1:  # a conv decoder could not
        period = audio[RATIO * 8: RATIO * 9] - audio[RATIO * 9: RATIO * 10]
        assert np.abs(period).max() > 0.1  # the output does not repeat every frame


def test_partials_above_nyquist_are_silent():
    frequency = 3900.0
    oscillator = steady(frequency, harmonics=16)
    with torch.inference_mode():
        audio = oscillator(torch.zeros(1, 4, 16))[0, 0, RATIO * 4:].numpy()
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio))))
    bins = np.fft.rfftfreq(len(audio), 1 / RATE)
    allowed = [k * frequency for k in range(1, 6)]  # 5 * 3900 < 22050 <= 6 * 3900
    near = np.zeros_like(bins, dtype=bool)
    for f in allowed:
        near |= np.abs(bins - f) < 100
    assert spectrum[~near].max() < 1e-3 * spectrum.max()  # no aliased partials


def test_interpolator_moves_linearly_from_frame_to_frame():
    frames = torch.tensor([[[0.0, 1.0, 3.0]]])
    out = FrameInterpolator(4)(frames)[0, 0]
    expected = torch.tensor([0.0, 0.0, 0.0, 0.0, 0.125, 0.375, 0.625, 0.875,
                             1.25, 1.75, 2.25, 2.75])
    assert torch.allclose(out, expected)


def test_decoder_with_oscillator_streams_and_scripts():
    torch.manual_seed(0)
    config = RaveConfig.tiny(noise=False, harmonics=4)
    model = RaveModel(config).eval()
    with torch.no_grad():  # make the branch loud enough to matter
        model.decoder.oscillator.head[-1].bias[1] = 1.0
    stream = streamify(model.decoder)
    scripted = torch.jit.script(streamify(model.decoder))
    z = torch.randn(2, config.latent_size, 24)
    with torch.inference_mode():
        offline = model.decoder(z)
        streamed = torch.cat([stream(z[..., i:i + 3]) for i in range(0, 24, 3)], -1)
        script_out = torch.cat([scripted(z[..., i:i + 2]) for i in range(0, 24, 2)], -1)
    lag = stream.latency
    span = offline.shape[-1] - lag
    peak = offline.abs().max()
    # the phase integrates float32 rounding differences of the frequency between the conv and
    # matmul paths, so the stream matches offline to about 1e-5 of peak per second of audio
    assert (streamed[..., lag:] - offline[..., :span]).abs().max() <= 1e-4 * peak
    assert (script_out - streamed).abs().max() <= 1e-4 * peak


def test_models_without_harmonics_have_no_oscillator():
    assert RaveModel(RaveConfig.tiny()).decoder.oscillator is None
    assert RaveConfig.from_dict(RaveConfig.tiny().to_dict()).harmonics == 0


def test_a_causal_model_keeps_latency_zero_with_an_oscillator():
    model = RaveModel(RaveConfig.tiny(noise=False, lookahead=0.0, harmonics=4)).eval()
    assert streamify(model.decoder).latency == 0

"""The encoder's measured pitch dimensions: YIN in torch agrees with the evaluation's numpy YIN,
streams block by block, scripts, and the oscillator plays what it measured."""

import math

import numpy as np
import pytest
import torch

from latentd.models.oscillator import F0_MAX, F0_MIN, pitch_to_latent
from latentd.models.pitch_tracker import PitchTracker
from latentd.models.rave import EncoderMean, RaveConfig, RaveModel
from latentd.stream import streamify
from latentd.train.pitch import cents, yin

RATE = 44100


def tone(frequency: float, seconds: float = 1.5, partials: int = 6) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return 0.3 * sum(np.sin(2 * np.pi * frequency * k * t) / k
                     for k in range(1, partials + 1) if frequency * k < RATE / 2)


def latent_to_hz(value: np.ndarray) -> np.ndarray:
    return F0_MIN * np.exp((0.5 + 0.25 * value) * math.log(F0_MAX / F0_MIN))


@pytest.mark.parametrize("frequency", [41.2, 98.0, 233.08, 440.0, 1318.5, 2349.3])
def test_measured_pitch_matches_the_evaluation_tracker_within_a_cent(frequency):
    audio = tone(frequency)
    measured = PitchTracker(RATE, 1024)(torch.tensor(audio, dtype=torch.float32).view(1, 1, -1))
    pitch, periodicity = measured[0, 0, 4:-4].numpy(), measured[0, 1, 4:-4].numpy()
    reference = np.nanmedian(yin(audio, RATE).f0)
    assert np.max(np.abs(cents(latent_to_hz(pitch), reference))) < 1.0
    assert np.max(np.abs(cents(latent_to_hz(pitch), frequency))) < 5.0
    assert periodicity.min() > 1.5  # a harmonic tone is periodic (2 = perfectly)


def test_silence_and_noise_are_told_apart_from_tones():
    tracker = PitchTracker(RATE, 1024)
    silent = tracker(torch.zeros(1, 1, RATE))
    assert torch.all(silent[0, 0] == 0.0) and torch.all(silent[0, 1] == -2.0)
    noise = tracker(torch.randn(1, 1, RATE, generator=torch.Generator().manual_seed(0)) * 0.1)
    assert noise[0, 1, 4:-4].mean() < 0.0  # aperiodic


def test_pitch_latent_round_trips_through_the_oscillator_scale():
    hz = torch.tensor([41.2, 440.0, 2000.0])
    assert torch.allclose(torch.tensor(latent_to_hz(pitch_to_latent(hz).numpy())), hz,
                          rtol=1e-5)


def test_frames_follow_the_encoder_frame_count():
    for ratio in (16, 256, 1024, 2048):
        tracker = PitchTracker(RATE, ratio)
        assert tracker(torch.zeros(2, 1, ratio * 7)).shape == (2, 2, 7)


def small_config(**overrides: object) -> RaveConfig:
    return RaveConfig.tiny(latent_size=5, harmonics=4, pitch_latent=True, **overrides)


def test_encoder_measures_the_first_two_dimensions_and_learns_the_rest():
    torch.manual_seed(0)
    model = RaveModel(small_config()).eval()
    audio = torch.tensor(tone(440.0, 0.5), dtype=torch.float32).view(1, 1, -1)
    audio = audio[..., : audio.shape[-1] // 16 * 16]
    mean, logvar = model.encode(audio)
    expected = PitchTracker(RATE, model.config.ratio)(audio)
    assert torch.equal(mean[:, :2], expected)
    assert torch.all(logvar[:, :2] == -10.0)
    model.train()
    z = model.sample(mean, logvar)
    assert torch.equal(z[:, :2], mean[:, :2])  # no sampling noise on measured dimensions
    assert not torch.equal(z[:, 2:], mean[:, 2:])


@pytest.mark.parametrize("lookahead", [0.5, 0.0])
def test_encoder_with_pitch_streams_exactly_and_scripts(lookahead):
    torch.manual_seed(1)
    model = RaveModel(small_config(lookahead=lookahead)).eval()
    encoder = EncoderMean(model.encoder)
    stream = streamify(encoder)
    scripted = torch.jit.script(streamify(encoder))
    audio = torch.tensor(tone(330.0, 0.4), dtype=torch.float32).view(1, 1, -1)
    audio = audio[..., : audio.shape[-1] // 64 * 64]
    with torch.inference_mode():
        offline = encoder(audio)
        streamed = torch.cat([stream(audio[..., i:i + 64])
                              for i in range(0, audio.shape[-1], 64)], -1)
        script_out = torch.cat([scripted(audio[..., i:i + 32])
                                for i in range(0, audio.shape[-1], 32)], -1)
    lag = stream.latency
    # causal (lookahead 0): fed whole frames, a frame's latent comes out in its own block
    assert lag == 0 if lookahead == 0 else lag >= PitchTracker(RATE, 16).right // 16
    span = offline.shape[-1] - lag
    assert torch.allclose(streamed[..., lag:], offline[..., :span], atol=1e-4)
    assert torch.allclose(script_out, streamed, atol=1e-4)


def test_decoder_plays_the_measured_pitch():
    torch.manual_seed(2)
    config = RaveConfig(latent_size=4, bands=16, capacity=4, ratios=(4, 4, 4),
                        dilations=(1,), harmonics=4, pitch_latent=True)
    model = RaveModel(config).eval()
    oscillator = model.decoder.oscillator
    with torch.no_grad():  # a loud oscillator, so its pitch dominates the untrained conv branch
        oscillator.head[-1].bias[0] = 3.0
    z = torch.zeros(1, 4, 60)
    z[:, 0] = pitch_to_latent(torch.tensor(277.18))
    with torch.inference_mode():
        audio = oscillator(z)[0, 0].numpy()
    track = yin(audio[1024 * 4:], RATE)
    assert np.nanmedian(np.abs(cents(track.f0, 277.18))) < 5.0


def test_pitch_latent_needs_an_oscillator_and_learned_dimensions():
    with pytest.raises(ValueError, match="pitch_latent"):
        RaveConfig.tiny(pitch_latent=True)
    with pytest.raises(ValueError, match="pitch_latent"):
        RaveConfig.tiny(latent_size=2, harmonics=4, pitch_latent=True)

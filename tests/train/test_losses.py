"""Basic properties of the training losses."""

import math

import pytest
import torch

from latentd.train.losses import (
    discriminator_hinge,
    feature_matching,
    generator_hinge,
    kl_divergence,
    log_magnitude_distance,
    multiscale_stft,
    spectral_convergence,
    stft_magnitude,
)


def noise(*shape, seed=0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed)) * 0.1


def test_stft_distance_is_zero_for_identical_and_positive_otherwise():
    x = noise(2, 1, 4096)
    assert float(multiscale_stft(x, x.clone())) == pytest.approx(0.0, abs=1e-6)
    assert float(multiscale_stft(x * 0.5, x)) > 0.1
    assert float(multiscale_stft(noise(2, 1, 4096, seed=1), x)) > 0.1


def test_stft_distance_ignores_phase_but_not_spectrum():
    t = torch.arange(8192) / 44100
    sine = torch.sin(2 * torch.pi * 1000 * t).reshape(1, 1, -1)
    shifted = torch.sin(2 * torch.pi * 1000 * t + 1.0).reshape(1, 1, -1)
    other = torch.sin(2 * torch.pi * 3000 * t).reshape(1, 1, -1)
    assert float(multiscale_stft(shifted, sine)) < 0.2 * float(multiscale_stft(other, sine))


def test_stft_distance_is_differentiable_and_skips_long_windows():
    x = noise(1, 1, 300)
    y = noise(1, 1, 300, seed=2).requires_grad_()
    loss = multiscale_stft(y, x, sizes=(2048, 256, 64))  # 2048 > 300 is skipped
    loss.backward()
    assert y.grad is not None and torch.isfinite(y.grad).all()
    with pytest.raises(ValueError):
        multiscale_stft(x, noise(1, 1, 200))


def test_spectral_parts():
    x = stft_magnitude(noise(1, 1, 2048), 256)
    assert float(spectral_convergence(x, x)) == 0.0
    assert float(spectral_convergence(2 * x, x)) == pytest.approx(1.0, rel=1e-4)
    assert float(log_magnitude_distance(x, x)) == 0.0
    assert float(log_magnitude_distance(2 * x, x)) > 0


def test_kl_is_zero_at_the_prior_and_positive_elsewhere():
    mean, logvar = torch.zeros(2, 4, 5), torch.zeros(2, 4, 5)
    assert float(kl_divergence(mean, logvar)) == 0.0
    assert float(kl_divergence(mean + 1, logvar)) == pytest.approx(4 * 0.5)  # 4 dims x 0.5
    assert float(kl_divergence(mean, logvar - 1)) > 0


def test_free_bits_floor_each_dimension():
    mean, logvar = torch.zeros(1, 3, 2), torch.zeros(1, 3, 2)
    assert float(kl_divergence(mean, logvar, free_bits=0.25)) == pytest.approx(0.75)
    mean.requires_grad_()
    kl_divergence(mean, logvar, free_bits=0.25).backward()
    assert float(mean.grad.abs().sum()) == 0.0  # under the floor: no pull to the prior


def test_hinge_and_feature_matching():
    confident = [torch.full((2, 1, 4), 2.0)]
    assert float(discriminator_hinge(confident, [-c for c in confident])) == 0.0
    assert float(discriminator_hinge([-c for c in confident], confident)) == pytest.approx(6.0)
    assert float(generator_hinge(confident)) == pytest.approx(-2.0)
    features = [[noise(1, 2, 8), noise(1, 3, 4, seed=1)]]
    assert float(feature_matching(features, features)) == 0.0
    other = [[f + 1 for f in features[0]]]
    assert float(feature_matching(features, other)) == pytest.approx(1.0)


def test_pitch_targets_follow_the_frames_of_each_clip():
    import numpy as np

    from latentd.train.losses import pitch_error, pitch_targets

    rate, hop, frames = 44100, 1024, 24
    t = np.arange(hop * frames) / rate
    tones = [0.5 * np.sin(2 * np.pi * f * t) for f in (110.0, 440.0, 1500.0)]
    silence = np.zeros_like(t)
    audio = torch.tensor(np.stack([*tones, silence])[:, None], dtype=torch.float32)
    targets = pitch_targets(audio, hop, rate, frames)
    assert targets.shape == (4, frames)
    for row, frequency in enumerate((110.0, 440.0, 1500.0)):
        voiced = targets[row][torch.isfinite(targets[row])]
        assert len(voiced) >= frames - 3
        assert (voiced / frequency - 1).abs().max() < 0.01
    assert not torch.isfinite(targets[3]).any()

    class Config:
        ratio, sample_rate = hop, rate

    from latentd.models.oscillator import F0_MAX, F0_MIN

    def position(hz):
        return torch.log(hz / F0_MIN) / math.log(F0_MAX / F0_MIN)

    exact = torch.tensor([110.0, 440.0, 1500.0, 300.0]).view(4, 1, 1).expand(4, 1, frames)
    assert pitch_error(position(exact).requires_grad_(), audio, Config()) < 0.01
    octave_up = position(exact * 2).requires_grad_()
    error = pitch_error(octave_up, audio, Config())
    assert abs(error.item() - 1.0) < 0.01
    error.backward()
    assert octave_up.grad is not None and octave_up.grad.abs().sum() > 0


def test_pitch_error_keeps_a_gradient_far_outside_the_range():
    """The position is unclamped: a head pinned far below 30 Hz still learns."""
    import numpy as np

    from latentd.train.losses import pitch_error

    class Config:
        ratio, sample_rate = 1024, 44100

    t = np.arange(1024 * 8) / 44100
    audio = torch.tensor(0.5 * np.sin(2 * np.pi * 440 * t), dtype=torch.float32).view(1, 1, -1)
    pinned = torch.full((1, 1, 8), -3.0, requires_grad=True)
    pitch_error(pinned, audio, Config()).backward()
    assert pinned.grad is not None and (pinned.grad < 0).any()  # pushes the pitch up

import numpy as np
import pytest

from latentd.train.metrics import envelope_correlation, level_db, rms_db, spectral_centroid

RATE = 44100


def decaying(frequency=220.0, seconds=1.0, rate=RATE, decay=4.0):
    t = np.arange(int(seconds * rate)) / rate
    return np.exp(-decay * t) * np.sin(2 * np.pi * frequency * t)


def test_envelope_correlation_follows_loudness_not_waveform():
    note = decaying()
    other_timbre = decaying(frequency=660.0)  # same envelope, other pitch
    assert envelope_correlation(note, other_timbre, RATE) > 0.99
    assert envelope_correlation(note, note[::-1].copy(), RATE) < 0


def test_envelope_floor_ignores_how_deep_silence_goes():
    note = np.concatenate([decaying(seconds=0.5), np.zeros(RATE // 2)])
    noisy_silence = note.copy()
    noisy_silence[RATE // 2:] = 1e-5 * np.random.default_rng(0).standard_normal(RATE // 2)
    assert envelope_correlation(note, noisy_silence, RATE) > 0.99


def test_rms_db_and_level_of_a_full_scale_sine():
    sine = np.sin(2 * np.pi * 1000 * np.arange(RATE) / RATE)
    assert level_db(sine) == pytest.approx(-3.01, abs=0.01)
    assert np.allclose(rms_db(sine, RATE), -3.01, atol=0.05)


@pytest.mark.parametrize("frequency", [200.0, 1000.0, 5000.0])
def test_centroid_of_a_sine_is_its_frequency(frequency):
    sine = np.sin(2 * np.pi * frequency * np.arange(RATE) / RATE)
    assert spectral_centroid(sine, RATE) == pytest.approx(frequency, rel=0.02)


def test_centroid_rises_with_brightness_and_is_nan_for_silence():
    t = np.arange(RATE) / RATE
    dull = np.sin(2 * np.pi * 200 * t)
    bright = dull + 0.5 * np.sin(2 * np.pi * 4000 * t)
    assert spectral_centroid(bright, RATE) > 2 * spectral_centroid(dull, RATE)
    assert np.isnan(spectral_centroid(np.zeros(RATE), RATE))

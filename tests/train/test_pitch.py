"""The YIN tracker evaluation relies on: right pitch, voicing that excludes noise and silence."""

import numpy as np
import pytest

from latentd.train.pitch import FLOOR_DB, cents, midi_to_hz, yin

RATE = 44100


def tone(frequency, seconds=0.5, partials=5, rate=RATE):
    t = np.arange(int(seconds * rate)) / rate
    return sum(np.sin(2 * np.pi * k * frequency * t) / k for k in range(1, partials + 1))


@pytest.mark.parametrize("pitch", [29, 45, 60, 69, 84, 100])
def test_tracks_harmonic_tones_across_the_dataset_range(pitch):
    f = midi_to_hz(pitch)
    track = yin(0.3 * tone(f), RATE)
    assert track.voiced.all()
    assert np.abs(cents(track.f0, f)).max() < 5


def test_a_missing_fundamental_is_still_heard():
    """Partials 2..6 of 110 Hz: the ear (and YIN) hears 110 Hz, not 220."""
    t = np.arange(RATE // 2) / RATE
    audio = sum(np.sin(2 * np.pi * 110 * k * t) for k in range(2, 7))
    assert np.median(yin(audio, RATE).f0) == pytest.approx(110, rel=0.01)


def test_noise_and_silence_are_unvoiced():
    rng = np.random.default_rng(0)
    assert not yin(0.3 * rng.standard_normal(RATE // 2), RATE).voiced.any()
    assert not yin(np.zeros(RATE // 2), RATE).voiced.any()


def test_quiet_tail_is_unvoiced_by_the_level_floor():
    audio = 0.3 * tone(220.0, seconds=1.0)
    audio[RATE // 2:] *= 10 ** ((FLOOR_DB - 10) / 20)  # a tail below the floor, still periodic
    track = yin(audio, RATE)
    starts = np.arange(len(track.voiced)) * track.hop
    assert track.voiced[starts + 2048 < RATE // 2].all()
    assert not track.voiced[starts > RATE // 2].any()


def test_a_semitone_is_a_hundred_cents():
    a, b = yin(tone(440.0), RATE), yin(tone(midi_to_hz(70)), RATE)
    assert np.median(cents(b.f0, a.f0)) == pytest.approx(100, abs=2)


def test_too_short_signal_gives_an_empty_track():
    track = yin(np.ones(100), RATE)
    assert track.f0.shape == (0,) and track.voiced.shape == (0,)

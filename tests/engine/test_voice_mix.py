"""The voices' mix (engine/voice_mix.py): equal-power pan at 0 dB centre, one channel per voice,
level ramps that never click, and per-voice levels."""

import math

import numpy as np

from latentd.engine.controls import VoiceState
from latentd.engine.voice_mix import VOICE_FADE_MS, VoiceMix, pan_gains


def voices(count: int, **fields) -> list[VoiceState]:
    out = []
    for _ in range(count):
        voice = VoiceState.neutral(2)
        for name, value in fields.items():
            setattr(voice, name, value)
        out.append(voice)
    return out


def tone(rows: int, samples: int = 441) -> np.ndarray:
    t = np.arange(samples) / 44100
    return np.stack([[np.sin(2 * np.pi * 220 * (i + 1) * t)] for i in range(rows)]
                    ).astype(np.float32)


def test_the_pan_law_is_equal_power_with_unity_at_the_centre():
    assert pan_gains(0.0) == (1.0, 1.0)
    left, right = pan_gains(-1.0)
    assert math.isclose(left, math.sqrt(2), rel_tol=1e-6) and abs(right) < 1e-6
    for pan in np.linspace(-1, 1, 9):
        gl, gr = pan_gains(float(pan))
        assert math.isclose(gl * gl + gr * gr, 2.0, rel_tol=1e-5)


def test_one_centred_voice_plays_as_before_voices_existed():
    audio = tone(1)
    out = VoiceMix(44100, 2).mix(audio, voices(1))
    assert np.array_equal(out[:, 0], audio[0, 0]) and np.array_equal(out[:, 1], audio[0, 0])


def test_panned_voices_sum_in_the_stereo_mix():
    audio = tone(2)
    out = VoiceMix(44100, 2, max_voices=2).mix(audio, [*voices(1, pan=-1.0), *voices(1, pan=1.0)])
    assert np.allclose(out[:, 0], audio[0, 0] * np.float32(math.sqrt(2)), atol=1e-6)
    assert np.allclose(out[:, 1], audio[1, 0] * np.float32(math.sqrt(2)), atol=1e-6)


def test_voice_outputs_give_each_voice_its_channel_and_idle_rows_are_not_heard():
    audio = tone(4)  # 4 rows decoded (a fixed batch), 3 voices play
    mix = VoiceMix(44100, 2, voice_outputs=True, max_voices=4)
    out = mix.mix(audio, voices(3, pan=0.7))
    assert out.shape == (441, 4)
    for i in range(3):
        assert np.array_equal(out[:, i], audio[i, 0])
    assert not out[:, 3].any()
    assert len(mix.voice_peaks) == 3 and len(mix.voice_peaks[0]) == 1


def test_a_mute_or_a_release_fades_within_the_fade_time_and_a_new_voice_fades_in():
    audio = np.ones((2, 1, 441), np.float32)  # 10 ms blocks
    mix = VoiceMix(44100, 1, max_voices=2)
    playing = voices(1)
    assert np.array_equal(mix.mix(audio, playing)[:, 0], np.ones(441))  # starts at its level
    playing[0].gate = 0.0  # a note released
    faded = mix.mix(audio, playing)[:, 0]
    assert faded[0] > 0.99 and faded[-1] == 0.0 and np.all(np.diff(faded) <= 0)
    assert np.abs(np.diff(faded)).max() <= 1.0 / (44100 * VOICE_FADE_MS / 1000) + 1e-6
    playing[0].gate = 1.0
    two = [*playing, *voices(1)]
    out = mix.mix(audio, two)[:, 0]  # voice 0 comes back, voice 1 is new: both fade in
    assert out[0] < 0.01 and math.isclose(out[-1], 2.0, rel_tol=1e-6)


def test_levels_follow_gain_and_pan():
    mix = VoiceMix(44100, 2, max_voices=1)
    mix.mix(tone(1), voices(1, gain_db=-6.0, pan=-1.0))
    peak_left, peak_right = mix.voice_peaks[0]
    assert math.isclose(peak_left, -6.0 + 20 * math.log10(math.sqrt(2)), abs_tol=0.05)
    assert peak_right <= -100


def test_a_lone_centred_voice_at_unity_mixes_as_the_general_path_does(monkeypatch):
    """The shortcut for one plain voice (no ramps, no per-voice meters) gives the very samples
    the general path gives, on a mono and a stereo output, and copies them."""
    audio = tone(1)
    for channels in (1, 2):
        fast = VoiceMix(44100, channels).mix(audio, voices(1))
        general = VoiceMix(44100, channels)
        monkeypatch.setattr(general, "_plain", lambda *args: False)
        expected = general.mix(audio, voices(1))
        assert fast.shape == expected.shape == (audio.shape[-1], channels)
        assert np.array_equal(fast, expected) and not np.shares_memory(fast, audio)

"""Audio inputs (issue 19): a looping file at real-time pace, the input stage's channel picking,
mix-down, gain and resampling (48 kHz and 22.05 kHz files to a 44.1 kHz model), and refusals."""

import time

import numpy as np
import pytest
import soundfile

from latentd.audio.input import InputError, check_format, parse_channels
from latentd.audio.input_factory import open_input
from latentd.audio.ring import RingBuffer
from latentd.audio.wav_input import WavInput
from latentd.engine.input_stage import InputStage, mix_down

MODEL_RATE = 44100


def write(path, audio, rate):
    soundfile.write(path, audio, rate, subtype="FLOAT")
    return path


def tone(hz, seconds, rate, amplitude=0.5):
    t = np.arange(round(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def dominant_hz(audio, rate):
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio))))
    return np.argmax(spectrum) * rate / len(audio)


def test_wav_input_loops_sample_exactly(tmp_path):
    ramp = np.arange(100, dtype=np.float32) / 100
    source = WavInput(write(tmp_path / "ramp.wav", ramp, 8000))
    got = np.concatenate([source.read(70) for _ in range(5)])[:, 0]
    assert np.array_equal(got, np.tile(ramp, 4)[:350])


def test_wav_input_plays_at_real_time_pace_into_the_ring(tmp_path):
    source = WavInput(write(tmp_path / "t.wav", tone(440, 0.3, 48000), 48000))
    ring = RingBuffer(48000 * 4, 1)
    source.start(ring)
    time.sleep(1.0)
    source.stop()
    # a 0.3 s file looped for about 1 s: about 48000 frames, however often it looped
    assert 0.7 * 48000 < ring.frames_written < 1.3 * 48000
    assert source.state == "ok"


@pytest.mark.parametrize("rate", [48000, 22050])
def test_the_stage_resamples_to_the_models_rate_keeping_pitch(tmp_path, rate):
    source = WavInput(write(tmp_path / "t.wav", tone(440, 1.0, rate), rate))
    stage = InputStage(source, MODEL_RATE, 1, 48000, 2)
    stage.start()
    try:
        deadline = time.monotonic() + 10
        got = []
        while sum(map(len, got)) < MODEL_RATE and time.monotonic() < deadline:
            time.sleep(0.05)  # about 2205 samples arrive meanwhile; a block of 4096 is
            got.append(stage.take(4096))  # taken whole once there, none dropped (not behind)
    finally:
        stage.stop()
    audio = np.concatenate(got)[:, 0]
    assert len(audio) >= MODEL_RATE // 2
    assert abs(dominant_hz(audio[:MODEL_RATE // 2], MODEL_RATE) - 440) < 3
    assert 0.45 < np.abs(audio[1000:]).max() < 0.55


def test_offline_stage_gives_exact_lengths_and_the_files_duration(tmp_path):
    source = WavInput(write(tmp_path / "t.wav", tone(440, 0.5, 22050), 22050), loop=False,
                      realtime=False)
    stage = InputStage(source, MODEL_RATE, 1, MODEL_RATE, 1)
    blocks = [stage.take(1000) for _ in range(30)]
    assert all(len(b) == 1000 for b in blocks)
    audio = np.concatenate(blocks)[:, 0]
    loud = np.flatnonzero(np.abs(audio) > 0.05)
    assert abs((loud[-1] - loud[0]) / MODEL_RATE - 0.5) < 0.01  # the file's length, resampled
    assert not np.abs(audio[loud[-1] + 200:]).any() > 1e-3  # silence after its end


def test_channels_are_picked_then_mixed_down(tmp_path):
    left, right, third = tone(200, 0.2, MODEL_RATE), tone(500, 0.2, MODEL_RATE), \
        tone(900, 0.2, MODEL_RATE, 0.1)
    path = write(tmp_path / "three.wav", np.stack([left, right, third], axis=1), MODEL_RATE)

    def through(selected, model_channels):
        stage = InputStage(WavInput(path, loop=False, realtime=False, selected=selected),
                           MODEL_RATE, model_channels, MODEL_RATE, 1, selected)
        return stage.take(len(left))

    assert np.allclose(through([2], 1)[:, 0], right)
    assert np.allclose(through([3, 1], 1)[:, 0], (third + left) / 2)
    assert np.allclose(through([1, 2], 2), np.stack([left, right], axis=1))
    assert np.allclose(through([2], 2), np.stack([right, right], axis=1))
    assert np.allclose(through(None, 1)[:, 0], (left + right + third) / 3)


def test_mix_down_folds_extra_channels():
    block = np.arange(12, dtype=np.float32).reshape(3, 4)
    assert np.allclose(mix_down(block, 2), np.stack([(block[:, 0] + block[:, 2]) / 2,
                                                     (block[:, 1] + block[:, 3]) / 2], 1))


def test_input_gain_ramps_without_a_jump(tmp_path):
    path = write(tmp_path / "dc.wav", np.full(40000, 0.5, np.float32), MODEL_RATE)
    stage = InputStage(WavInput(path, realtime=False), MODEL_RATE, 1, MODEL_RATE, 1)
    first = stage.take(1000)[:, 0]
    stage.gain_db = -120.0
    second = stage.take(12000)[:, 0]  # converted a block at a time: the change ramps over one
    assert np.allclose(first[-10:], 0.5)
    assert np.abs(np.diff(second)).max() < 0.01  # a ramp, not a step
    assert abs(second[-1]) < 1e-3


@pytest.mark.parametrize("text", ["0", "1,1", "a", "", "65"])
def test_bad_channel_lists_are_refused(text):
    with pytest.raises(InputError):
        parse_channels(text)


@pytest.mark.parametrize("rate, channels, selected, message", [
    (500, 1, None, "outside"), (1_000_000, 1, None, "outside"),
    (44100, 0, None, "channels"), (44100, 2, [3], "asks for 3")])
def test_odd_rates_and_channels_are_refused(rate, channels, selected, message):
    with pytest.raises(InputError, match=message):
        check_format("input", rate, channels, selected)


def test_an_odd_rate_file_is_refused_when_opened(tmp_path):
    path = write(tmp_path / "slow.wav", tone(100, 0.5, 800), 800)
    with pytest.raises(InputError, match="800 Hz is outside"):
        WavInput(path)


@pytest.mark.parametrize("spec, message", [("wav:", "needs a path"), ("mic", "unknown input"),
                                           ("wav:/no/such/file.wav", "cannot read")])
def test_open_input_refusals(spec, message):
    with pytest.raises(InputError, match=message):
        open_input(spec, MODEL_RATE, 1, 256)
    assert open_input("none", MODEL_RATE, 1, 256) is None

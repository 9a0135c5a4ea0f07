"""The output stage: gain and mute ramps, and a limiter that keeps every sample inside [-1, 1]."""

import numpy as np
import pytest

from latentd.engine.output_stage import CEILING, OutputStage

RATE = 44100


def blocks(stage: OutputStage, audio: np.ndarray, block: int, gain_db: float = 0.0,
           muted: bool = False) -> np.ndarray:
    out = [stage.process(audio[i:i + block].copy(), gain_db, muted)
           for i in range(0, len(audio), block)]
    return np.concatenate(out)


def sine(seconds: float, amplitude: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * 220 * t)).astype(np.float32)[:, None]


def test_unity_gain_leaves_quiet_audio_untouched():
    audio = sine(0.2, 0.5)
    assert np.array_equal(blocks(OutputStage(RATE), audio, 512), audio)


@pytest.mark.parametrize("gain_db", [6.0, 20.0, 40.0])
def test_loud_audio_never_leaves_the_ceiling(gain_db):
    out = blocks(OutputStage(RATE), sine(0.5, 0.9), 1024, gain_db)
    assert np.abs(out).max() <= 1.0
    # after the first block the limiter holds the level at the ceiling, not far below it
    assert np.abs(out[4096:]).max() > 0.9 * CEILING


def test_gain_change_ramps_without_a_jump():
    stage = OutputStage(RATE)
    audio = np.full((2048, 1), 0.1, np.float32)
    first = stage.process(audio[:1024].copy(), 0.0, False)
    second = stage.process(audio[1024:].copy(), -20.0, False)
    joined = np.concatenate([first, second])[:, 0]
    assert np.abs(np.diff(joined)).max() < 0.001  # a jump to 0.01 would be 0.09
    assert second[-1, 0] == pytest.approx(0.01, rel=1e-5)


def test_mute_fades_to_silence_and_back():
    stage = OutputStage(RATE, mute_ms=10.0)
    audio = np.full((RATE // 10, 1), 0.5, np.float32)
    muted = blocks(stage, audio, 256, muted=True)[:, 0]
    assert muted[0] > 0.45 and np.all(muted[-256:] == 0.0)
    assert np.all(np.diff(muted) <= 1e-7)  # a fade, not a cut
    back = blocks(stage, audio, 256)[:, 0]
    assert back[-1] == pytest.approx(0.5) and np.abs(np.diff(back)).max() < 0.05


def test_limiter_releases_after_a_peak():
    stage = OutputStage(RATE, release_ms=50.0)
    loud, quiet = sine(0.1, 3.0), sine(1.0, 0.5)
    blocks(stage, loud, 1024)
    after = blocks(stage, quiet, 1024)
    assert np.abs(after[-2048:]).max() == pytest.approx(0.5, rel=0.01)


@pytest.mark.parametrize(("gain_db", "muted"), [(0.0, False), (-6.0, False), (30.0, False),
                                                (0.0, True)])
def test_the_input_block_is_never_written(gain_db, muted):
    """The renderer hands over a view of the model's output, which the model may still own."""
    stage = OutputStage(RATE)
    audio = sine(0.1, 0.9)
    for start in range(0, len(audio), 1024):
        block = audio[start:start + 1024]
        before = block.copy()
        stage.process(block, gain_db, muted)
        assert np.array_equal(block, before)


def test_after_the_release_the_steady_path_returns():
    """The release reaches exactly 1 again, so quiet blocks pass through untouched."""
    stage = OutputStage(RATE, release_ms=50.0)
    blocks(stage, sine(0.1, 3.0), 1024)
    quiet = sine(2.0, 0.5)
    blocks(stage, quiet, 1024)
    assert stage.limit == 1.0
    block = quiet[:1024]
    assert stage.process(block, 0.0, False) is block

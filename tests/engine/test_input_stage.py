"""The render thread's side of a live input (engine/input_stage.py): the encoder gets the
newest complete block only, a block one device period short is waited for rather than missed,
but only out of the wait the engine grants, and one far from complete is not waited for."""

from __future__ import annotations

import threading
import time

import numpy as np

from latentd.audio.input import AudioInput
from latentd.audio.ring import RingBuffer
from latentd.engine import input_stage
from latentd.engine.input_stage import ALIGN_STEPS, ALMOST_SECONDS, WAIT_SECONDS, InputStage

RATE, BLOCK, PERIOD = 44100, 1024, 235  # a 256-frame period at 48 kHz, in 44.1 kHz samples


class Captured(AudioInput):
    """A live input at the model's rate whose 'device' is the test: it writes the ring."""

    sample_rate, channels = RATE, 1

    def __init__(self, period_frames: int = 0) -> None:
        self.ring: RingBuffer | None = None
        self.written = 0
        self.period_frames = period_frames

    def describe(self) -> str:
        return "test"

    def start(self, ring: RingBuffer) -> None:
        self.ring = ring

    def capture(self, frames: int) -> None:
        """Frames numbered from the first: sample n has the value n."""
        assert self.ring is not None
        values = np.arange(self.written, self.written + frames, dtype=np.float32)[:, None]
        self.ring.write(values)
        self.written += frames


def live_stage(period_frames: int = 0) -> tuple[InputStage, Captured]:
    """A started stage whose steps may wait as long as they like (the engine's grant)."""
    source = Captured(period_frames)
    stage = InputStage(source, RATE, 1, RATE, 1)
    stage.start()
    stage.wait_budget_seconds = 60.0
    return stage, source


def test_the_encoder_gets_the_newest_complete_block_only():
    stage, source = live_stage()
    source.capture(3 * BLOCK + 100)
    block = stage.take(BLOCK)[:, 0]
    assert np.array_equal(block, np.arange(2 * BLOCK, 3 * BLOCK))  # two older ones dropped
    assert stage.skipped == 2 * BLOCK and stage.misses == 0


def test_a_block_one_period_short_is_waited_for(monkeypatch):
    monkeypatch.setattr(input_stage, "WAIT_SECONDS", 5.0)  # however late the callback runs
    stage, source = live_stage()
    source.capture(BLOCK - PERIOD)
    assert PERIOD <= ALMOST_SECONDS * RATE
    late = threading.Timer(0.05, source.capture, args=(PERIOD + 10,))
    late.start()
    block = stage.take(BLOCK)[:, 0]
    late.join()
    assert np.array_equal(block, np.arange(BLOCK))
    assert stage.misses == 0


def test_a_producer_writing_several_blocks_at_once_loses_none():
    """A 1024-frame device period and 256-sample blocks: the four blocks a callback leaves
    are not late, so each step takes the oldest; only blocks beyond a delivery are dropped."""
    stage, source = live_stage(period_frames=4 * 256)
    source.capture(4 * 256)
    taken = [stage.take(256)[:, 0] for _ in range(4)]
    assert np.array_equal(np.concatenate(taken), np.arange(4 * 256))
    assert stage.skipped == 0
    source.capture(3 * 4 * 256)  # two callbacks more than a step takes came in: late
    assert np.array_equal(stage.take(256)[:, 0], np.arange(12 * 256, 13 * 256))
    assert stage.skipped == 8 * 256


def test_waits_come_out_of_the_engines_grant_only(monkeypatch):
    """An input slower than the output would pull the render thread down to its pace if
    every step could wait: without a grant no step waits, and a grant is spent across the
    steps that wait."""
    monkeypatch.setattr(input_stage, "WAIT_SECONDS", 5.0)
    stage, source = live_stage()
    stage.wait_budget_seconds = 0.0
    source.capture(BLOCK - PERIOD)
    started = time.monotonic()
    assert len(stage.take(BLOCK)) == 0
    assert time.monotonic() - started < 0.05 and stage.waited_seconds == 0
    assert stage.misses == 1
    stage.wait_budget_seconds = 0.06
    started = time.monotonic()
    assert len(stage.take(BLOCK)) == 0  # waited out the grant, in vain
    assert len(stage.take(BLOCK)) == 0  # nothing left of it to wait
    assert 0.06 <= time.monotonic() - started < 0.5
    assert stage.wait_budget_seconds == 0 and stage.waited_seconds >= 0.06


def test_a_block_that_does_not_come_is_given_up_after_the_wait():
    stage, source = live_stage()
    source.capture(BLOCK - PERIOD)
    started = time.monotonic()
    assert len(stage.take(BLOCK)) == 0
    assert time.monotonic() - started >= WAIT_SECONDS
    assert stage.misses == 1
    source.capture(PERIOD)  # it completes later: the next step takes it whole
    assert np.array_equal(stage.take(BLOCK)[:, 0], np.arange(BLOCK))


def test_a_block_far_from_complete_is_not_waited_for(monkeypatch):
    """With a wait long enough for the rest to arrive, a block half short is still not
    waited for: the step goes on with the frame before (the render thread's time is the
    ring's)."""
    monkeypatch.setattr(input_stage, "WAIT_SECONDS", 5.0)
    stage, source = live_stage()
    source.capture(BLOCK // 2)
    assert BLOCK // 2 > ALMOST_SECONDS * RATE
    late = threading.Timer(0.2, source.capture, args=(BLOCK,))
    late.start()
    taken = stage.take(BLOCK)
    late.join()
    assert len(taken) == 0 and stage.misses == 1


def _steps_with_leftover(stage: InputStage, source: Captured, leftover: int) -> None:
    """ALIGN_STEPS render steps, each finding its block complete with ``leftover`` more."""
    source.capture(leftover)
    for _ in range(ALIGN_STEPS):
        source.capture(BLOCK)
        assert len(stage.take(BLOCK)) == BLOCK


def test_slack_that_every_step_left_is_dropped_once():
    stage, source = live_stage()
    _steps_with_leftover(stage, source, 100)
    assert stage.skipped == 100  # the blocks now complete just before their steps


def test_nothing_is_dropped_once_a_step_waited_for_its_block():
    """Dropping after a wait would make the steps wait longer and longer (the delay crept
    down, then a block missed and it jumped by two frames)."""
    stage, source = live_stage()
    source.capture(BLOCK - PERIOD)
    assert len(stage.take(BLOCK)) == 0  # waited, in vain
    source.capture(PERIOD + 100)
    for _ in range(ALIGN_STEPS):  # 100 left after each step, as above
        assert len(stage.take(BLOCK)) == BLOCK
        source.capture(BLOCK)
    assert stage.skipped == 0


def test_the_dry_monitor_catches_up_after_the_render_thread_fell_behind():
    """Capture goes on while a render step is late: the dry audio waiting after a chunk is
    cut back to half a chunk (the newest), so the monitor's delay does not stay raised."""
    stage, source = live_stage()
    stage.dry_db = -80.0  # sample n is heard as n / 10000: inside [-1, 1]
    chunk = np.zeros((BLOCK, 1), np.float32)

    def heard() -> np.ndarray:
        stage.poll()
        return np.rint(stage.mix_dry(chunk)[:, 0] * 1e4)

    source.capture(BLOCK)
    assert np.array_equal(heard(), np.arange(BLOCK))  # in step: all of it
    source.capture(5 * BLOCK)  # four chunks more than one step takes
    assert np.array_equal(heard(), np.arange(BLOCK, 2 * BLOCK))  # the oldest first, as before
    source.capture(BLOCK)
    newest = source.written - BLOCK // 2 - BLOCK  # half a chunk was left waiting
    assert np.array_equal(heard(), np.arange(newest, newest + BLOCK))

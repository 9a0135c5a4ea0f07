"""An ``auto`` ring grows after it runs dry, by what was missing, up to its limit, and never
shrinks; a fixed ``--latency-ms`` keeps its ring (engine/ring_growth.py)."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.engines import null_engine, tiny_synth
from support.osc import wait_until

from latentd.engine.latency import AUTO
from latentd.engine.ring_growth import GROWTH_LIMIT_SECONDS, RingGrowth

RATE, PERIOD = 48000, 256


def test_the_target_grows_by_the_missing_audio_in_whole_periods():
    growth = RingGrowth(4 * PERIOD, PERIOD, RATE)
    assert growth.after(0) is None
    assert growth.after(300) == 6 * PERIOD  # 300 frames missing: two periods more
    assert growth.after(300) is None  # the same underruns are not paid for twice
    assert growth.after(301) == 7 * PERIOD


def test_the_growth_stops_at_its_limit():
    growth = RingGrowth(4 * PERIOD, PERIOD, RATE)
    assert growth.after(10 * RATE) == growth.ceiling_frames
    assert growth.ceiling_frames - 4 * PERIOD == \
        math.ceil(GROWTH_LIMIT_SECONDS * RATE / PERIOD) * PERIOD
    assert growth.after(11 * RATE) is None
    assert growth.target_frames == growth.ceiling_frames


@given(st.lists(st.integers(0, RATE), max_size=40))
def test_the_target_never_shrinks_nor_passes_its_ceiling(shortfalls):
    growth = RingGrowth(3 * PERIOD, PERIOD, RATE)
    missing, before = 0, growth.target_frames
    for short in shortfalls:
        missing += short
        grown = growth.after(missing)
        assert growth.target_frames >= before
        assert growth.target_frames <= growth.ceiling_frames
        assert growth.target_frames % PERIOD == 0
        assert (grown is not None) == (growth.target_frames > before)
        before = growth.target_frames


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError):
        RingGrowth(0, PERIOD, RATE)


def stall_render_thread(engine, seconds: float) -> None:
    """Hold the render thread as a machine pause would, while the device keeps reading."""
    engine.call_in_render(lambda: time.sleep(seconds), timeout=seconds + 5.0)


def test_an_auto_ring_that_ran_dry_rides_through_the_next_pause(tmp_path):
    engine = null_engine(tmp_path, tiny_synth(), latency_ms=AUTO)
    engine.start()
    try:
        start = engine.target_frames
        assert wait_until(lambda: engine.ring.fill >= start, 5.0)
        stall_render_thread(engine, 0.15)
        assert wait_until(lambda: engine.target_frames > start, 5.0), "the ring did not grow"
        assert engine.ring.underruns > 0
        grown = engine.target_frames
        assert grown - start >= min(engine.ring.missing_frames,
                                    engine.ring_growth.ceiling_frames - start) - PERIOD
        assert engine.snapshot().latency_ring_ms == pytest.approx(
            1000 * (grown + engine.chunk_frames) / engine.backend.sample_rate)
        assert wait_until(lambda: engine.ring.fill >= grown, 5.0)
        underruns = engine.ring.underruns
        stall_render_thread(engine, 0.05)  # a shorter pause than the first: the ring holds it
        time.sleep(0.2)
        assert engine.ring.underruns == underruns
    finally:
        engine.stop()


def test_a_fixed_ring_does_not_grow(tmp_path):
    engine = null_engine(tmp_path, tiny_synth(), latency_ms=20.0)
    engine.start()
    try:
        start = engine.target_frames
        stall_render_thread(engine, 0.1)
        time.sleep(0.2)
        assert engine.ring.underruns > 0
        assert engine.target_frames == start and engine.ring_growth is None
    finally:
        engine.stop()

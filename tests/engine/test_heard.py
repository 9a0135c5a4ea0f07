"""Telemetry describes what is heard now, and load_peak is a recent peak that decays."""

import time

import numpy as np
from support.engines import null_engine, tiny_synth
from support.faulty import Faulty, wait_for

from latentd.engine.controls import Event
from latentd.engine.heard import HeardHistory
from latentd.engine.interpreter import SWITCH_INTERVAL_SECONDS
from latentd.engine.telemetry import Meter


def test_history_answers_the_newest_value_already_heard():
    history: HeardHistory[str] = HeardHistory(capacity=3)
    assert history.at(0) is None
    for frame, value in [(100, "a"), (200, "b"), (300, "c"), (400, "d")]:
        history.add(frame, value)
    assert history.at(250) == "b" and history.at(400) == "d" and history.at(None) == "d"
    assert history.at(50) == "b"  # nothing heard yet: the oldest kept


def test_meter_reads_the_window_ending_at_the_frame_asked_for():
    meter = Meter(channels=1, sample_rate=1000, window=0.01, history=1.0)
    meter.add(np.full((100, 1), 0.5, np.float32), 0)
    meter.add(np.full((100, 1), 0.1, np.float32), 100)
    assert abs(meter.peak_db(until=50)[0] + 6.02) < 0.01
    assert abs(meter.peak_db(until=200)[0] + 20.0) < 0.01
    assert abs(meter.peak_db()[0] + 20.0) < 0.01


def test_a_timed_latent_shows_in_telemetry_when_it_is_heard_not_when_rendered(tmp_path):
    engine = null_engine(tmp_path, tiny_synth())
    engine.post(Event("glide", (0.0,)))
    engine.start()
    try:
        time.sleep(0.3)
        at = time.time() + 0.6
        engine.post(Event("latent", (3.0,), index=1, at=at))
        seen = None
        deadline = at + 1.0
        while time.time() < deadline:
            if engine.snapshot().latents[1] == 3.0:
                seen = time.time()
                break
            time.sleep(0.002)
    finally:
        engine.stop()
    assert seen is not None
    # rendered ~110 ms ahead (80 ms ring + a chunk + the model's latency): it used to show then
    assert seen >= at - 0.025, f"shown {at - seen:.3f} s before it is heard"
    assert seen <= at + 0.3


def test_load_peak_is_a_recent_peak_that_decays(tmp_path):
    slow = Faulty(tiny_synth())
    engine = null_engine(tmp_path, slow)
    engine.start()
    try:
        time.sleep(0.3)

        def spike(z):
            slow.fault = None
            time.sleep(0.3)  # ~40 blocks' time in one render step, like a swap's first call
            return slow.inner.decode(z)

        # A loaded machine's own pauses make peaks of 2-3 blocks' time (17 ms stalls seen in
        # CI), so the spike is far above them and the decay is judged against a quarter of it
        slow.fault = spike
        assert wait_for(lambda: engine.snapshot().load_peak > 20, 5)
        time.sleep(1.0)
        assert engine.snapshot().load_peak > 20  # still within the window
        assert wait_for(lambda: engine.snapshot().load_peak < 10, 5)  # ~2 s after the spike
    finally:
        engine.stop()


def test_starting_the_engine_prepares_the_interpreter_for_the_render_thread(tmp_path):
    """During a load, a full garbage collection over torch and the first model (180-320 ms) and
    5 ms waits for the interpreter lock behind the loader made render steps of up to 9-14
    blocks' time (see latentd/engine/interpreter.py)."""
    import gc
    import sys

    engine = null_engine(tmp_path, tiny_synth())
    engine.start()
    try:
        assert gc.get_freeze_count() > 10_000
        assert sys.getswitchinterval() <= SWITCH_INTERVAL_SECONDS
    finally:
        engine.stop()

"""The meter: peak and RMS over the last window of output, read from another thread."""

import threading

import numpy as np
import pytest

from latentd.engine.telemetry import SILENCE_DB, Meter


def test_levels_of_a_known_signal():
    meter = Meter(channels=2, sample_rate=1000, window=0.1)
    chunk = np.zeros((50, 2), np.float32)
    chunk[:, 0] = 0.5
    chunk[::2, 1], chunk[1::2, 1] = 1.0, -1.0
    meter.add(chunk)
    assert meter.peak_db() == pytest.approx([-6.0206, 0.0], abs=1e-3)
    assert meter.rms_db() == pytest.approx([-6.0206, 0.0], abs=1e-3)


def test_only_the_last_window_counts():
    meter = Meter(channels=1, sample_rate=1000, window=0.1)
    meter.add(np.ones((100, 1), np.float32))
    for _ in range(5):
        meter.add(np.full((40, 1), 0.1, np.float32))
    assert meter.peak_db() == pytest.approx([-20.0], abs=1e-4)


def test_silence_before_anything_is_played():
    meter = Meter(channels=2, sample_rate=1000)
    assert meter.peak_db() == [SILENCE_DB, SILENCE_DB]
    meter.add(np.zeros((0, 2), np.float32))
    assert meter.rms_db() == [SILENCE_DB, SILENCE_DB]


def test_reading_while_the_render_thread_adds():
    meter = Meter(channels=1, sample_rate=1000, window=0.05)
    stop = threading.Event()
    errors = []
    chunk = np.full((16, 1), 0.25, np.float32)
    meter.add(chunk)

    def render():
        while not stop.is_set():
            meter.add(chunk)

    thread = threading.Thread(target=render)
    thread.start()
    try:
        for _ in range(2000):
            peak, rms = meter.peak_db()[0], meter.rms_db()[0]
            if not (abs(peak + 12.04) < 0.01 and abs(rms + 12.04) < 0.01):
                errors.append((peak, rms))
    finally:
        stop.set()
        thread.join()
    assert not errors[:5]

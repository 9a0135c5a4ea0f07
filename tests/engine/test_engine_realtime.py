"""The engine on the null output: real-time pacing, a render thread, hot swaps."""

import time

import numpy as np
import soundfile
from support.engines import null_engine, tiny_synth

from latentd.engine.controls import Event


def wait_for(predicate, timeout=20.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def longest_silence(audio: np.ndarray) -> int:
    silent = np.abs(audio) < 1e-7
    longest = run = 0
    for value in silent:
        run = run + 1 if value else 0
        longest = max(longest, run)
    return longest


def test_hot_swap_crossfades_with_no_gap(tmp_path):
    synths = {"other": tiny_synth(seed=5, name="other")}
    engine = null_engine(tmp_path, tiny_synth())
    engine.loader = synths.__getitem__
    notices = []
    engine.listeners.append(notices.append)
    engine.post(Event("latent", (2.0, -1.0, 1.0, 0.5)))
    engine.start()
    try:
        path = engine.record_start("swap")
        time.sleep(0.5)
        engine.load_model("other", reply="client")
        assert wait_for(lambda: engine.model_name == "other")
        time.sleep(0.5)
        engine.record_stop()
    finally:
        engine.stop()
    assert any(n.kind == "done" and n.args == ("other",) for n in notices)
    audio, _ = soundfile.read(path, dtype="float32")
    assert len(audio) > 0.8 * engine.backend.sample_rate
    assert longest_silence(audio) < 16  # a gap would be a run of zeros
    assert engine.ring.underruns == 0
    assert engine.controls.voices[0].latent[0] == 2.0  # controls carried over


def test_failed_load_keeps_the_old_model_playing(tmp_path):
    def loader(name):
        raise FileNotFoundError(f"no model {name}")

    engine = null_engine(tmp_path, tiny_synth())
    engine.loader = loader
    notices = []
    engine.listeners.append(notices.append)
    engine.post(Event("latent", (2.0, -1.0, 1.0, 0.5)))
    engine.start()
    try:
        engine.load_model("missing", reply="client").join(5)
        assert wait_for(lambda: any(n.kind == "fail" for n in notices))
        time.sleep(0.2)
        snapshot = engine.snapshot()
    finally:
        engine.stop()
    fail = next(n for n in notices if n.kind == "fail")
    assert fail.address == "/model/load" and "no model missing" in fail.args[0]
    assert engine.model_name == "tiny"
    assert snapshot.peak_db[0] > -60  # still sounding
    assert snapshot.underruns == 0


def log_spectrum(audio: np.ndarray) -> np.ndarray:
    frames = audio[: len(audio) // 1024 * 1024].reshape(-1, 1024) * np.hanning(1024)
    return np.log10(np.abs(np.fft.rfft(frames, axis=1)).mean(axis=0) + 1e-6)


def test_controls_from_another_thread_reach_the_sound(tmp_path):
    engine = null_engine(tmp_path, tiny_synth())
    engine.post(Event("glide", (0.0,)))
    engine.start()
    try:
        time.sleep(0.2)
        before = engine.record_start("before")
        time.sleep(0.4)
        engine.record_stop()
        engine.post(Event("latent", (4.0, -4.0, 4.0, -4.0)))
        assert wait_for(lambda: engine.snapshot().latents[0] == 4.0, 5)
        time.sleep(0.2)
        after = engine.record_start("after")
        time.sleep(0.4)
        engine.record_stop()
    finally:
        engine.stop()
    first = log_spectrum(soundfile.read(before, dtype="float32")[0])
    second = log_spectrum(soundfile.read(after, dtype="float32")[0])
    assert np.abs(first - second).mean() > 0.1  # a clearly different spectrum


def test_telemetry_fields(tmp_path):
    engine = null_engine(tmp_path, tiny_synth())
    engine.start()
    try:
        time.sleep(0.3)
        t = engine.snapshot()
    finally:
        engine.stop()
    assert t.model == "tiny" and t.latent_size == 4 and len(t.latents) == 4
    assert len(t.peak_db) == len(t.rms_db) == 1
    assert t.latency_ms == t.latency_device_ms + t.latency_ring_ms + t.latency_model_ms
    assert t.latency_model_ms > 0 and t.latency_ring_ms >= 80.0  # target plus one chunk
    assert 0 <= t.ring_fill <= 1 and t.load_mean > 0 and t.uptime > 0

"""The input source in the engine (issue 19): switching to and from ``input`` never clicks,
live input frames keep a bounded delay, a live looping file is encoded through the render
thread, and a model swap to another rate keeps the input converting; the engine's live input
(live_input.py) drops a lost input once and opens files only with a folder and an opener."""

import threading
import time

import numpy as np
import pytest
import soundfile
import torch
from support.engines import null_engine, tiny_synth, wav_engine

import latentd.engine.live_input as live_input_module
import latentd.engine.renderer as renderer_module
from latentd.audio.input import AudioInput, InputError
from latentd.audio.null import NullBackend
from latentd.audio.wav_input import WavInput
from latentd.engine.controls import Controls, Event
from latentd.engine.live_input import LiveInput
from latentd.engine.renderer import Renderer
from latentd.engine.sources import InputSource

RATE = 44100


def write_tone(path, seconds=1.0, rate=RATE):
    t = np.arange(int(seconds * rate)) / rate
    audio = 0.4 * np.sin(2 * np.pi * 220 * t) * (0.7 + 0.3 * np.sin(2 * np.pi * 3 * t))
    soundfile.write(path, audio.astype(np.float32), rate, subtype="FLOAT")
    return path


def switching_render(tmp_path):
    """The bundled default model (its output is a tone, so a click would stand out): manual
    latents far from the input's, then input, then manual again, 0.6 s each, with ``/glide`` at
    0 (the worst case). Returns the audio and the switch positions."""
    from latentd.models.registry import load_synth

    synth = load_synth("default")
    engine = wav_engine(tmp_path, synth, block_frames=1)
    engine.set_input(WavInput(write_tone(tmp_path / "in.wav"), realtime=False))
    engine.post(Event("glide", (0.0,)))
    engine.post(Event("latent", (2.0, -2.0, 2.0, -2.0)))
    engine.start()
    switches = []
    for source in ("manual", "input", "manual"):
        switches.append(engine._written_offline)
        engine.post(Event("source", (source,)))
        engine.render_offline(0.6)
    engine.stop(fade_seconds=0)
    audio, _ = soundfile.read(tmp_path / "out.wav", dtype="float32")
    return audio, switches[1:]


def test_switching_to_and_from_input_never_clicks(tmp_path):
    audio, switches = switching_render(tmp_path)
    steps = np.abs(np.diff(audio))
    near = np.zeros(len(steps), bool)
    for point in switches:
        near[max(0, point - RATE // 5): point + RATE // 5] = True
    # the largest sample-to-sample step around a switch is no larger than the sound's own
    assert steps[near].max() <= 1.1 * steps[~near].max(), (steps[near].max(),
                                                            steps[~near].max())


@pytest.mark.parametrize("switch_ms, glided", [(renderer_module.SWITCH_GLIDE_MS, True),
                                               (1e-3, False)])
def test_a_source_change_glides_even_with_glide_0(monkeypatch, switch_ms, glided):
    """The mechanism behind the test above, where a click would show on any model: the first
    frames after a switch move only part of the way (and the check fails without it)."""
    monkeypatch.setattr(renderer_module, "SWITCH_GLIDE_MS", switch_ms)
    synth = tiny_synth()
    audio = np.full((synth.ratio * 64, 1), 0.3, np.float32)
    renderer = Renderer(synth, block_frames=1, input_feed=lambda n: audio[:n])
    renderer.controls.apply(Event("glide", (0.0,)))
    renderer.controls.apply(Event("latent", (4.0, -4.0, 4.0, -4.0)))
    with torch.inference_mode():
        for _ in range(4):
            before = renderer.latent_frames(lambda j: 0.0)[0, :, -1].copy()
        renderer.controls.apply(Event("source", ("input",)))
        frames = [renderer.latent_frames(lambda j: 0.0)[0, :, -1].copy() for _ in range(200)]
    distance = np.abs(frames[-1] - before).max()
    first_step = np.abs(frames[0] - before).max()
    assert distance > 0.5
    if glided:
        assert first_step < 0.1 * distance
        assert np.abs(np.diff(frames, axis=0)).max() < 0.1 * distance
    else:
        assert first_step > 0.9 * distance


def test_live_input_frames_keep_a_bounded_backlog():
    synth = tiny_synth()
    arrived = []

    def feed(samples):
        return arrived.pop(0) if arrived else None

    source = InputSource(synth, feed, block_frames=2)
    controls = Controls(synth.latent_size)
    arrived.append(np.zeros((synth.ratio * 40, 1), np.float32))  # a late render thread
    with torch.inference_mode():
        source.next_frame(controls)
    assert len(source.frames) <= source.max_backlog
    assert source.dropped >= 40 - source.max_backlog - 1


def test_input_source_without_an_input_plays_the_manual_values():
    synth = tiny_synth()
    source = InputSource(synth, lambda samples: None)
    controls = Controls(synth.latent_size)
    controls.apply(Event("latent", (0.5, -0.5)))
    assert np.allclose(source.next_frame(controls)[0, :2], [0.5, -0.5])


def test_a_live_looping_file_is_encoded_on_the_render_thread(tmp_path):
    synth = tiny_synth()
    engine = null_engine(tmp_path, synth)
    engine.set_input(WavInput(write_tone(tmp_path / "in.wav", 0.3)))
    manual = np.array(engine.controls.voices[0].latent)
    engine.post(Event("source", ("input",)))
    engine.start()
    try:
        deadline = time.monotonic() + 10
        moved = False
        while time.monotonic() < deadline and not moved:
            time.sleep(0.1)
            latents = np.array(engine.pipe.renderer.last_latents[0])
            moved = np.abs(latents - manual).max() > 1e-3
        assert moved, "the latents never left the manual values"
        snapshot = engine.snapshot()
        assert snapshot.input == str(tmp_path / "in.wav")
        assert snapshot.input_peak_db and snapshot.input_peak_db[0] > -12
        assert engine.ring.underruns < 20
    finally:
        engine.stop(fade_seconds=0)


@pytest.mark.parametrize("rate", [22050, 48000])
def test_a_model_of_another_rate_retargets_the_input(tmp_path, rate):
    synth = tiny_synth()
    engine = wav_engine(tmp_path, synth)
    engine.set_input(WavInput(write_tone(tmp_path / "in.wav"), realtime=False))
    stage = engine.input
    stage.retarget(rate, 2)
    audio = stage.take(rate // 10)
    assert audio.shape == (rate // 10, 2)
    engine.stop(fade_seconds=0)


def live_input(synth, lost, **kwargs):
    """A LiveInput with no render thread, whose lost inputs are appended to ``lost``."""
    backend = NullBackend(synth.sample_rate, synth.channels, 256)
    return LiveInput(backend, lambda: synth, lambda: False, lost.append, block_frames=2,
                     **kwargs)


def test_a_lost_input_is_dropped_once_and_closed_on_a_helper_thread(tmp_path):
    synth = tiny_synth()
    lost = []
    live = live_input(synth, lost)
    source = WavInput(write_tone(tmp_path / "in.wav", 0.3))
    live.set(source)
    assert live.feed(64) is not None
    source.lost_reason = "input file vanished (test)"  # as its reader thread says
    live.poll()
    live.poll()
    assert lost == ["input file vanished (test)"]  # told once
    assert live.stage is None and live.error == "input file vanished (test)"
    assert live.feed(64) is None and live.view()["input"] == ""
    deadline = time.monotonic() + 5
    while not source._file.closed and time.monotonic() < deadline:
        time.sleep(0.01)
    assert source._file.closed, "the lost input was never closed"
    live.stop()  # ends the reopen thread too


class Vanishing(WavInput):
    """A looping file whose ``reopen`` fails with ``reasons`` in turn, then opens it again."""

    def __init__(self, path, reasons):
        super().__init__(path)
        self.reasons = reasons

    def reopen(self):
        if self.reasons:
            raise InputError(self.reasons.pop(0))
        return WavInput(self.path)


def test_a_lost_input_comes_back_with_backoff_and_one_log_line_per_change(
        tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(live_input_module, "BACKOFF_SECONDS", (0.01, 0.02, 0.04))
    synth = tiny_synth()
    lost = []
    live = live_input(synth, lost)
    source = Vanishing(write_tone(tmp_path / "in.wav", 0.3), ["gone", "gone", "gone again"])
    live.set(source)
    source.lost_reason = "device unplugged (test)"
    with caplog.at_level("WARNING", logger="latentd.engine"):
        live.poll()
        assert live.stage is None and live.view()["input"] == ""
        deadline = time.monotonic() + 5
        while live.stage is None and time.monotonic() < deadline:
            time.sleep(0.01)
    try:
        assert live.stage is not None and live.stage.source is not source
        assert live.view()["input"] == str(tmp_path / "in.wav") and live.error == ""
        assert live.feed(64) is not None and live.reopens == 1
        lines = [r.getMessage() for r in caplog.records]
        assert [line.split(":")[0] for line in lines] == [
            "input lost", "input still missing", "input still missing", "input back"], lines
        assert "gone again" in lines[2] and "after 4 tries" in lines[3]
    finally:
        live.stop()


def test_a_reopen_gives_up_once_another_input_is_chosen(tmp_path, monkeypatch):
    monkeypatch.setattr(live_input_module, "BACKOFF_SECONDS", (0.05,))
    synth = tiny_synth()
    live = live_input(synth, [])
    source = Vanishing(write_tone(tmp_path / "in.wav", 0.3), [])
    live.set(source)
    source.lost_reason = "device unplugged (test)"
    live.poll()
    live.set(None)  # the performer chose no input meanwhile
    time.sleep(0.3)
    assert live.stage is None and live.reopens == 0
    live.stop()


def test_input_files_open_only_with_a_folder_and_an_opener(tmp_path):
    synth = tiny_synth()
    write_tone(tmp_path / "in.wav", 0.3)
    for kwargs, reason in (({"opener": WavInput}, "no inputs directory"),
                           ({"inputs_dir": tmp_path}, "no way to open")):
        with pytest.raises(InputError, match=reason):
            live_input(synth, [], **kwargs).open_file("in.wav")
    live = live_input(synth, [], inputs_dir=tmp_path, opener=WavInput)
    live.set_level("input_gain", -6.0)  # before the input: kept for it
    with pytest.raises(InputError, match=r"no input file 'gone\.wav'"):
        live.open_file("gone.wav")
    assert live.open_file("in.wav") == tmp_path / "in.wav"
    assert live.stage is not None and live.stage.gain_db == -6.0
    assert live.view()["input"] == str(tmp_path / "in.wav")
    live.stop()
    assert live.stage is None


class SlowCapture(AudioInput):
    """A live input whose clock runs at ``pace`` of the output's: 5 ms blocks, late."""

    channels, period_frames = 1, 240

    def __init__(self, rate: int, pace: float) -> None:
        self.sample_rate, self.pace = rate, pace
        self._stop = threading.Event()

    def describe(self) -> str:
        return "slow"

    def start(self, ring) -> None:
        def produce() -> None:
            t = 0
            while not self._stop.wait(self.period_frames / self.sample_rate / self.pace):
                n = np.arange(t, t + self.period_frames) / self.sample_rate
                ring.write((0.3 * np.sin(2 * np.pi * 220 * n)).astype(np.float32)[:, None])
                t += self.period_frames

        threading.Thread(target=produce, daemon=True).start()

    def stop(self) -> None:
        self._stop.set()


def test_an_input_slower_than_the_output_does_not_drain_the_ring(tmp_path):
    """Steps may wait for a block still arriving, but only out of the ring's margin: a
    render thread that always got its block by waiting would follow the input's clock (here
    30% slow: 0.9 s behind after 3 s) and drain the ring (it did, into hundreds of underruns,
    in the soak). (The render load leaves the waits out, but only the chunk's last block is
    timed, so the figure still read 0.6-0.9 here: not asserted.) The old engine lost
    164 periods here; a machine's own pauses can still cost a few (this VM stalled the whole
    test process for ~0.3 s under its hypervisor's steal: 12 in a full run), so the bound is
    a fifth of the bug's count."""
    synth = tiny_synth()
    engine = null_engine(tmp_path, synth, block_frames=1, latency_ms=250)
    engine.set_input(SlowCapture(synth.sample_rate, pace=0.7))
    engine.post(Event("source", ("input",)))
    engine.start()
    try:
        time.sleep(0.5)
        before = engine.ring.underruns
        time.sleep(3.0)
        lost = engine.ring.underruns - before
        assert lost < 33, f"the ring ran dry following the input: {lost} periods"
        assert engine.live_input.waited_seconds() > 0  # the steps did wait, within the grant
    finally:
        engine.stop(fade_seconds=0)

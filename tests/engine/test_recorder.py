import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
import soundfile
from helpers import null_engine, tiny_synth

from latentd.engine.presets import PresetError
from latentd.engine.recorder import Recorder


def test_records_every_frame_and_finalises_the_header(tmp_path):
    path = tmp_path / "take.wav"
    recorder = Recorder(path, 48000, 2, checkpoint_seconds=0.1)
    blocks = [np.random.default_rng(i).uniform(-1, 1, (256, 2)).astype(np.float32)
              for i in range(100)]
    for block in blocks:
        recorder.push(block)
    recorder.stop()
    data, rate = soundfile.read(path, dtype="float32")
    assert rate == 48000
    np.testing.assert_array_equal(data, np.concatenate(blocks))


def test_kill_9_leaves_a_readable_file_with_all_but_the_last_second(tmp_path):
    path = tmp_path / "killed.wav"
    script = textwrap.dedent(f"""
        import time, numpy as np
        from latentd.engine.recorder import Recorder
        recorder = Recorder({str(path)!r}, 48000, 1, checkpoint_seconds=0.5)
        block = np.full((480, 1), 0.25, np.float32)
        start = time.time()
        while True:  # real-time pace: 10 ms of audio every 10 ms
            recorder.push(block)
            print(recorder.frames_written, flush=True)
            time.sleep(0.01)
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    written = 0
    deadline = time.time() + 60
    while written < 48000 * 3 and time.time() < deadline:
        written = int(process.stdout.readline() or 0)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    data, rate = soundfile.read(path, dtype="float32")
    assert len(data) >= written - rate  # all but the last second
    assert np.all(data == 0.25)
    # libsndfile forgives a stale header; stricter readers do not, so the header's own data
    # size must already cover what was written up to the last checkpoint
    raw = path.read_bytes()
    at = raw.find(b"data")
    header_frames = int.from_bytes(raw[at + 4 : at + 8], "little") // 4
    assert written - rate <= header_frames <= len(data)


def test_unwritable_path_fails_at_start(tmp_path):
    with pytest.raises((OSError, RuntimeError, soundfile.LibsndfileError)):
        Recorder(tmp_path / "missing-dir" / "x.wav", 48000, 1)


def test_a_link_swapped_in_later_does_not_redirect_the_recording(tmp_path):
    """Checkpoints reopen the file: by the path resolved at the start, refusing links, so a
    link put in its place mid-recording cannot send the audio elsewhere."""
    path = tmp_path / "take.wav"
    elsewhere = tmp_path / "elsewhere.wav"
    soundfile.write(elsewhere, np.zeros(100, np.float32), 48000, subtype="FLOAT")
    errors = []
    recorder = Recorder(path, 48000, 1, checkpoint_seconds=0.01, on_error=errors.append)
    block = np.full((480, 1), 0.5, np.float32)
    recorder.push(block)
    deadline = time.time() + 20
    while recorder.frames_written < 480 and time.time() < deadline:
        time.sleep(0.01)
    path.rename(tmp_path / "moved.wav")
    path.symlink_to(elsewhere)
    for _ in range(5):
        recorder.push(block)
    recorder.stop()
    assert soundfile.info(elsewhere).frames == 100, "the recording followed a link swapped in"
    assert errors and "failed" in errors[0]


def test_a_link_at_the_start_is_followed_once(tmp_path):
    """A link that the engine let through (it stays inside the directory) is resolved when the
    recording begins; the audio lands in its target."""
    target = tmp_path / "real.wav"
    (tmp_path / "link.wav").symlink_to(target)
    recorder = Recorder(tmp_path / "link.wav", 48000, 1, checkpoint_seconds=0.01)
    recorder.push(np.full((4800, 1), 0.25, np.float32))
    recorder.stop()
    data, _ = soundfile.read(target, dtype="float32")
    assert len(data) == 4800 and np.all(data == 0.25)


def test_engine_refuses_recording_through_a_link_leading_out(tmp_path):
    engine = null_engine(tmp_path, tiny_synth())
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "existing.wav").write_bytes(b"keep me")
    rec = tmp_path / "rec"
    rec.mkdir()
    (rec / "dangling.wav").symlink_to(outside / "new.wav")
    (rec / "existing.wav").symlink_to(outside / "existing.wav")
    for name in ("dangling", "existing"):
        with pytest.raises(PresetError, match="links outside"):
            engine.record_start(name)
        assert engine.recorder is None
    assert not (outside / "new.wav").exists()
    assert (outside / "existing.wav").read_bytes() == b"keep me"

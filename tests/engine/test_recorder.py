import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import soundfile

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
    import pytest

    with pytest.raises((OSError, RuntimeError, soundfile.LibsndfileError)):
        Recorder(tmp_path / "missing-dir" / "x.wav", 48000, 1)

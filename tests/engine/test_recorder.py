import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest
import soundfile
from support.engines import null_engine, tiny_synth

from latentd.engine.recorder import Recorder, RecordingRefused
from latentd.engine.safe_files import UnsafePath, create_new


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
    """The descriptor is the recording: the name is never opened again, so a link put in its
    place mid-recording cannot send the audio elsewhere; the audio follows the file."""
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
    assert errors == []
    data, _ = soundfile.read(tmp_path / "moved.wav", dtype="float32")
    assert len(data) == 6 * 480 and np.all(data == 0.5)


@pytest.mark.parametrize("planted", ["file", "link inside", "dangling link"])
def test_a_recorder_never_opens_an_existing_name(tmp_path, planted):
    target = tmp_path / "real.wav"
    target.write_bytes(b"keep me")
    path = tmp_path / "take.wav"
    if planted == "file":
        path.write_bytes(b"keep me")
    else:
        path.symlink_to(target if planted == "link inside" else tmp_path / "nowhere.wav")
    with pytest.raises(FileExistsError):
        Recorder(path, 48000, 1)
    assert target.read_bytes() == b"keep me"
    assert not (tmp_path / "nowhere.wav").exists()
    if planted == "file":
        assert path.read_bytes() == b"keep me"


# --------------------------------------------------------------------------- never overwrite
def test_engine_records_beside_links_leading_out_and_never_through_them(tmp_path):
    engine = null_engine(tmp_path, tiny_synth())
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "existing.wav").write_bytes(b"keep me")
    rec = tmp_path / "rec"
    rec.mkdir()
    (rec / "dangling.wav").symlink_to(outside / "new.wav")
    (rec / "existing.wav").symlink_to(outside / "existing.wav")
    for name in ("dangling", "existing"):
        path = engine.record_start(name)
        assert path == rec / f"{name}-2.wav" and not path.is_symlink()
        assert engine.record_stop() == path
    assert not (outside / "new.wav").exists()
    assert (outside / "existing.wav").read_bytes() == b"keep me"


def test_record_start_takes_the_next_free_name_and_keeps_the_earlier_take(tmp_path):
    engine = null_engine(tmp_path, tiny_synth())
    names = []
    for _ in range(3):
        names.append(engine.record_start("take1").name)
        engine.recorder.push(np.full((100, engine.backend.channels), 0.25, np.float32))
        engine.record_stop()
    assert names == ["take1.wav", "take1-2.wav", "take1-3.wav"]
    assert engine.record_start("take1.wav").name == "take1-4.wav"  # .wav is the suffix
    engine.record_stop()
    for name in names:
        data, _ = soundfile.read(tmp_path / "rec" / name, dtype="float32")
        assert len(data) == 100, f"{name} was overwritten"


def test_free_names_are_claimed_without_a_race(tmp_path):
    """Threads starting at once each get a file of their own: the kernel decides (O_EXCL)."""
    claimed, start = [], threading.Barrier(8)

    def claim():
        start.wait()
        path, descriptor = create_new(tmp_path, "take", ".wav")
        os.close(descriptor)
        claimed.append(path.name)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed) == sorted(["take.wav"] + [f"take-{n}.wav" for n in range(2, 9)])


def test_the_free_names_are_bounded(tmp_path):
    for filename in ("t.wav", "t-2.wav", "t-3.wav"):
        (tmp_path / filename).write_bytes(b"x")
    with pytest.raises(UnsafePath, match="names are taken"):
        create_new(tmp_path, "t", ".wav", tries=3)
    assert create_new(tmp_path, "t", ".wav", tries=4)[0].name == "t-4.wav"


# --------------------------------------------------------------------------- full disks, bounds
class FailingWrites:
    """Wraps the SoundFile a Recorder writes to: after ``good`` writes, the disk is full."""

    def __init__(self, recorder, good):
        self.recorder, self.good, self.inner = recorder, good, recorder._file

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def write(self, block):
        if self.good <= 0:
            raise soundfile.LibsndfileError(0, "System error : No space left on device.")
        self.good -= 1
        self.inner.write(block)


def test_a_full_disk_ends_the_recording_reports_it_and_keeps_a_valid_file(tmp_path):
    errors = []
    recorder = Recorder(tmp_path / "full.wav", 48000, 1, checkpoint_seconds=10,
                        on_error=errors.append)
    recorder._file = FailingWrites(recorder, good=3)
    block = np.full((480, 1), 0.5, np.float32)
    for _ in range(10):
        recorder.push(block)
    deadline = time.time() + 20
    while recorder.active and time.time() < deadline:
        time.sleep(0.01)
    recorder.stop()
    assert not recorder.active
    assert len(errors) == 1 and "No space left" in errors[0] and "full.wav" in errors[0]
    assert "0.0 s" in errors[0] or "after" in errors[0]
    data, _ = soundfile.read(tmp_path / "full.wav", dtype="float32")
    assert len(data) == 3 * 480 and np.all(data == 0.5)
    recorder.push(block)  # ignored, not queued for ever
    assert recorder.frames_written == 3 * 480


def test_a_recording_that_fails_before_its_first_frame_leaves_no_file(tmp_path):
    errors = []
    recorder = Recorder(tmp_path / "empty.wav", 48000, 1, on_error=errors.append)
    recorder._file = FailingWrites(recorder, good=0)
    recorder.push(np.zeros((480, 1), np.float32))
    recorder.stop()
    assert len(errors) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_start_refused_for_space_leaves_no_file(tmp_path):
    with pytest.raises(RecordingRefused, match="MiB free"):
        Recorder(tmp_path / "x.wav", 48000, 1, min_free_bytes=1 << 62)
    assert list(tmp_path.iterdir()) == []


def test_a_start_failing_in_libsndfile_leaves_no_file(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise soundfile.LibsndfileError(0, "System error : No space left on device.")

    monkeypatch.setattr(soundfile, "SoundFile", broken)
    engine = null_engine(tmp_path, tiny_synth())
    with pytest.raises(soundfile.LibsndfileError):
        engine.record_start("take")
    assert engine.recorder is None
    assert list((tmp_path / "rec").iterdir()) == []


def test_the_free_space_kept_ends_a_recording_at_a_checkpoint(tmp_path, monkeypatch):
    errors = []
    recorder = Recorder(tmp_path / "t.wav", 48000, 1, checkpoint_seconds=0.01,
                        on_error=errors.append, min_free_bytes=1000)
    monkeypatch.setattr("latentd.engine.recorder.free_bytes", lambda descriptor: 999)
    recorder.push(np.full((960, 1), 0.5, np.float32))
    recorder.stop()
    assert len(errors) == 1 and "kept free" in errors[0]
    assert soundfile.info(tmp_path / "t.wav").frames == 960


def test_a_recording_stops_at_its_length_limit(tmp_path):
    errors = []
    recorder = Recorder(tmp_path / "t.wav", 48000, 1, on_error=errors.append,
                        max_seconds=0.05)
    for _ in range(10):
        recorder.push(np.full((480, 1), 0.5, np.float32))
    recorder.stop()
    assert recorder.frames_written == 2400
    assert soundfile.info(tmp_path / "t.wav").frames == 2400
    assert len(errors) == 1 and "limit of 0.05 s" in errors[0]


def test_the_engine_stops_claiming_to_record_and_tells_the_client(tmp_path):
    engine = null_engine(tmp_path, tiny_synth())
    notices = []
    engine.listeners.append(notices.append)
    engine.record_start("take", reply="token")
    recorder = engine.recorder
    recorder._file = FailingWrites(recorder, good=1)
    for _ in range(3):
        recorder.push(np.zeros((480, engine.backend.channels), np.float32))
    deadline = time.time() + 20
    while engine.recorder is not None and time.time() < deadline:
        time.sleep(0.01)
    assert engine.recorder is None and engine.snapshot().recording == ""
    assert "No space left" in engine.recording_error
    [notice] = notices
    assert (notice.kind, notice.address, notice.reply) == ("fail", "/record/start", "token")
    assert "take.wav" in notice.args[0]
    assert engine.record_stop() is None
    assert engine.record_start("take").name == "take-2.wav"  # a new take starts cleanly
    engine.record_stop()


@pytest.fixture
def tiny_filesystem(tmp_path):
    """A 256 KiB tmpfs: a real full disk. Mounting needs root (CI runs as root); elsewhere
    the test is skipped, and the simulated full disk above still runs."""
    mount = tmp_path / "small"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {result.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_real_full_disk(tiny_filesystem):
    errors = []
    path = tiny_filesystem / "full.wav"
    recorder = Recorder(path, 48000, 1, checkpoint_seconds=0.02, on_error=errors.append,
                        min_free_bytes=0)
    block = np.full((4800, 1), 0.5, np.float32)  # 19 KB a block; 256 KiB fill after ~13
    for _ in range(40):
        recorder.push(block)
    recorder.stop()
    assert not recorder.active and len(errors) == 1, errors
    assert "no space left on the disk" in errors[0]
    data, rate = soundfile.read(path, dtype="float32")
    assert rate == 48000
    assert 4800 <= len(data) < 40 * 4800
    assert len(data) >= recorder.frames_written - 4800
    assert np.all(data == 0.5)


def test_the_queue_waiting_for_the_disk_is_bounded(tmp_path):
    """A stalled disk makes the recorder drop (and count) audio past its queue bound, rather
    than hold more and more memory."""
    recorder = Recorder(tmp_path / "slow.wav", 48000, 1, max_queue_seconds=0.1)
    release = threading.Event()
    inner = recorder._file

    class Stalled:
        def __getattr__(self, name):
            return getattr(inner, name)

        def write(self, block):
            release.wait(20)
            inner.write(block)

    recorder._file = Stalled()
    for _ in range(20):
        recorder.push(np.zeros((480, 1), np.float32))
    release.set()
    recorder.stop()
    assert recorder.frames_dropped >= 20 * 480 - 4800 - 480
    assert recorder.frames_written + recorder.frames_dropped == 20 * 480


def test_the_engine_records_within_the_stated_bounds(tmp_path):
    """SECURITY.md's rows: 4 hours a recording, 256 MiB kept free."""
    engine = null_engine(tmp_path, tiny_synth())
    engine.record_start("bounded")
    recorder = engine.recorder
    engine.record_stop()
    assert recorder.max_frames == 4 * 3600 * engine.backend.sample_rate
    assert recorder.min_free_bytes == 256 * 2 ** 20

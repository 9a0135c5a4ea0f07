"""Recording the output to WAV on a thread of its own, so disk stalls never reach the audio.

Rules:
* **never overwrite**: the file is created with ``O_CREAT | O_EXCL | O_NOFOLLOW`` (by the engine,
  which picks the next free name, or here). From then on the descriptor is the recording: the
  name is never opened again, so a link put in its place later cannot redirect the audio.
* **readable after a crash**: libsndfile writes the WAV header's sizes only when a file is
  closed, so every ``checkpoint_seconds`` the writer closes its SoundFile (the header then covers
  what was written) and reopens the same descriptor to append. A ``kill -9`` loses at most one
  checkpoint.
* **bounded**: a recording ends by itself after ``max_seconds``, or when the filesystem holding
  it has less than ``min_free_bytes`` free (checked at start and at each checkpoint), so a
  client cannot make the daemon fill the disk.
* **honest on failure**: a write error (a full disk, an I/O error) or a bound ends the recording:
  the header is finalised with what was written (the file stays a valid WAV), ``error`` says
  why, and ``on_end`` is called once with that message. A recording that fails before its
  first frame leaves no file behind.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile

from latentd.engine.safe_files import remove_created

log = logging.getLogger("latentd.recorder")

MAX_RECORDING_SECONDS = 4 * 3600.0  # one recording; a long live set fits
MIN_FREE_BYTES = 256 * 1024 * 1024  # left free on the recordings' filesystem
FULL_BELOW_BYTES = 1 << 20  # a write error with less free than this is a full disk


class RecordingRefused(RuntimeError):
    """A recording that cannot start; the message says why and what to do."""


def free_bytes(descriptor: int) -> int:
    """Bytes an unprivileged writer may still use on the filesystem holding ``descriptor``."""
    info = os.fstatvfs(descriptor)
    return info.f_bavail * info.f_frsize


class Recorder:
    def __init__(self, path: str | Path, sample_rate: int, channels: int,
                 checkpoint_seconds: float = 0.5, max_queue_seconds: float = 30.0,
                 on_error: Callable[[str], None] | None = None, descriptor: int | None = None,
                 max_seconds: float = MAX_RECORDING_SECONDS,
                 min_free_bytes: int = MIN_FREE_BYTES):
        """Record to ``path``. With ``descriptor`` the caller has created the file (empty,
        read-write) and hands it over; without, the file is created here and an existing one
        (or a link) is refused with FileExistsError."""
        self.path = Path(path)
        self.sample_rate = sample_rate
        self.channels = channels
        self.checkpoint_frames = max(1, int(checkpoint_seconds * sample_rate))
        self.max_queue_frames = int(max_queue_seconds * sample_rate)
        self.max_frames = int(max_seconds * sample_rate)
        self.min_free_bytes = min_free_bytes
        self.on_error = on_error or (lambda message: None)
        self.frames_written = 0
        self.frames_dropped = 0
        self.error: str | None = None
        self._pushed = 0  # frames queued, stored by the render thread only
        self._taken = 0  # frames dequeued, stored by the writer thread only
        self._queue: queue.SimpleQueue[np.ndarray | None] = queue.SimpleQueue()
        if descriptor is None:
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                                 | getattr(os, "O_CLOEXEC", 0), 0o644)
        self._descriptor = descriptor
        # here, not on the thread, so that a full disk fails the request and leaves no file
        try:
            self._check_space("cannot start recording")
            self._file = soundfile.SoundFile(descriptor, "w", sample_rate, channels,
                                             subtype="FLOAT", format="WAV", closefd=False)
        except BaseException:
            remove_created(self.path, descriptor)
            raise
        self._thread = threading.Thread(target=self._run, name="latentd-recorder", daemon=True)
        self._thread.start()

    def _check_space(self, what: str) -> None:
        free = free_bytes(self._descriptor)
        if free < self.min_free_bytes:
            raise RecordingRefused(f"{what}: {free // 2**20} MiB free on the disk of "
                                   f"{self.path.parent}, less than the "
                                   f"{self.min_free_bytes // 2**20} MiB kept free; "
                                   "free some space")

    @property
    def seconds(self) -> float:
        return self.frames_written / self.sample_rate

    @property
    def active(self) -> bool:
        """Still taking audio: not stopped by an error or a bound."""
        return self.error is None

    def push(self, audio: np.ndarray) -> None:
        """From the render thread: never blocks. Past the queue bound the audio is dropped and
        counted (the disk cannot keep up), rather than growing memory without end."""
        if self.error is not None:
            return
        if self._pushed - self._taken + len(audio) > self.max_queue_frames:
            self.frames_dropped += len(audio)
            return
        self._pushed += len(audio)
        self._queue.put(audio.copy())

    def stop(self) -> None:
        """Write what is queued and finalise the header."""
        self._queue.put(None)
        self._thread.join(timeout=10.0)

    def _checkpoint(self) -> None:
        """Close (the header now covers every frame), then append through the same file."""
        self._file.close()
        os.lseek(self._descriptor, 0, os.SEEK_SET)
        self._file = soundfile.SoundFile(self._descriptor, "r+", closefd=False)
        self._file.seek(0, soundfile.SEEK_END)
        self._check_space(f"recording {self.path.name} stopped after {self.seconds:.1f} s")

    def _run(self) -> None:
        since_checkpoint = 0
        try:
            while True:
                block = self._queue.get()
                if block is None:
                    break
                self._taken += len(block)
                room = self.max_frames - self.frames_written
                self._file.write(block[:room])
                self.frames_written += min(len(block), room)
                if room <= len(block):
                    raise RecordingRefused(
                        f"recording {self.path.name} reached its limit of "
                        f"{self.max_frames / self.sample_rate:g} s and stopped")
                since_checkpoint += len(block)
                if since_checkpoint >= self.checkpoint_frames:
                    self._checkpoint()
                    since_checkpoint = 0
        except Exception as exc:  # whatever went wrong, the file is finalised and it is said
            self.error = str(exc) if isinstance(exc, RecordingRefused) else (
                f"recording {self.path.name} failed after {self.seconds:.1f} s: "
                f"{self._describe(exc)}; the file keeps what was written")
        finally:
            self._finish()
        if self.error is not None:
            log.error("%s", self.error)
            self.on_error(self.error)

    def _describe(self, exc: Exception) -> str:
        """libsndfile reports a full disk as "System error.": say what it was when the
        filesystem has no room left for another block."""
        reason = getattr(exc, "strerror", None) or str(exc)
        with contextlib.suppress(OSError):
            if free_bytes(self._descriptor) < FULL_BELOW_BYTES:
                return f"no space left on the disk of {self.path.parent} ({reason})"
        return reason

    def _finish(self) -> None:
        """Finalise the header (it then counts the frames on disk), release the descriptor;
        a recording that never wrote a frame because it failed leaves no file."""
        with contextlib.suppress(Exception):  # a full disk may refuse even this; go on
            self._file.close()
        if self.error is not None and self.frames_written == 0:
            remove_created(self.path, self._descriptor)
        else:
            with contextlib.suppress(OSError):
                os.close(self._descriptor)

"""Recording the output to WAV on a thread of its own, so disk stalls never reach the audio.

libsndfile writes the WAV header's sizes only when a file is closed. To survive ``kill -9`` the
writer closes and reopens the file (read-write, appending) every ``checkpoint_seconds``; a killed
recording then reads back with everything up to the last checkpoint.

Links are followed once, when the recording begins (the engine has checked by then that they
stay inside the recordings directory). The file is opened, and reopened at each checkpoint, by
that resolved path with ``O_NOFOLLOW``, so a link swapped in later cannot redirect the audio.
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

log = logging.getLogger("latentd.recorder")


class Recorder:
    def __init__(self, path: str | Path, sample_rate: int, channels: int,
                 checkpoint_seconds: float = 0.5, max_queue_seconds: float = 30.0,
                 on_error: Callable[[str], None] | None = None):
        self.path = Path(path)
        self._target = self.path.resolve()  # what is written, links followed once, here
        self._descriptor: int | None = None
        self.sample_rate = sample_rate
        self.channels = channels
        self.checkpoint_frames = int(checkpoint_seconds * sample_rate)
        self.max_queue_frames = int(max_queue_seconds * sample_rate)
        self.on_error = on_error or (lambda message: log.error("%s", message))
        self.frames_written = 0
        self.frames_dropped = 0
        self.error: str | None = None
        self._pushed = 0  # frames queued, stored by the render thread only
        self._taken = 0  # frames dequeued, stored by the writer thread only
        self._queue: queue.SimpleQueue[np.ndarray | None] = queue.SimpleQueue()
        # open here so that a bad path or a full disk fails the request, not the thread
        self._file = self._open("w", sample_rate, channels)
        self._thread = threading.Thread(target=self._run, name="latentd-recorder", daemon=True)
        self._thread.start()

    def _open(self, mode: str, sample_rate: int = 0, channels: int = 0) -> soundfile.SoundFile:
        """Open by descriptor, refusing a link; the descriptor is ours to close (``_close``)."""
        flags = os.O_RDWR | os.O_NOFOLLOW | (os.O_CREAT | os.O_TRUNC if mode == "w" else 0)
        descriptor = os.open(self._target, flags, 0o644)
        try:
            if mode == "w":
                file = soundfile.SoundFile(descriptor, "w", sample_rate, channels,
                                           subtype="FLOAT", format="WAV", closefd=False)
            else:
                file = soundfile.SoundFile(descriptor, "r+", closefd=False)
        except BaseException:
            os.close(descriptor)
            raise
        self._descriptor = descriptor
        return file

    def _close(self) -> None:
        """Finalise the header, then release the descriptor (once)."""
        descriptor, self._descriptor = self._descriptor, None
        try:
            self._file.close()
        finally:
            if descriptor is not None:
                os.close(descriptor)

    @property
    def seconds(self) -> float:
        return self.frames_written / self.sample_rate

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

    def _run(self) -> None:
        since_checkpoint = 0
        try:
            while True:
                block = self._queue.get()
                if block is None:
                    break
                self._taken += len(block)
                self._file.write(block)
                self.frames_written += len(block)
                since_checkpoint += len(block)
                if since_checkpoint >= self.checkpoint_frames:
                    self._close()
                    self._file = self._open("r+")
                    self._file.seek(0, soundfile.SEEK_END)
                    since_checkpoint = 0
        except (OSError, RuntimeError, soundfile.LibsndfileError) as exc:
            self.error = f"recording to {self.path} failed: {exc}"
            self.on_error(self.error)
        finally:
            with contextlib.suppress(Exception):  # must not mask the first error
                self._close()

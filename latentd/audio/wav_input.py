"""A sound file as the input: looping, at real-time pace, for headless use and tests.

Any format soundfile reads (WAV, FLAC, OGG, AIFF ...). Live, a pacing thread
(``latentd-input-file``) reads one block at a time and copies it into the ring at the pace of
the file's own rate, starting again at the end, as a device's callback would deliver it.
Offline (``latentd render --input``) the render thread reads the file once, start to end.

The file is opened (and checked) when the input is made, so a missing or unreadable file is a
refusal at start, never a silent input later.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import soundfile

from latentd.audio.input import AudioInput, InputError, check_format
from latentd.audio.ring import RingBuffer

BLOCK_SECONDS = 0.005  # the pacing thread's block: like a 256-frame device period
CATCH_UP_SECONDS = 0.1  # a pacing thread late by less than this catches up; more is skipped


class WavInput(AudioInput):
    def __init__(self, path: str | Path, loop: bool = True, realtime: bool = True,
                 selected: list[int] | None = None):
        self.path = Path(path)
        self.loop = loop
        self.realtime = realtime
        self.selected = selected
        try:
            self._file = soundfile.SoundFile(str(self.path))
        except (OSError, RuntimeError, soundfile.LibsndfileError) as exc:
            reason = getattr(exc, "error_string", None) or str(exc)
            raise InputError(f"cannot read input file {self.path}: {reason}") from exc
        self.sample_rate = int(self._file.samplerate)
        self.channels = int(self._file.channels)
        try:
            check_format(f"input file {self.path}", self.sample_rate, self.channels, selected)
            if self._file.frames == 0:
                raise InputError(f"input file {self.path} holds no audio")
        except InputError:
            self._file.close()
            raise
        self.frames = int(self._file.frames)
        self.blocksize = max(16, round(BLOCK_SECONDS * self.sample_rate))
        self.latency = self.blocksize / self.sample_rate
        self.period_frames = self.blocksize
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def describe(self) -> str:
        return str(self.path)

    def reopen(self) -> WavInput:
        """The file opened again (it was cut or replaced while playing)."""
        return WavInput(self.path, self.loop, self.realtime, self.selected)

    def read(self, frames: int) -> np.ndarray:
        """The next ``frames`` frames, starting again at the end when looping."""
        parts = []
        wanted = frames
        rewound = False
        while wanted > 0:
            block = self._file.read(wanted, dtype="float32", always_2d=True)
            if len(block):
                parts.append(block)
                wanted -= len(block)
            elif rewound:  # nothing even from the start: the file was cut or replaced
                raise InputError(f"input file {self.path} reads nothing any more")
            if wanted > 0:
                if not self.loop:
                    break
                self._file.seek(0)
                rewound = True
        if not parts:
            return np.zeros((0, self.channels), np.float32)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def start(self, ring: RingBuffer) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(ring,),
                                        name="latentd-input-file", daemon=True)
        self._thread.start()

    def _run(self, ring: RingBuffer) -> None:
        period = self.blocksize / self.sample_rate
        deadline = time.monotonic()
        try:
            while not self._stop.is_set():
                ring.write(self.read(self.blocksize))
                deadline += period
                delay = deadline - time.monotonic()
                if delay > 0:
                    self._stop.wait(delay)
                elif delay < -CATCH_UP_SECONDS:  # a long stall: that time is skipped, as a
                    deadline = time.monotonic()  # device's capture drops it
                # otherwise late by a little (a busy machine): the next blocks follow at once,
                # so the file keeps the wall clock's pace as a device does
        except Exception as exc:  # the file vanished under us, a read error: input is lost
            self.lost_reason = f"input file {self.path}: {exc}"

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=1.0)
        self._thread = None

    def close(self) -> None:
        self.stop()
        if not self._file.closed:
            self._file.close()

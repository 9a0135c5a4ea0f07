"""The WAV output: renders faster than real time into a file, for offline renders and tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile

from latentd.audio.backend import Backend, BackendError


class WavBackend(Backend):
    realtime = False

    def __init__(self, path: str | Path, sample_rate: int, channels: int, blocksize: int):
        self.path = Path(path)
        self.sample_rate = sample_rate
        self.channels = channels
        self.blocksize = blocksize
        self.frames = 0
        try:
            self._file = soundfile.SoundFile(self.path, "w", sample_rate, channels,
                                             subtype="FLOAT")
        except (OSError, RuntimeError) as exc:
            raise BackendError(f"cannot write {self.path}: {exc}") from exc

    def describe(self) -> str:
        return f"WAV file {self.path} (faster than real time), {self.sample_rate} Hz"

    def write(self, audio: np.ndarray) -> None:
        self._file.write(audio)
        self.frames += len(audio)

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()

"""WAV reading and writing, mono mixing, resampling and silence trimming for datasets.

soundfile and soxr are imported lazily so that importing latentd.train (for example to register
its commands) never needs them; a missing one is reported with the package to install.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np

from latentd.train.errors import DatasetError

AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".aif", ".aiff", ".mp3")


def import_or_explain(module: str, package: str) -> ModuleType:
    try:
        return __import__(module)
    except ImportError as exc:
        raise DatasetError(f"{module} is needed to build datasets and train: "
                           f"pip install {package}") from exc


def read_mono(path: str | Path) -> tuple[np.ndarray, int]:
    """A file's samples mixed down to mono float32, and its sample rate."""
    soundfile = import_or_explain("soundfile", "soundfile")
    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except Exception as exc:  # soundfile raises its own LibsndfileError, RuntimeError, ...
        raise DatasetError(f"{path}: cannot read audio ({exc})") from exc
    return np.ascontiguousarray(data.mean(axis=1), dtype=np.float32), int(rate)


def write_wav(path: str | Path, audio: np.ndarray, rate: int) -> None:
    """16-bit PCM: half the size of float, and all a CPU-trained model can tell apart."""
    soundfile = import_or_explain("soundfile", "soundfile")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(str(path), np.clip(audio, -1.0, 1.0), rate, subtype="PCM_16")


def resample(audio: np.ndarray, rate: int, target: int) -> np.ndarray:
    """High-quality resampling with soxr (only imported when rates actually differ)."""
    if rate == target:
        return audio
    soxr = import_or_explain("soxr", "soxr")
    return np.asarray(soxr.resample(audio, rate, target, quality="HQ"), dtype=np.float32)


def db_to_amplitude(db: float) -> float:
    return float(10.0 ** (db / 20.0))


def active_range(audio: np.ndarray, rate: int, threshold_db: float = -60.0,
                 window_s: float = 0.01) -> tuple[int, int]:
    """First and last sample of the part louder than ``threshold_db`` (peak per window).

    Windowed peaks rather than single samples, so that one stray click does not count as sound
    and the decay tail of a note is kept until it really fades.
    """
    window = max(1, int(rate * window_s))
    count = len(audio) // window
    if count == 0:
        return 0, 0
    peaks = np.abs(audio[: count * window]).reshape(count, window).max(axis=1)
    loud = np.flatnonzero(peaks > db_to_amplitude(threshold_db))
    if len(loud) == 0:
        return 0, 0
    return int(loud[0] * window), int(min(len(audio), (loud[-1] + 1) * window))


def fade_out(audio: np.ndarray, rate: int, seconds: float = 0.02) -> np.ndarray:
    """A short linear fade at the end, so that a cut never ends on a click."""
    n = min(len(audio), int(rate * seconds))
    if n:
        audio = audio.copy()
        audio[-n:] *= np.linspace(1.0, 0.0, n, dtype=np.float32)
    return audio

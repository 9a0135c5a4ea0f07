"""Signal measurements shared by ``latentd evaluate`` and ``latentd probe``.

Plain numpy on mono float arrays: loudness envelopes in dB, their correlation, and the spectral
centroid (the "brightness" a listener hears change when a timbre control moves).
"""

from __future__ import annotations

import numpy as np

FRAME_S = 0.02  # loudness frames of 20 ms, hop 10 ms: the ear's temporal resolution for level
RANGE_DB = 60.0  # envelopes are floored this far below the reference's loudest frame


def rms_db(audio: np.ndarray, sample_rate: int, frame_s: float = FRAME_S) -> np.ndarray:
    """RMS level per frame (``frame_s`` long, half-overlapping) in dBFS, -inf-safe (>= -200)."""
    audio = np.asarray(audio, dtype=np.float64)
    frame = max(1, round(frame_s * sample_rate))
    hop = max(1, frame // 2)
    if len(audio) < frame:
        audio = np.pad(audio, (0, frame - len(audio)))
    count = 1 + (len(audio) - frame) // hop
    frames = audio[np.arange(count)[:, None] * hop + np.arange(frame)]
    power = np.mean(frames**2, axis=1)
    return 10.0 * np.log10(np.maximum(power, 1e-20))


def envelope_correlation(reference: np.ndarray, output: np.ndarray, sample_rate: int,
                         range_db: float = RANGE_DB) -> float:
    """Pearson r between the dB loudness envelopes of two equally long signals.

    Both envelopes are floored at ``range_db`` below the reference's loudest frame: below that
    the reference is silence or noise, and how deep the model's own silence goes (-70 or -120 dB)
    is inaudible and must not count. NaN when either envelope is flat (no variation to follow).
    """
    a, b = rms_db(reference, sample_rate), rms_db(output, sample_rate)
    floor = a.max() - range_db
    return pearson(np.maximum(a, floor), np.maximum(b, floor))


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a, np.float64) - np.mean(a), np.asarray(b, np.float64) - np.mean(b)
    norm = np.sqrt(np.sum(a * a) * np.sum(b * b))
    return float(np.sum(a * b) / norm) if norm > 0 else float("nan")


def spectral_centroid(audio: np.ndarray, sample_rate: int, size: int = 2048) -> float:
    """Power-weighted mean frequency (Hz) of the whole signal, from Hann-windowed frames.

    One number for a steady sound, weighted by power so that the loud frames decide it, as they
    decide what is heard. NaN for digital silence.
    """
    audio = np.asarray(audio, dtype=np.float64)
    if len(audio) < size:
        audio = np.pad(audio, (0, size - len(audio)))
    hop = size // 4
    count = 1 + (len(audio) - size) // hop
    frames = audio[np.arange(count)[:, None] * hop + np.arange(size)] * np.hanning(size)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    total = power.sum()
    if total <= 0:
        return float("nan")
    frequencies = np.fft.rfftfreq(size, 1.0 / sample_rate)
    return float((power * frequencies).sum() / total)


def level_db(audio: np.ndarray) -> float:
    """The RMS level of the whole signal in dBFS."""
    power = float(np.mean(np.asarray(audio, np.float64) ** 2)) if len(audio) else 0.0
    return 10.0 * np.log10(max(power, 1e-20))

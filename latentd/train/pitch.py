"""A YIN pitch tracker (de Cheveigné & Kawahara, 2002) in numpy, for evaluating models.

Evaluation asks whether a note keeps its pitch through encode and decode, so it needs the same
tracker on input and output, not an exact one: YIN is simple, has no learned weights and no
dependency, and its aperiodicity (the normalised difference at the chosen lag) is a natural
confidence. Frames are voiced when that aperiodicity is at most ``threshold`` and the frame is
no more than ``floor_db`` below the loudest frame of the same signal, so that note tails fading
into noise and digital silence never count as pitched.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

THRESHOLD = 0.15  # YIN's absolute threshold on the cumulative mean normalised difference
FLOOR_DB = -40.0  # frames this far below the signal's loudest frame are unvoiced
FMIN = 40.0  # Hz: below the lowest bass note of the GM dataset (MIDI 28, 41.2 Hz)
FMAX = 2500.0  # Hz: above the highest fundamental (piccolo, MIDI 102, 2349 Hz)


@dataclass(frozen=True)
class PitchTrack:
    """Per frame: fundamental (Hz, NaN where unvoiced), aperiodicity (0 periodic .. 1 noise),
    and voicing."""

    f0: np.ndarray
    aperiodicity: np.ndarray
    voiced: np.ndarray
    hop: int
    sample_rate: int


def _difference(frames: np.ndarray, window: int, max_lag: int) -> np.ndarray:
    """YIN's difference function d(tau) for every frame, tau in 0..max_lag, via the FFT.

    d(tau) = sum_j (x_j - x_{j+tau})^2 over ``window`` samples = E(0) + E(tau) - 2 r(tau), with
    the energies from cumulative sums and the cross term r from one FFT correlation per frame.
    """
    size = 1 << int(np.ceil(np.log2(window + frames.shape[1])))
    head = np.fft.rfft(frames[:, :window], size)
    whole = np.fft.rfft(frames, size)
    cross = np.fft.irfft(np.conj(head) * whole, size)[:, : max_lag + 1]
    squares = np.cumsum(np.pad(frames**2, ((0, 0), (1, 0))), axis=1)
    energy = squares[:, window: window + max_lag + 1] - squares[:, : max_lag + 1]
    return np.maximum(energy[:, :1] + energy - 2.0 * cross, 0.0)


def _normalise(difference: np.ndarray) -> np.ndarray:
    """The cumulative mean normalised difference d'(tau); d'(0) = 1."""
    lags = np.arange(difference.shape[1])
    running = np.cumsum(difference[:, 1:], axis=1)
    normalised = np.ones_like(difference)
    normalised[:, 1:] = difference[:, 1:] * lags[1:] / np.maximum(running, 1e-12)
    return normalised


def _pick(normalised: np.ndarray, min_lag: int, threshold: float) -> tuple[np.ndarray,
                                                                            np.ndarray]:
    """The lag per frame: the first dip below ``threshold`` followed down to its local minimum,
    else the global minimum; refined by a parabola through its neighbours."""
    count, width = normalised.shape
    search = normalised[:, min_lag:]
    below = search < threshold
    first = np.where(below.any(axis=1), below.argmax(axis=1), search.argmin(axis=1))
    lags = first + min_lag
    for row in range(count):  # descend to the bottom of the dip
        lag = lags[row]
        while lag + 1 < width and normalised[row, lag + 1] < normalised[row, lag]:
            lag += 1
        lags[row] = lag
    rows = np.arange(count)
    left = normalised[rows, np.maximum(lags - 1, 0)]
    centre = normalised[rows, lags]
    right = normalised[rows, np.minimum(lags + 1, width - 1)]
    curvature = left - 2 * centre + right
    shift = np.where(np.abs(curvature) > 1e-12, 0.5 * (left - right) / np.where(
        np.abs(curvature) > 1e-12, curvature, 1.0), 0.0)
    return lags + np.clip(shift, -1.0, 1.0), centre


def yin(audio: np.ndarray, sample_rate: int, *, hop: int = 512, window: int = 2048,
        fmin: float = FMIN, fmax: float = FMAX, threshold: float = THRESHOLD,
        floor_db: float = FLOOR_DB) -> PitchTrack:
    """Track the fundamental of mono ``audio``; frame i covers samples from ``i * hop``.

    Only frames whose window and largest lag fit inside the signal are analysed, so the track
    is ``1 + (len - window - max_lag) // hop`` frames long (empty for a very short signal).
    """
    audio = np.asarray(audio, dtype=np.float64)
    max_lag = min(int(np.ceil(sample_rate / fmin)), window)
    min_lag = max(2, int(sample_rate / fmax))
    span = window + max_lag
    count = 1 + (len(audio) - span) // hop if len(audio) >= span else 0
    if count == 0:
        empty = np.zeros(0)
        return PitchTrack(empty, empty, np.zeros(0, bool), hop, sample_rate)
    starts = np.arange(count) * hop
    frames = audio[starts[:, None] + np.arange(span)]
    normalised = _normalise(_difference(frames, window, max_lag))
    lags, aperiodicity = _pick(normalised, min_lag, threshold)
    rms = np.sqrt(np.mean(frames[:, :window] ** 2, axis=1))
    loud = rms > rms.max() * 10 ** (floor_db / 20) if rms.max() > 0 else np.zeros(count, bool)
    voiced = (aperiodicity <= threshold) & loud
    f0 = np.where(voiced, sample_rate / lags, np.nan)
    return PitchTrack(f0, aperiodicity, voiced, hop, sample_rate)


def cents(f: np.ndarray | float, reference: np.ndarray | float) -> np.ndarray:
    """Signed interval from ``reference`` to ``f`` in cents (1200 per octave)."""
    return 1200.0 * np.log2(np.asarray(f, dtype=np.float64) / np.asarray(reference,
                                                                        dtype=np.float64))


def midi_to_hz(pitch: float) -> float:
    return 440.0 * 2.0 ** ((pitch - 69.0) / 12.0)

"""The output's spectrum in a few log-spaced bands, for subscribers to draw (``/spectrum``).

A performer steering a latent space needs to see the sound's shape, not only its level. Pd and
Max draw a fixed list of floats easily (an array, a multislider), so the daemon sends a fixed
number of bands in dB rather than raw FFT bins: the same count whatever the device rate, log
spaced because pitch and timbre are heard on a log scale.

It is computed from the heard audio the Meter already keeps (telemetry.py), when telemetry is
sent (about 30 Hz, on the OSC loop): never on the audio callback or the render thread. One
rfft of a few thousand samples costs tens of microseconds.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from latentd.engine.telemetry import SILENCE_DB

BANDS = 32
LOW_HZ = 40.0
HIGH_HZ = 16000.0
WINDOW_FRAMES = 4096  # 85 ms at 48 kHz: 11.7 Hz bins, fine enough for the low bands


def band_edges(sample_rate: int, bands: int = BANDS) -> np.ndarray:
    """``bands + 1`` edges in Hz, log spaced from LOW_HZ to min(HIGH_HZ, Nyquist)."""
    top = min(HIGH_HZ, sample_rate / 2)
    return np.geomspace(LOW_HZ, top, bands + 1)


@lru_cache(maxsize=8)
def _plan(frames: int, sample_rate: int, bands: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Hann window, each band's bins (index ranges as (start, stop) rows) and the scale that
    makes a full-scale sine read 0 dB. A band narrower than one bin (the lowest ones) takes
    the bin nearest its centre, so every band has a value."""
    window = np.hanning(frames).astype(np.float32)
    freqs = np.fft.rfftfreq(frames, 1.0 / sample_rate)
    edges = band_edges(sample_rate, bands)
    ranges = np.empty((bands, 2), np.int64)
    for k in range(bands):
        lo = int(np.searchsorted(freqs, edges[k], side="left"))
        hi = int(np.searchsorted(freqs, edges[k + 1], side="left"))
        if hi <= lo:
            centre = np.sqrt(edges[k] * edges[k + 1])
            lo = int(np.argmin(np.abs(freqs - centre)))
            hi = lo + 1
        ranges[k] = (lo, hi)
    return window, ranges, 2.0 / float(window.sum())


def spectrum_db(audio: np.ndarray | None, sample_rate: int, bands: int = BANDS) -> list[float]:
    """Band levels in dB (0 dB: a full-scale sine; SILENCE_DB for silence), lowest band first.

    ``audio`` is (frames,) or (frames, channels); channels are averaged (what a mono sum
    would show). Each band reads its loudest bin, so a sine shows at its own level whatever
    the band's width. Shorter audio than WINDOW_FRAMES is zero padded at the front.
    """
    if audio is None or len(audio) == 0:
        return [SILENCE_DB] * bands
    mono = audio.mean(axis=1) if audio.ndim == 2 else audio
    mono = np.asarray(mono[-WINDOW_FRAMES:], np.float32)
    if len(mono) < WINDOW_FRAMES:
        mono = np.concatenate([np.zeros(WINDOW_FRAMES - len(mono), np.float32), mono])
    window, ranges, scale = _plan(WINDOW_FRAMES, sample_rate, bands)
    magnitude = np.abs(np.fft.rfft(mono * window)) * scale
    # one reduceat over (lo, hi) pairs: the even segments are the bands (the odd ones, between
    # a band's end and the next one's start, are dropped); a trailing 0 lets hi reach the end
    peaks = np.maximum.reduceat(np.append(magnitude, 0.0), ranges.ravel())[0::2]
    levels = 20 * np.log10(np.maximum(peaks, 1e-6))
    return np.maximum(levels, SILENCE_DB).tolist()

"""/spectrum's bands: a known sine shows in the band that holds its frequency, at its level."""

import numpy as np
import pytest

from latentd.engine.spectrum import BANDS, band_edges, spectrum_db
from latentd.engine.telemetry import SILENCE_DB


@pytest.mark.parametrize(("rate", "band"), [(48000, 12), (44100, 16), (48000, 28), (22050, 20),
                                            (48000, 31), (44100, 9)])
def test_a_sine_peaks_in_its_band_at_its_level(rate: int, band: int) -> None:
    edges = band_edges(rate)
    hz = float(np.sqrt(edges[band] * edges[band + 1]))  # the band's centre, on a log scale
    t = np.arange(8192) / rate
    sine = 0.5 * np.sin(2 * np.pi * hz * t).astype(np.float32)
    levels = spectrum_db(np.stack([sine, sine], axis=1), rate)
    assert len(levels) == BANDS
    assert int(np.argmax(levels)) == band
    assert levels[band] == pytest.approx(20 * np.log10(0.5), abs=1.6)  # Hann scalloping
    far = [v for k, v in enumerate(levels) if abs(k - band) > 3]
    assert max(far) < levels[band] - 40


def test_bands_reach_nyquist_or_16k_and_silence_reads_the_floor() -> None:
    assert band_edges(22050)[-1] == pytest.approx(11025)
    assert band_edges(48000)[-1] == pytest.approx(16000)
    assert band_edges(48000)[0] == pytest.approx(40)
    assert spectrum_db(np.zeros((4096, 2), np.float32), 48000) == [SILENCE_DB] * BANDS
    assert spectrum_db(None, 48000) == [SILENCE_DB] * BANDS
    short = spectrum_db(np.full(100, 0.1, np.float32), 48000)  # padded, still 32 finite values
    assert len(short) == BANDS and all(np.isfinite(short))

"""The decode latency latentd reports for RAVE exports (issue 21), checked on the export's own
audio: decoded one latent frame per call from silence, it must equal the trained model's audio
(the offline rebuild, cached_conv's padding) delayed by exactly that many samples, and not by
one sample more or less."""

from pathlib import Path

import pytest
import torch

from latentd.models.rave_rebuild.cached import zero_caches
from latentd.models.rave_rebuild.latency import decode_latency, trained_decode
from latentd.models.rave_rebuild.latent import LatentSpace
from tests.support.tools import real_rave_export

EXPORTS = Path(__file__).resolve().parents[1] / "support" / "rave_exports"
FRAMES = 40


def _export(name: str):
    path = real_rave_export() if name == "raspberry" else EXPORTS / name
    return torch.jit.load(str(path)).eval()


def _error(theirs: torch.Tensor, trained: torch.Tensor, delay: int) -> float:
    """Relative difference of the export's audio and the trained audio delayed by ``delay``,
    over the export's second half (its first outputs carry pre-signal samples)."""
    start, stop = theirs.shape[-1] // 2, 3 * theirs.shape[-1] // 4
    reference = trained[..., start - delay: stop - delay]
    return ((theirs[..., start:stop] - reference).abs().max() / reference.abs().max()).item()


# v1: Generator with its noise generator (not warmed up, so not added); raspberry: no noise.
# v2 noise adds its noise, which the trained audio leaves out: its latency is checked on the
# bands only (test_rave_rebuild.py)
@pytest.mark.parametrize("name", ["rave_v1_tiny_streaming.ts", "raspberry"])
def test_the_exports_audio_is_the_trained_audio_delayed_by_the_latency(name):
    export = _export(name)
    latency = decode_latency(export, int(export.full_latent_size))
    assert latency is not None
    bands = int(export.pqmf.n_band)
    assert latency % bands == 0
    torch.manual_seed(1)
    z = torch.randn(1, int(export.latent_size), FRAMES)
    zero_caches(export)
    with torch.inference_mode():
        theirs = torch.cat([export.decode(z[..., i: i + 1]) for i in range(FRAMES)], -1)
        torch.manual_seed(2)
        full = LatentSpace(export).pre_process(z)
        trained = trained_decode(export, full, odd_band_lag=(latency // bands) % 2 == 1)
    zero_caches(export)
    assert theirs.shape == trained.shape
    assert _error(theirs, trained, latency) < 1e-4
    for wrong in (latency - 1, latency + 1, latency - bands, latency + bands):
        assert _error(theirs, trained, wrong) > 1e-2

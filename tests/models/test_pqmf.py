import pytest
import torch

from latentd.models.pqmf import PQMFAnalysis, PQMFSynthesis
from latentd.stream import streamify


@pytest.mark.parametrize("bands", [2, 4, 16])
@pytest.mark.parametrize("causal", [False, True])
def test_analysis_then_synthesis_reconstructs(bands, causal):
    analysis, synthesis = PQMFAnalysis(bands, causal=causal), PQMFSynthesis(bands, causal=causal)
    x = torch.randn(2, 1, bands * 256)
    with torch.no_grad():
        sub = analysis(x)
        y = synthesis(sub)
    assert sub.shape == (2, bands, 256)
    assert y.shape == x.shape
    taps = bands * 8
    shift = taps - bands if causal else 0  # causal filters delay, centred ones do not
    reference = x[..., 2 * taps : -2 * taps - shift] if shift else x[..., 2 * taps : -2 * taps]
    error = y[..., 2 * taps + shift : x.shape[-1] - 2 * taps] - reference
    snr = 10 * torch.log10(reference.pow(2).mean() / error.pow(2).mean())
    assert snr > 40


def test_causal_synthesis_streams_without_latency():
    assert streamify(PQMFSynthesis(8, causal=True)).latency == 0
    assert streamify(PQMFSynthesis(8)).latency > 0

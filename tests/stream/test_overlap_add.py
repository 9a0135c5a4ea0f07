"""OverlapAdd, the baseline: exact once its window is full, at the streamer's latency."""

import pytest
import torch

from latentd.demo import small_decoder
from latentd.stream import OverlapAdd, streamify


@pytest.mark.parametrize("block", [1, 3])
@pytest.mark.parametrize("crossfade", [0, 4])
def test_overlap_add_matches_offline_after_warmup(block, crossfade):
    torch.manual_seed(0)
    model = small_decoder(latent=4, ratios=(2, 4)).eval()
    stream = streamify(model)
    baseline = OverlapAdd.like(model, stream, crossfade=crossfade)
    assert baseline.latency == stream.latency
    x = torch.randn(1, 4, 60)
    with torch.inference_mode():
        offline = model(x)
        out = torch.cat([baseline(x[..., i : i + block]) for i in range(0, 60, block)], -1)
    warm = int((baseline.context + block) * stream.ratio)
    span = offline.shape[-1] - stream.latency
    assert span > warm
    error = (out[..., stream.latency :][..., warm:span] - offline[..., warm:span]).abs().max()
    assert error <= 1e-5 * offline.abs().max()


def test_overlap_add_rejects_bad_block():
    model = small_decoder(latent=4, ratios=(2,)).eval()
    baseline = OverlapAdd.like(model, streamify(model))
    with pytest.raises(ValueError, match="block length 0"):
        baseline(torch.zeros(1, 4, 0))

"""Loading models again and again must not grow the process: every /model/load of a latentd
checkpoint used to leak ~20 MB (TorchScript kept a compiled type, with its execution plans, per
load; see latentd.stream.module._shared_class)."""

import gc
import os

import pytest
from support.engines import null_engine, tiny_synth


def resident_mb() -> float:
    gc.collect()
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def small_synth():
    return tiny_synth(name="small", capacity=16, latent_size=8, ratios=(4, 4, 4))


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs Linux /proc")
def test_repeated_model_loads_keep_memory_bounded(tmp_path):
    engine = null_engine(tmp_path, small_synth(), block_frames=1)
    engine.loader = lambda name: small_synth()
    for _ in range(3):  # the first loads fill caches that stay (allocator arenas, code)
        engine.load_model("small").join(60)
    before = resident_mb()
    loads = 5
    for _ in range(loads):
        engine.load_model("small").join(60)
    grown = resident_mb() - before
    assert engine.model_name == "small"
    # the leak was ~14 MB a load of this model (70 MB here); what stays is a few MB of
    # allocator noise
    assert grown < 25, f"{loads} loads grew the process by {grown:.0f} MB"

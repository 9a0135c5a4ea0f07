"""latentd's rebuild of RAVE streaming exports (issue 21): equality with the export's own
methods, stream vs stream, on real exports made by RAVE's export script; the fallback with its
log line; the route ``latentd info`` shows; attributes; the measured latency."""

import logging
from pathlib import Path

import pytest
import torch

from latentd.models.rave_rebuild import Unrecognised, fast_path, rebuild
from latentd.models.rave_rebuild.check import METHODS, relative_error
from latentd.models.rave_rebuild.fast_path import EXPORT, REBUILT, choose
from latentd.models.rave_rebuild.latency import decode_latency
from latentd.models.rave_rebuild.policy import set_exact_export
from latentd.models.torchscript import saved_buffers
from tests.support.rave import make_rave_v2_fixture
from tests.support.rave_unknown_block import make_unknown_block_export
from tests.support.tools import real_rave_export

EXPORTS = Path(__file__).resolve().parents[1] / "support" / "rave_exports"
TINY = {"v2 noise": EXPORTS / "rave_v2_noise_tiny_streaming.ts",
        "v1": EXPORTS / "rave_v1_tiny_streaming.ts"}


def _export(name: str):
    path = real_rave_export() if name == "raspberry" else TINY[name]
    return torch.jit.load(str(path)).eval()


@pytest.fixture(scope="module", params=["v2 noise", "v1"])
def pair(request):
    export = _export(request.param)
    return export, rebuild(export)


@pytest.mark.parametrize("method", METHODS)
def test_rebuilt_stream_equals_the_export_stream(pair, method):
    export, rebuilt = pair
    assert relative_error(export, rebuilt, method, blocks=4, frames=2) < 1e-4


def test_equal_at_one_frame_per_call_and_after_a_reset(pair):
    export, rebuilt = pair
    assert relative_error(export, rebuilt, "decode", blocks=6, frames=1, seed=3) < 1e-4
    assert relative_error(export, rebuilt, "decode", blocks=2, frames=1, seed=3) < 1e-4


@pytest.fixture(scope="module")
def raspberry():
    """The shared real export and its rebuild (seconds to build), shared by the tests that use
    it: each starts from ``reset()`` (relative_error resets both sides before and after)."""
    export = _export("raspberry")
    return export, rebuild(export)


def test_the_real_raspberry_export_decodes_equal(raspberry):
    """The shared real export (RAVE's raspberry configuration, full size): decode only, its
    other methods being the same blocks as the tiny v1's."""
    export, rebuilt = raspberry
    assert relative_error(export, rebuilt, "decode", blocks=3, frames=1) < 1e-4


def test_unknown_block_falls_back_with_one_log_line(tmp_path, caplog):
    export = torch.jit.load(str(make_unknown_block_export(tmp_path / "odd.ts")))
    with pytest.raises(Unrecognised, match=r"decoder\.net\.0: block MysteryBlock"):
        rebuild(export)
    with caplog.at_level(logging.INFO, logger="latentd.models"):
        route = choose("odd", export, 4, timed=False)
    assert route.path == EXPORT and route.rebuilt is None
    lines = [r.getMessage() for r in caplog.records if "MysteryBlock" in r.getMessage()]
    assert lines == ["odd: playing through the export's own methods; not rebuilt: "
                     "decoder.net.0: block MysteryBlock is not one latentd rebuilds"]


def test_look_alike_exports_keep_their_own_methods(tmp_path):
    export = torch.jit.load(str(make_rave_v2_fixture(tmp_path / "v2.ts")))
    route = choose("v2", export, 4, timed=False)
    assert route.path == EXPORT and "wrapper" in route.reason


def test_exact_export_forces_the_exports_methods():
    set_exact_export(True)
    try:
        route = choose("v1", _export("v1"), 16, timed=False)
    finally:
        set_exact_export(False)
    assert route.path == EXPORT and route.reason == "--exact-export"


def test_attributes_followed_or_switched(caplog):
    route = choose("v1", _export("v1"), 16, timed=False)
    assert route.path == REBUILT
    route.attribute_set("learn_target")  # AdaIN switches: applied by the export's update_adain
    assert route.path == REBUILT
    with caplog.at_level(logging.WARNING, logger="latentd.models"):
        route.attribute_set("stereo")
    assert route.path == EXPORT
    assert "switching to the export's own methods: attribute 'stereo'" in caplog.text


@pytest.mark.parametrize("name", ["v2 noise", "v1"])
def test_latency_is_found_and_a_whole_number_of_samples(name):
    """The export's stream lags its trained model; decode_latency finds the shift that makes
    the two equal (it checks the match) and counts it in output samples. RAVE v1's lag spans
    more latent frames than a short comparison covers (it was unknown before)."""
    export = _export(name)
    latency = decode_latency(export, int(export.full_latent_size))
    assert latency is not None and latency > 0 and latency % 16 == 0


def test_regroup_keeps_a_voice_and_starts_a_new_one_from_silence(raspberry):
    """Voices (issue 20) through the rebuilt streams: after a regroup, a kept row continues
    its stream and a new row plays as a lone voice from a reset does. On the raspberry export:
    no noise branch and no latent crop, so nothing random differs between rows."""
    export, rebuilt = raspberry
    latent = int(export.decode_params[0])
    assert rebuilt.plan.noise is None and int(export.full_latent_size) == latent
    z = torch.randn(2, latent, 3, generator=torch.Generator().manual_seed(5))
    with torch.inference_mode():
        rebuilt.reset()
        alone = [torch.cat([rebuilt.decode(z[v: v + 1, :, i: i + 1]) for i in range(3)], -1)
                 for v in range(2) if not rebuilt.reset()]
        rebuilt.reset()
        rebuilt.decode(z[:, :, :1])
        assert rebuilt.regroup([1, -1])
        after = torch.cat([rebuilt.decode(torch.stack([z[1, :, i + 1], z[0, :, i]])[..., None])
                           for i in range(2)], -1)
        rebuilt.reset()
    torch.testing.assert_close(after[0], alone[1][0, :, -2 * after.shape[-1] // 2:])
    torch.testing.assert_close(after[1], alone[0][0, :, : after.shape[-1]])


def test_a_load_that_times_the_export_faster_leaves_its_caches_as_it_found_them(monkeypatch):
    """When the timing keeps the export's own methods, its stream must start where its
    ``reset`` (a fresh load) starts: the timing once zeroed the caches, so a fresh load played
    from silence and a reset from the saved state (a voice test failed whenever the machine's
    noise made the rebuild look slower)."""
    export = _export("v1")
    with torch.inference_mode():
        export.decode(torch.randn(1, 16, 2, generator=torch.Generator().manual_seed(5)))
    before = saved_buffers(export)
    assert any(float(b.abs().sum()) > 0 for b in before.values()), "no state to keep"
    timed = fast_path._median_ms

    def rebuilt_slower(call, *args, **kwargs):  # the real calls run; only the verdict is set
        slower = isinstance(getattr(call, "__self__", None), fast_path.RebuiltRave)
        return timed(call, *args, **kwargs) + (1000.0 if slower else 0.0)

    monkeypatch.setattr(fast_path, "_median_ms", rebuilt_slower)
    route = choose("v1", export, 16, timed=True)
    assert route.rebuilt is None and "not faster" in route.reason
    after = dict(export.named_buffers())
    assert after.keys() == before.keys()
    assert all(torch.equal(after[name], value) for name, value in before.items())

"""A checkpoint's architecture must fit the weights it carries, checked before anything is
built (latentd/models/architecture_bounds.py): a small file cannot make latentd allocate
gigabytes by stating a huge architecture."""

import resource
import time

import pytest
import torch

from latentd.models.checkpoint import load_model, save_checkpoint
from latentd.models.prior import LatentPrior, prior_payload
from latentd.models.rave import RaveConfig, RaveModel
from latentd.models.registry import load_synth
from latentd.models.synth import ModelError

MAX_GROWTH_BYTES = 300 << 20


def _with(tmp_path, config=None, prior=None):
    path = tmp_path / "small.ckpt"
    save_checkpoint(path, RaveModel(RaveConfig.tiny()), prior=prior)
    payload = torch.load(path, weights_only=True)
    payload["config"].update(config or {})
    torch.save(payload, path)
    return path


def _peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@pytest.mark.parametrize(("key", "value"), [
    ("capacity", 100_000), ("bands", 4096), ("pqmf_taps_per_band", 10_000),
    ("ratios", [2] * 1000), ("dilations", [1, 10**9]), ("latent_size", -1), ("capacity", "4"),
    ("harmonics", True),
])
def test_numbers_outside_their_range_are_refused_by_name(tmp_path, key, value):
    path = _with(tmp_path, {key: value})
    started = time.monotonic()
    with pytest.raises(ModelError, match=f"config '{key}'"):
        load_model(path)
    assert time.monotonic() - started < 5


def test_an_architecture_its_weights_do_not_fill_is_refused_before_it_is_built(tmp_path):
    """capacity 1024 over 8 upsampling levels is tens of GB of float32 weights; the file holds
    a few KB. Refused from shapes alone (built on torch's meta device): no memory is spent."""
    path = _with(tmp_path, {"capacity": 1024, "ratios": [4] * 8, "dilations": [1, 3, 9, 27]})
    before = _peak_rss_bytes()
    with pytest.raises(ModelError, match="does not match its architecture"):
        load_synth(path)
    assert _peak_rss_bytes() - before < MAX_GROWTH_BYTES


def test_a_prior_its_weights_do_not_fill_is_refused(tmp_path):
    prior = prior_payload(LatentPrior(4, 8, 1))
    prior["config"] = {"latent_size": 4, "hidden_size": 4096, "layers": 16}  # ~4 GB of GRU
    path = _with(tmp_path, prior=prior)
    before = _peak_rss_bytes()
    with pytest.raises(ModelError, match=r"\(prior\).*does not match its architecture"):
        load_synth(path)
    assert _peak_rss_bytes() - before < MAX_GROWTH_BYTES
    prior["config"] = {"latent_size": 4, "hidden_size": 10**6, "layers": 1}
    with pytest.raises(ModelError, match="config 'hidden_size'"):
        load_synth(_with(tmp_path, prior=prior))


def test_matching_checkpoints_still_load(tmp_path):
    prior = prior_payload(LatentPrior(4, 8, 1))
    assert load_synth(_with(tmp_path, prior=prior), script=False).has_prior


@pytest.mark.parametrize("config", [
    RaveConfig.tiny(), RaveConfig.tiny(noise=False, bands=2, ratios=(4, 2)),
    RaveConfig.tiny(harmonics=6, pitch_latent=True), RaveConfig.tiny(lookahead=0.0),
], ids=["tiny", "no noise", "harmonic pitch", "causal"])
def test_the_skeleton_on_meta_has_the_real_models_names_shapes_and_buffers(config):
    """The skeleton is built without computing anything on meta (its weight norm by shape,
    its constant buffers from lists), so its state must still be the real model's."""
    with torch.device("meta"):
        skeleton = RaveModel(config)
    real = RaveModel(config)
    shapes = {name: tuple(t.shape) for name, t in skeleton.state_dict().items()}
    assert shapes == {name: tuple(t.shape) for name, t in real.state_dict().items()}
    for name, buffer in real.named_buffers():
        assert tuple(dict(skeleton.named_buffers())[name].shape) == tuple(buffer.shape), name


def test_a_first_model_load_does_not_import_torch_dynamo():
    """Computing on meta runs torch's Python references, which import torch._dynamo: 2.2 s of
    every process's first model load (latentd serve's start, each CLI command)."""
    import subprocess
    import sys

    code = ("import sys; from latentd.models.registry import load_synth; "
            "load_synth('default'); print('torch._dynamo' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"

"""User latent units: the checkpoint's ``latent_stats`` make LatentdSynth decode, encode and
sample in normalised units, exactly, with the streams' latency and ratio unchanged; checkpoints
without them keep raw units; priors are converted exactly into whatever units are played."""

import pytest
import torch

from latentd.models.checkpoint import attach_prior, save_checkpoint, update_checkpoint
from latentd.models.checkpoint_synth import LatentdSynth
from latentd.models.latents import MIN_STD, LatentStats, encoder_digest, units_from
from latentd.models.prior import LatentPrior, load_prior, prior_payload
from latentd.models.rave import RaveConfig, RaveModel
from latentd.models.synth import ModelError

LATENT = 4


def make_stats(seed=0):
    generator = torch.Generator().manual_seed(seed)
    mean = torch.randn(LATENT, generator=generator)
    std = 0.2 + torch.rand(LATENT, generator=generator)
    return LatentStats(mean, std, {"data": "test"})


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory):
    """The same weights twice: raw units, and with latent stats."""
    root = tmp_path_factory.mktemp("units")
    torch.manual_seed(0)
    raw = root / "raw.ckpt"
    save_checkpoint(raw, RaveModel(RaveConfig.tiny(noise=False)))
    user = root / "user.ckpt"
    update_checkpoint(raw, user, latent_stats=make_stats().to_payload())
    return raw, user


def in_blocks(method, x, block):
    return torch.cat([method(x[..., i: i + block]) for i in range(0, x.shape[-1], block)], -1)


@pytest.mark.parametrize("script", [True, False])
def test_decode_takes_user_units_exactly(checkpoints, script):
    raw = LatentdSynth.from_checkpoint(checkpoints[0], script=script)
    user = LatentdSynth.from_checkpoint(checkpoints[1], script=script)
    stats = make_stats()
    assert (user.latency, user.ratio, user.encode_latency) == (raw.latency, raw.ratio,
                                                               raw.encode_latency)
    z = torch.randn(2, LATENT, 12)
    expected = in_blocks(raw.decode, stats.denormalise(z, dim=1), 3)
    got = in_blocks(user.decode, z, 3)
    assert torch.allclose(got, expected, atol=1e-6 * float(expected.abs().max()) + 1e-7)
    user.reset()
    assert torch.equal(in_blocks(user.decode, z, 3), got)  # reset reaches the stream


@pytest.mark.parametrize("script", [True, False])
def test_encode_gives_user_units(checkpoints, script):
    raw = LatentdSynth.from_checkpoint(checkpoints[0], script=script)
    user = LatentdSynth.from_checkpoint(checkpoints[1], script=script)
    audio = torch.randn(1, 1, raw.ratio * 8)
    expected = make_stats().normalise(in_blocks(raw.encode, audio, raw.ratio * 2), dim=1)
    assert torch.allclose(in_blocks(user.encode, audio, raw.ratio * 2), expected, atol=1e-5)


def test_the_render_thread_still_calls_script_methods(checkpoints):
    """torch.fx patches nn.Module.__call__ while it traces on the loader thread: the affine
    must be inside the compiled module, not a Python call around it."""
    synth = LatentdSynth.from_checkpoint(checkpoints[1])
    assert isinstance(synth._decode, torch._C.ScriptMethod)
    assert isinstance(synth._encode, torch._C.ScriptMethod)


def test_units_are_described(checkpoints):
    raw = LatentdSynth.from_checkpoint(checkpoints[0], script=False)
    user = LatentdSynth.from_checkpoint(checkpoints[1], script=False)
    assert raw.describe()["latent_units"] == "raw" and raw.stats is None
    assert user.describe()["latent_units"] == "normalised"


def test_without_stats_the_units_are_raw(checkpoints):
    synth = LatentdSynth.from_checkpoint(checkpoints[0], script=False)
    stream = synth.decoder_stream
    z = torch.randn(1, LATENT, 5)
    with torch.inference_mode():
        expected = stream(z)
    synth.reset()
    assert torch.equal(synth.decode(z), expected)


def test_stats_validation():
    stats = make_stats()
    payload = stats.to_payload()
    assert LatentStats.from_payload(payload, LATENT).matches(stats)
    for bad, message in (({**payload, "std": torch.zeros(LATENT)}, "positive"),
                         ({**payload, "mean": torch.full((LATENT,), float("nan"))}, "finite"),
                         ({**payload, "mean": torch.zeros(LATENT + 1)}, "5 means"),
                         ({"std": payload["std"]}, "malformed")):
        with pytest.raises(ModelError, match=message):
            LatentStats.from_payload(bad, LATENT)
    with pytest.raises(ModelError, match="for a model with 6 latents"):
        LatentStats.from_payload(payload, 6)


def test_fit_normalise_round_trip_and_collapsed_dimensions():
    frames = torch.randn(500, LATENT) * torch.tensor([0.3, 2.0, 1.0, 0.0]) + 5.0
    stats = LatentStats.fit(frames)
    user = stats.normalise(frames)
    assert torch.allclose(user[:, :3].mean(0), torch.zeros(3), atol=1e-4)
    assert torch.allclose(user[:, :3].std(0), torch.ones(3), atol=1e-4)
    assert stats.std[3] == pytest.approx(MIN_STD)  # a dead dimension: no division by zero
    assert torch.allclose(stats.denormalise(user), frames, atol=1e-4)
    z = torch.randn(2, LATENT, 7)
    back = stats.normalise(stats.denormalise(z, dim=1), dim=1)
    assert torch.allclose(back[:, :3], z[:, :3], atol=1e-5)
    assert torch.allclose(back, z, atol=1e-3)  # the dead dimension: float32 around 5 / 1e-3
    assert "nearly unused" in stats.describe()
    with pytest.raises(ValueError, match="two latent frames"):
        LatentStats.fit(frames[:1])


def test_encoder_digest_ignores_the_decoder_and_half_precision():
    torch.manual_seed(0)
    model = RaveModel(RaveConfig.tiny())
    config = model.config.to_dict()
    weights = {k: v.clone() for k, v in model.state_dict().items()}
    digest = encoder_digest(weights, config)
    assert encoder_digest({k: v.half() for k, v in weights.items()}, config) == digest
    floats = [k for k, v in weights.items() if v.is_floating_point()]
    decoder = next(k for k in floats if k.startswith("decoder."))
    assert encoder_digest({**weights, decoder: weights[decoder] + 1}, config) == digest
    encoder = next(k for k in floats if k.startswith("encoder."))
    assert encoder_digest({**weights, encoder: weights[encoder] * 1.01}, config) != digest


def make_prior(seed=0):
    torch.manual_seed(seed)
    prior = LatentPrior(LATENT, hidden_size=8, layers=1)
    prior.center.copy_(torch.linspace(-1, 1, LATENT))
    prior.spread.copy_(torch.full((LATENT,), 0.5))
    return prior.eval().requires_grad_(False)


def sample(prior, frames=6, seed=3):
    torch.manual_seed(seed)
    with torch.inference_mode():
        return prior(torch.ones(2, 1, frames))


@pytest.mark.parametrize("saved_in", ["raw", "user", "other"])
@pytest.mark.parametrize("played_in", ["raw", "user"])
def test_priors_are_converted_exactly_into_the_units_played(saved_in, played_in):
    stats, other = make_stats(0), make_stats(1)
    units = {"raw": None, "user": stats, "other": other}
    reference = make_prior()
    raw_samples = sample(reference)  # the prior's samples, read as raw latents
    if units[saved_in] is not None:  # the same prior, trained in those units
        reference.center.copy_(units[saved_in].normalise(reference.center))
        reference.spread.copy_(reference.spread / units[saved_in].std)
    payload = prior_payload(reference, units=units[saved_in])
    loaded = load_prior(payload, units=units[played_in])
    expected = raw_samples if played_in == "raw" else stats.normalise(raw_samples, dim=1)
    assert torch.allclose(sample(loaded), expected, atol=1e-5)


def test_a_prior_records_its_units():
    stats = make_stats()
    assert prior_payload(make_prior())["metadata"]["latent_units"] is None
    record = prior_payload(make_prior(), {"epochs": 1}, units=stats)["metadata"]
    assert record["epochs"] == 1 and units_from(record["latent_units"], LATENT).matches(stats)
    with pytest.raises(ModelError, match="latent size"):
        units_from(record["latent_units"], LATENT + 1)


def test_synth_prior_samples_in_user_units(tmp_path):
    """A raw-units prior (as every prior before latent stats) next to latent stats: the synth
    plays its samples in user units, the same sounds as before."""
    torch.manual_seed(0)
    path = tmp_path / "m.ckpt"
    save_checkpoint(path, RaveModel(RaveConfig.tiny(noise=False)))
    attach_prior(path, path, prior_payload(make_prior()))
    raw = LatentdSynth.from_checkpoint(path)
    torch.manual_seed(5)
    raw_z = raw.prior(6, 1.0, batch=2)
    update_checkpoint(path, path, latent_stats=make_stats().to_payload())
    user = LatentdSynth.from_checkpoint(path)
    torch.manual_seed(5)
    user_z = user.prior(6, 1.0, batch=2)
    assert torch.allclose(user_z, make_stats().normalise(raw_z, dim=1), atol=1e-5)
    assert torch.allclose(user.decode(user_z), raw.decode(raw_z), atol=1e-5)


def test_stats_for_another_latent_size_are_refused(tmp_path):
    path = tmp_path / "m.ckpt"
    save_checkpoint(path, RaveModel(RaveConfig.tiny(noise=False)))
    wrong = LatentStats(torch.zeros(6), torch.ones(6)).to_payload()
    update_checkpoint(path, path, latent_stats=wrong)
    with pytest.raises(ModelError, match="6 means"):
        LatentdSynth.from_checkpoint(path, script=False)

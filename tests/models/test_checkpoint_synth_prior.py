"""The GRU prior: streams across calls, resets, scripts, round-trips through a checkpoint, and
plays through LatentdSynth's ``prior``."""

import pytest
import torch

from latentd.models.checkpoint import attach_prior, save_checkpoint
from latentd.models.checkpoint_synth import LatentdSynth
from latentd.models.prior import VERSION, LatentPrior, load_prior, prior_payload
from latentd.models.rave import RaveConfig, RaveModel
from latentd.models.synth import ModelError


def make_prior(latent=4, seed=0):
    torch.manual_seed(seed)
    prior = LatentPrior(latent, hidden_size=16, layers=2)
    prior.center.copy_(torch.arange(latent) * 10.0)
    prior.spread.copy_(torch.full((latent,), 2.0))
    return prior.eval().requires_grad_(False)


def sample(module, frames, temperature=1.0, batch=1, seed=1):
    torch.manual_seed(seed)
    with torch.inference_mode():
        return module(torch.full((batch, 1, frames), temperature))


@pytest.mark.parametrize("scripted", [False, True])
def test_two_calls_continue_one_sequence(scripted):
    prior = make_prior()
    module = torch.jit.script(prior) if scripted else prior
    whole = sample(module, 12)
    module.reset()
    torch.manual_seed(1)
    with torch.inference_mode():
        parts = torch.cat([module(torch.ones(1, 1, 5)), module(torch.ones(1, 1, 7))], -1)
    assert torch.allclose(whole, parts, atol=1e-6)
    module.reset()
    assert torch.allclose(sample(module, 12), whole, atol=1e-6)  # reset starts over
    assert not torch.allclose(sample(module, 12), whole)  # no reset: the sequence goes on


def test_scripted_matches_eager():
    prior = make_prior()
    assert torch.allclose(sample(torch.jit.script(make_prior()), 9, batch=3),
                          sample(prior, 9, batch=3), atol=1e-5)


def test_temperature_zero_is_deterministic_and_temperature_scales_the_noise():
    prior = make_prior()
    first = sample(prior, 3, 0.0, seed=1)
    prior.reset()
    assert torch.equal(first, sample(prior, 3, 0.0, seed=2))  # no noise at all
    spreads = []
    for temperature in (0.5, 1.0):
        prior.reset()
        step = sample(prior, 1, temperature, batch=4096, seed=5)
        spreads.append(float((step - first[..., :1]).std()))
    assert spreads[0] > 0
    assert spreads[1] / spreads[0] == pytest.approx(2.0, rel=0.1)


def test_samples_stay_in_units_and_range():
    prior = make_prior()
    prior.low.fill_(-1.0)
    prior.high.fill_(1.0)
    z = sample(prior, 50, temperature=100.0, batch=2)
    assert z.shape == (2, 4, 50)
    normalised = (z - prior.center.view(1, -1, 1)) / prior.spread.view(1, -1, 1)
    assert normalised.min() >= -1.0 - 1e-5 and normalised.max() <= 1.0 + 1e-5
    assert sample(prior, 0).shape == (1, 4, 0)


def test_a_new_batch_size_starts_fresh_streams():
    prior = make_prior()
    sample(prior, 4, batch=1)
    prior_state = prior.hidden.clone()
    fresh = make_prior()
    assert torch.allclose(sample(prior, 3, batch=2), sample(fresh, 3, batch=2), atol=1e-6)
    assert prior_state.shape[1] == 1 and prior.hidden.shape[1] == 2


def test_payload_round_trip_and_refusals(tmp_path):
    prior = make_prior()
    payload = prior_payload(prior, {"epochs": 3})
    assert "hidden" not in payload["weights"]  # streaming state is not saved
    torch.save(payload, tmp_path / "p.pt")
    loaded = load_prior(torch.load(tmp_path / "p.pt", weights_only=True))
    assert torch.allclose(sample(loaded, 5), sample(prior, 5))
    assert not any(p.requires_grad for p in loaded.parameters())
    with pytest.raises(ModelError, match="not a latentd prior"):
        load_prior({"format": "something"})
    with pytest.raises(ModelError, match="newer"):
        load_prior({**payload, "version": VERSION + 1})
    with pytest.raises(ModelError, match="does not match"):
        load_prior({**payload, "config": {**payload["config"], "hidden_size": 8}})


@pytest.fixture()
def checkpoint_with_prior(tmp_path):
    torch.manual_seed(0)
    path = tmp_path / "m.ckpt"
    save_checkpoint(path, RaveModel(RaveConfig.tiny(noise=False)))
    attach_prior(path, path, prior_payload(make_prior()))
    return path


def test_synth_plays_the_checkpoint_prior(checkpoint_with_prior):
    synth = LatentdSynth.from_checkpoint(checkpoint_with_prior)
    assert synth.methods == ["decode", "encode", "prior"] and synth.has_prior
    synth.warm_up(2)
    torch.manual_seed(7)
    first = synth.prior(6, 1.0, batch=1)
    assert first.shape == (1, 4, 6)
    synth.reset()
    torch.manual_seed(7)
    assert torch.allclose(synth.prior(6, 1.0, batch=1), first, atol=1e-6)
    audio = synth.decode(first)
    assert audio.shape == (1, 1, 6 * synth.ratio) and torch.isfinite(audio).all()
    eager = LatentdSynth.from_checkpoint(checkpoint_with_prior, script=False)
    torch.manual_seed(7)
    assert torch.allclose(eager.prior(6, 1.0), first, atol=1e-5)
    with pytest.raises(ModelError, match="finite temperature"):
        synth.prior(2, float("nan"))


def test_synth_without_prior_says_so(tmp_path):
    path = tmp_path / "plain.ckpt"
    save_checkpoint(path, RaveModel(RaveConfig.tiny(noise=False)))
    synth = LatentdSynth.from_checkpoint(path, script=False)
    assert not synth.has_prior
    with pytest.raises(ModelError, match="has no prior"):
        synth.prior(4)


def test_a_prior_for_another_latent_size_is_refused(tmp_path):
    path = tmp_path / "m.ckpt"
    save_checkpoint(path, RaveModel(RaveConfig.tiny(noise=False)))
    attach_prior(path, path, prior_payload(make_prior(latent=6)))
    with pytest.raises(ModelError, match="samples 6 latents"):
        LatentdSynth.from_checkpoint(path, script=False)


def test_prior_source_in_the_engine(checkpoint_with_prior):
    from latentd.engine.controls import Controls
    from latentd.engine.sources import PriorSource

    synth = LatentdSynth.from_checkpoint(checkpoint_with_prior)
    source = PriorSource(synth, chunk=4)
    controls = Controls(synth.latent_size)
    frames = [source.next_frame(controls) for _ in range(9)]
    assert all(f.shape == (1, 4) for f in frames)
    assert len({tuple(f.ravel().round(5)) for f in frames}) == 9  # it moves

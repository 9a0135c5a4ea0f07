import pytest
import torch

from latentd.models import load_synth
from latentd.models.export import export_nn_tilde
from latentd.models.rave import EncoderMean, RaveConfig, RaveModel
from latentd.stream import streamify


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    torch.manual_seed(0)
    model = RaveModel(RaveConfig.tiny(noise=False)).eval()
    path = export_nn_tilde(model, tmp_path_factory.mktemp("export") / "tiny.ts")
    return model, path


@pytest.fixture(scope="module")
def loaded(exported):
    """The export loaded back once (a load of a latentd export costs seconds: the file is
    read twice and a batch of two decoded), for the tests that read its interface or reset it
    first; the tests that check a fresh load's first blocks load their own."""
    return load_synth(exported[1])


def test_export_loads_back_with_the_nn_tilde_interface(exported, loaded):
    model, _ = exported
    synth = loaded
    assert synth.methods == ["encode", "decode", "forward"]
    assert synth.sample_rate == model.config.sample_rate
    assert synth.latent_size == model.config.latent_size
    assert synth.ratio == model.config.ratio
    assert synth.channels == 1
    assert synth.can_encode
    assert synth.latency == streamify(model.decoder).latency
    assert synth.module.get_sample_rate() == model.config.sample_rate
    latent, ratio = model.config.latent_size, model.config.ratio
    assert synth.module.decode_params.tolist() == [latent, ratio, 1, 1]
    assert synth.module.encode_params.tolist() == [1, 1, latent, ratio]
    assert synth.module.forward_params.tolist() == [1, 1, 1, 1]


@pytest.mark.parametrize("batch", [1, 4])
def test_exported_decode_matches_the_streamified_model(exported, batch):
    model, path = exported
    synth = load_synth(path)
    stream = streamify(model.decoder)
    z = torch.randn(batch, model.config.latent_size, 16)
    with torch.inference_mode():
        expected = torch.cat([stream(z[..., i : i + 4]) for i in range(0, 16, 4)], -1)
    got = torch.cat([synth.decode(z[..., i : i + 4]) for i in range(0, 16, 4)], -1)
    assert got.shape == (batch, 1, 16 * model.config.ratio)
    assert (got - expected).abs().max() <= 1e-5 * expected.abs().max()


def test_exported_encode_and_forward_run_in_blocks(exported):
    model, path = exported
    synth = load_synth(path)
    audio = torch.randn(2, 1, model.config.ratio * 8)
    blocks = range(0, audio.shape[-1], 32)
    frames = torch.cat([synth.encode(audio[..., i : i + 32]) for i in blocks], -1)
    assert frames.shape == (2, model.config.latent_size, 8)
    assert synth.forward(audio[..., :64]).shape == (2, 1, 64)
    synth.reset()
    again = torch.cat([synth.encode(audio[..., i : i + 32]) for i in blocks], -1)
    assert torch.equal(frames, again)


def test_export_with_prior_has_nn_tildes_prior_method(tmp_path):
    from latentd.models.prior import LatentPrior, prior_payload

    torch.manual_seed(0)
    model = RaveModel(RaveConfig.tiny(noise=False)).eval()
    prior = LatentPrior(model.config.latent_size, hidden_size=8, layers=1).eval()
    path = export_nn_tilde(model, tmp_path / "p.ts", prior=prior_payload(prior))
    synth = load_synth(path)
    assert synth.methods == ["encode", "decode", "forward", "prior"] and synth.has_prior
    latent, ratio = model.config.latent_size, model.config.ratio
    assert synth.module.prior_params.tolist() == [1, ratio, latent, ratio]
    torch.manual_seed(3)
    exported = synth.prior(6, 0.7, batch=2)
    torch.manual_seed(3)
    with torch.inference_mode():
        expected = prior.requires_grad_(False)(torch.full((2, 1, 6), 0.7))
    assert torch.allclose(exported, expected, atol=1e-5)
    synth.module.reset()
    torch.manual_seed(3)
    assert torch.allclose(synth.prior(6, 0.7, batch=2), exported, atol=1e-6)


def test_export_checkpoint_speaks_the_same_user_units_as_latentd(tmp_path):
    """A checkpoint with latent stats and a prior: the nn~ file decodes, encodes and samples in
    the same units as LatentdSynth, so a patch and latentd share their numbers."""
    from latentd.models.checkpoint import save_checkpoint, update_checkpoint
    from latentd.models.checkpoint_synth import LatentdSynth
    from latentd.models.export import export_checkpoint
    from latentd.models.latents import LatentStats
    from latentd.models.prior import LatentPrior, prior_payload

    torch.manual_seed(0)
    model = RaveModel(RaveConfig.tiny(noise=False)).eval()
    latent = model.config.latent_size
    stats = LatentStats(torch.linspace(-0.5, 0.5, latent), torch.linspace(0.3, 0.9, latent))
    checkpoint = tmp_path / "m.ckpt"
    save_checkpoint(checkpoint, model)
    update_checkpoint(checkpoint, checkpoint, latent_stats=stats.to_payload(),
                      prior=prior_payload(LatentPrior(latent, hidden_size=8, layers=1)))
    path, methods = export_checkpoint(checkpoint, tmp_path / "m.ts")
    assert methods == ["encode", "decode", "forward", "prior"]
    exported, own = load_synth(path), LatentdSynth.from_checkpoint(checkpoint)
    assert exported.latency == own.latency
    z = torch.randn(2, latent, 8)
    expected = in_blocks(own.decode, z)
    assert (in_blocks(exported.decode, z) - expected).abs().max() <= 1e-5 * expected.abs().max()
    audio = torch.randn(1, 1, model.config.ratio * 8)
    own.reset()
    exported.reset()
    assert torch.allclose(exported.encode(audio), own.encode(audio), atol=1e-5)
    for synth in (exported, own):
        synth.reset()
    torch.manual_seed(4)
    sampled = exported.prior(5, 1.0, batch=1)
    torch.manual_seed(4)
    assert torch.allclose(sampled, own.prior(5, 1.0, batch=1), atol=1e-5)


def in_blocks(decode, z, block=2):
    return torch.cat([decode(z[..., i: i + block]) for i in range(0, z.shape[-1], block)], -1)


def test_export_without_stats_keeps_raw_units(exported, loaded):
    """The identity affine is exact: an export of a checkpoint without stats decodes as the
    plain stream (covered above too, here stated for the raw-unit contract)."""
    model, _ = exported
    synth = loaded
    synth.reset()
    z = torch.randn(1, model.config.latent_size, 4)
    with torch.inference_mode():
        expected = streamify(model.decoder)(z)
    assert torch.equal(synth.decode(z), expected)


def test_export_of_a_measured_pitch_model_encodes_the_pitch_nn_tilde_sees(tmp_path):
    torch.manual_seed(0)
    config = RaveConfig.tiny(latent_size=5, harmonics=4, pitch_latent=True, noise=False)
    model = RaveModel(config).eval()
    synth = load_synth(export_nn_tilde(model, tmp_path / "pitched.ts"))
    assert synth.module.encode_output_labels[:3] == [
        "(signal) pitch (measured)", "(signal) periodicity (measured)",
        "(signal) latent dimension 2"]
    t = torch.arange(config.ratio * 400) / config.sample_rate
    audio = (0.3 * torch.sin(2 * torch.pi * 330.0 * t)).view(1, 1, -1)
    frames = torch.cat([synth.encode(audio[..., i: i + 256])
                        for i in range(0, audio.shape[-1], 256)], -1)
    with torch.inference_mode():
        offline = model.encode(audio)[0]
    lag = streamify(EncoderMean(model.encoder)).latency
    assert torch.allclose(frames[:, :, lag:], offline[:, :, : frames.shape[-1] - lag], atol=1e-4)
    settled = frames[0, 0, lag + 200:]
    hz = 30.0 * torch.exp((0.5 + 0.25 * settled) * torch.log(torch.tensor(4000.0 / 30.0)))
    assert torch.all((hz / 330.0 - 1).abs() < 0.003)  # within 5 cents
    assert torch.isfinite(synth.decode(frames)).all()

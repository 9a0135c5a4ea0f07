"""User latent dimensions along principal axes (``LatentStats.fit(..., fidelity=F)``): fewer
user dimensions than latents, measured ones kept first, and every interface (decode, encode,
prior, export, probe) speaking them exactly."""

import pytest
import torch

from latentd.models import load_synth
from latentd.models.checkpoint import format_version, read_checkpoint, save_checkpoint
from latentd.models.checkpoint_synth import LatentdSynth
from latentd.models.export import export_nn_tilde
from latentd.models.latents import LatentStats, units_from
from latentd.models.prior import LatentPrior, load_prior, prior_payload
from latentd.models.rave import RaveConfig, RaveModel
from latentd.models.synth import ModelError

RAW = 6


def low_rank_frames(measured: int = 2, seed: int = 0) -> torch.Tensor:
    """Frames whose learned dimensions vary along two directions only (plus faint noise)."""
    generator = torch.Generator().manual_seed(seed)
    count = 4000
    own = torch.randn(count, measured, generator=generator) * torch.tensor([0.7, 1.3])[:measured]
    factors = torch.randn(count, 2, generator=generator) * torch.tensor([2.0, 0.5])
    mixing = torch.randn(2, RAW - measured, generator=generator)
    learned = factors @ mixing + 1e-3 * torch.randn(count, RAW - measured, generator=generator)
    return torch.cat([own, learned], 1) + torch.linspace(-1, 1, RAW)


def test_principal_axes_keep_the_directions_that_carry_the_variance():
    frames = low_rank_frames()
    stats = LatentStats.fit(frames, {"data": "test"}, fidelity=0.99, measured=2)
    assert stats.latent_size == 4 and stats.raw_size == RAW  # 2 measured + 2 axes
    basis = stats.basis
    assert torch.allclose(basis.T @ basis, torch.eye(4), atol=1e-5)
    assert torch.equal(basis[:2, :2], torch.eye(2)) and torch.all(basis[2:, :2] == 0)
    user = stats.normalise(frames)
    assert torch.allclose(user.std(dim=0), torch.ones(4), atol=1e-3)  # one unit = one std
    assert torch.allclose(user.mean(dim=0), torch.zeros(4), atol=1e-3)
    assert user[:, 2].var() > 0 and stats.std[2] > stats.std[3]  # by decreasing variance
    # frames in the kept subspace come back exactly; the dropped noise is all that is lost
    assert torch.allclose(stats.denormalise(user), frames, atol=0.01)
    z = torch.randn(3, 4, 5)
    assert torch.allclose(stats.normalise(stats.denormalise(z, dim=1), dim=1), z, atol=1e-5)


def test_fidelity_one_keeps_every_axis_and_signs_are_fixed():
    frames = low_rank_frames()
    one = LatentStats.fit(frames, fidelity=1.0, measured=2)
    assert one.latent_size == RAW
    again = LatentStats.fit(frames.flip(0), fidelity=1.0, measured=2)
    assert torch.allclose(one.basis, again.basis, atol=1e-4)  # deterministic orientation


def test_payload_round_trips_and_states_format_three(tmp_path):
    stats = LatentStats.fit(low_rank_frames(), {"data": "t"}, fidelity=0.99, measured=2)
    back = LatentStats.from_payload(stats.to_payload(), RAW)
    assert back.matches(stats) and back.latent_size == 4
    model = RaveModel(RaveConfig.tiny(latent_size=RAW, noise=False))
    save_checkpoint(tmp_path / "m.ckpt", model, latent_stats=stats.to_payload())
    payload = read_checkpoint(tmp_path / "m.ckpt")
    assert payload["version"] == format_version(payload) == 3
    assert units_from(stats.units(), 4).matches(stats)


@pytest.mark.parametrize("bad", ["shape", "skewed"])
def test_a_malformed_basis_is_refused(bad):
    payload = LatentStats.fit(low_rank_frames(), fidelity=0.99, measured=2).to_payload()
    payload["basis"] = (payload["basis"][:, :3] if bad == "shape" else payload["basis"] * 1.5)
    with pytest.raises(ModelError, match="basis"):
        LatentStats.from_payload(payload, RAW)


@pytest.fixture(scope="module")
def axes_model(tmp_path_factory):
    torch.manual_seed(0)
    model = RaveModel(RaveConfig.tiny(latent_size=RAW, noise=False)).eval()
    stats = LatentStats.fit(low_rank_frames(), {"data": "t"}, fidelity=0.99, measured=2)
    path = tmp_path_factory.mktemp("axes") / "axes.ckpt"
    save_checkpoint(path, model, latent_stats=stats.to_payload())
    return model, stats, path


@pytest.mark.parametrize("script", [True, False])
def test_synth_plays_and_encodes_user_axes(axes_model, script):
    model, stats, path = axes_model
    synth = LatentdSynth.from_checkpoint(path, script=script)
    assert synth.latent_size == 4
    assert synth.describe()["latent_names"][2:] == ["principal axis 0", "principal axis 1"]
    z = torch.randn(1, 4, 8)
    raw = LatentdSynth(model, "raw", script=False)
    expected = torch.cat([raw.decode(stats.denormalise(z[..., i:i + 2], dim=1))
                          for i in range(0, 8, 2)], -1)
    got = torch.cat([synth.decode(z[..., i:i + 2]) for i in range(0, 8, 2)], -1)
    assert torch.allclose(got, expected, atol=1e-5 * float(expected.abs().max()) + 1e-7)
    audio = torch.randn(1, 1, synth.ratio * 6)
    assert torch.allclose(synth.encode(audio), stats.normalise(raw.encode(audio), dim=1),
                          atol=1e-4)


def test_prior_in_user_axes_converts_between_fits_on_the_same_axes_only(axes_model):
    _, stats, _ = axes_model
    prior = LatentPrior(4, 8, 1)
    payload = prior_payload(prior, units=stats)
    # another fit on the same axes: its mean moved within their span, other spreads
    shifted = LatentStats(stats.mean + stats.basis @ torch.tensor([0.5, -0.3, 0.2, 0.1]),
                          stats.std * 2, basis=stats.basis)
    moved = load_prior(payload, units=shifted)
    same = load_prior(payload, units=stats)
    torch.manual_seed(0)
    a = same(torch.zeros(1, 1, 3))
    torch.manual_seed(0)
    b = moved(torch.zeros(1, 1, 3))
    # the same raw latents, expressed in two unit systems
    assert torch.allclose(stats.denormalise(a, dim=1), shifted.denormalise(b, dim=1), atol=1e-5)
    other = LatentStats.fit(low_rank_frames(seed=1), fidelity=0.99, measured=2)
    with pytest.raises(ModelError, match="retrain"):
        load_prior(payload, units=other)


def test_export_speaks_the_user_axes(axes_model, tmp_path):
    model, stats, _ = axes_model
    synth = load_synth(export_nn_tilde(model, tmp_path / "axes.ts", latent_stats=stats))
    assert synth.latent_size == 4
    assert synth.module.decode_params.tolist()[0] == 4
    assert synth.module.decode_input_labels[2] == "(signal) principal axis 0"
    reference = LatentdSynth(model, "ref", script=False, stats=stats)
    z = torch.randn(1, 4, 4)
    assert torch.allclose(synth.decode(z), reference.decode(z), atol=1e-5)


def test_probe_sweeps_every_user_axis(axes_model):
    from latentd.train.probe import sweep_user_axes

    model, stats, _ = axes_model
    sweeps = sweep_user_axes(model, stats, steps=3, frames=20, edge=4)
    assert [s.dimension for s in sweeps] == [0, 1, 2, 3]
    assert sweeps[2].values == [-3.0, 0.0, 3.0]


def test_keep_axes_leaves_axes_out_and_names_the_kept_ones(tmp_path):
    from latentd.models.latents import user_latent_names

    stats = LatentStats.fit(low_rank_frames(), {"data": "t"}, fidelity=1.0, measured=2)
    assert stats.latent_size == RAW
    kept = stats.keep_axes([0, 2])
    assert kept.latent_size == 4 and kept.metadata["axes"] == [0, 2]
    assert torch.equal(kept.basis, stats.basis[:, [0, 1, 2, 4]])
    assert torch.equal(kept.std, stats.std[[0, 1, 2, 4]])
    config = RaveConfig.tiny(latent_size=RAW, harmonics=2, pitch_latent=True)
    assert user_latent_names(config, kept)[2:] == ["principal axis 0", "principal axis 2"]
    again = LatentStats.from_payload(kept.to_payload(), RAW)
    assert again.metadata["axes"] == [0, 2] and torch.equal(again.basis, kept.basis)
    assert kept.keep_axes([2]).metadata["axes"] == [2]  # numbers stay the original ones
    for bad in ([], [1], [7]):
        with pytest.raises(ValueError):
            kept.keep_axes(bad)
    with pytest.raises(ValueError):
        LatentStats.fit(low_rank_frames(), {}).keep_axes([0])

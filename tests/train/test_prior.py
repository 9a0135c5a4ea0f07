"""``latentd train-prior``: the prior trains on cached latents and lands in the checkpoint."""

import pytest
import torch

from latentd.__main__ import main
from latentd.models import load_synth
from latentd.models.checkpoint import read_checkpoint
from latentd.models.prior import FORMAT
from latentd.train.prior import PriorOptions, latents_key, train_prior, training_windows


def options(checkpoint, data, output, cache, **extra):
    values = dict(model=checkpoint, data=data, output=output, max_minutes=1.0, epochs=2,
                  threads=1, hidden_size=16, layers=1, sequence=16, batch_size=8, cache=cache)
    values.update(extra)
    return PriorOptions(**values)


def test_windows_cover_the_stream_in_order_and_shape():
    clips = [torch.arange(10.0).view(5, 2), torch.arange(100.0, 120.0).view(10, 2)]
    cut = training_windows(clips, 3, torch.Generator().manual_seed(0))
    assert cut.shape[1:] == (4, 2) and len(cut) >= 2
    rows = cut.reshape(-1, 2)
    stream = torch.cat(clips)
    assert all((stream == row).all(dim=1).any() for row in rows)
    with pytest.raises(Exception, match="too few"):
        training_windows(clips, 40, torch.Generator())


def test_train_prior_attaches_a_loadable_prior(note_dataset, tiny_checkpoint, tmp_path):
    logs = []
    output = tmp_path / "with-prior.ckpt"
    metadata = train_prior(options(tiny_checkpoint, note_dataset, output, tmp_path / "cache"),
                           log=logs.append)
    assert metadata["epochs"] == 2 and 1 <= metadata["best_epoch"] <= 2
    assert any(line.startswith("epoch 2: train nll") for line in logs)
    payload = torch.load(output, weights_only=True)  # plain containers and tensors only
    assert payload["prior"]["format"] == FORMAT and payload["prior"]["version"] == 1
    assert payload["metadata"] == read_checkpoint(tiny_checkpoint)["metadata"]
    for name, weight in read_checkpoint(tiny_checkpoint)["weights"].items():
        assert torch.equal(payload["weights"][name], weight), name
    synth = load_synth(output)
    assert synth.has_prior
    z = synth.prior(5, 1.0, batch=2)
    assert z.shape == (2, synth.latent_size, 5) and torch.isfinite(z).all()


def test_latents_are_encoded_once_and_cached(note_dataset, tiny_checkpoint, tmp_path):
    cache = tmp_path / "cache"
    first, second = [], []
    train_prior(options(tiny_checkpoint, note_dataset, tmp_path / "a.ckpt", cache, epochs=1),
                log=first.append)
    train_prior(options(tiny_checkpoint, note_dataset, tmp_path / "b.ckpt", cache, epochs=1),
                log=second.append)
    assert any(line.startswith("encoded train") for line in first)
    assert any(line.startswith("latents from cache") for line in second)
    assert not any(line.startswith("encoded") for line in second)
    assert len(list(cache.glob("latents-*.pt"))) == 1


def test_cache_key_changes_with_the_weights(note_dataset, tiny_checkpoint):
    payload = read_checkpoint(tiny_checkpoint)
    key = latents_key(payload, note_dataset)
    name = next(iter(payload["weights"]))
    payload["weights"][name] = payload["weights"][name] + 1
    assert latents_key(payload, note_dataset) != key


def test_train_prior_command_in_place(note_dataset, tiny_checkpoint, tmp_path, capsys):
    target = tmp_path / "model.ckpt"
    target.write_bytes(tiny_checkpoint.read_bytes())
    code = main(["train-prior", "--model", str(target), "--data", str(note_dataset), "-o",
                 str(target), "--epochs", "1", "--hidden", "8", "--layers", "1", "--sequence",
                 "8", "--threads", "1", "--cache", str(tmp_path / "cache")])
    assert code == 0
    assert "wrote" in capsys.readouterr().out
    assert read_checkpoint(target)["prior"]["config"]["hidden_size"] == 8


def test_train_prior_command_reports_a_missing_dataset(tiny_checkpoint, tmp_path, capsys):
    code = main(["train-prior", "--model", str(tiny_checkpoint), "--data", str(tmp_path), "-o",
                 str(tmp_path / "x.ckpt")])
    assert code == 1
    assert "no manifest.json" in capsys.readouterr().err
    assert not (tmp_path / "x.ckpt").exists()


def test_train_prior_computes_the_latent_stats_first_and_trains_in_them(
        note_dataset, tiny_checkpoint, tmp_path):
    from latentd.models.latents import LatentStats, encoder_digest, units_from
    from latentd.models.prior import load_prior

    logs = []
    output = tmp_path / "with-prior.ckpt"
    train_prior(options(tiny_checkpoint, note_dataset, output, tmp_path / "cache", epochs=1),
                log=logs.append)
    assert any("computing stats from the train split" in line for line in logs)
    payload = torch.load(output, weights_only=True)
    assert payload["version"] == 2
    stats = LatentStats.from_checkpoint(payload)
    assert stats is not None and stats.metadata["split"] == "train"
    assert 0 < stats.metadata["frames"] < stats.metadata["of_frames"]  # sounding frames only
    assert stats.encoder == encoder_digest(payload["weights"], payload["config"])
    units = units_from(payload["prior"]["metadata"]["latent_units"], stats.latent_size)
    assert units is not None and units.matches(stats)
    # the prior's own normalisation was fitted on user-unit latents: centred near 0
    prior = load_prior(payload["prior"], units=stats)
    assert float(prior.center.abs().max()) < 2.0


def test_stats_are_kept_when_current_and_recomputed_when_stale(note_dataset, tiny_checkpoint,
                                                               tmp_path):
    from latentd.models.checkpoint import update_checkpoint
    from latentd.models.latents import LatentStats

    cache = tmp_path / "cache"
    first = tmp_path / "first.ckpt"
    train_prior(options(tiny_checkpoint, note_dataset, first, cache, epochs=1), log=print)
    custom = LatentStats.from_checkpoint(read_checkpoint(first))
    assert custom is not None
    custom = LatentStats(custom.mean + 0.25, custom.std * 2, custom.metadata)  # same encoder
    update_checkpoint(first, first, latent_stats=custom.to_payload())
    logs = []
    train_prior(options(first, note_dataset, first, cache, epochs=1), log=logs.append)
    assert any("the checkpoint's stats (from" in line for line in logs)
    assert LatentStats.from_checkpoint(read_checkpoint(first)).matches(custom)  # units kept
    logs.clear()
    train_prior(options(first, note_dataset, first, cache, epochs=1, refresh_stats=True),
                log=logs.append)
    assert any("recomputing stats" in line for line in logs)
    assert not LatentStats.from_checkpoint(read_checkpoint(first)).matches(custom)
    stale = LatentStats(custom.mean, custom.std, {**custom.metadata, "encoder": "other"})
    update_checkpoint(first, first, latent_stats=stale.to_payload())
    logs.clear()
    train_prior(options(first, note_dataset, first, cache, epochs=1), log=logs.append)
    assert any("(stale); recomputing" in line for line in logs)
    fresh = LatentStats.from_checkpoint(read_checkpoint(first))
    assert fresh.encoder != "other" and not fresh.matches(stale)


def test_latent_stats_command_sets_the_units_and_keeps_the_rest(note_dataset, tiny_checkpoint,
                                                                tmp_path, capsys):
    from latentd.models.checkpoint import attach_prior
    from latentd.models.checkpoint_synth import LatentdSynth
    from latentd.models.latents import LatentStats
    from latentd.models.prior import LatentPrior, prior_payload
    from latentd.train.evaluate import encode_clip
    from latentd.train.probe import sounding_frames
    from latentd.train.splits import read_split

    target = tmp_path / "model.ckpt"
    prior = LatentPrior(4, hidden_size=8, layers=1)
    attach_prior(tiny_checkpoint, target, prior_payload(prior))  # a raw-units prior
    before = LatentdSynth.from_checkpoint(target, script=False)
    torch.manual_seed(2)
    raw_samples = before.prior(4, 1.0)
    code = main(["latent-stats", "--model", str(target), "--data", str(note_dataset), "-o",
                 str(target), "--threads", "1", "--cache", str(tmp_path / "cache")])
    assert code == 0
    out = capsys.readouterr().out
    assert "latent stats over" in out and "wrote" in out
    payload = read_checkpoint(target)
    assert payload["metadata"] == read_checkpoint(tiny_checkpoint)["metadata"]
    for name, weight in read_checkpoint(tiny_checkpoint)["weights"].items():
        assert torch.equal(payload["weights"][name], weight), name
    stats = LatentStats.from_checkpoint(payload)
    # by hand: the train split's sounding frames
    from latentd.models.checkpoint import load_model

    model, _ = load_model(tiny_checkpoint)
    clips = read_split(note_dataset, "train", 44100)
    frames = torch.cat([z[sounding_frames(c.audio, len(z), model.config.ratio)]
                        for c in clips for z in [encode_clip(model, c.audio)]])
    assert torch.allclose(stats.mean, frames.mean(0), atol=1e-5)
    assert torch.allclose(stats.std, frames.std(0).clamp(min=1e-3), atol=1e-5)
    after = LatentdSynth.from_checkpoint(target, script=False)
    torch.manual_seed(2)
    assert torch.allclose(after.prior(4, 1.0), stats.normalise(raw_samples, dim=1), atol=1e-5)


def test_latent_stats_command_refuses_a_dataset_at_another_rate(tiny_checkpoint, tmp_path,
                                                                capsys):
    from latentd.train.manifest import write_manifest

    write_manifest(tmp_path, [], source="test", sample_rate=22050)
    code = main(["latent-stats", "--model", str(tiny_checkpoint), "--data", str(tmp_path),
                 "-o", str(tmp_path / "x.ckpt"), "--no-cache"])
    assert code == 1
    assert "22050 Hz" in capsys.readouterr().err
    assert not (tmp_path / "x.ckpt").exists()


def test_principal_axes_units_and_a_prior_trained_in_them(note_dataset, tiny_checkpoint,
                                                         tmp_path, capsys):
    from latentd.models.checkpoint import attach_prior
    from latentd.models.latents import LatentStats
    from latentd.models.prior import LatentPrior, prior_payload

    target = tmp_path / "axes.ckpt"
    attach_prior(tiny_checkpoint, target, prior_payload(LatentPrior(4, 8, 1)))  # raw units
    code = main(["latent-stats", "--model", str(target), "--data", str(note_dataset), "-o",
                 str(target), "--threads", "1", "--cache", str(tmp_path / "cache"),
                 "--fidelity", "0.9"])
    assert code == 0
    assert "it is dropped" in capsys.readouterr().out  # raw axes cannot be converted
    payload = read_checkpoint(target)
    stats = LatentStats.from_checkpoint(payload)
    assert payload["prior"] is None and payload["version"] == 3
    assert stats.basis is not None and 1 <= stats.latent_size <= 4
    assert stats.metadata["explained"] >= 0.9
    train_prior(options(target, note_dataset, target, tmp_path / "cache", epochs=1))
    synth = load_synth(target)
    assert synth.latent_size == stats.latent_size
    assert synth.prior(3, 1.0).shape == (1, stats.latent_size, 3)


@pytest.mark.parametrize("value", ["0", "1.5", "x"])
def test_fidelity_must_be_a_share(value, tiny_checkpoint, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["latent-stats", "--model", str(tiny_checkpoint), "--data", str(tmp_path), "-o",
              str(tmp_path / "x.ckpt"), "--fidelity", value])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "fidelity" in err or "share" in err


def test_audible_only_leaves_out_the_axes_the_decoder_ignores():
    from latentd.models.latents import LatentStats
    from latentd.models.rave import RaveConfig, RaveModel
    from latentd.train.prior import audible_axes

    torch.manual_seed(0)
    model = RaveModel(RaveConfig.tiny(latent_size=6, noise=False)).eval()
    with torch.no_grad():  # the decoder's input layer ignores latents 0 and 1
        model.decoder.inp.parametrizations.weight.original1[:, :2] = 0.0
    # the ignored latents vary most, so variance ranks them first
    frames = torch.randn(3000, 6) * torch.tensor([3.0, 2.5, 1.0, 0.9, 0.8, 0.7])
    stats = LatentStats.fit(frames, {}, fidelity=1.0)
    heard = audible_axes(model, stats, log=lambda line: None)
    assert heard.metadata["axes"] and 0 not in heard.metadata["axes"]
    assert 1 not in heard.metadata["axes"]
    assert heard.basis[:2].abs().max() < 0.05  # what is left barely touches latents 0 and 1


def test_audible_only_needs_fidelity(tiny_checkpoint, tmp_path, capsys):
    code = main(["latent-stats", "--model", str(tiny_checkpoint), "--data", str(tmp_path), "-o",
                 str(tmp_path / "x.ckpt"), "--audible-only"])
    assert code == 2 and "--fidelity" in capsys.readouterr().err
    assert not (tmp_path / "x.ckpt").exists()


def test_audible_only_reports_a_decoder_that_follows_no_axis(note_dataset, tiny_checkpoint,
                                                             tmp_path, capsys):
    # the fixture's barely trained tiny decoder changes its sound too little along any axis
    target = tmp_path / "audible.ckpt"
    code = main(["latent-stats", "--model", str(tiny_checkpoint), "--data", str(note_dataset),
                 "-o", str(target), "--threads", "1", "--cache", str(tmp_path / "cache"),
                 "--fidelity", "1.0", "--audible-only"])
    assert code == 1
    assert "follows none of the principal axes" in capsys.readouterr().err
    assert not target.exists()

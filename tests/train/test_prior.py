"""``latentd train-prior``: the prior trains on cached latents and lands in the checkpoint."""

import pytest
import torch

from latentd.__main__ import main
from latentd.models import load_synth
from latentd.models.checkpoint import read_checkpoint
from latentd.models.prior import FORMAT
from latentd.train.prior import PriorOptions, latents_key, train_prior, windows


def options(checkpoint, data, output, cache, **extra):
    values = dict(model=checkpoint, data=data, output=output, max_minutes=1.0, epochs=2,
                  threads=1, hidden_size=16, layers=1, sequence=16, batch_size=8, cache=cache)
    values.update(extra)
    return PriorOptions(**values)


def test_windows_cover_the_stream_in_order_and_shape():
    clips = [torch.arange(10.0).view(5, 2), torch.arange(100.0, 120.0).view(10, 2)]
    cut = windows(clips, 3, torch.Generator().manual_seed(0))
    assert cut.shape[1:] == (4, 2) and len(cut) >= 2
    rows = cut.reshape(-1, 2)
    stream = torch.cat(clips)
    assert all((stream == row).all(dim=1).any() for row in rows)
    with pytest.raises(Exception, match="too few"):
        windows(clips, 40, torch.Generator())


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

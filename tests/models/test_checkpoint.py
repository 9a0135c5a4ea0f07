import pytest
import torch

from latentd.models.checkpoint import (
    VERSION,
    attach_prior,
    load_model,
    read_checkpoint,
    save_checkpoint,
)
from latentd.models.rave import RaveConfig, RaveModel
from latentd.models.synth import ModelError


@pytest.mark.parametrize("half", [False, True])
def test_round_trip(tmp_path, half):
    torch.manual_seed(0)
    model = RaveModel(RaveConfig.tiny(noise=False)).eval()
    path = tmp_path / "m.ckpt"
    save_checkpoint(path, model, half=half, metadata={"steps": 3})
    loaded, payload = load_model(path)
    assert loaded.config == model.config
    assert payload["metadata"] == {"steps": 3}
    z = torch.randn(1, 4, 6)
    with torch.no_grad():
        error = (loaded.decoder(z) - model.decoder(z)).abs().max()
    assert error <= (1e-2 if half else 0)
    assert not list(tmp_path.glob("*.tmp"))


def test_newer_version_is_refused(tmp_path):
    path = tmp_path / "m.ckpt"
    save_checkpoint(path, RaveModel(RaveConfig.tiny()))
    payload = torch.load(path, weights_only=True)
    payload["version"] = VERSION + 1
    torch.save(payload, path)
    with pytest.raises(ModelError, match="newer than this latentd reads"):
        read_checkpoint(path)


def test_plain_state_dict_is_refused(tmp_path):
    path = tmp_path / "m.pt"
    torch.save(RaveModel(RaveConfig.tiny()).state_dict(), path)
    with pytest.raises(ModelError, match="no 'latentd-checkpoint' header"):
        read_checkpoint(path)


class Evil:
    def __reduce__(self):
        return (print, ("this must never run",))


def test_general_pickles_are_never_executed(tmp_path, capsys):
    path = tmp_path / "evil.ckpt"
    torch.save({"format": "latentd-checkpoint", "payload": Evil()}, path)
    with pytest.raises(ModelError, match="not a latentd checkpoint") as refused:
        read_checkpoint(path)
    assert "must never run" not in capsys.readouterr().out
    # torch's message advises weights_only=False (running the file's code): never relayed
    assert "weights_only" not in str(refused.value) and "code was run" in str(refused.value)


def test_mismatched_weights_are_reported(tmp_path):
    path = tmp_path / "m.ckpt"
    save_checkpoint(path, RaveModel(RaveConfig.tiny()))
    payload = torch.load(path, weights_only=True)
    payload["config"]["capacity"] = 8
    torch.save(payload, path)
    with pytest.raises(ModelError, match="does not match its architecture"):
        load_model(path)


def test_attach_prior_changes_only_the_prior_slot(tmp_path):
    source, target = tmp_path / "m.ckpt", tmp_path / "with.ckpt"
    save_checkpoint(source, RaveModel(RaveConfig.tiny()), metadata={"steps": 5},
                    training_state={"step": 5, "moments": torch.ones(3)})
    prior = {"format": "latentd-prior", "version": 1, "weights": {"w": torch.zeros(2)}}
    attach_prior(source, target, prior)
    before, after = read_checkpoint(source), read_checkpoint(target)
    assert before["prior"] is None and torch.equal(after["prior"]["weights"]["w"], torch.zeros(2))
    assert after["metadata"] == {"steps": 5} and after["training"]["step"] == 5
    for name, weight in before["weights"].items():
        assert torch.equal(after["weights"][name], weight), name
    attach_prior(target, target, {**prior, "version": 1, "weights": {"w": torch.ones(2)}})
    assert torch.equal(read_checkpoint(target)["prior"]["weights"]["w"], torch.ones(2))
    assert not list(tmp_path.glob("*.tmp"))


def stats_payload(latent=4):
    from latentd.models.latents import LatentStats

    return LatentStats(torch.linspace(-1, 1, latent), torch.full((latent,), 0.5),
                       {"data": "d", "encoder": "abc"}).to_payload()


def test_version_states_the_oldest_reader_that_reads_it_correctly(tmp_path):
    """Latent stats change what every latent value means, so a file with them says version 2
    (an older latentd refuses it instead of playing the wrong units); without, version 1."""
    from latentd.models.checkpoint import (
        VERSION_PER_DIMENSION_STATS,
        VERSION_WITHOUT_STATS,
        check_header,
        update_checkpoint,
    )

    path = tmp_path / "m.ckpt"
    save_checkpoint(path, RaveModel(RaveConfig.tiny()))
    assert torch.load(path, weights_only=True)["version"] == VERSION_WITHOUT_STATS == 1
    update_checkpoint(path, path, latent_stats=stats_payload())
    payload = torch.load(path, weights_only=True)  # still plain containers and tensors
    assert payload["version"] == VERSION_PER_DIMENSION_STATS == 2
    with pytest.raises(ModelError, match="upgrade latentd"):  # what a version-1 reader does
        check_header(payload, path, "latentd checkpoint", "latentd-checkpoint", 1, "rave")
    update_checkpoint(path, path, latent_stats=None)
    assert torch.load(path, weights_only=True)["version"] == 1


def test_update_checkpoint_replaces_only_the_named_slots(tmp_path):
    from latentd.models.checkpoint import update_checkpoint

    source, target = tmp_path / "m.ckpt", tmp_path / "t.ckpt"
    save_checkpoint(source, RaveModel(RaveConfig.tiny()), metadata={"steps": 5},
                    training_state={"step": 5})
    prior = {"format": "latentd-prior", "version": 1, "weights": {}}
    update_checkpoint(source, target, prior=prior, latent_stats=stats_payload())
    before, after = read_checkpoint(source), read_checkpoint(target)
    assert after["prior"] == prior and torch.equal(after["latent_stats"]["std"],
                                                   torch.full((4,), 0.5))
    assert after["metadata"] == before["metadata"] and after["training"] == {"step": 5}
    for name, weight in before["weights"].items():
        assert torch.equal(after["weights"][name], weight), name
    with pytest.raises(ValueError, match="not replaceable"):
        update_checkpoint(source, target, weights={})


def test_malformed_stats_are_reported_on_load(tmp_path):
    from latentd.models.checkpoint import update_checkpoint

    path = tmp_path / "m.ckpt"
    save_checkpoint(path, RaveModel(RaveConfig.tiny()))
    update_checkpoint(path, path, latent_stats={**stats_payload(), "std": torch.zeros(4)})
    with pytest.raises(ModelError, match="positive spreads"):
        load_model(path)


@pytest.mark.parametrize("half", [False, True])
def test_release_carries_the_prior_and_the_latent_stats(tmp_path, half):
    from latentd.models.checkpoint import release_checkpoint, update_checkpoint
    from latentd.models.latents import LatentStats, encoder_digest

    source, target = tmp_path / "train.ckpt", tmp_path / "ship.ckpt"
    save_checkpoint(source, RaveModel(RaveConfig.tiny()), training_state={"step": 1})
    payload = read_checkpoint(source)
    digest = encoder_digest(payload["weights"], payload["config"])
    stats = {**stats_payload(), "metadata": {"encoder": digest}}
    update_checkpoint(source, source, latent_stats=stats, prior={"format": "latentd-prior"})
    release_checkpoint(source, target, half=half)
    shipped = read_checkpoint(target)
    assert "training" not in shipped and shipped["prior"] == {"format": "latentd-prior"}
    assert shipped["version"] == 2
    kept = LatentStats.from_checkpoint(shipped)
    assert kept is not None and kept.matches(LatentStats.from_checkpoint(payload | {
        "latent_stats": stats}))
    assert kept.encoder == encoder_digest(shipped["weights"], shipped["config"])  # still valid

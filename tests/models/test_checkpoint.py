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
    with pytest.raises(ModelError, match="not a latentd checkpoint"):
        read_checkpoint(path)
    assert "must never run" not in capsys.readouterr().out


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

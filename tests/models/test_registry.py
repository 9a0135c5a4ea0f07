import pytest

from latentd.models import ModelError, list_models, load_synth
from latentd.models.checkpoint import save_checkpoint
from latentd.models.rave import RaveConfig, RaveModel
from latentd.models.registry import bundled_default, resolve


def test_names_resolve_in_model_directories(tmp_path):
    save_checkpoint(tmp_path / "pad.ckpt", RaveModel(RaveConfig.tiny()))
    assert resolve("pad", [tmp_path]) == tmp_path / "pad.ckpt"
    assert resolve("pad.ckpt", [tmp_path]) == tmp_path / "pad.ckpt"
    synth = load_synth("pad", [tmp_path])
    assert synth.name == "pad"
    assert tmp_path / "pad.ckpt" in list_models([tmp_path])


def test_unknown_name_says_where_it_looked(tmp_path):
    with pytest.raises(ModelError, match=f"model 'nope' not found .*{tmp_path}"):
        resolve("nope", [tmp_path])


def test_default_is_bundled_or_says_so():
    if bundled_default() is None:
        with pytest.raises(ModelError, match="no default model is bundled yet"):
            load_synth("default")
    else:
        assert load_synth("default").name == "default"


@pytest.mark.parametrize("content", [b"", b"not a model at all", b"PK\x03\x04broken zip"])
def test_files_that_are_not_models_are_refused_by_name(tmp_path, content):
    path = tmp_path / "thing.ts"
    path.write_bytes(content)
    with pytest.raises(ModelError, match=str(path)):
        load_synth(path)

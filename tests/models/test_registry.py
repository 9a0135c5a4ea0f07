import pathlib

import pytest

from latentd.models import ModelError, list_models, load_synth
from latentd.models.checkpoint import save_checkpoint
from latentd.models.rave import RaveConfig, RaveModel
from latentd.models.registry import (
    BUNDLED_NAMES,
    bundled_default,
    listed_name,
    model_names,
    resolve,
    resolve_confined,
)


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


def test_default_is_bundled_and_loads():
    assert bundled_default() is not None
    synth = load_synth("default")
    assert synth.name == "default" and synth.has_prior


def test_missing_default_says_so(tmp_path, monkeypatch):
    import latentd.models.registry as registry

    monkeypatch.setattr(registry, "BUNDLED_DIR", tmp_path)
    with pytest.raises(ModelError, match="bundled default model is missing"):
        load_synth("default")


@pytest.mark.parametrize("content", [b"", b"not a model at all", b"PK\x03\x04broken zip"])
def test_files_that_are_not_models_are_refused_by_name(tmp_path, content):
    path = tmp_path / "thing.ts"
    path.write_bytes(content)
    with pytest.raises(ModelError, match=str(path)):
        load_synth(path)


def test_model_names_are_what_a_confined_load_accepts(tmp_path):
    """/model/list offers model_names(); each one must load through resolve_confined, and a
    link leading out of its directory is neither listed nor loadable."""
    models, outside = tmp_path / "models", tmp_path / "outside"
    models.mkdir()
    outside.mkdir()
    save_checkpoint(models / "pad.ckpt", RaveModel(RaveConfig.tiny()))
    save_checkpoint(outside / "secret.ckpt", RaveModel(RaveConfig.tiny()))
    (models / "escape.ckpt").symlink_to(outside / "secret.ckpt")
    (models / "alias.ckpt").symlink_to(models / "pad.ckpt")  # a link inside is fine
    (models / ".hidden.ckpt").write_bytes(b"")
    names = model_names([models])
    assert "pad" in names and "alias" in names
    assert "escape" not in names and ".hidden" not in names
    for name in names:
        if name not in BUNDLED_NAMES:  # default, default-causal: the package's
            assert resolve_confined(name, [models]).parent == models
    with pytest.raises(ModelError, match="links outside"):
        resolve_confined("escape", [models])


def test_confined_names_never_resolve_in_the_working_directory(tmp_path, monkeypatch):
    """A bare name is looked up in the model directories only, whatever sits in the daemon's
    working directory."""
    models, cwd = tmp_path / "models", tmp_path / "cwd"
    models.mkdir()
    cwd.mkdir()
    save_checkpoint(models / "pad.ckpt", RaveModel(RaveConfig.tiny()))
    save_checkpoint(cwd / "pad.ckpt", RaveModel(RaveConfig.tiny()))
    save_checkpoint(cwd / "stray.ckpt", RaveModel(RaveConfig.tiny()))
    monkeypatch.chdir(cwd)
    assert resolve_confined("pad.ckpt", [models]) == models / "pad.ckpt"
    with pytest.raises(ModelError, match="not found"):
        resolve_confined("stray.ckpt", [models])


@pytest.fixture
def escape_dir(tmp_path):
    """models/ with pad.ckpt, pad.ts (same stem), a link leading out and a junk file."""
    from support.rave import make_rave_v2_fixture

    models, outside = tmp_path / "models", tmp_path / "outside"
    models.mkdir()
    outside.mkdir()
    save_checkpoint(models / "pad.ckpt", RaveModel(RaveConfig.tiny()))
    make_rave_v2_fixture(models / "pad.ts")
    save_checkpoint(outside / "secret.ckpt", RaveModel(RaveConfig.tiny()))
    (models / "escape.ckpt").symlink_to(outside / "secret.ckpt")
    return models


def test_a_name_on_the_command_line_is_resolved_as_over_osc(escape_dir, tmp_path, monkeypatch):
    """One rule: a bare name never follows a link out of its directory, whoever gives it; a
    path given on the command line is explicit and is used as given."""
    monkeypatch.chdir(tmp_path)
    for name in ("escape", "escape.ckpt"):
        with pytest.raises(ModelError, match="links outside"):
            resolve(name, [escape_dir])
        with pytest.raises(ModelError, match="links outside"):
            load_synth(name, [escape_dir])
    explicit = escape_dir / "escape.ckpt"
    assert resolve(str(explicit), [escape_dir]) == explicit
    assert resolve("models/escape.ckpt", [escape_dir]) == pathlib.Path("models/escape.ckpt")
    with pytest.raises(ModelError, match="model file not found"):
        resolve("models/nope.ckpt", [escape_dir])


def test_listed_names_are_stems_or_file_names_and_each_loads_its_file(escape_dir):
    """pad.ckpt and pad.ts share a stem: the stem means the checkpoint (weights before code),
    so the TorchScript file is listed by its file name. Every listed form, and the file name
    of every listed file, resolves to that file."""
    names = model_names([escape_dir])
    assert [n for n in names if n not in BUNDLED_NAMES] == ["pad", "pad.ts"]
    assert resolve_confined("pad", [escape_dir]) == escape_dir / "pad.ckpt"
    assert resolve_confined("pad.ckpt", [escape_dir]) == escape_dir / "pad.ckpt"
    assert resolve_confined("pad.ts", [escape_dir]) == escape_dir / "pad.ts"
    assert listed_name(escape_dir / "escape.ckpt", [escape_dir]) is None


def test_an_earlier_directory_shadows_a_later_one(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for directory in (first, second):
        directory.mkdir()
        save_checkpoint(directory / "pad.ckpt", RaveModel(RaveConfig.tiny()))
    assert resolve_confined("pad", [first, second]) == first / "pad.ckpt"
    assert listed_name(second / "pad.ckpt", [first, second]) is None
    assert model_names([first, second]).count("pad") == 1


def test_a_loaded_model_is_named_as_listed(escape_dir):
    """/status.reply's model name is one /model/load takes back: the stem's file is 'pad',
    the TorchScript file beside it 'pad.ts' (not a second 'pad'), whichever form was asked."""
    from latentd.models.remote import RemoteModels

    remote = RemoteModels(trust_code=True, dirs=(escape_dir,))
    assert remote.load("pad.ts").name == "pad.ts"
    assert remote.load("pad.ckpt").name == "pad"
    assert load_synth("pad.ts", [escape_dir]).name == "pad.ts"
    assert load_synth(escape_dir / "pad.ts").name == "pad"  # a path: named by its stem


def test_a_file_named_in_another_unicode_form_has_one_name(tmp_path):
    """A file copied from macOS is named in NFD ('cafe' + U+0301): ``latentd models`` listed it
    as 'café', while /model/load 'café' (NFC, as OSC names are normalised) and /model/list
    did not know it."""
    decomposed, composed = "cafe\u0301", "caf\u00e9"
    save_checkpoint(tmp_path / f"{decomposed}.ckpt", RaveModel(RaveConfig.tiny()))
    path = tmp_path / f"{decomposed}.ckpt"
    assert resolve_confined(composed, [tmp_path]) == path
    assert resolve_confined(decomposed, [tmp_path]) == path
    assert resolve_confined(f"{composed}.ckpt", [tmp_path]) == path
    assert listed_name(path, [tmp_path]) == composed
    assert composed in model_names([tmp_path])

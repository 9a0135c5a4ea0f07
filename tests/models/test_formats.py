"""The extension is a promise (latentd/models/formats.py): a .ckpt is only ever read as weights,
a TorchScript archive under that name is refused and never run, unknown extensions are refused."""

import shutil

import pytest
import torch
from support.hostile import make_file_writing_torchscript
from support.rave import make_rave_v2_fixture
from support.tools import real_rave_export

from latentd.models.checkpoint import save_checkpoint
from latentd.models.formats import Kind, kind_of
from latentd.models.rave import RaveConfig, RaveModel
from latentd.models.registry import BUNDLED_NAMES, load_synth
from latentd.models.remote import RemoteModels
from latentd.models.synth import ModelError
from latentd.models.torchscript import TorchScriptSynth


@pytest.fixture
def writer(tmp_path):
    """(TorchScript file that writes ``target`` when loaded, target)."""
    target = tmp_path / "written-by-the-model"
    path = make_file_writing_torchscript(tmp_path / "writer.ts", target)
    torch.jit.load(str(path))  # the fixture really runs code on load ...
    assert target.exists()
    target.unlink()  # ... so a missing target below means the code never ran
    return path, target


@pytest.mark.parametrize("suffix", [".ckpt", ".pt", ".CKPT"])
def test_torchscript_named_as_weights_is_refused_and_never_run(tmp_path, writer, suffix):
    source, target = writer
    disguised = tmp_path / f"evil{suffix}"
    shutil.copy(source, disguised)
    with pytest.raises(ModelError, match=rf"evil\{suffix}: a TorchScript archive \(code\).*"
                                         r"rename it to \.ts"):
        load_synth(disguised)
    assert not target.exists()


def test_disguised_torchscript_is_refused_over_osc_even_when_code_is_trusted(tmp_path, writer):
    source, target = writer
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(source, models / "evil.ckpt")
    remote = RemoteModels(trust_code=True, dirs=(models,))
    for name in ("evil", "evil.ckpt"):
        with pytest.raises(ModelError, match=r"rename it to \.ts"):
            remote.load(name)
    assert "evil" not in remote.names() and "evil.ckpt" not in remote.names()
    assert not target.exists()


def test_torchscript_is_loaded_as_code_only_under_ts(tmp_path, writer):
    """Under .ts the same file is TorchScript and runs: the extension, not the content, says
    which loader reads a file."""
    source, target = writer
    synth = load_synth(source)
    assert isinstance(synth, TorchScriptSynth) and target.exists()


@pytest.mark.parametrize("name", ["model.bin", "model.zip", "model", "model.json"])
def test_unknown_extensions_are_refused_whatever_the_content(tmp_path, name):
    path = make_rave_v2_fixture(tmp_path / name)  # a good nn~ export, wrongly named
    with pytest.raises(ModelError, match=r"unknown model file type.*\.ts.*\.ckpt"):
        load_synth(path)


def test_checkpoint_under_ts_is_not_loaded_as_torchscript(tmp_path):
    path = tmp_path / "weights.ts"
    save_checkpoint(path, RaveModel(RaveConfig.tiny()))
    with pytest.raises(ModelError, match="not a TorchScript model"):
        load_synth(path)


def test_kinds():
    assert kind_of("a.ts") is Kind.TORCHSCRIPT and kind_of("a.TS") is Kind.TORCHSCRIPT
    assert kind_of("a.ckpt") is Kind.CHECKPOINT and kind_of("a.pt") is Kind.CHECKPOINT
    with pytest.raises(ModelError, match="no extension"):
        kind_of("a")


def test_a_real_rave_export_is_code_under_ts_and_refused_under_ckpt(tmp_path):
    real_rave = real_rave_export()
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(real_rave, models / "raspberry.ts")
    shutil.copy(real_rave, models / "disguised.ckpt")
    assert "raspberry" not in RemoteModels(trust_code=False, dirs=(models,)).names()
    trusted = RemoteModels(trust_code=True, dirs=(models,))
    assert [n for n in trusted.names() if n not in BUNDLED_NAMES] == ["raspberry"]
    assert trusted.load("raspberry").latent_size > 0
    with pytest.raises(ModelError, match=r"disguised\.ckpt: a TorchScript archive"):
        trusted.load("disguised")

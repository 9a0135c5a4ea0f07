"""The cheap look listings rely on (latentd/models/preflight.py): files that fail it fail to
load, real models pass it, and it never runs a file's code."""

import shutil
import zipfile
from pathlib import Path

import pytest
import torch
from support.hostile import make_file_writing_torchscript
from support.rave import (
    NON_TORCHSCRIPT_KINDS,
    make_no_decode_fixture,
    make_non_torchscript_file,
    make_rave_v1_fixture,
    make_rave_v1_prior_fixture,
    make_rave_v2_fixture,
)
from support.tools import real_rave_export

from latentd.models.checkpoint import VERSION, save_checkpoint
from latentd.models.preflight import archive_bytes, why_not_loadable
from latentd.models.rave import RaveConfig, RaveModel
from latentd.models.registry import load_synth
from latentd.models.synth import ModelError


def _not_models(directory: Path) -> list[Path]:
    files = [make_non_torchscript_file(directory / f"junk-{kind}.ts", kind)
             for kind in NON_TORCHSCRIPT_KINDS]
    linear = directory / "linear.ts"
    torch.jit.script(torch.nn.Linear(2, 2)).save(str(linear))
    files += [linear, make_no_decode_fixture(directory / "encoder.ts"),
              make_no_decode_fixture(directory / "stray.ts", decode_unregistered=True),
              make_rave_v1_prior_fixture(directory / "prior_only.ts")]
    plain = directory / "state_dict.ckpt"
    torch.save(RaveModel(RaveConfig.tiny()).state_dict(), plain)
    newer = directory / "newer.ckpt"
    save_checkpoint(newer, RaveModel(RaveConfig.tiny()))
    payload = torch.load(newer, weights_only=True)
    payload["version"] = VERSION + 1
    torch.save(payload, newer)
    junk = directory / "junk.ckpt"
    junk.write_bytes(b"PK\x03\x04 not really")
    return [*files, plain, newer, junk]


def _models(directory: Path) -> list[Path]:
    checkpoint = directory / "tiny.ckpt"
    save_checkpoint(checkpoint, RaveModel(RaveConfig.tiny()))
    return [checkpoint, make_rave_v2_fixture(directory / "v2.ts", with_prior=True),
            make_rave_v1_fixture(directory / "v1.ts")]


def test_files_that_are_not_models_fail_the_look_and_the_load(tmp_path):
    for path in _not_models(tmp_path):
        assert why_not_loadable(path) is not None, path
        with pytest.raises(ModelError):
            load_synth(path, script=False)


def test_models_pass_the_look_and_load(tmp_path):
    for path in _models(tmp_path):
        assert why_not_loadable(path) is None, (path, why_not_loadable(path))
        load_synth(path, script=False)


def test_a_real_rave_export_passes():
    real_rave = real_rave_export()
    assert why_not_loadable(real_rave) is None


def test_the_look_never_runs_code(tmp_path):
    target = tmp_path / "written"
    path = make_file_writing_torchscript(tmp_path / "writer.ts", target)
    assert why_not_loadable(path) is None  # it looks like an nn~ export ...
    shutil.copy(path, tmp_path / "writer.ckpt")
    assert "TorchScript" in why_not_loadable(tmp_path / "writer.ckpt")
    assert not target.exists()  # ... and its code did not run


def test_archive_bytes_counts_what_a_zip_expands_to(tmp_path):
    """A small deflated archive can hold gigabytes: the bound is on what it expands to."""
    path = tmp_path / "bomb.ckpt"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb/data/0", b"\0" * (32 << 20))
    assert path.stat().st_size < 1 << 20
    assert archive_bytes(path) >= 32 << 20


def test_member_count_is_read_without_opening_the_zip(tmp_path):
    """The end record's count, zip64 included (65536 members need it), equals what zipfile
    finds by parsing the whole directory."""
    from latentd.models.preflight import zip_entries

    for count in (3, 65536):
        path = tmp_path / f"{count}.zip"
        with zipfile.ZipFile(path, "w") as archive:
            for index in range(count):
                archive.writestr(str(index), b"")
        assert zip_entries(path) == count == len(zipfile.ZipFile(path).infolist())
    (tmp_path / "plain").write_bytes(b"not a zip")
    assert zip_entries(tmp_path / "plain") is None


def test_a_zip_declaring_too_many_members_is_refused_unopened(tmp_path, monkeypatch):
    import latentd.models.preflight as preflight
    from latentd.models.remote import RemoteModels

    monkeypatch.setattr(preflight, "MAX_ARCHIVE_ENTRIES", 50)
    path = tmp_path / "crowded.ckpt"
    with zipfile.ZipFile(path, "w") as archive:
        for index in range(51):
            archive.writestr(f"crowded/data/{index}", b"")
    monkeypatch.setattr(zipfile, "ZipFile", None)  # opening it would now fail loudly
    assert "51 members" in why_not_loadable(path)
    with pytest.raises(ModelError, match="51 members"):
        RemoteModels(trust_code=True, dirs=(tmp_path,)).load("crowded")

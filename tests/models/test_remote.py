"""What an OSC client may make the daemon load (latentd/models/remote.py): .ts (code) only when
code is trusted, a size cap, and /model/list offering exactly what loads."""

import pytest
from support.rave import make_non_torchscript_file, make_rave_v2_fixture

from latentd.models.checkpoint import save_checkpoint
from latentd.models.rave import RaveConfig, RaveModel
from latentd.models.registry import BUNDLED_NAMES
from latentd.models.remote import RemoteModels, trusts_code
from latentd.models.synth import ModelError


@pytest.fixture
def models(tmp_path):
    directory, outside = tmp_path / "models", tmp_path / "outside"
    directory.mkdir()
    outside.mkdir()
    save_checkpoint(directory / "tiny.ckpt", RaveModel(RaveConfig.tiny()))
    make_rave_v2_fixture(directory / "ravev2.ts")
    make_rave_v2_fixture(directory / "tiny.ts")  # shadowed by tiny.ckpt for the name "tiny"
    make_non_torchscript_file(directory / "junk.ts", "random")
    save_checkpoint(outside / "secret.ckpt", RaveModel(RaveConfig.tiny()))
    (directory / "escape.ckpt").symlink_to(outside / "secret.ckpt")
    return directory


def test_code_is_trusted_by_default_only_when_no_peer_beyond_this_machine_may_connect():
    assert trusts_code(None, peers_beyond_this_machine=False) is True
    assert trusts_code(None, peers_beyond_this_machine=True) is False
    assert trusts_code(True, peers_beyond_this_machine=True) is True  # --trusted-models
    assert trusts_code(False, peers_beyond_this_machine=False) is False  # --no-trusted-models


@pytest.mark.parametrize(("flags", "trusted"), [
    ([], True), (["--listen", "0.0.0.0"], True),  # no --allow: only loopback may talk
    (["--listen", "0.0.0.0", "--allow", "127.0.0.0/8"], True),
    (["--listen", "0.0.0.0", "--allow", "10.0.0.0/8"], False),
    (["--listen", "::", "--allow", "192.168.1.0/24"], False),
    (["--listen", "0.0.0.0", "--allow", "10.0.0.0/8", "--trusted-models"], True),
    (["--no-trusted-models"], False),
])
def test_serve_flags_decide_whether_osc_loads_code(flags, trusted):
    """``latentd serve``'s OSC loader and /model/list follow the flags: the daemon's own
    configuration, not only the policy object, is tested."""
    import argparse

    from latentd.daemon.config import add_arguments, build
    from latentd.daemon.serve import osc_models

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert osc_models(build(parser.parse_args(flags))).trust_code is trusted


def test_untrusted_daemon_refuses_torchscript_naming_the_switch(models):
    remote = RemoteModels(trust_code=False, dirs=(models,))
    for name in ("ravev2", "ravev2.ts", "tiny.ts"):
        with pytest.raises(ModelError, match=f"model '{name}'.*code.*--trusted-models"):
            remote.load(name)
    assert remote.load("tiny").latent_size == 4  # weights stay loadable
    names = remote.names()
    assert "tiny" in names and "ravev2" not in names and "tiny.ts" not in names


def test_trusted_daemon_loads_torchscript(models):
    remote = RemoteModels(trust_code=True, dirs=(models,))
    assert remote.load("ravev2").latent_size == 4
    assert {"tiny", "tiny.ts", "ravev2"} <= set(remote.names())


def test_size_cap_refuses_before_reading(models):
    size = (models / "tiny.ckpt").stat().st_size
    remote = RemoteModels(trust_code=True, max_bytes=size - 1, dirs=(models,))
    with pytest.raises(ModelError, match=rf"tiny.ckpt is {size} bytes, over the {size - 1}"):
        remote.load("tiny")
    assert "tiny" not in remote.names()
    assert RemoteModels(trust_code=True, max_bytes=size, dirs=(models,)).load("tiny")


@pytest.mark.parametrize("trust", [False, True])
def test_every_listed_name_loads_and_nothing_else_is_listed(models, trust):
    """/model/list promises nothing that fails: each name it offers loads, exactly as listed;
    the junk .ts and the link leading out are not offered."""
    remote = RemoteModels(trust_code=trust, dirs=(models,))
    names = remote.names()
    assert "junk" not in names and "escape" not in names and "escape.ckpt" not in names
    for name in names:
        if name not in BUNDLED_NAMES:  # the package's own, loaded in test_bundled
            assert remote.load(name) is not None, name
    for name in ("junk", "escape", "escape.ckpt"):
        with pytest.raises(ModelError):
            remote.load(name)


def test_a_listing_examines_a_bounded_number_of_files(tmp_path, monkeypatch):
    import latentd.models.remote as remote_module

    for name in ("a", "b", "c"):
        save_checkpoint(tmp_path / f"{name}.ckpt", RaveModel(RaveConfig.tiny()))
    monkeypatch.setattr(remote_module, "MAX_LISTED_MODEL_FILES", 2)
    names = RemoteModels(trust_code=True, dirs=(tmp_path,)).names()
    assert [n for n in names if n not in BUNDLED_NAMES] == ["a", "b"]


def test_repeated_listings_look_at_each_file_once(models, monkeypatch):
    import latentd.models.remote as remote_module

    looked = []
    real = remote_module.why_not_loadable
    monkeypatch.setattr(remote_module, "why_not_loadable",
                        lambda path: looked.append(path) or real(path))
    remote_module._cached_look.cache_clear()
    remote = RemoteModels(trust_code=True, dirs=(models,))
    first = remote.names()
    count = len(looked)
    assert count > 0 and remote.names() == first and len(looked) == count
    (models / "tiny.ckpt").touch()  # a changed file is looked at again
    remote.names()
    assert len(looked) == count + 1

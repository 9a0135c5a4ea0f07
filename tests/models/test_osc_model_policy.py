"""The model policy as an OSC client meets it: an in-process daemon (as tests/osc builds it)
whose loader and /model/list are latentd.daemon.serve's, under each trust setting."""

import contextlib

import pytest
from support.osc import InProcessDaemon, join_model_loaders, save_tiny_model
from support.rave import make_non_torchscript_file, make_rave_v2_fixture

import latentd.daemon.serve as serve
from latentd.models.registry import load_synth
from latentd.models.remote import RemoteModels


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    directory = tmp_path_factory.mktemp("policy") / "models"
    save_tiny_model(directory / "tiny.ckpt")
    save_tiny_model(directory / "1.ckpt", seed=1)
    make_rave_v2_fixture(directory / "ravev2.ts", latent_size=4, ratio=64)
    make_non_torchscript_file(directory / "broken.ts", "truncated")
    return directory


@pytest.fixture(scope="module")
def shared(models, tmp_path_factory):
    """One in-process daemon for the module (its start-up costs seconds); each test sets the
    RemoteModels it runs under (``policy``), read by the loader and /model/list at each call."""
    current: dict[str, RemoteModels] = {}
    loader = serve.confined_loader
    with pytest.MonkeyPatch.context() as patch:  # the daemon takes the loader at its start
        patch.setattr(serve, "confined_loader",
                      lambda name: loader(name, models=current["remote"]))
        daemon = InProcessDaemon(load_synth(models / "tiny.ckpt"),
                                 tmp_path_factory.mktemp("daemon"),
                                 model_names=lambda: current["remote"].names())
    try:
        yield daemon, current
    finally:
        daemon.stop()  # after the model loaders finish


@pytest.fixture
def policy(shared):
    """Run the daemon under ``remote``: a fresh UDP client; loads finished at the end."""
    daemon, current = shared

    @contextlib.contextmanager
    def under(remote):
        current["remote"] = remote
        try:
            with daemon.udp() as udp:
                yield udp
        finally:
            join_model_loaders()
            current.pop("remote", None)
    return under


def _answer(client, name):
    replies = client.request("/model/load", name)
    if replies:
        return replies[0]
    return client.wait_for(lambda r: r.address in ("/done", "/fail"), timeout=60)


@pytest.mark.parametrize("trusted", [False, True])
def test_torchscript_over_osc_follows_trust(policy, models, trusted):
    with policy(RemoteModels(trust_code=trusted, dirs=(models,))) as udp:
        listed = udp.ask("/model/list").args
        assert "tiny" in listed and "broken" not in listed
        assert ("ravev2" in listed) is trusted
        reply = _answer(udp, "ravev2")
        if trusted:
            assert (reply.address, reply.args[0]) == ("/done", "/model/load"), reply
        else:
            assert (reply.address, reply.args[0]) == ("/fail", "/model/load"), reply
            assert "--trusted-models" in reply.args[1] and "code" in reply.args[1]
        reply = _answer(udp, "tiny")  # weights load whatever the trust
        assert (reply.address, reply.args[0]) == ("/done", "/model/load"), reply


def test_size_cap_over_osc(policy, models):
    cap = (models / "tiny.ckpt").stat().st_size - 1
    with policy(RemoteModels(trust_code=True, max_bytes=cap, dirs=(models,))) as udp:
        assert "tiny" not in udp.ask("/model/list").args
        playing = udp.status()["model"]  # the daemon is shared: whatever the last test left
        reply = _answer(udp, "tiny")
        assert (reply.address, reply.args[0]) == ("/fail", "/model/load"), reply
        assert f"over the {cap}" in reply.args[1]
        assert udp.status()["model"] == playing  # the old model keeps playing


def test_listed_names_load_as_listed_and_file_names_too(policy, models):
    """/model/list offers "1" (from 1.ckpt) and "ravev2"; each loads as listed, and the
    file-name forms load the same files."""
    with policy(RemoteModels(trust_code=True, dirs=(models,))) as udp:
        listed = udp.ask("/model/list").args
        assert "1" in listed
        for name in ("1", "1.ckpt", "ravev2.ts", *listed):
            reply = _answer(udp, name)
            assert (reply.address, reply.args[:2]) == ("/done", ["/model/load", name]), \
                (name, reply)  # the name echoed exactly as sent

"""The model policy as an OSC client meets it: an in-process daemon (as tests/osc builds it)
whose loader and /model/list are latentd.daemon.serve's, under each trust setting."""

import functools

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


def _daemon(tmp_path, monkeypatch, models, remote):
    monkeypatch.setattr(serve, "confined_loader",
                        functools.partial(serve.confined_loader, models=remote))
    return InProcessDaemon(load_synth(models / "tiny.ckpt"), tmp_path, model_names=remote.names)


def _answer(client, name):
    replies = client.request("/model/load", name)
    if replies:
        return replies[0]
    return client.wait_for(lambda r: r.address in ("/done", "/fail"), timeout=60)


@pytest.mark.parametrize("trusted", [False, True])
def test_torchscript_over_osc_follows_trust(tmp_path, monkeypatch, models, trusted):
    daemon = _daemon(tmp_path, monkeypatch, models, RemoteModels(trust_code=trusted,
                                                                 dirs=(models,)))
    try:
        with daemon.udp() as udp:
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
    finally:
        join_model_loaders()
        daemon.stop()


def test_size_cap_over_osc(tmp_path, monkeypatch, models):
    cap = (models / "tiny.ckpt").stat().st_size - 1
    daemon = _daemon(tmp_path, monkeypatch, models,
                     RemoteModels(trust_code=True, max_bytes=cap, dirs=(models,)))
    try:
        with daemon.udp() as udp:
            assert "tiny" not in udp.ask("/model/list").args
            reply = _answer(udp, "tiny")
            assert (reply.address, reply.args[0]) == ("/fail", "/model/load"), reply
            assert f"over the {cap}" in reply.args[1]
            assert udp.status()["model"] == "tiny"  # the old model keeps playing
    finally:
        join_model_loaders()
        daemon.stop()


def test_listed_names_load_as_listed_and_file_names_too(tmp_path, monkeypatch, models):
    """/model/list offers "1" (from 1.ckpt) and "ravev2"; each loads as listed, and the
    file-name forms load the same files."""
    daemon = _daemon(tmp_path, monkeypatch, models, RemoteModels(trust_code=True,
                                                                 dirs=(models,)))
    try:
        with daemon.udp() as udp:
            listed = udp.ask("/model/list").args
            assert "1" in listed
            for name in ("1", "1.ckpt", "ravev2.ts", *listed):
                reply = _answer(udp, name)
                assert (reply.address, reply.args[:2]) == ("/done", ["/model/load", name]), \
                    (name, reply)  # the name echoed exactly as sent
    finally:
        join_model_loaders()
        daemon.stop()

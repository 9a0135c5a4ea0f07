"""The address space is finished when it is built: the server that receives a request comes
with it (``Request.server``), so an OscServer never patches the space it is given, and the
space answers ``/notify`` and ``/status`` for whichever server asks (or without one)."""

from __future__ import annotations

import dataclasses

import pytest

from latentd.audio.null import NullBackend
from latentd.engine.engine import Engine, EngineSettings
from latentd.osc.args import Fail
from latentd.osc.clients import Client
from latentd.osc.routes import AddressSpace, Request
from latentd.osc.server import OscServer, ServerSettings


@pytest.fixture
def engine(synth, tmp_path):
    synth.reset()
    backend = NullBackend(synth.sample_rate, synth.channels, 256)
    return Engine(synth, backend, EngineSettings(block_frames=4, presets_dir=tmp_path / "p",
                                                 recordings_dir=tmp_path / "r"))


def status(replies: list) -> dict[object, object]:
    [(address, args)] = replies
    assert address == "/status.reply"
    return dict(zip(args[::2], args[1::2], strict=True))


def test_the_server_leaves_the_address_space_it_is_given_as_it_was(engine):
    space = AddressSpace(engine, lambda: ["tiny"])
    before = dict(vars(space))
    server = OscServer(engine, ServerSettings(port=0), space)
    assert server.space is space
    after = vars(space)
    assert after.keys() == before.keys()
    assert all(after[name] is before[name] for name in before), \
        [name for name in before if after[name] is not before[name]]
    assert {f.name for f in dataclasses.fields(space)} == {"engine", "model_names"}


def test_without_a_server_notify_fails_and_status_has_no_clients(engine):
    space = AddressSpace(engine)
    client = Client("127.0.0.1", 9)
    with pytest.raises(Fail, match="subscriptions need the OSC server"):
        space.handle(Request("/notify", [1], None, client))
    fields = status(space.handle(Request("/status", [], None, client)))
    assert fields["clients"] == 0 and "udp_drops" not in fields


def test_the_requests_server_subscribes_and_reports_its_own_fields(engine):
    space = AddressSpace(engine)
    server = OscServer(engine, ServerSettings(port=0), space)  # not started: nothing bound
    client = server.clients.seen("127.0.0.1", 9)
    assert space.handle(Request("/notify", [1, 9000], None, client, server)) \
        == [("/done", ("/notify", 1))]
    assert server.subscriber_count() == 1 and client.reply_port == 9000
    fields = status(space.handle(Request("/status", [], None, client, server)))
    assert fields["clients"] == 1
    assert (fields["udp_drops"], fields["rate_limited"], fields["malformed"]) == (-1, 0, 0)

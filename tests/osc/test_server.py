"""docs/osc.md "Server", "Telemetry for subscribers", "Transport" and the reply rules of
"Arguments": /status, /notify, /sync, /version; /meter, /latent.state and /status.reply streams;
UDP and TCP/SLIP; malformed packets; the per-host rate limit. python-osc clients."""

import socket
import struct
import time

import numpy as np
import pytest
from support.osc import REPLY_TYPES, STREAMED, UdpClient, message, wait_until

from latentd import __version__

STATUS_FIELDS = {  # docs/osc.md: name -> type
    "underruns": "i", "load": "f", "load_peak": "f", "model": "s", "latent_size": "i",
    "model_rate": "i", "device_rate": "i", "block": "i", "latency_ms": "f",
    "latency_device_ms": "f", "latency_ring_ms": "f", "latency_model_ms": "f", "ring_fill": "f",
    "source": "s", "clients": "i", "uptime": "f", "recording": "s", "version": "s",
}


def check_status(reply, daemon):
    assert reply.address == "/status.reply"
    names, types = reply.args[::2], reply.types[1::2]
    assert set(reply.types[::2]) == {"s"}, reply.types  # names are strings
    assert set(STATUS_FIELDS) <= set(names), set(STATUS_FIELDS) - set(names)
    for name, tag in zip(names, types, strict=True):
        if name in STATUS_FIELDS:
            assert tag == STATUS_FIELDS[name], f"{name} is {tag}, docs say {STATUS_FIELDS[name]}"
    fields = reply.fields
    synth = daemon.engine.synth
    assert fields["model"] == synth.name
    assert fields["latent_size"] == synth.latent_size
    assert fields["model_rate"] == synth.sample_rate
    assert fields["device_rate"] == daemon.engine.backend.sample_rate
    assert fields["block"] == 4
    assert fields["latency_ms"] == pytest.approx(
        fields["latency_device_ms"] + fields["latency_ring_ms"] + fields["latency_model_ms"],
        abs=0.05)
    assert fields["latency_ring_ms"] >= 80.0 - 0.5  # at least the 80 ms latency target
    assert 0.0 <= fields["ring_fill"] <= 1.0
    assert fields["load"] >= 0 and fields["load_peak"] >= fields["load"] - 1e-6
    assert fields["version"] == __version__
    assert fields["uptime"] >= 0
    return fields


# --------------------------------------------------------------------------- /status, /version
def test_status(daemon, client):
    fields = check_status(client.ask("/status"), daemon)
    assert fields["underruns"] == 0
    assert fields["source"] == "manual"
    assert fields["recording"] == "none"
    assert fields["clients"] == 0
    client.fails("/status", 1)


def test_status_follows_the_engine(daemon, client):
    client.request("/source", "drift")
    wait_until(lambda: daemon.controls.source == "drift", message="/source drift")
    client.request("/record/start", "s")
    fields = client.status()
    assert fields["source"] == "drift"
    assert fields["recording"].endswith("s.wav")
    client.request("/record/stop")
    time.sleep(0.3)
    assert client.status()["uptime"] > fields["uptime"]


def test_version(client):
    reply = client.ask("/version")
    assert (reply.address, reply.types, reply.args) == ("/version.reply", "ss",
                                                        ["latentd", __version__])
    client.fails("/version", "x")


# --------------------------------------------------------------------------- /sync
@pytest.mark.parametrize("token, tag, expected", [
    (7, "i", 7), (1.5, "f", 1.5), ("take-3", "s", "take-3"), (b"\x00\xc0\xdb\xff", "b",
                                                             b"\x00\xc0\xdb\xff"),
    (("d", 2.5), "f", 2.5), (("h", 5), "i", 5), (True, "i", 1), (False, "i", 0),
], ids=["i", "f", "s", "b", "d", "h", "T", "F"])
def test_sync_echoes_its_id_in_reply_types(client, token, tag, expected):
    client.send("/sync", token)
    reply = client.wait_for("/synced", timeout=10)
    assert reply.types == tag
    assert reply.args == [expected]


def test_sync_comes_after_the_replies_to_earlier_messages(client):
    client.send("/version")
    client.send("/nope")
    client.send("/status")
    client.send("/sync", 42)
    replies = []
    while not replies or replies[-1].address != "/synced":
        reply = client.recv(10)
        assert reply is not None
        if reply.address not in STREAMED:
            replies.append(reply)
    assert [r.address for r in replies] == ["/version.reply", "/fail", "/status.reply",
                                            "/synced"]


@pytest.mark.parametrize("value", [1e300, -1e39])
def test_sync_with_a_double_beyond_float_range(udp, value):
    """A 'd' id too large for a 32-bit float cannot go back as 'f' (replies use only i f s b):
    refused with a reason, not a crash in the encoder."""
    assert "float range" in udp.fails("/sync", ("d", value)).args[1]
    assert udp.ask("/sync", ("d", 3.0e38)).args == [pytest.approx(3.0e38, rel=1e-6)]


def test_sync_refuses_nil(udp):
    udp.fails("/sync", None)


def test_sync_refusals(client):
    client.fails("/sync")
    client.fails("/sync", 1, 2)


@pytest.mark.parametrize("token", [float("nan"), float("inf"), ("d", float("-inf"))],
                         ids=["nan", "inf", "-inf"])
def test_sync_refuses_nan_and_infinity(udp, token):
    """docs/osc.md: 'NaN and infinity are refused everywhere'."""
    udp.fails("/sync", token)


@pytest.mark.parametrize("address, args", [
    ("/notify", (float("nan"),)), ("/notify", (1, float("inf"))), ("/status", (float("nan"),)),
    ("/version", (("d", float("inf")),)), ("/model/list", (float("nan"),)),
    ("/preset/load", ("x", float("nan"))), ("/record/start", (float("inf"),)),
    ("/latent/*", (float("nan"),)), ("/glide", (("d", float("-inf")),)),
])
def test_nan_and_infinity_are_refused_everywhere(daemon, udp, address, args):
    """docs/osc.md: 'NaN and infinity are refused everywhere', whatever the address does."""
    reason = udp.fails(address, *args).args[1]
    assert "nan" in reason.lower() or "inf" in reason.lower() or "finite" in reason, reason
    assert udp.status()["clients"] == 0 and udp.status()["recording"] == "none"


# --------------------------------------------------------------------------- argument types
def raw_message(address: str, tags: str, payload: bytes) -> bytes:
    """A message built by hand, for type tags python-osc cannot write."""
    def padded(text: str) -> bytes:
        data = text.encode() + b"\0"
        return data + b"\0" * (-len(data) % 4)

    return padded(address) + padded("," + tags) + payload


def f32(value: float) -> bytes:
    return struct.pack(">f", value)


UNSUPPORTED = [
    ("c", struct.pack(">i", ord("x"))), ("S", b"sym\0"), ("I", b""), ("m", b"\x00\x90\x40\x60"),
    ("r", b"\xff\x00\x00\xff"), ("t", b"\x00" * 8), ("N", b""), ("[f]", f32(1.0)),
]


@pytest.mark.parametrize("tag, data", UNSUPPORTED, ids=[t for t, _ in UNSUPPORTED])
def test_unsupported_type_tags_are_refused_naming_the_tag(daemon, client, tag, data):
    """python-osc skips tags it does not know without their bytes and then misreads the rest:
    the daemon refuses the message, naming the tag, and changes nothing."""
    raw = raw_message("/latents", f"f{tag}f", f32(1.0) + data + f32(2.0))
    fail = client.fails("/latents", raw=raw)
    assert f"'{tag[0]}'" in fail.args[1], fail
    client.sync()
    assert daemon.controls.voices[0].latent.tolist() == [0.0] * 4


def test_unsupported_tag_inside_a_bundle_refuses_only_that_message(daemon, client):
    from support.osc import immediate_bundle

    bad = raw_message("/latent", "ic", struct.pack(">i", 0) + struct.pack(">i", 7))
    client.send_raw(immediate_bundle(bad, ("/latent", 1, 1.5)))
    replies = client.sync()
    assert [(r.address, r.args[0]) for r in replies] == [("/fail", "/latent")], replies
    assert "'c'" in replies[0].args[1]
    wait_until(lambda: daemon.controls.voices[0].latent.tolist() == [0.0, 1.5, 0.0, 0.0],
               message="the good message in the bundle")


# --------------------------------------------------------------------------- /notify, telemetry
def subscribe(client, *port):
    reply = client.ask("/notify", 1, *port)
    assert (reply.address, reply.types, reply.args) == ("/done", "si", ["/notify", 1])


def test_notify_streams_telemetry_at_the_documented_rates(daemon):
    """A UDP and a TCP (SLIP) subscriber measured over the same 2.5 s, each stream checked on
    its own (one window for both transports: the window is the test's whole cost)."""
    clients = {"udp": daemon.udp(), "tcp": daemon.tcp()}
    for client in clients.values():
        subscribe(client)
    time.sleep(0.3)
    for client in clients.values():
        client.drain()
    started = time.monotonic()
    time.sleep(2.5)
    seconds = time.monotonic() - started
    for name, client in clients.items():
        counts = {"/meter": [], "/latent.state": [], "/status.reply": []}
        for reply in client.drain():
            if reply.address in counts:
                counts[reply.address].append(reply)
        rates = {a: len(r) / seconds for a, r in counts.items()}
        # about 30, 30 and 2 Hz; generous bounds for a busy machine
        assert 10 <= rates["/meter"] <= 40, (name, rates)
        assert 10 <= rates["/latent.state"] <= 40, (name, rates)
        assert 0.6 <= rates["/status.reply"] <= 4, (name, rates)
        for reply in counts["/meter"]:
            assert reply.types == "ff", (name, reply)  # mono: peak_dB, rms_dB
            peak_db, rms_db = reply.args
            assert -120.0 <= rms_db <= peak_db <= 0.0, (name, reply)
        for reply in counts["/latent.state"]:
            assert reply.types == "ffff", (name, reply)  # one per latent dimension
        for reply in counts["/status.reply"]:
            assert check_status(reply, daemon)["clients"] == 2, (name, reply)
    for client in clients.values():
        assert client.status()["clients"] == 2


def test_latent_state_is_what_is_being_decoded(daemon, client):
    subscribe(client)
    client.request("/glide", 0)
    client.request("/latents", 1.0, -2.0, 0.5, 3.0)
    client.request("/bias", 3, 1.0)
    client.request("/scale", 0, 2.0)
    expected = [2.0, -2.0, 0.5, 4.0]  # source * scale + bias

    def shows_it():
        return np.allclose(client.wait_for("/latent.state", keep_others=False).args, expected,
                           atol=1e-5)

    wait_until(shows_it, timeout=15, message="/latent.state to show source * scale + bias")


def test_meter_reads_silence_when_muted(daemon, client):
    subscribe(client)
    client.request("/mute", 1)

    def silent():
        return client.wait_for("/meter", keep_others=False).args == [-120.0, -120.0]

    wait_until(silent, timeout=15, message="/meter -120 -120")


def test_meter_has_a_pair_per_channel_in_channel_order(make_daemon, stereo_synth):
    daemon = make_daemon(stereo_synth)
    client = daemon.udp()
    subscribe(client)
    reply = client.wait_for("/meter")
    assert reply.types == "ffff"
    snapshot = daemon.engine.snapshot()
    assert len(snapshot.peak_db) == 2
    left_peak, left_rms, right_peak, right_rms = reply.args
    assert left_rms <= left_peak and right_rms <= right_peak
    assert client.wait_for("/latent.state").types == "ffff"


def test_notify_0_stops_telemetry(client):
    subscribe(client)
    client.wait_for("/meter")
    reply = client.ask("/notify", 0)
    assert (reply.address, reply.types, reply.args) == ("/done", "si", ["/notify", 0])
    time.sleep(0.2)
    client.drain()
    late = [r for r in client.replies(0.6) if r.address in STREAMED]
    assert late == []
    assert client.status()["clients"] == 0


def test_notify_to_a_named_port(daemon):
    """Max's udpsend and Pd's netsend cannot receive on their sending socket: the subscriber
    names a port, on its host, for every reply."""
    sender, listener = daemon.udp(), daemon.udp()
    sender.send("/notify", 1, listener.port)
    done = listener.wait_for("/done")
    assert done.args == ["/notify", 1]
    listener.wait_for("/meter")
    listener.wait_for("/latent.state")
    sender.send("/status")
    assert listener.wait_for("/status.reply", timeout=5)
    sender.send("/nope")
    assert listener.wait_for("/fail").args == ["/nope", "unknown address"]
    assert [r for r in sender.drain() if r.address != "/synced"] == []  # nothing to the sender
    sender.send("/notify", 0)
    assert listener.wait_for(lambda r: r.address == "/done").args == ["/notify", 0]
    time.sleep(0.2)
    listener.drain()
    assert [r for r in listener.replies(0.8) if r.address in STREAMED] == []


def test_one_shot_senders_subscribe_renew_and_unsubscribe_a_port(daemon):
    """oscsend sends each message from a new port and cannot receive: ``/notify 1 PORT``
    subscribes PORT, sending it again from another port renews the one stream (not a second),
    and ``/notify 0 PORT`` from yet another port ends it."""
    listener = daemon.udp()

    def one_shot(*args):
        with UdpClient(daemon.port) as sender:
            sender.send("/notify", *args)

    one_shot(1, listener.port)
    assert listener.wait_for("/done").args == ["/notify", 1]
    listener.wait_for("/meter")
    one_shot(1, listener.port)  # a renewal, as docs/osc.md asks every 30 s
    assert listener.wait_for("/done").args == ["/notify", 1]
    time.sleep(0.3)
    listener.drain()
    seconds = 2.0
    meters = [r for r in listener.replies(seconds) if r.address == "/meter"]
    assert 10 <= len(meters) / seconds <= 40, f"{len(meters) / seconds} /meter a second"
    assert listener.status()["clients"] == 1
    one_shot(0, listener.port)
    assert listener.wait_for(lambda r: r.address == "/done").args == ["/notify", 0]
    time.sleep(0.2)
    listener.drain()
    assert [r for r in listener.replies(0.8) if r.address in STREAMED] == []
    assert listener.status()["clients"] == 0


def test_two_subscribers_each_get_the_stream(daemon):
    a, b = daemon.udp(), daemon.tcp()
    subscribe(a)
    subscribe(b)
    assert a.wait_for("/meter") and b.wait_for("/meter")
    assert a.status()["clients"] == 2


@pytest.mark.parametrize("args", [(), (2,), (-1,), (0.5,), ("on",), (float("nan"),),
                                  (1, 0), (1, 70000), (1, "9000"), (1, float("inf")),
                                  (1, 9000, 1), (1, 9000.5), (0, 0)])
def test_notify_refusals(client, args):
    client.fails("/notify", *args)
    assert client.status()["clients"] == 0


@pytest.mark.parametrize("on", [True, ("f", 1.0), ("d", 1.0), ("h", 1)], ids=["T", "f", "d", "h"])
def test_notify_accepts_any_number_type(client, on):
    reply = client.ask("/notify", on)
    assert reply.args == ["/notify", 1]
    client.wait_for("/meter")


def test_silent_subscriber_is_dropped(daemon, monkeypatch):
    """After SUBSCRIPTION_TIMEOUT (60 s; shortened here) of silence the stream stops; a client
    that keeps sending keeps its subscription."""
    from latentd.osc import clients

    monkeypatch.setattr(clients, "SUBSCRIPTION_TIMEOUT", 1.0)
    quiet, chatty = daemon.udp(), daemon.udp()
    subscribe(quiet)
    subscribe(chatty)
    started = time.monotonic()

    def quiet_one_dropped():  # the chatty one keeps sending meanwhile
        chatty.request("/version")
        time.sleep(0.3)
        return daemon.server.subscriber_count() < 2

    wait_until(quiet_one_dropped, timeout=10.0, interval=0.0,
               message="the silent subscriber to be dropped")
    assert time.monotonic() - started >= 1.0, "dropped before its timeout"
    quiet.drain()
    assert [r for r in quiet.replies(0.5) if r.address in STREAMED] == []
    chatty.drain()
    assert chatty.wait_for("/meter", timeout=2)


def test_reply_types_are_only_i_f_s_b(daemon, client):
    """Replies and telemetry that a client can provoke, raw type tags checked."""
    subscribe(client)
    for address, args in [("/status", ()), ("/version", ()), ("/model/list", ()),
                          ("/preset/save", ("p",)), ("/preset/list", ()),
                          ("/preset/load", ("p", 0.5)), ("/record/start", ("r",)),
                          ("/record/stop", ()), ("/nope", ()), ("/latent", (9, 1.0)),
                          ("/sync", (("h", 2**40),)), ("/sync", (None,))]:
        client.send(address, *args)
    seen = client.sync()
    seen += [client.wait_for("/meter"), client.wait_for("/latent.state")]
    assert {r.address for r in seen} >= {"/status.reply", "/version.reply", "/model/list.reply",
                                          "/done", "/preset/list.reply", "/fail", "/synced",
                                          "/meter", "/latent.state"}
    for reply in seen:
        assert set(reply.types) <= REPLY_TYPES, reply


# --------------------------------------------------------------------------- transports
def test_udp_replies_go_to_the_sender(daemon):
    a, b = daemon.udp(), daemon.udp()
    a.send("/version")
    b.send("/nope")
    assert a.wait_for("/version.reply", timeout=5)
    assert b.wait_for("/fail", timeout=5)
    assert a.drain() == [] and b.drain() == []


def test_tcp_replies_go_back_on_the_connection(daemon):
    a, b = daemon.tcp(), daemon.tcp()
    a.send("/version")
    b.send("/status")
    assert a.wait_for("/version.reply", timeout=5)
    assert b.wait_for("/status.reply", timeout=5)
    assert a.drain() == [] and b.drain() == []


def test_tcp_slip_framing_details(daemon):
    from pythonosc import slip

    client = daemon.tcp()
    one, two = message("/version"), message("/sync", b"\xc0\xdb\xdc\xdd")
    # two packets in one write, then one split across writes, with a double END in between
    client.send_stream(slip.encode(one) + slip.encode(two))
    assert client.wait_for("/version.reply", timeout=5)
    assert client.wait_for("/synced", timeout=5).args == [b"\xc0\xdb\xdc\xdd"]  # escapes
    framed = slip.encode(message("/status"))
    client.send_stream(slip.END + framed[:7])
    time.sleep(0.1)
    client.send_stream(framed[7:])
    assert client.wait_for("/status.reply", timeout=5)
    # a frame ending only in END (no leading END) is a packet too
    client.send_stream(slip.encode(message("/version"))[1:])
    assert client.wait_for("/version.reply", timeout=5)


def test_tcp_survives_garbage_and_oversized_frames(daemon):
    from pythonosc import slip

    client = daemon.tcp()
    client.send_stream(b"\xdb\x01" + slip.END)  # a bad escape
    client.send_stream(slip.encode(b"not osc at all"))
    client.send_stream(b"\x55" * 100_000)  # no END for 100 kB
    client.send_stream(slip.END)
    client.send_raw(message("/version"))
    assert client.wait_for("/version.reply", timeout=10)
    assert daemon.server.malformed >= 2
    daemon.assert_audio_flows()


def test_tcp_client_disconnect_midway(daemon):
    from pythonosc import slip

    raw = socket.create_connection(("127.0.0.1", daemon.port))
    raw.sendall(slip.encode(message("/notify", 1)) + slip.END + message("/status")[:5])
    time.sleep(0.3)
    raw.close()
    time.sleep(0.3)
    udp = daemon.udp()
    assert udp.status()["clients"] == 0  # the TCP subscriber was forgotten
    daemon.assert_audio_flows()


def test_not_osc_gets_no_reply_and_is_counted(daemon, client):
    before = daemon.server.malformed
    for junk in [b"hello", b"\x00\x00\x00\x00", b"#bundle\x00\x00", b"/a\x00\x00,i\x00\x00",
                 b"#bundle\x00" + b"\x00" * 8 + b"\x00\x00\x00\x40/x"]:
        client.send_raw(junk)
    replies = client.sync()
    assert replies == []
    assert daemon.server.malformed >= before + 4
    daemon.assert_audio_flows()


def test_binds_loopback_by_default(daemon):
    from latentd.daemon.config import ServeConfig
    from latentd.osc.server import ServerSettings

    assert (ServerSettings().host, ServerSettings().port) == ("127.0.0.1", 57130)
    assert (ServeConfig().listen, ServeConfig().port) == ("127.0.0.1", 57130)
    assert daemon.server.settings.host == "127.0.0.1"
    assert daemon.server.udp.get_extra_info("sockname")[0] == "127.0.0.1"


def non_loopback_address():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET: nothing is sent
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


@pytest.mark.parametrize("allowed", [False, True])
def test_listening_beyond_loopback_answers_only_allowed_networks(make_daemon, synth, allowed):
    address = non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address")
    allow = [f"{address}/32"] if allowed else ["203.0.113.0/24"]
    daemon = make_daemon(synth, server_settings={"host": "0.0.0.0", "allow": allow})
    outsider = UdpClient(daemon.port, host=address, bind=address)
    daemon.clients.append(outsider)
    local = daemon.udp()  # loopback is always allowed
    outsider.send("/version")
    # one socket: the outsider's packet is handled (answered or refused) before local's /sync
    assert local.ask("/version").address == "/version.reply"
    reply = outsider.recv(1.5 if allowed else 0.2)
    if allowed:
        assert reply is not None and reply.address == "/version.reply"
    else:
        assert reply is None
        assert daemon.server.refused >= 1


def test_rate_limit_drops_excess_packets_and_the_audio_keeps_playing(make_daemon, synth):
    daemon = make_daemon(synth, server_settings={"rate": 200.0, "burst": 400.0})
    client = daemon.udp()
    started = time.monotonic()
    for i in range(2000):  # about 4000/s, paced so that the kernel's buffers do not overflow
        client.send("/sync", i)
        if i % 40 == 39:
            time.sleep(0.01)
    elapsed = time.monotonic() - started
    replies = [r for r in client.replies(1.0) if r.address == "/synced"]
    allowed = 400 + 200 * (elapsed + 0.1)
    assert 300 <= len(replies) <= allowed + 20, (len(replies), elapsed)
    assert daemon.server.limiter.dropped >= 2000 - allowed - 20 - 100
    assert daemon.engine.ring.underruns == 0
    daemon.assert_audio_flows()
    time.sleep(0.5)  # tokens refill: the host is answered again
    assert client.ask("/version").address == "/version.reply"


def test_sync_echoes_an_empty_blob(client):
    """issue 14: an empty blob is a valid OSC value; /sync with one answered 'internal error'."""
    client.send_raw(b"/sync\x00\x00\x00,b\x00\x00" + struct.pack(">i", 0))
    replies = client.sync()
    assert [(r.address, r.types, r.args) for r in replies] == [("/synced", "b", [b""])]

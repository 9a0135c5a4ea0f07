"""docs/osc.md "Where replies go": replies follow a host's subscription port, so one-shot senders
(liblo's ``oscsend``: a new source port per message) get their replies where they subscribed;
several clients on one host each keep theirs; over TCP everything stays on the connection."""

import time

import pytest
from support.osc import STREAMED, UdpClient, oscsend


def one_shot(daemon, *message):
    """One message from a socket that is closed at once (what oscsend does)."""
    with UdpClient(daemon.port) as sender:
        sender.send(*message)


def test_one_shot_senders_get_their_replies_at_the_subscribed_port(daemon):
    """issue 15: after ``/notify 1 9000``, later commands from new source ports were answered
    at those throwaway ports."""
    listener = daemon.udp()
    one_shot(daemon, "/notify", 1, listener.port)
    assert listener.wait_for("/done").args == ["/notify", 1]
    one_shot(daemon, "/version")
    assert listener.wait_for("/version.reply", timeout=5).args[0] == "latentd"
    one_shot(daemon, "/nope")
    assert listener.wait_for("/fail", timeout=5).args == ["/nope", "unknown address"]
    one_shot(daemon, "/sync", 7)
    assert listener.wait_for("/synced", timeout=5).args == [7]
    one_shot(daemon, "/notify", 0, listener.port)
    assert listener.wait_for(lambda r: r.address == "/done" and r.args == ["/notify", 0])
    one_shot(daemon, "/version")
    time.sleep(0.2)
    assert [r for r in listener.replies(0.8) if r.address not in STREAMED] == [], \
        "replies still went to the port after /notify 0 PORT"


def test_several_clients_on_one_host(daemon):
    """A TUI (subscribed on its own socket) and two patches (each subscribed to a port it
    listens on) side by side: each gets its own replies; a one-shot sender's go to the port of
    the subscription made or renewed most recently."""
    tui = daemon.udp()
    assert tui.ask("/notify", 1).args == ["/notify", 1]
    patch1, listen1 = daemon.udp(), daemon.udp()
    patch2, listen2 = daemon.udp(), daemon.udp()
    patch1.send("/notify", 1, listen1.port)
    listen1.wait_for("/done")
    one_shot(daemon, "/version")
    assert listen1.wait_for("/version.reply", timeout=5)
    patch2.send("/notify", 1, listen2.port)
    listen2.wait_for("/done")
    one_shot(daemon, "/sync", "shell")
    assert listen2.wait_for("/synced", timeout=5).args == ["shell"]
    patch1.send("/sync", "patch1")  # a patch's own replies go to the port it named
    assert listen1.wait_for("/synced", timeout=5).args == ["patch1"]
    assert tui.ask("/version").address == "/version.reply"  # the TUI's come back to it
    assert tui.ask("/notify", 0).args == ["/notify", 0]  # also once it unsubscribed
    assert tui.ask("/version").address == "/version.reply"
    assert tui.status()["clients"] == 2


def test_tcp_notify_streams_on_the_connection_and_ignores_the_port(daemon):
    """docs/osc.md: over TCP ``/notify 1 PORT`` streams telemetry on the connection; PORT is
    ignored."""
    tcp, elsewhere = daemon.tcp(), daemon.udp()
    assert tcp.ask("/notify", 1, elsewhere.port).args == ["/notify", 1]
    assert tcp.wait_for("/meter", timeout=5)
    assert tcp.ask("/version").address == "/version.reply"
    assert elsewhere.replies(0.5) == []


@pytest.mark.liblo
def test_oscsend_replies_reach_oscdump_after_notify(daemon, dump):
    """issue 15, with liblo on both ends: ``oscsend localhost PORT /notify ii 1 9000``, then
    plain oscsend commands are answered at 9000; after ``/notify ii 0 9000`` no longer."""
    oscsend(daemon.port, "/notify", "ii", 1, dump.port)
    assert dump.wait_for("/done").args == ["/notify", 1]
    oscsend(daemon.port, "/version")
    reply = dump.wait_for("/version.reply", timeout=5)
    assert reply.types == "ss" and reply.args[0] == "latentd"
    oscsend(daemon.port, "/latent", "if", 9, 1)
    assert dump.wait_for("/fail", timeout=5).args[0] == "/latent"
    oscsend(daemon.port, "/notify", "ii", 0, dump.port)
    dump.wait_for(lambda d: d.address == "/done" and d.args == ["/notify", 0])
    # what wait_for set aside arrived before that /done, while subscribed (the 2 Hz
    # /status.reply among it on a slow machine): only what comes after counts
    dump.backlog.clear()
    oscsend(daemon.port, "/version")
    time.sleep(0.3)
    assert [d for d in dump.collect(1.0) if d.address not in STREAMED] == []


def test_replies_sent_to_the_daemon_are_never_answered(make_daemon, synth):
    """'/notify 1 <the daemon's own port>' made the daemon answer its own telemetry and
    /fail replies with /fail for ever (two daemons subscribed to each other the same): the
    loop drained loopback's rate allowance, and every local client went unanswered."""
    daemon = make_daemon(synth, server_settings={"rate": 100.0, "burst": 200.0})
    client = daemon.udp()
    # refused: local one-shot senders' replies would follow that port into the daemon
    assert "own port" in client.fails("/notify", 1, daemon.port).args[1]
    assert UdpClient(daemon.port).ask("/version", timeout=3.0).address == "/version.reply"
    client.send("/fail", "/x", "a /fail arriving gets no /fail back")
    time.sleep(1.5)
    assert daemon.server.limiter.dropped == 0, daemon.server.limiter.dropped
    assert daemon.server.ignored_replies >= 1
    client.send("/notify", 0, client.port)  # replies back to this socket
    time.sleep(0.3)
    client.replies(0.2)
    assert client.ask("/version").address == "/version.reply"
    daemon.assert_audio_flows()


def test_a_script_beside_a_named_port_subscription_still_gets_its_own_replies(daemon):
    """Rule 3 must not take a plain script's replies away from it: a patch subscribed to a
    port on the same host gets a copy, the script gets its own."""
    patch, listener = daemon.udp(), daemon.udp()
    patch.send("/notify", 1, listener.port)
    listener.wait_for("/done")
    script = daemon.udp()
    assert script.ask("/version").address == "/version.reply"
    assert listener.wait_for("/version.reply", timeout=5)

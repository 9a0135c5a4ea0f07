"""Access rules (docs/osc.md "Transport"): IPv4 peers of a dual-stack ``--listen ::`` arrive as
``::ffff:a.b.c.d`` and are judged as the IPv4 address they are; DNS-SD advertises only when a
peer beyond this machine may connect."""

import socket

import pytest
from support.osc import TcpClient, UdpClient

from latentd.osc.clients import AccessList, RateLimiter, plain_host
from latentd.osc.discovery import should_advertise


@pytest.mark.parametrize("host, allow, permitted", [
    ("::ffff:127.0.0.1", [], True),
    ("::ffff:127.8.9.10", [], True),
    ("::ffff:10.1.2.3", ["10.0.0.0/8"], True),
    ("::ffff:10.1.2.3", [], False),
    ("::ffff:192.168.1.2", ["10.0.0.0/8"], False),
    ("::1", [], True),
    ("fe80::1%eth0", ["fe80::/10"], True),
    ("10.1.2.3", ["10.0.0.0/8"], True),
    ("not an address", ["0.0.0.0/0"], False),
    # an IPv6 network holding the mapped range still takes the IPv4 peers it held before
    # they were judged as IPv4 (--listen :: --allow ::/0 refused every IPv4 client)
    ("::ffff:10.1.2.3", ["::/0"], True),
    ("10.1.2.3", ["::ffff:10.0.0.0/104"], True),
    ("::ffff:10.1.2.3", ["::ffff:10.0.0.0/104"], True),
    ("::ffff:11.1.2.3", ["::ffff:10.0.0.0/104"], False),
    ("::ffff:10.1.2.3", ["2001:db8::/32"], False),
])
def test_ipv4_mapped_peers_are_judged_as_ipv4(host, allow, permitted):
    assert AccessList(allow).permits(host) is permitted


def test_mapped_and_plain_ipv4_share_one_rate_bucket():
    limiter = RateLimiter(rate=0.001, burst=3)
    assert plain_host("::ffff:10.0.0.1") == "10.0.0.1"
    assert limiter.take("10.0.0.1", 2) == 2
    assert limiter.take("::ffff:10.0.0.1", 2) == 1


def _dual_stack() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.bind(("::", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _dual_stack(), reason="this machine cannot bind IPv6 '::'")
def test_listen_on_all_ipv6_addresses_answers_ipv4_loopback(make_daemon, synth):
    """issue 14: ``--listen ::`` refused every IPv4 client, loopback included."""
    daemon = make_daemon(synth, server_settings={"host": "::"})
    with UdpClient(daemon.port) as udp:
        assert udp.ask("/version").address == "/version.reply"
    with TcpClient(daemon.port) as tcp:  # asyncio's create_server would make TCP IPv6-only
        assert tcp.ask("/version").address == "/version.reply"
    assert daemon.server.refused == 0


@pytest.mark.parametrize("listen, allow, advertised", [
    ("127.0.0.1", [], False),
    ("127.0.0.1", ["10.0.0.0/8"], False),  # nobody beyond this machine can reach it
    ("localhost", ["10.0.0.0/8"], False),
    ("::1", ["0.0.0.0/0"], False),
    ("0.0.0.0", [], False),  # issue 14: listening everywhere, but only loopback may talk
    ("::", [], False),
    ("0.0.0.0", ["127.0.0.0/8"], False),
    ("::", ["::1/128", "::ffff:127.0.0.1/128"], False),
    ("0.0.0.0", ["192.168.1.0/24"], True),
    ("::", ["fd00::/8"], True),
    ("::", ["::ffff:10.0.0.0/104"], True),
    ("192.168.1.5", ["192.168.1.0/24"], True),
    ("0.0.0.0", ["0.0.0.0/0"], True),
])
def test_advertise_only_when_someone_beyond_this_machine_may_connect(listen, allow, advertised):
    assert should_advertise(listen, allow) is advertised


def test_many_source_addresses_share_one_overall_bound():
    """Spoofing a new source address per packet must not buy a fresh burst each time: all
    hosts together get at most RateLimiter.TOTAL_FACTOR times one host's allowance."""
    limiter = RateLimiter(rate=10.0, burst=20.0, max_hosts=8)
    granted = sum(limiter.take(f"10.0.{i // 256}.{i % 256}", 5, now=100.0) for i in range(1000))
    assert granted == 20 * RateLimiter.TOTAL_FACTOR
    assert len(limiter._buckets) <= 8
    assert limiter.take("10.9.9.9", 1, now=101.0) == 1  # refilled after a second

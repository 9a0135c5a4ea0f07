"""latentd/osc/clients.py's bound on known peers (SECURITY.md: "known peers ... 1024"): a
sender with a fresh source port per packet (or a spoofer) cannot grow the table of peers the
daemon keeps for reply routing; the silent non-subscribers are forgotten first, subscribers
stay."""

from hypothesis import given, settings
from hypothesis import strategies as st

from latentd.osc.clients import Clients


def test_fresh_source_ports_cannot_grow_the_peer_table_past_its_bound():
    clients = Clients(max_clients=16, max_subscribers=4)
    subscribed = [clients.seen("127.0.0.1", 9000 + k) for k in range(3)]
    for client in subscribed:
        clients.subscribe(client, True)
    for port in range(20000, 30000):
        clients.seen("10.0.0.1", port)
    assert len(clients._clients) <= 16
    assert {c.key for c in clients.subscribers()} == {c.key for c in subscribed}


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(ops=st.lists(st.tuples(st.integers(0, 3), st.integers(1, 65535), st.booleans()),
                    max_size=300))
def test_the_peer_table_stays_bounded_whatever_the_peers_do(ops):
    clients = Clients(max_clients=8, max_subscribers=4)
    for host, port, subscribe in ops:
        client = clients.seen(f"10.0.0.{host}", port)
        if subscribe and len(clients.subscribers()) < 4:
            clients.subscribe(client, True)
        assert len(clients._clients) <= 8 + 4  # at most the bound, plus kept subscribers
        assert len(clients.subscribers()) <= 4

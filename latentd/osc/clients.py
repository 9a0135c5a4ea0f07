"""Who may talk to the daemon, how fast, who hears its telemetry, and where replies go.

Hosts are compared in their plain form: an IPv4 peer reaching a dual-stack socket
(``--listen ::``) arrives as ``::ffff:a.b.c.d`` and is treated as ``a.b.c.d`` everywhere (access
list, rate limit, a host's subscriptions); replies still go to the address it came from.

Where a UDP reply goes (docs/osc.md "Where replies go"):

1. a sender that named a port with ``/notify`` gets its replies there (one that sent ``/notify``
   without a port named its own: it receives on its sending socket);
2. otherwise, a sender whose own address is a subscription's destination gets them back there;
3. otherwise, when its host holds subscriptions that named a port, the one renewed most recently
   gets them (so one-shot senders such as ``oscsend``, a new source port per message, reach the
   ``oscdump`` or patch that subscribed for them), and the sender gets them too (a script that
   listens on its sending socket must not lose its replies to a patch beside it);
4. otherwise, back to the sender's address and port.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Protocol


class TcpConnection(Protocol):
    """What a client needs of its TCP connection (latentd.osc.tcp.TcpPeer): to send a packet
    in the connection's framing, telemetry first to be dropped when the peer reads slowly."""

    def send(self, packet: bytes, telemetry: bool = False) -> bool: ...


SUBSCRIPTION_TIMEOUT = 60.0  # seconds of silence after which a subscriber is dropped
MAX_SUBSCRIBERS = 64  # telemetry costs ~62 packets/s per subscriber


@functools.lru_cache(maxsize=4096)  # called for every packet; parsing costs microseconds
def plain_host(host: str) -> str:
    """The address as compared: scope id dropped, IPv4-mapped IPv6 turned back into IPv4."""
    bare = host.split("%")[0]
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        return bare
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


@dataclass
class Client:
    """A peer: where its packets come from and where replies go.

    ``tcp`` is set for TCP peers (replies go back on the connection, any ``/notify`` port is
    ignored). ``host`` is the address as the socket gave it (replies go there); ``origin`` is its
    plain form, for comparisons.
    """

    host: str
    port: int
    tcp: TcpConnection | None = None
    reply_port: int | None = None
    subscribed: bool = False
    subscribed_at: float = 0.0
    last_seen: float = field(default_factory=time.monotonic)
    origin: str = ""

    def __post_init__(self) -> None:
        self.origin = self.origin or plain_host(self.host)

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.origin, self.port, id(self.tcp) if self.tcp is not None else 0)

    @property
    def destination(self) -> tuple[str, int]:
        """Where this client's own subscription sends (its named port, else its own)."""
        return (self.host, self.reply_port or self.port)


class SubscriberLimit(Exception):
    """Raised by :meth:`Clients.subscribe` when the subscriber table is full."""


class AccessList:
    """Loopback is always allowed; other peers only inside the ``--allow`` networks."""

    def __init__(self, allowed: list[str] | None = None):
        self.networks = [ipaddress.ip_network(n, strict=False) for n in allowed or []]

    def permits(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(plain_host(host))
        except ValueError:
            return False
        if address.is_loopback:
            return True
        if any(address in network for network in self.networks):
            return True
        # an IPv4 peer is also inside an IPv6 network holding its mapped form (::/0,
        # ::ffff:10.0.0.0/104), as it was when it arrived as ::ffff:a.b.c.d
        mapped = ipaddress.IPv6Address(f"::ffff:{address}") \
            if isinstance(address, ipaddress.IPv4Address) else None
        return mapped is not None and any(mapped in network for network in self.networks)


class RateLimiter:
    """Token buckets: sustained ``rate`` messages a second per host, bursts up to ``burst``;
    and all hosts together at most ``TOTAL_FACTOR`` times that.

    A message costs one token, wherever it is (a bundle of 4000 messages costs 4000); a packet
    that holds no message (malformed) costs one too. The shared bucket bounds what senders
    spoofing many source addresses can make the daemon handle (each new address would start
    with a full burst); the per-host table is capped, the least recently heard host forgotten
    first."""

    TOTAL_FACTOR = 2.0

    def __init__(self, rate: float = 2000.0, burst: float = 4000.0, max_hosts: int = 4096):
        self.rate, self.burst, self.max_hosts = rate, burst, max_hosts
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._total = (burst * self.TOTAL_FACTOR, time.monotonic())
        self.dropped = 0  # messages refused, in all

    def take(self, host: str, wanted: int = 1, now: float | None = None) -> int:
        """How many of ``wanted`` messages the host may send now (0 to ``wanted``)."""
        now = time.monotonic() if now is None else now
        host = plain_host(host)
        tokens = self._refill(self._buckets.get(host, (self.burst, now)), now, 1.0)
        total = self._refill(self._total, now, self.TOTAL_FACTOR)
        granted = max(0, min(wanted, math.floor(tokens), math.floor(total)))
        self._buckets[host] = (tokens - granted, now)
        self._buckets.move_to_end(host)
        if len(self._buckets) > self.max_hosts:
            self._buckets.popitem(last=False)  # bounded memory under a spoofed-source flood
        self._total = (total - granted, now)
        self.dropped += wanted - granted
        return granted

    def _refill(self, bucket: tuple[float, float], now: float, factor: float) -> float:
        tokens, stamp = bucket
        return min(self.burst * factor, tokens + max(0.0, now - stamp) * self.rate * factor)

    def allow(self, host: str, now: float | None = None) -> bool:
        return self.take(host, 1, now) == 1


class Clients:
    """Known peers and subscriptions, owned by the OSC thread."""

    def __init__(self, max_clients: int = 1024, max_subscribers: int = MAX_SUBSCRIBERS):
        self.max_clients = max_clients
        self.max_subscribers = max_subscribers
        self._clients: dict[tuple[str, int, int], Client] = {}
        self._subscribers: dict[tuple[str, int, int], Client] = {}

    def seen(self, host: str, port: int, tcp: TcpConnection | None = None) -> Client:
        probe = Client(host, port, tcp)
        client = self._clients.get(probe.key)
        if client is None:
            if len(self._clients) >= self.max_clients:
                self.expire(force=True)
            client = self._clients.setdefault(probe.key, probe)
        client.last_seen = time.monotonic()
        return client

    def forget(self, client: Client) -> None:
        self._clients.pop(client.key, None)
        self._subscribers.pop(client.key, None)

    def forget_connection(self, tcp: TcpConnection) -> None:
        for client in [c for c in self._clients.values() if c.tcp is tcp]:
            self.forget(client)

    # ----------------------------------------------------------------- subscriptions
    def subscribe(self, client: Client, on: bool) -> bool:
        """(Un)subscribe ``client``; returns whether a stream began or ended (False for a
        renewal, or ending what did not exist). A UDP subscription is known by its destination:
        any other one sending there ends (a renewal from a new source port replaces it). Raises
        SubscriberLimit when a new subscription would pass ``max_subscribers``."""
        replaced = [] if client.tcp is not None else [
            other for other in self._subscribers.values()
            if other is not client and other.tcp is None
            and other.destination == client.destination]
        if on and client.key not in self._subscribers \
                and len(self._subscribers) - len(replaced) >= self.max_subscribers:
            raise SubscriberLimit(f"{self.max_subscribers} subscribers already")
        existed = client.key in self._subscribers or bool(replaced)
        for other in replaced:
            self._unsubscribe(other)
        if on:
            client.subscribed, client.subscribed_at = True, time.monotonic()
            self._subscribers[client.key] = client
        else:
            self._unsubscribe(client)
        return on != existed

    def _unsubscribe(self, client: Client) -> None:
        client.subscribed = False
        self._subscribers.pop(client.key, None)

    def subscribers(self) -> list[Client]:
        return list(self._subscribers.values())

    def reply_addresses(self, client: Client) -> list[tuple[str, int]]:
        """Where a UDP reply to ``client`` goes: the rule in the module docstring (rule 3 sends
        to the subscription's port and back to the sender, so a script that never subscribed
        still gets its replies on its own socket)."""
        if client.reply_port is not None:
            return [(client.host, client.reply_port)]
        own = (client.origin, client.port)
        named = None
        for other in self._subscribers.values():
            if other.tcp is not None or other.origin != client.origin:
                continue
            if (other.origin, other.reply_port or other.port) == own:
                return [(client.host, client.port)]
            if other.reply_port is not None and (named is None
                                                 or other.subscribed_at > named.subscribed_at):
                named = other
        if named is not None and named.reply_port:
            return [(client.host, named.reply_port), (client.host, client.port)]
        return [(client.host, client.port)]

    def expire(self, force: bool = False) -> list[Client]:
        """Drop peers silent for a minute (subscribers included); returns the dropped ones."""
        now = time.monotonic()
        dropped = [c for c in self._clients.values()
                   if now - c.last_seen > SUBSCRIPTION_TIMEOUT or (force and not c.subscribed)]
        for client in dropped:
            client.subscribed = False
            self.forget(client)
        return dropped

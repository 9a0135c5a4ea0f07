"""Who may talk to the daemon, how fast, and who hears its telemetry."""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass, field

SUBSCRIPTION_TIMEOUT = 60.0  # seconds of silence after which a subscriber is dropped


@dataclass
class Client:
    """A peer: where its packets come from and where replies go.

    ``tcp`` is set for TCP peers (replies go back on the connection). UDP replies go to the
    sender's address, or to ``reply_port`` on the sender's host once ``/notify`` named one.
    """

    host: str
    port: int
    tcp: object = None
    reply_port: int | None = None
    subscribed: bool = False
    last_seen: float = field(default_factory=time.monotonic)

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.host, self.port, id(self.tcp) if self.tcp is not None else 0)

    @property
    def reply_address(self) -> tuple[str, int]:
        return (self.host, self.reply_port or self.port)


class AccessList:
    """Loopback is always allowed; other peers only inside the ``--allow`` networks."""

    def __init__(self, allowed: list[str] | None = None):
        self.networks = [ipaddress.ip_network(n, strict=False) for n in allowed or []]

    def permits(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host.split("%")[0])
        except ValueError:
            return False
        if address.is_loopback:
            return True
        return any(address in network for network in self.networks)


class RateLimiter:
    """A token bucket per host: sustained ``rate`` packets a second, bursts up to ``burst``."""

    def __init__(self, rate: float = 2000.0, burst: float = 4000.0, max_hosts: int = 4096):
        self.rate, self.burst, self.max_hosts = rate, burst, max_hosts
        self._buckets: dict[str, tuple[float, float]] = {}
        self.dropped = 0

    def allow(self, host: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        tokens, stamp = self._buckets.get(host, (self.burst, now))
        tokens = min(self.burst, tokens + (now - stamp) * self.rate)
        if len(self._buckets) >= self.max_hosts and host not in self._buckets:
            self._buckets.clear()  # bounded memory under a spoofed-source flood
        if tokens < 1.0:
            self._buckets[host] = (tokens, now)
            self.dropped += 1
            return False
        self._buckets[host] = (tokens - 1.0, now)
        return True


class Clients:
    """Known peers and subscriptions, owned by the OSC thread."""

    def __init__(self, max_clients: int = 1024):
        self.max_clients = max_clients
        self._clients: dict[tuple[str, int, int], Client] = {}

    def seen(self, host: str, port: int, tcp: object = None) -> Client:
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

    def unsubscribe_destination(self, client: Client) -> None:
        """End every other UDP subscription that sends where ``client``'s replies go: at most
        one stream per destination, however many source ports asked for it."""
        if client.tcp is not None:
            return
        for other in self._clients.values():
            if other is not client and other.tcp is None and other.subscribed \
                    and other.reply_address == client.reply_address:
                other.subscribed = False

    def subscribers(self) -> list[Client]:
        return [c for c in self._clients.values() if c.subscribed]

    def expire(self, force: bool = False) -> list[Client]:
        """Drop peers silent for a minute (subscribers included); returns the dropped ones."""
        now = time.monotonic()
        dropped = [c for c in self._clients.values()
                   if now - c.last_seen > SUBSCRIPTION_TIMEOUT or (force and not c.subscribed)]
        for client in dropped:
            self.forget(client)
        return dropped

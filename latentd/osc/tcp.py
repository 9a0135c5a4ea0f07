"""OSC over TCP: one asyncio protocol per connection, with the bounds a remote peer must not
push past (docs/osc.md "Transport", SECURITY.md's table):

* at most ``max_connections`` connections at once, ``max_per_host`` from one host; past either
  a new connection is closed at once (before it can cost more than its socket). Other hosts
  together get at most ``max_connections - loopback_reserved``: the last slots are kept for
  this machine, so peers on an ``--allow`` network holding connections open cannot lock the
  local TUI or patch out;
* a connection that sends nothing for ``idle_seconds`` is closed (subscribers renew their
  ``/notify`` every 30 s, so they never go idle);
* a client that does not read cannot make the daemon buffer its replies without end: while
  more than ``telemetry_buffer_bytes`` wait in the socket's write buffer, telemetry to it is
  dropped; past ``write_buffer_bytes`` the connection is closed. The kernel's own send buffer
  is fixed at ``kernel_send_buffer_bytes`` (Linux doubles it for its bookkeeping): left to
  itself Linux grows it to 4 MiB a connection, memory a client that never reads holds, and
  replies that hid the client's silence from the write limit for seconds;
* each packet is framed and bounded by :mod:`latentd.osc.framing` (SLIP or a length prefix,
  chosen by the first byte; oversized frames discarded whole);
* empty frames past one per packet cost a rate-limit token each, and a peer sending past its
  rate is not read for as long as its excess would take at the allowed rate (at most
  ``MAX_BACK_OFF_SECONDS``), so one connection cannot keep the OSC thread busy.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from latentd.osc.clients import plain_host
from latentd.osc.framing import MAX_FRAME_BYTES, Deframer, SlipDeframer, deframer_for

if TYPE_CHECKING:
    from latentd.osc.server import OscServer


MAX_BACK_OFF_SECONDS = 5.0  # the longest a flooding peer goes unread at once


@dataclass
class TcpLimits:
    max_connections: int = 64
    max_per_host: int = 16
    loopback_reserved: int = 8  # slots only this machine may take
    idle_seconds: float = 300.0
    write_buffer_bytes: int = 1 << 20  # past it: the connection is closed
    kernel_send_buffer_bytes: int = 128 << 10  # SO_SNDBUF of each connection
    telemetry_buffer_bytes: int = 64 << 10  # past it: telemetry to that client is dropped
    max_frame_bytes: int = MAX_FRAME_BYTES


class TcpPeer(asyncio.Protocol):
    """One TCP connection: deframes what comes in, frames what goes out in the same framing."""

    def __init__(self, server: OscServer, peers: TcpPeers):
        self.server = server
        self.peers = peers
        self.transport: asyncio.Transport | None = None
        self.host, self.port = "", 0
        self.deframer: Deframer | None = None
        self.last_received = time.monotonic()
        self.telemetry_dropped = 0
        self.paused = 0  # times reading was paused for sending past the rate limit

    # ----------------------------------------------------------------- asyncio
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.host, self.port = transport.get_extra_info("peername")[:2]
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF,
                            self.peers.limits.kernel_send_buffer_bytes)
        refusal = self.peers.admit(self)
        if refusal is not None:
            self.server.throttle.warning(f"tcp {refusal}", "TCP connection from %s:%d refused: %s",
                                         self.host, self.port, refusal)
            transport.abort()

    def data_received(self, data: bytes) -> None:
        self.last_received = time.monotonic()
        if self.deframer is None:
            self.deframer = deframer_for(data[0], self.peers.limits.max_frame_bytes)
        deframer = self.deframer
        before = deframer.oversized + deframer.malformed
        empty_before, dropped_before = deframer.empty, self.server.limiter.dropped
        packets = deframer.feed(data)
        # SLIP senders put one empty frame before each packet; more than that costs a token each
        extra_empty = deframer.empty - empty_before - len(packets)
        if extra_empty > 0:
            self.server.limiter.take(self.host, extra_empty)
        refused = deframer.oversized + deframer.malformed - before
        if refused:
            self.server.malformed += refused
            self.server.throttle.warning(
                "tcp frame", "%d TCP frame(s) from %s:%d discarded (%s framing; larger than "
                "%d bytes or badly escaped)", refused, self.host, self.port, deframer.name,
                deframer.max_frame_bytes)
        for packet in packets:
            if self.transport is None or self.transport.is_closing():
                break
            self.server.packet(packet, self.host, self.port, self)
        self._back_off(self.server.limiter.dropped - dropped_before)

    def _back_off(self, refused_messages: int) -> None:
        """A peer sending past its rate is not read for as long as its excess would take at
        the allowed rate (at most MAX_BACK_OFF_SECONDS): TCP's own flow control then holds it
        back, so a flood costs the daemon one read per pause instead of Python work per byte."""
        transport = self.transport
        if refused_messages <= 0 or transport is None or transport.is_closing():
            return
        pause_seconds = min(MAX_BACK_OFF_SECONDS,
                            refused_messages / max(self.server.limiter.rate, 1.0))
        transport.pause_reading()
        self.paused += 1
        asyncio.get_running_loop().call_later(pause_seconds, self._resume)

    def _resume(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.resume_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        self.peers.leave(self)
        self.server.tcp_closed(self)

    # ----------------------------------------------------------------- sending
    def is_closing(self) -> bool:
        return self.transport is None or self.transport.is_closing()

    def send(self, packet: bytes, telemetry: bool = False) -> bool:
        """Queue one packet; False when it was dropped (telemetry to a slow reader) or the
        connection is closing (or was just closed for not reading)."""
        if self.transport is None or self.transport.is_closing():
            return False
        waiting = self.transport.get_write_buffer_size()
        limits = self.peers.limits
        if waiting > limits.write_buffer_bytes:
            self.server.throttle.warning(
                "tcp slow reader", "TCP client %s:%d does not read its replies (%d bytes "
                "waiting, limit %d): connection closed", self.host, self.port, waiting,
                limits.write_buffer_bytes)
            self.transport.abort()
            return False
        if telemetry and waiting > limits.telemetry_buffer_bytes:
            self.telemetry_dropped += 1
            self.server.throttle.info(
                "tcp telemetry", "TCP client %s:%d reads slowly (%d bytes waiting): telemetry "
                "to it dropped", self.host, self.port, waiting)
            return False
        self.transport.write((self.deframer or SlipDeframer()).frame(packet))
        return True

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class TcpPeers:
    """The open connections, their caps and the idle timeout."""

    def __init__(self, limits: TcpLimits):
        self.limits = limits
        self.peers: set[TcpPeer] = set()
        self._per_host: Counter[str] = Counter()
        self.refused = 0
        self.closed_idle = 0
        self._remote = 0  # connections from other hosts than this machine

    def admit(self, peer: TcpPeer) -> str | None:
        """None when the peer may stay, else why it may not."""
        if not peer.server.access.permits(peer.host):
            peer.server.refused += 1
            self.refused += 1
            return "host not allowed (--allow)"
        if len(self.peers) >= self.limits.max_connections:
            self.refused += 1
            return f"{self.limits.max_connections} connections already open"
        local = _is_loopback(peer.host)
        remote_room = self.limits.max_connections - self.limits.loopback_reserved
        if not local and self._remote >= remote_room:
            self.refused += 1
            return (f"{remote_room} connections from other hosts already open (the last "
                    f"{self.limits.loopback_reserved} are kept for this machine)")
        if self._per_host[peer.host] >= self.limits.max_per_host:
            self.refused += 1
            return f"{self.limits.max_per_host} connections already open from that host"
        self.peers.add(peer)
        self._per_host[peer.host] += 1
        self._remote += not local
        return None

    def leave(self, peer: TcpPeer) -> None:
        if peer in self.peers:
            self.peers.discard(peer)
            self._remote -= not _is_loopback(peer.host)
            self._per_host[peer.host] -= 1
            if self._per_host[peer.host] <= 0:
                del self._per_host[peer.host]

    def close_idle(self, now: float | None = None) -> int:
        """Close connections silent for longer than the idle timeout; how many were closed."""
        now = time.monotonic() if now is None else now
        idle = [p for p in self.peers if now - p.last_received > self.limits.idle_seconds]
        for peer in idle:
            peer.close()
            self.leave(peer)
        self.closed_idle += len(idle)
        return len(idle)

    def close_all(self) -> None:
        for peer in list(self.peers):
            peer.close()



def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(plain_host(host)).is_loopback
    except ValueError:
        return False


def listening_sockets(host: str, port: int) -> list[socket.socket]:
    """Listening TCP sockets on every address ``host`` resolves to (as asyncio's
    ``create_server`` binds them). An IPv6 wildcard (``--listen ::``) also takes IPv4 peers, as
    the UDP socket does; asyncio would make it IPv6-only."""
    results = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    sockets: list[socket.socket] = []
    try:
        for family, kind, proto, _, address in dict.fromkeys(results):
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                dual = len(results) == 1 and address[0] == "::"
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0 if dual else 1)
            sock.bind(address)
            sock.listen(128)
            sock.setblocking(False)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets

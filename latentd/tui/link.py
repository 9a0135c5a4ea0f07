"""The TUI's OSC link: one UDP socket on the app's asyncio loop (an asyncio datagram endpoint),
python-osc's encoding, subscription and its renewal, and "is the daemon there?".

Nothing here blocks: sends are ``sendto`` on a non-blocking socket, received datagrams are
decoded and handed to ``on_message`` as they come. The daemon counts as reachable while
telemetry arrives (it streams ~30 messages a second to a subscriber); when it stops, the link
asks again with ``/notify 1`` every second until it answers, so a restarted daemon is picked up
by itself. A live subscription is renewed every RENEW_SECONDS (the daemon drops a silent
subscriber after 60 s).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Callable
from typing import Any

from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.osc_packet import OscPacket, ParseError

RENEW_SECONDS = 30.0
RETRY_SECONDS = 1.0
SILENT_SECONDS = 2.0  # no telemetry for this long: not connected

Handler = Callable[[str, list[Any]], None]


def encode(address: str, *args: Any) -> bytes:
    """One OSC message; floats go as 32-bit ``f``, whole numbers as ``i``, text as ``s``."""
    builder = OscMessageBuilder(address)
    for value in args:
        if isinstance(value, bool):
            builder.add_arg(int(value), "i")
        elif isinstance(value, int):
            builder.add_arg(value, "i")
        elif isinstance(value, float):
            builder.add_arg(value, "f")
        else:
            builder.add_arg(str(value), "s")
    return builder.build().dgram


def decode(data: bytes) -> list[tuple[str, list[Any]]]:
    """The messages of a packet (bundles flattened); an undecodable packet gives none."""
    try:
        packet = OscPacket(data)
    except ParseError:
        return []
    return [(m.message.address, list(m.message.params)) for m in packet.messages]


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, link: OscLink):
        self.link = link

    def datagram_received(self, data: bytes, addr: Any) -> None:
        for address, args in decode(data):
            self.link.received(address, args)

    def error_received(self, exc: Exception) -> None:  # ICMP "port unreachable": no daemon
        self.link.last_error = str(exc)


class OscLink:
    """Talks to one daemon at ``host:port``. ``clock`` is injectable so tests can freeze it."""

    def __init__(self, host: str, port: int, on_message: Handler,
                 clock: Callable[[], float] = time.monotonic):
        self.host, self.port = host, port
        self.on_message = on_message
        self.clock = clock
        self.transport: asyncio.DatagramTransport | None = None
        self.target: tuple[str, int] | None = None
        self.last_heard = -1e9
        self.last_notify = -1e9
        self.last_error = ""
        self._task: asyncio.Task[None] | None = None

    @property
    def connected(self) -> bool:
        return self.clock() - self.last_heard < SILENT_SECONDS

    async def start(self) -> None:
        """Resolve the host (off the loop: it may ask DNS), bind, and keep the subscription."""
        loop = asyncio.get_running_loop()
        infos = await loop.getaddrinfo(self.host, self.port, type=socket.SOCK_DGRAM)
        family, _, _, _, address = infos[0]
        self.target = (str(address[0]), int(address[1]))
        local = "127.0.0.1" if self.target[0].startswith("127.") else (
            "::" if family == socket.AF_INET6 else "0.0.0.0")
        transport, _ = await loop.create_datagram_endpoint(
            lambda: _Protocol(self), local_addr=(local, 0), family=family)
        self.transport = transport
        self._task = asyncio.create_task(self._keep_subscribed())

    async def _keep_subscribed(self) -> None:
        while True:
            now = self.clock()
            due = RENEW_SECONDS if self.connected else RETRY_SECONDS
            if now - self.last_notify >= due:
                self.last_notify = now
                self.send("/notify", 1)
            await asyncio.sleep(0.25)

    def received(self, address: str, args: list[Any]) -> None:
        self.last_heard = self.clock()
        self.on_message(address, args)

    def send(self, address: str, *args: Any) -> None:
        if self.transport is None or self.target is None:
            return
        with contextlib.suppress(OSError):
            self.transport.sendto(encode(address, *args), self.target)

    def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self.transport is not None:
            self.send("/notify", 0)
            self.transport.close()
            self.transport = None

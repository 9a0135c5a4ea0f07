"""OSC over UDP and over TCP with OSC 1.1 SLIP framing, on one asyncio loop.

``OscServer.serve()`` is a coroutine (use it inside an existing asyncio program);
``start_in_thread()`` runs it on a thread of its own for the daemon. Nothing here renders: it
parses, validates, hands events to the engine and sends replies and telemetry.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass, field

from pythonosc import slip

from latentd.engine.engine import Engine, Notice
from latentd.osc import args as a
from latentd.osc.args import Fail
from latentd.osc.clients import AccessList, Client, Clients, RateLimiter
from latentd.osc.packets import Incoming, MalformedPacket, decode, encode
from latentd.osc.routes import AddressSpace, Reply, Request

log = logging.getLogger("latentd.osc")

METER_HZ = 30.0
STATUS_HZ = 2.0
MAX_TCP_PACKET = 1 << 16


@dataclass
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 57130
    allow: list[str] = field(default_factory=list)
    rate: float = 2000.0
    burst: float = 4000.0


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, server: OscServer):
        self.server = server

    def datagram_received(self, data: bytes, addr: tuple) -> None:
        self.server.packet(data, addr[0], addr[1], None)

    def error_received(self, exc: Exception) -> None:  # ICMP port unreachable etc.
        log.debug("udp error: %s", exc)


class OscServer:
    def __init__(self, engine: Engine, settings: ServerSettings | None = None,
                 space: AddressSpace | None = None):
        self.engine = engine
        self.settings = settings or ServerSettings()
        self.clients = Clients()
        self.access = AccessList(self.settings.allow)
        self.limiter = RateLimiter(self.settings.rate, self.settings.burst)
        self.space = space or AddressSpace(engine)
        self.space.subscribers = lambda: len(self.clients.subscribers())
        self.space.notify = self._notify
        self.malformed = 0
        self.refused = 0
        self.udp: asyncio.DatagramTransport | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._tcp_server: asyncio.AbstractServer | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stopped: asyncio.Event | None = None
        self.bound_port: int = self.settings.port
        engine.listeners.append(self._notice)

    # ----------------------------------------------------------------- receiving
    def packet(self, data: bytes, host: str, port: int, tcp: object) -> None:
        if not self.access.permits(host):
            self.refused += 1
            return
        if not self.limiter.allow(host):
            return
        client = self.clients.seen(host, port, tcp)
        try:
            messages = decode(data)
        except MalformedPacket as exc:
            self.malformed += 1
            if self.malformed <= 10 or self.malformed % 1000 == 0:
                log.warning("%s from %s:%d (%d so far)", exc, host, port, self.malformed)
            return
        for message in messages:
            self.message(message, client)

    def message(self, incoming: Incoming, client: Client) -> None:
        address, args = incoming.address, incoming.args
        try:
            if incoming.refused is not None:
                raise Fail(incoming.refused)
            a.finite(args)
            for concrete in self.space.resolve(address):
                self._send_all(client, self.space.handle(Request(concrete, args, incoming.at,
                                                                 client)))
        except Fail as exc:
            self.send(client, "/fail", address, str(exc))
        except Exception as exc:  # a bug in a handler must not stop the server
            log.exception("handler for %s failed", address)
            self.send(client, "/fail", address, f"internal error: {exc}")

    def _notify(self, request: Request) -> list[Reply]:
        """``/notify 1|0 [port]``: (un)subscribe, with replies sent to ``port`` on the sender's
        host when given. Subscriptions are known by where they send: one-shot senders (oscsend)
        send each message from a new port, so ``/notify 0 PORT`` from one ends the subscription
        that ``/notify 1 PORT`` from another made, and a renewal replaces it."""
        args, client = request.args, request.client
        a.count(args, 1, 2)
        on = a.flag(args[0], "notify")
        if len(args) > 1:
            client.reply_port = a.whole(args[1], "reply port", 1, 65535)
        self.clients.unsubscribe_destination(client)
        client.subscribed = on
        return [("/done", ("/notify", int(on)))]

    # ----------------------------------------------------------------- sending
    def _send_all(self, client: Client, replies: list[Reply]) -> None:
        for address, values in replies:
            self.send(client, address, *values)

    def send(self, client: Client, address: str, *values: object) -> None:
        data = encode(address, *values)
        if client.tcp is not None:
            writer = client.tcp
            if not writer.is_closing():  # type: ignore[attr-defined]
                writer.write(slip.encode(data))  # type: ignore[attr-defined]
        elif self.udp is not None:
            self.udp.sendto(data, client.reply_address)

    def _notice(self, notice: Notice) -> None:
        """Engine notices arrive from the render or loader thread; send from the loop."""
        if self.loop is None or not isinstance(notice.reply, tuple):
            return
        client, address = notice.reply
        if notice.kind == "late":
            message: tuple[object, ...] = ("/late", *notice.args)
        elif notice.kind == "done":
            message = ("/done", address, *notice.args)
        else:
            message = ("/fail", address, *notice.args)
        self.loop.call_soon_threadsafe(self.send, client, *message)

    async def _telemetry(self) -> None:
        tick = 0
        every_status = max(1, round(METER_HZ / STATUS_HZ))
        while True:
            await asyncio.sleep(1.0 / METER_HZ)
            tick += 1
            self.clients.expire()
            subscribers = self.clients.subscribers()
            if not subscribers:
                continue
            t = self.engine.snapshot()
            meter = tuple(v for pair in zip(t.peak_db, t.rms_db, strict=True) for v in pair)
            status = self.space.status_args() if tick % every_status == 0 else None
            for client in subscribers:
                self.send(client, "/meter", *meter)
                self.send(client, "/latent.state", *t.latents)
                if status is not None:
                    self.send(client, "/status.reply", *status)

    # ----------------------------------------------------------------- TCP
    async def _tcp_client(self, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        host, port = writer.get_extra_info("peername")[:2]
        if not self.access.permits(host):
            self.refused += 1
            writer.close()
            return
        buffer = b""
        try:
            while chunk := await reader.read(4096):
                buffer += chunk
                *frames, buffer = buffer.split(slip.END)
                if len(buffer) > MAX_TCP_PACKET:
                    self.malformed += 1
                    buffer = b""
                for frame in frames:
                    if frame:
                        self._tcp_frame(frame, host, port, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self.clients.forget(Client(host, port, writer))
            writer.close()

    def _tcp_frame(self, frame: bytes, host: str, port: int, writer: object) -> None:
        try:
            data = slip.decode(slip.END + frame + slip.END)
        except slip.ProtocolError:
            self.malformed += 1
            return
        self.packet(data, host, port, writer)

    # ----------------------------------------------------------------- lifecycle
    async def serve(self) -> None:
        """Bind UDP and TCP, push telemetry, run until ``stop``."""
        self.loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        host, port = self.settings.host, self.settings.port
        self.udp, _ = await self.loop.create_datagram_endpoint(
            lambda: _Udp(self), local_addr=(host, port))
        self.bound_port = self.udp.get_extra_info("sockname")[1]
        self._tcp_server = await asyncio.start_server(self._tcp_client, host, self.bound_port)
        telemetry = asyncio.create_task(self._telemetry())
        self._ready.set()
        try:
            await self._stopped.wait()
        finally:
            telemetry.cancel()
            self.udp.close()
            self._tcp_server.close()

    def start_in_thread(self) -> None:
        """Run ``serve`` on its own thread and wait until the sockets are bound."""
        errors: list[BaseException] = []

        def run() -> None:
            try:
                asyncio.run(self.serve())
            except BaseException as exc:
                errors.append(exc)
                self._ready.set()

        self._thread = threading.Thread(target=run, name="latentd-osc", daemon=True)
        self._thread.start()
        self._ready.wait(10.0)
        if errors:
            raise errors[0]

    def stop(self) -> None:
        if self.loop is not None and self._stopped is not None:
            self.loop.call_soon_threadsafe(self._stopped.set)
        if self._thread is not None:
            self._thread.join(timeout=2.0)

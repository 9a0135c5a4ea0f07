"""OSC over UDP and over TCP (SLIP or length-prefixed), on one asyncio loop.

``OscServer.serve()`` is a coroutine (use it inside an existing asyncio program);
``start_in_thread()`` runs it on a thread of its own for the daemon. Nothing here renders: it
parses, validates, hands events to the engine and sends replies and telemetry.

Everything a peer can make the server spend is bounded (docs/osc.md, SECURITY.md): messages per
second per host (:class:`~latentd.osc.clients.RateLimiter`, counted per message), subscribers
(:data:`~latentd.osc.clients.MAX_SUBSCRIBERS`), TCP connections, their idle time, frame size and
unread replies (:mod:`latentd.osc.tcp`), bundle structure (:mod:`latentd.osc.bundles`) and log
lines (:mod:`latentd.log_throttle`). A UDP reply too large for a datagram is answered with
``/fail``, never dropped silently.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from latentd.engine.engine import Engine, Notice
from latentd.log_throttle import ThrottledLog, quiet_python_osc
from latentd.osc import args as a
from latentd.osc.args import Fail
from latentd.osc.clients import (
    MAX_SUBSCRIBERS,
    AccessList,
    Client,
    Clients,
    RateLimiter,
    SubscriberLimit,
    TcpConnection,
)
from latentd.osc.kernel import RECEIVE_BUFFER_BYTES, DropCounter, raise_receive_buffer
from latentd.osc.packets import Incoming, MalformedPacket, decode, encode
from latentd.osc.patterns import cost as pattern_cost
from latentd.osc.patterns import is_pattern
from latentd.osc.routes import AddressSpace, Reply, Request
from latentd.osc.tcp import TcpLimits, TcpPeer, TcpPeers, listening_sockets
from latentd.osc.voices import is_voice_telemetry, voice_telemetry

log = logging.getLogger("latentd.osc")

METER_HZ = 30.0
STATUS_HZ = 2.0
MAX_UDP_REPLY_BYTES = 65507  # an IPv4 UDP datagram's payload
MAX_UDP_BACKLOG_BYTES = 1 << 20  # asyncio queues sends the kernel refuses, without a bound
# what the daemon sends (replies, telemetry): never answered when it comes in, or a daemon told
# to reply to its own port (/notify 1 57130), or two daemons subscribed to each other, answer
# each /fail with a /fail for ever, draining the host's rate allowance (every local client
# then went unanswered) after a single packet
SENT_ADDRESSES = frozenset({
    "/done", "/fail", "/late", "/meter", "/latent.state", "/status.reply", "/synced",
    "/version.reply", "/model/list.reply", "/preset/list.reply", "/attr.reply",
    "/spectrum", "/latent.target", "/bias.state", "/scale.state", "/controls.state",
    "/latent.names", "/meter.input"})


@dataclass
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 57130
    allow: list[str] = field(default_factory=list)
    rate: float = 2000.0  # messages/s per host
    burst: float = 4000.0
    max_subscribers: int = MAX_SUBSCRIBERS
    tcp: TcpLimits = field(default_factory=TcpLimits)


def _is_this_machine(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, server: OscServer):
        self.server = server

    def datagram_received(self, data: bytes, addr: tuple) -> None:
        self.server.packet(data, addr[0], addr[1], None)

    def error_received(self, exc: Exception) -> None:  # ICMP port unreachable etc.
        self.server.throttle.debug("udp error", "udp error: %s", exc)


class OscServer:
    def __init__(self, engine: Engine, settings: ServerSettings | None = None,
                 space: AddressSpace | None = None):
        quiet_python_osc()
        self.engine = engine
        self.settings = settings or ServerSettings()
        self.clients = Clients(max_subscribers=self.settings.max_subscribers)
        self.access = AccessList(self.settings.allow)
        self.limiter = RateLimiter(self.settings.rate, self.settings.burst)
        self.tcp_peers = TcpPeers(self.settings.tcp)
        self.throttle = ThrottledLog(log)  # lines a client can trigger
        self.trace = ThrottledLog(log, lines=20, interval_seconds=1.0)  # --log-level debug
        self.space = space or AddressSpace(engine)
        self.malformed = 0
        self.refused = 0
        self.ignored_replies = 0  # messages with an address the daemon sends (SENT_ADDRESSES)
        self.replies_dropped = 0  # UDP replies dropped while the send backlog was full
        self.udp: asyncio.DatagramTransport | None = None
        self.udp_drops: Callable[[], int] = lambda: -1
        self.loop: asyncio.AbstractEventLoop | None = None
        self._tcp_servers: list[asyncio.AbstractServer] = []
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stopped: asyncio.Event | None = None
        self.bound_port: int = self.settings.port
        engine.listeners.append(self._notice)

    def status_fields(self) -> list[tuple[str, object]]:
        """The server's own fields of ``/status.reply``."""
        return [("udp_drops", self.udp_drops()), ("rate_limited", self.limiter.dropped),
                ("malformed", self.malformed)]

    # ----------------------------------------------------------------- receiving
    def packet(self, data: bytes, host: str, port: int, tcp: TcpConnection | None) -> None:
        if not self.access.permits(host):
            self.refused += 1
            self.throttle.info("refused", "packet from %s refused: not in --allow", host)
            return
        if not self.limiter.take(host):
            return  # the first message (or the malformed packet) costs one token
        client = self.clients.seen(host, port, tcp)
        try:
            messages = decode(data)
        except MalformedPacket as exc:
            self.malformed += 1
            self.throttle.warning("malformed", "%s from %s:%d (%d so far)", exc, host, port,
                                  self.malformed)
            return
        if len(messages) > 1:
            granted = 1 + self.limiter.take(host, len(messages) - 1)
            if granted < len(messages):
                self.throttle.info("rate", "rate limit: %d of %d messages in a bundle from %s "
                                   "dropped (--rate-limit %g/s)", len(messages) - granted,
                                   len(messages), host, self.settings.rate)
                messages = messages[:granted]
        for message in messages:
            self.message(message, client)

    def message(self, incoming: Incoming, client: Client) -> None:
        address, args = incoming.address, incoming.args
        self.trace.debug("command", "%s (%d args) from %s:%d", address, len(args),
                         client.host, client.port)
        if address in SENT_ADDRESSES or is_voice_telemetry(address):
            self.ignored_replies += 1
            self.throttle.info("echo", "%s from %s:%d ignored: the daemon sends that address and "
                               "never answers it (%d so far; a reply loop?)", address,
                               client.host, client.port, self.ignored_replies)
            return
        try:
            if incoming.refused is not None:
                raise Fail(incoming.refused)
            a.finite(args)
            for concrete in self._resolve_paid(address, client):
                replies = self.space.handle(Request(concrete, args, incoming.at, client, self))
                self._send_all(client, replies, address)
        except Fail as exc:
            self.trace.debug("fail", "/fail %s %s (to %s:%d)", address, exc, client.host,
                             client.port)
            self.send(client, "/fail", address, str(exc))
        except Exception as exc:  # a bug in a handler must not stop the server
            self.throttle.log("handler", logging.ERROR, "handler for %s failed", address,
                              exc_info=True)
            self.send(client, "/fail", address, f"internal error: {exc}")

    def _resolve_paid(self, address: str, client: Client) -> list[str]:
        """The concrete addresses of ``address``; a pattern pays for what it costs first.

        A message costs one rate-limit token (paid in :meth:`packet`). A pattern costs one per
        address it reaches (``/latent/*`` sets every dimension: that many changes), and at
        least its matching work (:func:`~latentd.osc.patterns.cost`): otherwise one packet of
        long patterns held the OSC thread for a second and fanned out into tens of thousands
        of events and ``/fail`` replies for the price of a few hundred messages. What the
        host's allowance cannot pay is dropped silently (counted in ``rate_limited``)."""
        if not is_pattern(address):
            return self.space.resolve(address)
        matching = pattern_cost(address, len(self.space.addresses()))
        if not self._pay(client, matching - 1, address):
            return []
        found = self.space.resolve(address)
        if not self._pay(client, len(found) - matching, address):
            return []
        return found

    def _pay(self, client: Client, extra: int, address: str) -> bool:
        """Take ``extra`` more tokens from the client's allowance; False when it cannot."""
        if extra <= 0 or self.limiter.take(client.host, extra) == extra:
            return True
        self.throttle.info("rate pattern", "rate limit: pattern %.64s from %s dropped (it "
                           "costs %d messages; --rate-limit %g/s)", address, client.host,
                           extra + 1, self.settings.rate)
        return False

    def subscriber_count(self) -> int:
        return len(self.clients.subscribers())

    def subscribe(self, request: Request) -> list[Reply]:
        """``/notify 1|0 [port]``: (un)subscribe, with replies sent to ``port`` on the sender's
        host when given (over UDP; a TCP subscriber gets everything on its connection and the
        port is ignored). Subscriptions are known by where they send: one-shot senders (oscsend)
        send each message from a new port, so ``/notify 0 PORT`` from one ends the subscription
        that ``/notify 1 PORT`` from another made, and a renewal replaces it."""
        args, client = request.args, request.client
        a.count(args, 1, 2)
        on = a.flag(args[0], "notify")
        port = a.whole(args[1], "reply port", 1, 65535) if len(args) > 1 else None
        if port == self.bound_port and client.tcp is None and _is_this_machine(client.origin):
            # the daemon's own socket: telemetry and every local one-shot sender's replies
            # (they follow the host's subscription port) would be sent to the daemon itself
            raise Fail(f"port {port} is the daemon's own port: name the port your client "
                       "receives on")
        if client.tcp is None:  # without a port: the sender receives on its own socket
            client.reply_port = port or client.reply_port or client.port
        try:
            changed = self.clients.subscribe(client, on)
        except SubscriberLimit as exc:
            raise Fail(f"{exc}: unsubscribe another client (/notify 0) or poll /status") \
                from exc
        self.trace.log("subscription", logging.INFO if changed else logging.DEBUG, "%s:%d %s%s",
                       client.host, client.port,
                       ("subscribed" if on else "unsubscribed") if changed else
                       ("renewed its subscription" if on else "unsubscribed (was not)"),
                       f" (replies to port {port})" if port and client.tcp is None else "")
        return [("/done", ("/notify", int(on)))]

    # ----------------------------------------------------------------- sending
    def _send_all(self, client: Client, replies: list[Reply], request_address: str) -> None:
        for address, values in replies:
            data = encode(address, *values)
            if client.tcp is None and len(data) > MAX_UDP_REPLY_BYTES:
                self.throttle.info("too large", "reply to %s too large for UDP (%d bytes)",
                                   request_address, len(data))
                data = encode("/fail", request_address, f"reply too large for UDP "
                              f"({len(data)} bytes); use TCP")
            self.send_packet(client, data)

    def send(self, client: Client, address: str, *values: object) -> None:
        self.send_packet(client, encode(address, *values))

    def send_packet(self, client: Client, data: bytes, telemetry: bool = False) -> None:
        if client.tcp is not None:
            client.tcp.send(data, telemetry)
        elif self.udp is not None:
            backlog = getattr(self.udp, "get_write_buffer_size", lambda: 0)()
            if backlog > MAX_UDP_BACKLOG_BYTES:  # sends the kernel refused, queued by asyncio
                self.replies_dropped += 1
                self.throttle.warning("udp backlog", "UDP send buffer full: %d replies dropped "
                                      "so far", self.replies_dropped)
                return
            for address in self.clients.reply_addresses(client):
                self.udp.sendto(data, address)

    def _notice(self, notice: Notice) -> None:
        """Engine notices arrive from the render, loader, recorder or device thread; they are
        sent from the loop: to the client that asked, and to every subscriber when nobody
        asked or the notice is for everyone (each client hears it once)."""
        if self.loop is None:
            return
        asker: Client | None = None
        address = notice.address
        if isinstance(notice.reply, tuple):
            asker, address = notice.reply
        elif notice.kind == "late":
            return  # lateness only matters to whoever stamped the bundle
        if notice.kind == "late":
            message: tuple[object, ...] = ("/late", *notice.args)
        else:
            message = (f"/{notice.kind}", address, *notice.args)
        broadcast = asker is None or notice.everyone
        self.loop.call_soon_threadsafe(self._deliver, asker, broadcast, message)

    def _deliver(self, asker: Client | None, broadcast: bool,
                 message: tuple[object, ...]) -> None:
        if asker is not None:
            self.send(asker, str(message[0]), *message[1:])
        if not broadcast:
            return
        for client in self.clients.subscribers():
            if asker is None or client.key != asker.key:
                self.send(client, str(message[0]), *message[1:])

    async def _telemetry(self) -> None:
        tick = 0
        every_status = max(1, round(METER_HZ / STATUS_HZ))
        while True:
            await asyncio.sleep(1.0 / METER_HZ)
            tick += 1
            if tick % round(METER_HZ) == 0:
                self.clients.expire()
                self.tcp_peers.close_idle()
            subscribers = self.clients.subscribers()
            if not subscribers:
                continue
            t = self.engine.snapshot()
            meter = tuple(v for pair in zip(t.peak_db, t.rms_db, strict=True) for v in pair)
            packets = [encode("/meter", *meter), encode("/latent.state", *t.latents),
                       encode("/spectrum", *t.spectrum_db),
                       encode("/latent.target", *t.targets), encode("/bias.state", *t.biases),
                       encode("/scale.state", *t.scales),
                       encode("/controls.state", *(x for kv in t.controls.items() for x in kv))]
            if t.input_peak_db:  # an input is open (issue 19)
                packets.append(encode("/meter.input", *(v for pair in zip(
                    t.input_peak_db, t.input_rms_db, strict=True) for v in pair)))
            packets += [encode(address, *args) for address, args in voice_telemetry(t)]
            if tick % every_status == 0:
                packets.append(encode("/status.reply", *self.space.status_args(self)))
                packets.append(encode("/latent.names", *t.latent_names))
            for client in subscribers:
                for data in packets:
                    self.send_packet(client, data, telemetry=True)

    def tcp_closed(self, peer: TcpPeer) -> None:
        self.clients.forget_connection(peer)

    # ----------------------------------------------------------------- lifecycle
    async def serve(self) -> None:
        """Bind UDP and TCP, push telemetry, run until ``stop``."""
        self.loop = asyncio.get_running_loop()
        self.loop.set_exception_handler(self._loop_error)
        self._stopped = asyncio.Event()
        host, port = self.settings.host, self.settings.port
        self.udp, _ = await self.loop.create_datagram_endpoint(
            lambda: _Udp(self), local_addr=(host, port))
        sock = self.udp.get_extra_info("socket")
        self.bound_port = sock.getsockname()[1]
        granted = raise_receive_buffer(sock)
        if granted < RECEIVE_BUFFER_BYTES:  # Linux reports twice what it grants
            log.info("UDP receive buffer: %d bytes (asked for %d; raise the kernel's limit, "
                     "net.core.rmem_max on Linux, for more)", granted, RECEIVE_BUFFER_BYTES)
        self.udp_drops = DropCounter(sock).drops
        for sock in listening_sockets(host, self.bound_port):
            self._tcp_servers.append(await self.loop.create_server(
                lambda: TcpPeer(self, self.tcp_peers), sock=sock))
        telemetry = asyncio.create_task(self._telemetry())
        self._ready.set()
        try:
            await self._stopped.wait()
        finally:
            telemetry.cancel()
            self.udp.close()
            for tcp_server in self._tcp_servers:
                tcp_server.close()
            self.tcp_peers.close_all()

    def _loop_error(self, loop: asyncio.AbstractEventLoop, context: dict) -> None:
        """asyncio's own errors (accept failures at the file limit ...), throttled."""
        self.throttle.log("asyncio", logging.ERROR, "asyncio: %s",
                          context.get("message", "error"),
                          exc_info=context.get("exception") is not None)

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


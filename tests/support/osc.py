"""Clients, daemons and liblo wrappers for the OSC contract tests (docs/osc.md).

* :class:`UdpClient` and :class:`TcpClient` speak OSC with python-osc, over UDP or over TCP with
  SLIP framing, and hand back every reply with its raw type tags.
* :class:`InProcessDaemon` is ``latentd serve`` built in this process (engine on a null output,
  OSC server on a thread), so tests can look at the engine itself.
* :class:`SubprocessDaemon` is the real ``python -m latentd serve``.
* :func:`oscsend`, :func:`liblo_encode` and :class:`OscDump` wrap liblo's command-line tools.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import re
import shlex
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pythonosc import slip
from pythonosc.osc_bundle_builder import OscBundleBuilder
from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.parsing import osc_types

REPLY_TYPES = set("ifsb")  # docs/osc.md: replies and telemetry use only these
# telemetry that never answers a request
STREAMED = ("/meter", "/latent.state", "/spectrum", "/latent.target", "/bias.state",
            "/scale.state", "/controls.state", "/latent.names")
MODEL_CONFIG = dict(noise=False, bands=4, ratios=(4, 4), capacity=4, latent_size=4)
_ids = itertools.count(1)


def wait_until(condition: Callable[[], Any], timeout: float = 10.0, interval: float = 0.01,
               message: str | Callable[[], str] = "condition") -> Any:
    """Poll ``condition`` until it is truthy; its value is returned. Generous by default: the
    test machine is shared and noisy."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            text = message() if callable(message) else message
            raise AssertionError(f"timed out after {timeout} s waiting for {text}")
        time.sleep(interval)


def join_model_loaders(timeout: float = 120.0) -> None:
    """Wait for the engine's model-loader threads to end. They compile TorchScript, which
    parses Python source; CPython 3.11's parser is not safe against a parse in another thread
    (pytest parses source to report a failure), so no load may outlive the test that began it."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name == "latentd-model-loader":
            thread.join(max(0.0, deadline - time.monotonic()))


def free_port() -> int:
    """A port free for both UDP and TCP right now on 127.0.0.1."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    raise RuntimeError("no free port")


# --------------------------------------------------------------------------- encoding
def message(address: str, *args: Any) -> bytes:
    """An OSC message. Each arg is a plain value (int -> i, float -> f, str -> s, bytes -> b,
    bool -> T/F, None -> N) or a ``(tag, value)`` pair to force a type (e.g. ``("d", 1.5)``,
    ``("h", 7)``)."""
    builder = OscMessageBuilder(address)
    for arg in args:
        if isinstance(arg, tuple):
            tag, value = arg
            builder.add_arg(value, tag)
        elif isinstance(arg, bool):
            builder.add_arg(arg, "T" if arg else "F")
        elif arg is None:
            builder.add_arg(None, "N")
        elif isinstance(arg, int):
            builder.add_arg(arg, "i")
        elif isinstance(arg, float):
            builder.add_arg(arg, "f")
        elif isinstance(arg, bytes):
            builder.add_arg(arg, "b")
        else:
            builder.add_arg(str(arg), "s")
    return builder.build().dgram


def bundle(timetag: float, *contents: bytes | tuple) -> bytes:
    """A bundle at ``timetag`` (seconds since the epoch, or 1 / IMMEDIATELY). Each content is
    encoded message bytes, a nested bundle's bytes, or an ``(address, *args)`` tuple."""
    from pythonosc.osc_bundle import OscBundle

    builder = OscBundleBuilder(timetag)
    for content in contents:
        data = message(*content) if isinstance(content, tuple) else content
        builder.add_content(OscBundle(data) if data.startswith(b"#bundle")
                            else OscMessage(data))
    return builder.build().dgram


def immediate_bundle(*contents: bytes | tuple) -> bytes:
    """Timetag 1, "immediately" (python-osc writes it for IMMEDIATELY)."""
    return bundle(osc_types.IMMEDIATELY, *contents)


class Reply(NamedTuple):
    address: str
    types: str  # the type tags of the raw datagram, without the leading ','
    args: list[Any]

    @property
    def fields(self) -> dict[str, Any]:
        """A /status.reply's name/value pairs."""
        assert len(self.args) % 2 == 0, self
        return dict(zip(self.args[::2], self.args[1::2], strict=True))


def parse_reply(data: bytes) -> Reply:
    address, index = osc_types.get_string(data, 0)
    tags = ""
    if index < len(data):
        tags, _ = osc_types.get_string(data, index)
    return Reply(address, tags.lstrip(","), list(OscMessage(data).params))


def _without_status_telemetry(address: str, replies: list[Any]) -> list[Any]:
    """A subscriber gets /status.reply twice a second: leave those out of the replies to
    anything but /status."""
    if "stat" in address:
        return replies
    return [r for r in replies if r.address != "/status.reply"]


# --------------------------------------------------------------------------- python-osc clients
class Client:
    """What UDP and TCP clients share: sending messages, bundles and raw bytes, and reading the
    replies the daemon sends back."""

    name = "client"

    def __init__(self) -> None:
        self.backlog: list[Reply] = []  # replies read while looking for another one

    # transport
    def send_raw(self, data: bytes) -> None:
        raise NotImplementedError

    def _recv_raw(self, timeout: float) -> bytes | None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # messages
    def send(self, address: str, *args: Any) -> None:
        self.send_raw(message(address, *args))

    def send_bundle(self, timetag: float, *contents: bytes | tuple) -> None:
        self.send_raw(bundle(timetag, *contents))

    def recv(self, timeout: float = 10.0) -> Reply | None:
        if self.backlog:
            return self.backlog.pop(0)
        data = self._recv_raw(timeout)
        return None if data is None else parse_reply(data)

    def replies(self, seconds: float) -> list[Reply]:
        """Everything that arrives within ``seconds``."""
        found, deadline = [], time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            reply = self.recv(left)
            if reply is not None:
                found.append(reply)
        return found

    def drain(self) -> list[Reply]:
        found = list(self.backlog)
        self.backlog.clear()
        while (data := self._recv_raw(0.0)) is not None:
            found.append(parse_reply(data))
        return found

    def wait_for(self, predicate: Callable[[Reply], bool] | str, timeout: float = 15.0,
                 keep_others: bool = True) -> Reply:
        """The first reply matching ``predicate`` (or with that address); the others read on
        the way stay in the backlog (telemetry is dropped)."""
        test = (lambda r: r.address == predicate) if isinstance(predicate, str) else predicate
        for i, reply in enumerate(self.backlog):
            if test(reply):
                return self.backlog.pop(i)
        skipped: list[Reply] = []
        deadline = time.monotonic() + timeout
        try:
            while (left := deadline - time.monotonic()) > 0:
                data = self._recv_raw(left)
                if data is None:
                    break
                reply = parse_reply(data)
                if test(reply):
                    return reply
                if keep_others and reply.address not in STREAMED:
                    skipped.append(reply)
        finally:
            self.backlog.extend(skipped)
        seen = [r.address for r in skipped]
        raise AssertionError(f"{self.name}: no matching reply within {timeout} s (saw {seen})")

    def sync(self, timeout: float = 15.0) -> list[Reply]:
        """Send ``/sync <id>`` and return the replies that came before ``/synced <id>`` (not
        counting streamed telemetry): the replies to everything sent before it."""
        token = f"sync-{next(_ids)}"
        self.send("/sync", token)
        before: list[Reply] = list(self.backlog)
        self.backlog.clear()
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            data = self._recv_raw(left)
            if data is None:
                break
            reply = parse_reply(data)
            if reply.address == "/synced" and reply.args == [token]:
                return before
            if reply.address not in STREAMED:
                before.append(reply)
        raise AssertionError(f"{self.name}: no /synced {token} within {timeout} s "
                             f"(saw {[r.address for r in before]})")

    def request(self, address: str, *args: Any, timeout: float = 15.0) -> list[Reply]:
        """Send one message; the replies it got (by ``/sync``), telemetry left out."""
        self.send(address, *args)
        return self.sync(timeout)

    def ask(self, address: str, *args: Any, timeout: float = 15.0) -> Reply:
        """Send one message that must get exactly one reply, and return it."""
        replies = _without_status_telemetry(address, self.request(address, *args,
                                                                  timeout=timeout))
        assert len(replies) == 1, f"{address} {args}: expected one reply, got {replies}"
        return replies[0]

    def fails(self, address: str, *args: Any, raw: bytes | None = None) -> Reply:
        """Send a message that must be refused; returns the /fail reply after checking its
        form (``/fail <address> <reason>``, both strings)."""
        if raw is not None:
            self.send_raw(raw)
            replies = self.sync()
        else:
            replies = self.request(address, *args)
        replies = _without_status_telemetry(address, replies)
        fails = [r for r in replies if r.address == "/fail"]
        assert fails, f"{address} {args}: expected /fail, got {replies}"
        assert len(replies) == 1, f"{address} {args}: expected only /fail, got {replies}"
        fail = fails[0]
        assert fail.types == "ss", fail
        assert fail.args[0] == address, fail
        assert fail.args[1], fail
        assert "internal error" not in fail.args[1], f"a handler crashed: {fail}"
        return fail

    def status(self) -> dict[str, Any]:
        """The fields of a fresh /status.reply; other replies that came meanwhile stay in the
        backlog for ``wait_for``."""
        replies = self.request("/status")
        statuses = [r for r in replies if r.address == "/status.reply"]
        self.backlog.extend(r for r in replies if r.address != "/status.reply")
        assert statuses, "no /status.reply"
        return statuses[-1].fields

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class UdpClient(Client):
    name = "udp"

    def __init__(self, port: int, host: str = "127.0.0.1", bind: str = "127.0.0.1"):
        super().__init__()
        self.target = (host, port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.sock.bind((bind, 0))
        self.port = self.sock.getsockname()[1]

    def send_raw(self, data: bytes) -> None:
        self.sock.sendto(data, self.target)

    def _recv_raw(self, timeout: float) -> bytes | None:
        self.sock.settimeout(timeout if timeout > 0 else 0.0)
        try:
            return self.sock.recvfrom(1 << 16)[0]
        except (TimeoutError, BlockingIOError):
            return None
        except ConnectionRefusedError:  # ICMP from an earlier send; nothing to read
            return None

    def close(self) -> None:
        self.sock.close()


class TcpClient(Client):
    """OSC over TCP, each packet framed with SLIP (OSC 1.1): 0xC0 <escaped> 0xC0."""

    name = "tcp"

    def __init__(self, port: int, host: str = "127.0.0.1"):
        super().__init__()
        self.sock = socket.create_connection((host, port), timeout=10.0)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._buffer = b""
        self._frames: list[bytes] = []

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(slip.encode(data))

    def send_stream(self, data: bytes) -> None:
        """Bytes as they are, no framing added (for framing tests)."""
        self.sock.sendall(data)

    def _recv_raw(self, timeout: float) -> bytes | None:
        deadline = time.monotonic() + max(timeout, 0.0)
        while not self._frames:
            left = deadline - time.monotonic()
            self.sock.settimeout(left if left > 0 else 0.0)
            try:
                chunk = self.sock.recv(1 << 16)
            except (TimeoutError, BlockingIOError):
                return None
            if not chunk:
                raise ConnectionError("the daemon closed the TCP connection")
            self._buffer += chunk
            *frames, self._buffer = self._buffer.split(slip.END)
            self._frames += [slip.decode(slip.END + f + slip.END) for f in frames if f]
        return self._frames.pop(0)

    def close(self) -> None:
        self.sock.close()


# --------------------------------------------------------------------------- models
def save_tiny_model(path: Path, seed: int = 0, **overrides: Any) -> Path:
    """The small latentd checkpoint of the brief (latent size 4, 44.1 kHz, 64 samples/frame)."""
    import torch

    from latentd.models.checkpoint import save_checkpoint
    from latentd.models.rave import RaveConfig, RaveModel

    torch.manual_seed(seed)
    config = {**MODEL_CONFIG, **overrides}
    path.parent.mkdir(parents=True, exist_ok=True)
    save_checkpoint(path, RaveModel(RaveConfig.tiny(**config)))
    return path


# --------------------------------------------------------------------------- daemons
@dataclass
class InProcessDaemon:
    """``latentd serve`` assembled in this process as latentd/daemon/serve.py does it: an engine
    on the null output (real time, no device) and the OSC server on its own thread."""

    synth: Any
    root: Path
    server_settings: dict[str, Any] = field(default_factory=dict)
    engine_settings: dict[str, Any] = field(default_factory=dict)
    model_names: Callable[[], list[str]] | None = None

    def __post_init__(self) -> None:
        from latentd.audio.null import NullBackend
        from latentd.audio.wav_input import WavInput
        from latentd.daemon.serve import confined_loader
        from latentd.engine.engine import Engine, EngineSettings
        from latentd.models.registry import model_names
        from latentd.osc.routes import AddressSpace
        from latentd.osc.server import OscServer, ServerSettings

        self.presets_dir = self.root / "presets"
        self.recordings_dir = self.root / "recordings"
        self.synth.reset()
        backend = NullBackend(self.synth.sample_rate, self.synth.channels, 256)
        settings = EngineSettings(**{"block_frames": 4, "presets_dir": self.presets_dir,
                                     "recordings_dir": self.recordings_dir,
                                     **self.engine_settings})
        self.engine = Engine(self.synth, backend, settings, loader=confined_loader,
                             input_opener=WavInput)
        self.server = OscServer(self.engine,
                                ServerSettings(**{"port": 0, **self.server_settings}),
                                AddressSpace(self.engine, self.model_names or model_names))
        self.clients: list[Client] = []
        self.engine.start()
        for attempt in range(5):
            try:
                self.server.start_in_thread()
                break
            except OSError:
                # port 0 gives a free UDP port; its TCP twin may be taken by another process
                if attempt == 4:
                    self.engine.stop(fade_seconds=0)
                    raise
                self.engine.listeners.remove(self.server._notice)
                self.server = OscServer(self.engine,
                                        ServerSettings(**{"port": 0, **self.server_settings}),
                                        AddressSpace(self.engine,
                                                     self.model_names or model_names))
        self.port = self.server.bound_port

    def udp(self) -> UdpClient:
        client = UdpClient(self.port)
        self.clients.append(client)
        return client

    def tcp(self) -> TcpClient:
        client = TcpClient(self.port)
        self.clients.append(client)
        return client

    # what the engine does, seen from the test
    @property
    def controls(self) -> Any:
        return self.engine.controls

    def latents(self) -> list[float]:
        return self.engine.snapshot().latents

    def render_alive(self) -> bool:
        thread = self.engine._thread
        return thread is not None and thread.is_alive()

    def frames_written(self) -> int:
        return self.engine.ring.frames_written

    def assert_audio_flows(self, seconds: float = 0.3) -> None:
        """The render thread is alive and keeps writing audio into the ring."""
        assert self.render_alive(), "the render thread died"
        before = self.frames_written()
        wait_until(lambda: self.frames_written() > before + 256, timeout=10.0,
                   message="the ring to keep being filled")
        time.sleep(seconds)
        assert self.frames_written() > before

    def stop(self) -> None:
        join_model_loaders()
        for client in self.clients:
            with contextlib.suppress(OSError):
                client.close()
        self.server.stop()
        self.engine.stop(fade_seconds=0)


class SubprocessDaemon:
    """The real ``python -m latentd serve`` on the null output."""

    def __init__(self, model: Path, root: Path, env: dict[str, str] | None = None,
                 extra: Iterable[str] = ()):
        self.root = root
        self.presets_dir = root / "presets"
        self.recordings_dir = root / "recordings"
        root.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        environment = {**os.environ, "XDG_DATA_HOME": str(root / "xdg"),
                       "PYTHONUNBUFFERED": "1", **(env or {})}
        self.command = [sys.executable, "-m", "latentd", "serve", "--model", str(model),
                        "--output", "null", "--port", str(self.port), "--block-frames", "4",
                        "--presets-dir", str(self.presets_dir),
                        "--recordings-dir", str(self.recordings_dir), *extra]
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True, cwd=root,
                                        env=environment)
        self.log: list[str] = []
        self._started = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self._started.wait(120):
            self.stop()
            raise AssertionError("latentd serve did not start:\n" + "".join(self.log))
        if self.process.poll() is not None:
            raise AssertionError("latentd serve exited:\n" + "".join(self.log))

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line)
            if "playing" in line:
                self._started.set()
        self._started.set()  # exited: let the waiter see it

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_kib(self) -> int:
        text = Path(f"/proc/{self.pid}/status").read_text()
        return int(re.search(r"^VmRSS:\s+(\d+) kB", text, re.M).group(1))

    def udp(self) -> UdpClient:
        return UdpClient(self.port)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


# --------------------------------------------------------------------------- liblo
def oscsend(port: int, address: str, types: str = "", *values: Any,
            host: str = "localhost") -> None:
    """liblo's ``oscsend host port address types values...`` (one message, one socket)."""
    command = ["oscsend", host, str(port), address]
    if types:
        command += [types, *[str(v) for v in values]]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, f"{shlex.join(command)} failed: {result.stderr}"


def liblo_encode(address: str, types: str = "", *values: Any) -> bytes:
    """The bytes liblo's encoder makes for a message (``oscsend - ...`` writes them to stdout).
    Sending them from one socket of ours lets replies to liblo-encoded messages come back to
    an ``oscdump`` (after ``/notify 1 <its port>`` from that socket)."""
    command = ["oscsend", "-", address]
    if types:
        command += [types, *[str(v) for v in values]]
    result = subprocess.run(command, capture_output=True, timeout=30)
    assert result.returncode == 0, f"{shlex.join(command)} failed: {result.stderr!r}"
    return result.stdout


class DumpLine(NamedTuple):
    address: str
    types: str
    args: list[Any]
    line: str


def parse_oscdump(line: str) -> DumpLine:
    """One line of ``oscdump``: ``<timetag> <address> <types> <values ...>``, values printed by
    liblo's lo_arg_pp (i and h as integers, f and d with %f, s as "text", T/F as #T/#F)."""
    head = line.rstrip("\n").split(" ", 3)
    if len(head) < 3:  # a message without type tags or arguments
        return DumpLine(head[1] if len(head) > 1 else "", "", [], line)
    address, types = head[1], head[2]
    rest = head[3] if len(head) > 3 else ""
    args: list[Any] = []
    for i, tag in enumerate(types):
        last = i == len(types) - 1
        if tag in "sS":
            assert rest.startswith('"'), line
            end = rest.rindex('"') if last else rest.index('" ', 1)
            args.append(rest[1:end])
            rest = rest[end + 2:]
            continue
        token, _, rest = rest.partition(" ")
        if tag in "ih":
            args.append(int(token))
        elif tag in "fd":
            args.append(float(token))
        elif tag in "TF":
            args.append(tag == "T")
        else:
            args.append(token)
    return DumpLine(address, types, args, line)


class OscDump:
    """liblo's ``oscdump -L PORT`` in the background: every message it prints, parsed."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(["oscdump", "-L", str(self.port)],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        self.lines: queue.SimpleQueue[DumpLine] = queue.SimpleQueue()
        self.backlog: list[DumpLine] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        # oscdump says nothing when ready: probe it until a message comes through
        deadline = time.monotonic() + 20
        while True:
            oscsend(self.port, "/oscdump.ready")
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                line = None
            if line is not None and line.address == "/oscdump.ready":
                break
            if self.process.poll() is not None or time.monotonic() > deadline:
                err = self.process.stderr.read() if self.process.stderr else ""
                raise AssertionError(f"oscdump on port {self.port} did not start: {err}")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.strip():
                self.lines.put(parse_oscdump(line))

    def get(self, timeout: float) -> DumpLine | None:
        if self.backlog:
            return self.backlog.pop(0)
        try:
            return self.lines.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None

    def collect(self, seconds: float) -> list[DumpLine]:
        found, deadline = [], time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            line = self.get(left)
            if line is not None:
                found.append(line)
        return found

    def wait_for(self, predicate: Callable[[DumpLine], bool] | str,
                 timeout: float = 15.0) -> DumpLine:
        test = (lambda d: d.address == predicate) if isinstance(predicate, str) else predicate
        for i, line in enumerate(self.backlog):
            if test(line):
                return self.backlog.pop(i)
        skipped: list[DumpLine] = []
        deadline = time.monotonic() + timeout
        try:
            while (left := deadline - time.monotonic()) > 0:
                try:
                    line = self.lines.get(timeout=left)
                except queue.Empty:
                    break
                if test(line):
                    return line
                if line.address not in STREAMED:
                    skipped.append(line)
        finally:
            self.backlog.extend(skipped)
        raise AssertionError(f"oscdump: no matching message within {timeout} s "
                             f"(saw {[s.line for s in skipped]})")

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def __enter__(self) -> OscDump:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LibloSession:
    """liblo-encoded messages sent from one UDP socket of ours after ``/notify 1 <oscdump
    port>``, so that every reply goes to ``oscdump`` and is decoded by liblo.

    (``oscsend`` itself sends each message from a fresh ephemeral port and exits, so replies to
    it cannot be read; its own sends are tested where the engine shows their effect.)
    """

    def __init__(self, port: int, dump: OscDump):
        self.dump = dump
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.target = ("127.0.0.1", port)
        self.send("/notify", "ii", 1, dump.port)
        done = dump.wait_for("/done")
        assert (done.types, done.args) == ("si", ["/notify", 1]), done
        self.send("/notify", "i", 0)  # replies keep going to the named port; no telemetry
        dump.wait_for(lambda d: d.address == "/done" and d.args == ["/notify", 0])
        # a /status.reply streamed while subscribed arrives before that /done (one socket, one
        # order): drop it, or it would pass for the reply to a later /status
        dump.backlog[:] = [d for d in dump.backlog if d.address != "/status.reply"]

    def send(self, address: str, types: str = "", *values: Any) -> None:
        self.sock.sendto(liblo_encode(address, types, *values), self.target)

    def sync(self, timeout: float = 15.0) -> list[DumpLine]:
        token = next(_ids)
        self.send("/sync", "i", token)
        before: list[DumpLine] = list(self.dump.backlog)
        self.dump.backlog.clear()
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            line = self.dump.get(left)
            if line is None:
                break
            if line.address == "/synced" and line.args == [token]:
                return before
            if line.address not in STREAMED:
                before.append(line)
        raise AssertionError(f"oscdump: no /synced {token} (saw {[b.line for b in before]})")

    def request(self, address: str, types: str = "", *values: Any) -> list[DumpLine]:
        """Replies to one message (by /sync); a /status.reply that the subscription made
        before ``/notify 0`` took effect is left out."""
        self.send(address, types, *values)
        return _without_status_telemetry(address, self.sync())

    def fails(self, address: str, types: str = "", *values: Any) -> DumpLine:
        replies = self.request(address, types, *values)
        assert [r.address for r in replies] == ["/fail"], f"{address}: {replies}"
        fail = replies[0]
        assert fail.types == "ss" and fail.args[0] == address and fail.args[1], fail
        assert "internal error" not in fail.args[1], fail
        return fail

    def close(self) -> None:
        self.sock.close()

"""Hypothesis: generated packets, random bytes and mutated valid packets, over UDP and over TCP,
never crash the server, and the audio keeps flowing (docs/osc.md: "A packet that is not OSC at
all is counted and logged ... the sound keeps playing").

Examples are derandomized (the same in CI every run); set LATENTD_PROPERTY_EXAMPLES=N to hunt
with N fresh random examples per test.
"""

import itertools
import logging
import os
import socket
import struct
import sys
import time

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from pythonosc import slip
from support.osc import InProcessDaemon, TcpClient, UdpClient, message, wait_until

_HUNT = int(os.environ.get("LATENTD_PROPERTY_EXAMPLES", "0"))


def _settings(examples: int) -> settings:
    return settings(max_examples=_HUNT or examples, deadline=None, derandomize=not _HUNT,
                    database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


class HandlerErrors(logging.Handler):
    """Collects the server's 'handler for ... failed' logs: a handler raised something that
    is not a refusal."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory, own_synth):
    """One daemon for every example, its own synth; a fuzzing UDP socket and TCP connection
    whose replies nobody waits for, and a separate client that checks the daemon."""
    daemon = InProcessDaemon(own_synth(), tmp_path_factory.mktemp("fuzz"),
                             model_names=lambda: ["tiny"])
    errors = HandlerErrors()
    logging.getLogger("latentd.osc").addHandler(errors)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    udp.setblocking(False)
    tcp = TcpClient(daemon.port)
    daemon.clients.append(tcp)
    yield daemon, udp, tcp, errors
    logging.getLogger("latentd.osc").removeHandler(errors)
    udp.close()
    daemon.stop()


def send_both(fuzzed, data: bytes) -> None:
    daemon, udp, tcp, _ = fuzzed
    if len(data) <= 60000:
        try:
            udp.sendto(data, ("127.0.0.1", daemon.port))
        except BlockingIOError:
            time.sleep(0.01)
    tcp.send_raw(data)
    # drain what came back, so neither side's buffers fill up
    try:
        while udp.recv(1 << 16):
            pass
    except (BlockingIOError, ConnectionRefusedError):
        pass
    tcp.drain()


def check_alive(daemon, label: str) -> None:
    """Audio flowing, and the server answering on both transports."""
    daemon.assert_audio_flows(seconds=0.05)
    with UdpClient(daemon.port) as udp:
        assert udp.ask("/version").address == "/version.reply", label
        assert "underruns" in udp.status()
    with TcpClient(daemon.port) as tcp:
        assert tcp.ask("/version").address == "/version.reply", label
    assert daemon.server._thread.is_alive()
    assert daemon.render_alive()


# --------------------------------------------------------------------------- strategies
ADDRESSES = ["/latent", "/latent/0", "/latent/3", "/latent/4", "/latents", "/bias", "/bias/1",
             "/biases", "/scale", "/scale/2", "/scales", "/glide", "/source", "/drift/mode",
             "/drift/rate", "/drift/depth", "/temperature", "/gain", "/mute", "/preset/save",
             "/preset/load", "/preset/list", "/record/start", "/record/stop", "/attr/set",
             "/attr/get", "/status", "/notify", "/sync", "/version", "/model/list",
             "/latent/*", "/{latent,bias}/[0-3]", "/*/?", "/nope", "/"]
WORDS = ["manual", "drift", "input", "prior", "walk", "lfo", "p", "take", "", "..", "../x",
         "/etc/passwd", "learn_target", "*", "x" * 80]

addresses = st.one_of(
    st.sampled_from(ADDRESSES),
    st.text(alphabet="/latenbiscgdmpr*?[]{},!-0123456789", min_size=1, max_size=24)
    .map(lambda s: "/" + s.lstrip("/")),
    st.text(min_size=0, max_size=20).map(lambda s: "/" + s.replace("\x00", "")),
)

finite = st.floats(allow_nan=False, allow_infinity=False, width=32)
numbers = st.one_of(
    st.integers(-20, 20), st.integers(-(2**31), 2**31 - 1), finite.filter(lambda f: abs(f) < 3e38),
    st.sampled_from([0.0, 1.0, 2.0, 16.0, 16.5, -16.0, 600.0, 60000.0,
                     float("nan"), float("inf"), float("-inf")]),
)
argument = st.one_of(
    numbers.map(lambda v: ("i", v) if isinstance(v, int) else ("f", v)),
    st.integers(-(2**63), 2**63 - 1).map(lambda v: ("h", v)),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda v: ("d", v)),
    st.one_of(st.sampled_from(WORDS), st.text(max_size=30).map(lambda s: s.replace("\x00", "")))
    .map(lambda v: ("s", v)),
    st.binary(max_size=40).map(lambda v: ("b", v)),
    st.sampled_from([("T", True), ("F", False), ("N", None)]),
)


def _padded(data: bytes) -> bytes:
    """NUL-terminated and padded to a multiple of 4 bytes (OSC strings)."""
    data += b"\x00"
    return data + b"\x00" * (-len(data) % 4)


def encode(address: str, args: list[tuple[str, object]]) -> bytes:
    """An OSC message written by hand, so that empty blobs and the types python-osc does not
    build (c, S, I, m, t, r) can be sent too."""
    tags, body = ",", b""
    for tag, value in args:
        tags += tag
        if tag in "ic":
            body += struct.pack(">i", value)
        elif tag == "h":
            body += struct.pack(">q", value)
        elif tag == "f":
            body += struct.pack(">f", value)
        elif tag == "d":
            body += struct.pack(">d", value)
        elif tag in "sS":
            body += _padded(value.encode())
        elif tag == "b":
            body += struct.pack(">i", len(value)) + value + b"\x00" * (-len(value) % 4)
        elif tag in "mr":
            body += value[:4].ljust(4, b"\x00")
        elif tag == "t":
            body += value[:8].ljust(8, b"\x00")
    return _padded(address.encode()) + _padded(tags.encode()) + body


exotic = st.one_of(
    st.integers(0, 127).map(lambda v: ("c", v)),
    st.text(max_size=8).map(lambda s: ("S", s.replace("\x00", ""))),
    st.just(("I", None)),
    st.binary(min_size=4, max_size=4).map(lambda v: ("m", v)),
    st.binary(min_size=4, max_size=4).map(lambda v: ("r", v)),
    st.binary(min_size=8, max_size=8).map(lambda v: ("t", v)),
)


@st.composite
def osc_messages(draw) -> bytes:
    args = draw(st.lists(st.one_of(argument, argument, argument, exotic), max_size=6))
    return encode(draw(addresses), args)


def raw_bundle(timetag: bytes, contents: list[bytes]) -> bytes:
    body = b"".join(struct.pack(">i", len(c)) + c for c in contents)
    return b"#bundle\x00" + timetag + body


timetags = st.one_of(
    st.just(b"\x00\x00\x00\x00\x00\x00\x00\x01"),  # immediately
    st.integers(0, 2**64 - 1).map(lambda t: struct.pack(">Q", t)),
    st.floats(-5.0, 3.0).map(lambda d: struct.pack(
        ">Q", int((time.time() + d + 2208988800) * 2**32))),  # around now, NTP epoch
)

osc_packets = st.recursive(
    osc_messages(),
    lambda inner: st.builds(raw_bundle, timetags, st.lists(inner, max_size=4)),
    max_leaves=8,
)


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(draw(osc_packets))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "tag", "size"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 8))]
        elif kind == "tag":  # an unknown or exotic type tag where a tag is
            comma = data.find(b",")
            if comma >= 0 and comma + 1 < len(data):
                data[comma + 1] = ord(draw(st.sampled_from("ifsbhdtTFNIcmrS[]x\x00")))
        elif kind == "size" and data.startswith(b"#bundle") and len(data) >= 20:
            data[16:20] = struct.pack(">i", draw(st.integers(-(2**31), 2**31 - 1)))
    return bytes(data)


# --------------------------------------------------------------------------- properties
@_settings(200)
@given(data=st.binary(max_size=600))
def test_random_bytes(fuzzed, data):
    send_both(fuzzed, data)


@_settings(250)
@given(packet=osc_packets)
def test_generated_messages_and_bundles(fuzzed, packet):
    note(repr(packet))
    send_both(fuzzed, packet)


@_settings(250)
@given(packet=mutated())
def test_mutated_valid_packets(fuzzed, packet):
    note(repr(packet))
    send_both(fuzzed, packet)


@_settings(60)
@given(stream=st.lists(st.one_of(osc_packets, st.binary(max_size=64)), max_size=5),
       cuts=st.lists(st.integers(0, 400), max_size=4))
def test_tcp_stream_chopped_anywhere(fuzzed, stream, cuts):
    """SLIP frames, garbage between them, written in arbitrary pieces."""
    _, _, tcp, _ = fuzzed
    data = b"".join(slip.encode(p) if i % 2 == 0 else p for i, p in enumerate(stream))
    edges = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    for start, end in itertools.pairwise(edges):
        tcp.send_stream(data[start:end])
    tcp.send_stream(slip.END)  # whatever was cut off ends here


def test_deeply_nested_bundle(fuzzed):
    packet = message("/latent", 0, 1.0)
    for _ in range(2000):
        packet = raw_bundle(b"\x00" * 7 + b"\x01", [packet])
        if len(packet) > 60000:
            break
    send_both(fuzzed, packet)


def test_the_daemon_survived_the_fuzzing(fuzzed):
    """Runs after the properties above (same module, same daemon)."""
    daemon, *_ = fuzzed
    check_alive(daemon, "after fuzzing")
    assert daemon.server.malformed > 0
    print(f"malformed packets counted: {daemon.server.malformed}; underruns: "
          f"{daemon.engine.ring.underruns}")


def test_no_generated_message_made_a_handler_crash(fuzzed):
    """A handler that raises something other than a refusal answers 'internal error': every
    address must refuse what it cannot take with a reason (docs: /fail <address> <reason>)."""
    *_, errors = fuzzed
    assert errors.records == [], sorted(set(errors.records))[:20]


# --------------------------------------------------------------------------- valid use, fuzzed
@_settings(150)
@given(args=st.lists(argument, max_size=4), address=st.sampled_from(ADDRESSES[:30]))
def test_every_address_answers_anything_with_a_reply_or_nothing(fuzzed, address, args):
    """Any arguments to any documented address: a /fail with a reason, a documented reply, or
    no reply (a control change); never an internal error; replies only i f s b."""
    daemon, *_ = fuzzed
    if address in ("/notify",):
        return  # a random reply port would send this client's replies elsewhere
    with UdpClient(daemon.port) as client:
        client.send_raw(encode(address, args))
        replies = client.sync()
    for reply in replies:
        assert set(reply.types) <= set("ifsb"), reply
        if reply.address == "/fail":
            assert reply.types == "ss" and reply.args[0] == address, reply
            assert "internal error" not in reply.args[1], reply


def test_audio_still_flows_at_the_end(fuzzed):
    daemon, *_ = fuzzed
    check_alive(daemon, "at the end")
    wait_until(lambda: daemon.engine.snapshot().uptime > 0, message="a fresh snapshot")


# --------------------------------------------------------------------------- the packet handler
def test_packet_handler_never_hangs_on_generated_hostile_inputs(fuzzed):
    """bench/fuzz_packets.py's seeded generator (negative, zero, huge and misaligned element
    sizes, sizes pointing back, deep nesting, truncations, bit flips) through OscServer.packet
    with the bundle validator: every input returns within a bound. The bench runs a million."""
    import importlib.util
    import pathlib
    import threading

    from latentd.osc.routes import AddressSpace
    from latentd.osc.server import OscServer, ServerSettings

    path = pathlib.Path(__file__).parents[2] / "bench" / "fuzz_packets.py"
    spec = importlib.util.spec_from_file_location("fuzz_packets", path)
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look their module up there
    spec.loader.exec_module(bench)
    daemon, *_ = fuzzed
    server = OscServer(daemon.engine, ServerSettings(port=0, rate=1e9, burst=1e9),
                       AddressSpace(daemon.engine, lambda: ["tiny"]))  # not bound: no replies
    count, progress = 4000, bench.FuzzProgress()
    worker = threading.Thread(target=bench.feed, daemon=True,
                              args=(server, bench.inputs(seed=7, count=count), progress))
    worker.start()
    worker.join(120)
    daemon.engine.listeners.remove(server._notice)
    assert not worker.is_alive(), f"hung after {progress.done} inputs"
    assert progress.done == count
    assert progress.slowest_seconds < 1.0, \
        f"{progress.slowest_seconds:.2f} s for {progress.slowest!r}"
    assert server.malformed > count // 10  # the hostile ones were refused, not run

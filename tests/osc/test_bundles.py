"""latentd/osc/bundles.py: a bundle's structure is checked before anything parses it.

python-osc's bundle parser looped forever on a 20-byte bundle whose element size is -4 (and on
sizes pointing back, and deep nesting), logging ~73,000 warnings a second. Each such bundle must
be refused as malformed, whole, in bounded time, over UDP and TCP, and the daemon keep answering.
"""

import logging
import struct
import threading
import time

import pytest
from support.osc import message, wait_until

from latentd.osc import bundles
from latentd.osc.packets import MalformedPacket, decode

NOW = b"\x00\x00\x00\x00\x00\x00\x00\x01"  # timetag 1, "immediately"


def raw_bundle(*elements: bytes, timetag: bytes = NOW) -> bytes:
    return b"#bundle\x00" + timetag + b"".join(struct.pack(">i", len(e)) + e for e in elements)


def with_size(size: int, tail: bytes = b"") -> bytes:
    return b"#bundle\x00" + NOW + struct.pack(">i", size) + tail


VERSION = message("/version")
HOSTILE = {
    "negative size (the 20-byte packet)": with_size(-4),
    "zero size": with_size(0, VERSION),
    "size not a multiple of 4": with_size(6, VERSION),
    "size past the end": with_size(4096, VERSION),
    "size points back": with_size(-16, VERSION),
    "most negative size": with_size(-(2**31), VERSION),
    "stray bytes after an element": raw_bundle(VERSION) + b"\x00\x00",
    "truncated nested header": raw_bundle(b"#bundle\x00\x00\x00\x00\x00"),
    "nested bundle with a negative size": raw_bundle(with_size(-4)),
    "nested bundle whose size runs past its parent": raw_bundle(with_size(64, VERSION)),
}


def nested(depth: int, inner: bytes = VERSION) -> bytes:
    packet = inner
    for _ in range(depth):
        packet = raw_bundle(packet)
    return packet


def decode_in_time(data: bytes, seconds: float = 2.0):
    """decode() on a thread: a hang fails the test instead of hanging it."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(decode(data))
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"decode did not return within {seconds} s"
    return outcome[0]


@pytest.mark.parametrize("data", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_bundles_are_refused_whole_in_bounded_time(data):
    outcome = decode_in_time(data)
    assert isinstance(outcome, MalformedPacket), outcome


def test_nesting_is_bounded():
    assert [m.address for m in decode_in_time(nested(bundles.MAX_DEPTH))] == ["/version"]
    assert isinstance(decode_in_time(nested(bundles.MAX_DEPTH + 1)), MalformedPacket)
    deep = nested(3000, b"")  # 60 KB of nothing but bundle headers
    assert isinstance(decode_in_time(deep), MalformedPacket)


def test_valid_bundles_keep_their_order_and_times():
    later = struct.pack(">Q", (int(time.time()) + 2208988800 + 5) << 32)
    packet = raw_bundle(message("/a"), raw_bundle(message("/b"), timetag=later),
                        message("/c"), raw_bundle())
    found = decode(packet)
    assert [m.address for m in found] == ["/a", "/b", "/c"]
    assert found[0].at is None and found[2].at is None
    assert found[1].at == pytest.approx(time.time() + 5, abs=2)
    assert decode(raw_bundle()) == []  # an empty bundle is valid and holds nothing


def test_a_packet_holds_a_bounded_number_of_messages():
    smallest = b"/a\x00\x00"  # 4 bytes: the smallest message
    assert len(decode(raw_bundle(*[smallest] * 100))) == 100
    too_many = raw_bundle(*[smallest] * (bundles.MAX_MESSAGES + 1))
    assert isinstance(decode_in_time(too_many), MalformedPacket)


def test_a_bundle_never_reaches_python_osc_s_bundle_parser(monkeypatch):
    from pythonosc import osc_bundle

    def refuse(*args, **kwargs):
        raise AssertionError("python-osc's OscBundle parsed a bundle")

    monkeypatch.setattr(osc_bundle.OscBundle, "__init__", refuse)
    assert [m.address for m in decode(raw_bundle(VERSION))] == ["/version"]


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def all_records():
    handler = Records()
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler.records
    root.removeHandler(handler)
    root.setLevel(old)


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_the_daemon_refuses_them_and_keeps_answering(daemon, transport, all_records):
    client = daemon.udp() if transport == "udp" else daemon.tcp()
    before = daemon.server.malformed
    started = time.monotonic()
    for data in [*HOSTILE.values(), nested(bundles.MAX_DEPTH + 1), nested(3000, b"")]:
        client.send_raw(data)
    assert client.ask("/version").address == "/version.reply"
    assert time.monotonic() - started < 10
    wait_until(lambda: daemon.server.malformed >= before + len(HOSTILE) + 2,
               message="every hostile bundle counted as malformed")
    # a handful of throttled lines, not python-osc's warning per loop turn
    assert len(all_records) < 40, [r.getMessage() for r in all_records][:50]
    daemon.assert_audio_flows()


def test_c_tag_inside_a_bundle_logs_nothing_from_python_osc(daemon, all_records):
    """issue 15: ``c`` inside a bundle logged ``root WARNING: Unhandled parameter type: c``
    once per bundle; the daemon refuses it with /fail, and python-osc stays silent."""
    udp = daemon.udp()
    char = b"/latents\x00\x00\x00\x00,fcf\x00\x00\x00\x00" + struct.pack(">fif", 1.0, 65, 2.0)
    for _ in range(20):
        udp.send_raw(raw_bundle(char))
    fails = [r for r in udp.sync() if r.address == "/fail"]
    assert len(fails) == 20 and "'c'" in fails[0].args[1]
    assert [r for r in all_records if "pythonosc" in r.pathname or r.name == "root"] == []


def test_python_osc_warnings_are_kept_off_the_root_logger(daemon, all_records):
    """Whatever path reaches python-osc's own logging.warning calls, its records are dropped
    (the daemon says what matters itself, throttled)."""
    from pythonosc.osc_message import OscMessage

    OscMessage(b"/x\x00\x00,c\x00\x00\x00\x00\x00A")  # python-osc warns: type c unhandled
    assert [r for r in all_records if "pythonosc" in r.pathname] == []

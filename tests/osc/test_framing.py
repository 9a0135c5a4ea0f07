"""docs/osc.md "Transport": TCP takes SLIP (OSC 1.1) and the 4-byte length prefix (OSC 1.0,
liblo's ``osc.tcp://`` and SuperCollider) on one port, chosen per connection by its first byte,
answers in the client's framing, and discards an oversized frame whole (latentd/osc/framing.py).
"""

import socket
import struct
import subprocess
import time

import pytest
from pythonosc import slip
from support.osc import message, parse_reply, wait_until

from latentd.osc.framing import MAX_FRAME_BYTES, LengthDeframer, SlipDeframer, deframer_for

GAIN = message("/gain", -120.0)


def hidden_tail(size: int = 70_000) -> bytes:
    """A frame of about ``size`` bytes made of ``/gain -120`` messages (16 bytes each, so one
    starts at every 16-byte boundary): a daemon that kept only the tail of an oversized frame,
    cut anywhere on such a boundary (the old one cut at its 4096-byte reads), would apply it."""
    assert len(GAIN) == 16
    return GAIN * (size // len(GAIN))


# --------------------------------------------------------------------------- units


def test_empty_frames_are_counted_in_both_framings():
    slip_frames = SlipDeframer()
    assert slip_frames.feed(slip.END * 1000 + slip.encode(GAIN)) == [GAIN]
    assert slip_frames.empty == 1001  # the run, then the packet's own leading END
    prefixed = LengthDeframer()
    assert prefixed.feed(struct.pack(">I", 0) * 5 + struct.pack(">I", len(GAIN)) + GAIN) == [GAIN]
    assert prefixed.empty == 5
def test_slip_discards_an_oversized_frame_up_to_its_end_marker():
    deframer = SlipDeframer()
    data = slip.encode(hidden_tail()) + slip.encode(message("/version"))
    packets = []
    for start in range(0, len(data), 4096):  # as TCP delivers it, in pieces
        packets += deframer.feed(data[start:start + 4096])
    assert packets == [message("/version")]
    assert deframer.oversized == 1


def test_slip_discards_a_frame_that_never_ends_in_bounded_memory():
    deframer = SlipDeframer()
    for _ in range(100):
        assert deframer.feed(b"\x55" * 65536) == []
    assert len(deframer._buffer) <= 2 * MAX_FRAME_BYTES
    assert deframer.feed(GAIN + slip.END) == []  # still the same oversized frame: its tail
    assert deframer.feed(slip.encode(message("/version"))) == [message("/version")]


def test_length_prefix_frames_and_oversized_ones():
    deframer = LengthDeframer()
    one, two = message("/version"), message("/status")
    big = hidden_tail()
    data = (struct.pack(">I", len(one)) + one + struct.pack(">I", len(big)) + big
            + struct.pack(">I", 0) + struct.pack(">I", len(two)) + two)
    packets = []
    for byte in range(0, len(data), 7):  # awkward pieces, prefix split too
        packets += deframer.feed(data[byte:byte + 7])
    assert packets == [one, two]
    assert deframer.oversized == 1
    assert deframer.frame(one) == struct.pack(">I", len(one)) + one


@pytest.mark.parametrize("first, kind", [(0xC0, SlipDeframer), (ord("/"), SlipDeframer),
                                         (ord("#"), SlipDeframer), (0x00, LengthDeframer),
                                         (0x55, SlipDeframer)])
def test_framing_is_chosen_by_the_first_byte(first, kind):
    assert type(deframer_for(first)) is kind


# --------------------------------------------------------------------------- the daemon
class LengthClient:
    """OSC 1.0 over TCP: a 4-byte big-endian length before each packet."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buffer = b""

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(struct.pack(">I", len(data)) + data)

    def recv(self, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while True:
            if len(self.buffer) >= 4:
                (size,) = struct.unpack(">I", self.buffer[:4])
                if len(self.buffer) >= 4 + size:
                    packet, self.buffer = self.buffer[4:4 + size], self.buffer[4 + size:]
                    return parse_reply(packet)
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = self.sock.recv(65536)
            assert chunk, "connection closed"
            self.buffer += chunk

    def wait_for(self, address: str, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while (reply := self.recv(deadline - time.monotonic())).address != address:
            pass
        return reply

    def close(self) -> None:
        self.sock.close()


def test_length_prefixed_client_is_answered_in_its_framing(daemon):
    client = LengthClient(daemon.port)
    client.send_raw(message("/version"))
    assert client.recv().address == "/version.reply"
    client.send_raw(message("/nope"))
    assert client.recv().args == ["/nope", "unknown address"]
    client.close()


@pytest.mark.parametrize("size", [70_000, 200_000])
@pytest.mark.parametrize("framing", ["slip", "length"])
def test_the_tail_of_an_oversized_frame_is_never_executed(daemon, framing, size):
    """issue 14: a /gain -120 hidden at the end of a 70 KB frame was applied."""
    if framing == "slip":
        client = daemon.tcp()
        # 15 ENDs (empty frames) put the frame's first byte at stream offset 16
        client.send_stream(slip.END * 15 + slip.encode(hidden_tail(size)))
        client.send_raw(message("/sync", 1))
        assert client.wait_for("/synced").args == [1]
    else:
        client = LengthClient(daemon.port)
        client.send_raw(message("/status"))  # first byte 0: this connection is length-prefixed
        client.wait_for("/status.reply")
        client.send_raw(hidden_tail(size))
        client.send_raw(message("/sync", 1))
        assert client.wait_for("/synced").args == [1]
    time.sleep(0.1)
    assert daemon.controls.gain_db == 0.0
    assert daemon.server.malformed >= 1


@pytest.mark.liblo
def test_liblo_oscsend_over_tcp(daemon):
    """liblo frames with a length prefix: ``oscsend osc.tcp://127.0.0.1:PORT``."""
    for address, types, values, reached in [
            ("/gain", "f", ("-6",), lambda: daemon.controls.gain_db == -6.0),
            ("/latent", "if", ("0", "1.5"), lambda: daemon.controls.voices[0].latent[0] == 1.5)]:
        result = subprocess.run(["oscsend", f"osc.tcp://127.0.0.1:{daemon.port}", address,
                                 types, *values], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
        wait_until(reached, message=f"oscsend osc.tcp:// {address}")
    assert daemon.server.malformed == 0


@pytest.mark.parametrize("framing", ["slip", "length"])
def test_a_flood_of_empty_frames_pays_the_rate_limit_and_is_not_read(make_daemon, synth,
                                                                      framing):
    """One TCP connection sending nothing but empty frames (END bytes, zero sizes) cost the OSC
    thread Python work per byte and no rate-limit token: other clients waited. Now empty frames
    past one per packet cost a token each, and a peer past its rate is not read for a while."""
    daemon = make_daemon(synth, server_settings={"rate": 100.0, "burst": 200.0})
    empty = slip.END if framing == "slip" else struct.pack(">I", 0)
    flood = empty * 50_000
    with socket.create_connection(("127.0.0.1", daemon.port), timeout=5) as sock:
        sock.setblocking(False)
        sent = 0
        for _ in range(200):  # until the daemon stops reading and the socket buffers fill
            try:
                sent += sock.send(flood)
            except BlockingIOError:
                time.sleep(0.01)
        wait_until(lambda: daemon.server.limiter.dropped >= 1000, timeout=5.0,
                   message="empty frames past the allowance to be counted as refused")
        peers = list(daemon.server.tcp_peers.peers)
        assert any(peer.paused for peer in peers), "the flooding peer was never paused"
        assert sent < 200 * len(flood), "the daemon read an unbounded flood at full speed"
    daemon.assert_audio_flows()

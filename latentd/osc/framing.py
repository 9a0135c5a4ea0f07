"""OSC over TCP: the two framings real clients use, told apart by a connection's first byte.

* **SLIP** (OSC 1.1; python-osc, Pd's ``[oscformat]`` + ``[slipenc]``, the TUI): each packet is
  ``0xC0 <escaped bytes> 0xC0``; the leading END may be left out.
* **Length prefix** (OSC 1.0; liblo's ``osc.tcp://``, SuperCollider): each packet follows its
  size as a 4-byte big-endian integer.

A connection whose first byte is ``0x00`` speaks the length prefix (every packet under 16 MiB
has a zero first size byte); any other first byte (``0xC0``, ``/``, ``#`` for well-formed SLIP)
means SLIP. The daemon answers in the framing the client used.

Both deframers hold at most :data:`MAX_FRAME_BYTES` of one packet. A longer packet is discarded
*whole*: a SLIP frame up to its closing END, a prefixed frame for exactly its announced length.
Its tail is never taken for a packet of its own (it once was: a ``/gain -120`` hidden at the end
of a 70 KB frame was applied).
"""

from __future__ import annotations

import re
import struct

from pythonosc import slip

MAX_FRAME_BYTES = 1 << 16  # a UDP datagram's worth; bigger packets are refused whole
SLIP_END = slip.END[0]
_END_RUN = re.compile(re.escape(slip.END) + b"+")


class Deframer:
    """Bytes in, whole packets out; counts what it refused."""

    name = "framing"

    def __init__(self, max_frame_bytes: int = MAX_FRAME_BYTES):
        self.max_frame_bytes = max_frame_bytes
        self.oversized = 0  # frames discarded for their size
        self.malformed = 0  # frames whose framing itself was broken (bad SLIP escapes)
        self.empty = 0  # frames with no bytes (END END, a zero size): free to send, not to read

    def feed(self, data: bytes) -> list[bytes]:
        raise NotImplementedError

    def frame(self, packet: bytes) -> bytes:
        raise NotImplementedError


class SlipDeframer(Deframer):
    name = "SLIP"

    def __init__(self, max_frame_bytes: int = MAX_FRAME_BYTES):
        super().__init__(max_frame_bytes)
        self._buffer = bytearray()
        self._discarding = False  # inside an oversized frame: drop up to its END

    def feed(self, data: bytes) -> list[bytes]:
        packets: list[bytes] = []
        start = 0
        while start < len(data):
            end = data.find(slip.END, start)
            piece = data[start:] if end < 0 else data[start:end]
            if not self._discarding:
                self._buffer += piece
                # SLIP escapes at most double a byte: past twice the cap it cannot fit
                if len(self._buffer) > 2 * self.max_frame_bytes:
                    self._buffer.clear()
                    self._discarding = True
            if end < 0:
                break
            if self._discarding:  # this END closes the oversized frame
                self._discarding = False
                self.oversized += 1
            elif self._buffer:
                packet = self._decode(bytes(self._buffer))
                self._buffer.clear()
                if packet is not None:
                    packets.append(packet)
            else:  # a run of ENDs: empty frames, counted at C speed, not byte by byte
                run = _END_RUN.match(data, end)
                assert run is not None
                self.empty += run.end() - end
                start = run.end()
                continue
            start = end + 1
        return packets

    def _decode(self, escaped: bytes) -> bytes | None:
        try:
            packet = slip.decode(slip.END + escaped + slip.END)
        except slip.ProtocolError:
            self.malformed += 1
            return None
        if len(packet) > self.max_frame_bytes:
            self.oversized += 1
            return None
        return packet

    def frame(self, packet: bytes) -> bytes:
        return slip.encode(packet)


class LengthDeframer(Deframer):
    name = "length prefix"

    def __init__(self, max_frame_bytes: int = MAX_FRAME_BYTES):
        super().__init__(max_frame_bytes)
        self._buffer = bytearray()
        self._wanted: int | None = None  # the size of the packet being read
        self._skip = 0  # bytes of an oversized packet still to drop

    def feed(self, data: bytes) -> list[bytes]:
        packets: list[bytes] = []
        view = memoryview(data)
        while view:
            if self._skip:
                dropped = min(self._skip, len(view))
                self._skip -= dropped
                view = view[dropped:]
                continue
            if self._wanted is None:
                take = min(4 - len(self._buffer), len(view))
                self._buffer += view[:take]
                view = view[take:]
                if len(self._buffer) < 4:
                    break
                (size,) = struct.unpack(">I", self._buffer)
                self._buffer.clear()
                if size > self.max_frame_bytes:
                    self.oversized += 1
                    self._skip = size
                elif size:
                    self._wanted = size
                else:
                    self.empty += 1
                continue
            take = min(self._wanted - len(self._buffer), len(view))
            self._buffer += view[:take]
            view = view[take:]
            if len(self._buffer) == self._wanted:
                packets.append(bytes(self._buffer))
                self._buffer.clear()
                self._wanted = None
        return packets

    def frame(self, packet: bytes) -> bytes:
        return struct.pack(">I", len(packet)) + packet


def deframer_for(first_byte: int, max_frame_bytes: int = MAX_FRAME_BYTES) -> Deframer:
    """The framing a connection speaks, from its first byte (see the module docstring)."""
    if first_byte == 0:
        return LengthDeframer(max_frame_bytes)
    return SlipDeframer(max_frame_bytes)

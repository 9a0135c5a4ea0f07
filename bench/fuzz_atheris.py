"""Coverage-guided fuzzing of the OSC packet handler with atheris (libFuzzer), UDP and TCP.

Usage (atheris is the ``fuzz`` extra: ``pip install -e .[fuzz]``)::

    .venv/bin/python bench/fuzz_atheris.py -runs=1000000 [CORPUS_DIR] [libFuzzer flags]
    .venv/bin/python bench/fuzz_atheris.py --corpus-only DIR   # write the seed corpus, exit

Why atheris besides ``bench/fuzz_packets.py``: that fuzzer draws from a fixed, hand-written
distribution; this one watches which branches of ``latentd.osc`` (and python-osc) each input
reached and keeps the inputs that reach new ones, so it walks into the corners a generator's
author did not think of.

One input is a first byte that picks the transport and the rest:

* even: a UDP datagram, handed to ``OscServer.packet`` as a peer's datagram would be;
* odd: a TCP byte stream, given to a real ``TcpPeer`` (its deframer: SLIP or length prefix,
  chosen by the stream's first byte, the empty-frame accounting, then ``OscServer.packet`` per
  frame), cut into reads at the positions the second byte chooses, as a socket would split it.

The seed corpus holds a valid packet for every address ``docs/osc.md`` lists (arguments taken
from its table, placeholders filled with plausible values), each also as a bundle and in both
TCP framings, so the fuzzer starts where users are. The daemon behind it is real: an engine on
the null output with the tiny latentd model, and an ``OscServer`` whose sockets are not bound
(UDP replies are encoded and dropped; TCP replies go to a transport that discards them). Any
exception out of the handler is a crash (libFuzzer stops and writes ``crash-<sha1>``); an input
that takes more than ``-timeout`` seconds is a hang. Crashes found become regression inputs in
``tests/fuzz/crashes/`` (replayed by ``tests/fuzz/test_atheris.py``).
"""

from __future__ import annotations

import asyncio
import re
import struct
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OSC_DOC = ROOT / "docs" / "osc.md"
ROW = re.compile(r"^\| `(/[^`]*)` \| ([^|]*)\|")
ARGUMENT = re.compile(r"`([ifsbhdTF]) ([^`\s]+)")
PLACEHOLDER_VALUES = {"i": 0, "f": 0.5, "s": "fuzz", "h": 1, "d": 0.25}


# --------------------------------------------------------------------------- corpus
def documented_addresses(doc: Path = OSC_DOC) -> dict[str, list[tuple[str, Any]]]:
    """Every address in a table row of docs/osc.md, with arguments read from its row: a tag
    and a literal value where the row gives one (``i 1``, ``s walk``), a plausible value for a
    placeholder (``f value``, ``s name``). ``<i>`` in an indexed address becomes 0."""
    found: dict[str, list[tuple[str, Any]]] = {}
    for line in doc.read_text(encoding="utf-8").splitlines():
        row = ROW.match(line)
        if row is None:
            continue
        address = row.group(1).replace("<i>", "0").replace("<n>", "0").split(" ")[0]
        arguments: list[tuple[str, Any]] = []
        first_form = row.group(2).split(" or ")[0]  # `s walk` or `s lfo`: one of them
        for tag, word in ARGUMENT.findall(first_form):
            arguments.append((tag, _literal(tag, word)))
        found.setdefault(address, arguments)
    return found


def _literal(tag: str, word: str) -> Any:
    try:
        if tag in "ih":
            return int(word)
        if tag in "fd":
            return float(word)
    except ValueError:
        return PLACEHOLDER_VALUES[tag]
    if tag == "s":
        return word if word.isidentifier() and word not in {"name", "id"} else "fuzz"
    return PLACEHOLDER_VALUES.get(tag, 0)


def _pad(data: bytes) -> bytes:
    data += b"\x00"
    return data + b"\x00" * (-len(data) % 4)


def encode(address: str, arguments: list[tuple[str, Any]]) -> bytes:
    """One OSC message, written out by hand so that the tags are exactly those documented."""
    tags, body = ",", b""
    for tag, value in arguments:
        tags += tag
        if tag == "i":
            body += struct.pack(">i", value)
        elif tag == "f":
            body += struct.pack(">f", value)
        elif tag == "h":
            body += struct.pack(">q", value)
        elif tag == "d":
            body += struct.pack(">d", value)
        elif tag == "s":
            body += _pad(str(value).encode())
        elif tag == "b":
            body += struct.pack(">i", 1) + b"\x01\x00\x00\x00"
    return _pad(address.encode()) + _pad(tags.encode()) + body


def as_bundle(*messages: bytes) -> bytes:
    now = b"\x00\x00\x00\x00\x00\x00\x00\x01"
    return b"#bundle\x00" + now + b"".join(struct.pack(">i", len(m)) + m for m in messages)


def slip(packet: bytes) -> bytes:
    escaped = packet.replace(b"\xdb", b"\xdb\xdd").replace(b"\xc0", b"\xdb\xdc")
    return b"\xc0" + escaped + b"\xc0"


def length_prefixed(packet: bytes) -> bytes:
    return struct.pack(">I", len(packet)) + packet


def seed_inputs() -> Iterator[bytes]:
    """The seed corpus, as fuzz inputs (transport byte included)."""
    for address, arguments in documented_addresses().items():
        packet = encode(address, arguments)
        yield b"\x00" + packet
        yield b"\x00" + as_bundle(packet, encode("/sync", [("i", 7)]))
        yield b"\x01\x00" + slip(packet) + slip(packet)
        yield b"\x01\x05" + length_prefixed(packet) + length_prefixed(packet)


def write_corpus(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for count, data in enumerate(seed_inputs(), start=1):
        (folder / f"seed-{count:04d}").write_bytes(data)
    return count


# --------------------------------------------------------------------------- target
class DiscardingTransport(asyncio.Transport):
    """What a TcpPeer needs of an asyncio transport; written bytes are thrown away."""

    def __init__(self) -> None:
        super().__init__()
        self.closing = False

    def get_extra_info(self, name: str) -> Any:
        return ("127.0.0.1", 9) if name == "peername" else None

    def is_closing(self) -> bool:
        return self.closing

    def abort(self) -> None:
        self.closing = True

    close = abort

    def write(self, data: bytes) -> None:
        pass

    def get_write_buffer_size(self) -> int:
        return 0

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


class Target:
    """The daemon's packet handler behind one fuzz input (see the module docstring)."""

    def __init__(self, root: Path):
        sys.path.insert(0, str(ROOT / "bench"))
        from fuzz_packets import tiny_daemon

        from latentd.osc.tcp import TcpLimits, TcpPeer, TcpPeers

        self.engine, self.server = tiny_daemon(root)
        self.peers = TcpPeers(TcpLimits())
        self._peer_type = TcpPeer
        self.inputs = 0

    def one_input(self, data: bytes) -> None:
        self.inputs += 1
        if not data:
            return
        if data[0] % 2 == 0:
            self.server.packet(data[1:], "127.0.0.1", 9, None)
            return
        stream = data[2:]
        cut = data[1] if len(data) > 1 else 0
        peer = self._peer_type(self.server, self.peers)
        peer.connection_made(DiscardingTransport())
        try:
            step = max(1, cut)
            for start in range(0, len(stream), step):
                peer.data_received(stream[start:start + step])
        finally:
            peer.connection_lost(None)

    def stop(self) -> None:
        self.engine.stop(fade_seconds=0)


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[1] == "--corpus-only":
        print(f"{write_corpus(Path(argv[2]))} seed inputs in {argv[2]}")
        return 0
    import logging

    import atheris

    logging.disable(logging.CRITICAL)  # the handler's throttled warnings are not findings
    with atheris.instrument_imports(include=["latentd.osc", "pythonosc"]):
        import latentd.osc.bundles
        import latentd.osc.framing
        import latentd.osc.packets
        import latentd.osc.server
        import latentd.osc.tcp  # noqa: F401
    args = list(argv)
    corpus = [a for a in args[1:] if not a.startswith("-")]
    scratch = tempfile.TemporaryDirectory()
    if not corpus:
        seeds = Path(scratch.name) / "corpus"
        write_corpus(seeds)
        args.append(str(seeds))
    else:
        write_corpus(Path(corpus[0]))
    target = Target(Path(scratch.name))
    target.engine.start()
    atheris.Setup(args, target.one_input)
    atheris.Fuzz()  # exits the process when the run ends
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

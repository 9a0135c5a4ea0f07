"""Fuzz the OSC packet handler in process: a million hostile inputs, none may hang it.

Usage::

    .venv/bin/python bench/fuzz_packets.py --count 1000000 [--seed 1] [--stall-seconds 5]

Inputs are drawn from a seeded generator (the same seed gives the same inputs): valid messages
and bundles of every documented address, then mutated the ways that broke python-osc's bundle
parser (element sizes overwritten with -4, 0, huge or misaligned values, sizes pointing back,
deep nesting, truncation, bit flips, splices) and plain random bytes. Each goes through
``OscServer.packet`` (access check, rate limit, the bundle validator, decoding, handlers) of a
real engine on the null output, with the tiny latentd model. A watchdog fails the run when no
input finishes for ``--stall-seconds`` and prints the input that hung. At the end: inputs, time,
the slowest input, and the counts of malformed packets and refusals.

tests/osc/test_fuzz.py runs the same generator for a few thousand inputs in CI.
"""

from __future__ import annotations

import argparse
import random
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ADDRESSES = ["/latent", "/latent/0", "/latent/3", "/latents", "/bias", "/bias/1", "/biases",
             "/scale/2", "/scales", "/glide", "/source", "/drift/mode", "/drift/rate",
             "/drift/depth", "/temperature", "/gain", "/mute", "/preset/list", "/model/list",
             "/record/stop", "/attr/get", "/status", "/notify", "/sync", "/version",
             "/latent/*", "/{latent,bias}/[0-3]", "/*/?", "/nope", "/"]
NOW_TAG = b"\x00\x00\x00\x00\x00\x00\x00\x01"
SIZES = [-4, -1, -8, -16, -(2**31), 0, 1, 2, 3, 5, 6, 7, 4, 8, 12, 16, 20, 64, 4096, 65536,
         2**31 - 1, 2**31 - 4]


def _pad(data: bytes) -> bytes:
    data += b"\x00"
    return data + b"\x00" * (-len(data) % 4)


def message(rng: random.Random) -> bytes:
    """A well-formed message of a documented address with 0-4 arguments of any tag."""
    tags, body = ",", b""
    for _ in range(rng.randrange(5)):
        tag = rng.choice("iiffsbhdTFNcS")
        tags += tag
        if tag in "ic":
            body += struct.pack(">i", rng.choice([0, 1, 2, 3, 4, -1, 2**31 - 1, 9000]))
        elif tag == "f":
            body += struct.pack(">f", rng.choice([0.0, 0.5, 1.0, -16.5, 16.0, 1e30,
                                                  float("nan"), float("inf")]))
        elif tag == "h":
            body += struct.pack(">q", rng.choice([0, 1, 2**40, -(2**63)]))
        elif tag == "d":
            body += struct.pack(">d", rng.choice([0.5, 1e300, float("-inf")]))
        elif tag in "sS":
            body += _pad(rng.choice([b"manual", b"drift", b"walk", b"tiny", b"..", b"x" * 70,
                                     b"fuzz", b""]))
        elif tag == "b":
            size = rng.choice([0, 1, 4, 9])
            body += struct.pack(">i", size) + _pad(b"\x01" * size)[:size + (-size % 4)]
    return _pad(rng.choice(ADDRESSES).encode()) + _pad(tags.encode()) + body


def bundle(rng: random.Random, depth: int = 0) -> bytes:
    timetag = rng.choice([NOW_TAG, b"\x00" * 8, b"\xff" * 8,
                          struct.pack(">Q", int((time.time() + 2208988800
                                                 + rng.uniform(-2, 2)) * 2**32))])
    elements = []
    for _ in range(rng.randrange(4)):
        inner = bundle(rng, depth + 1) if depth < 3 and rng.random() < 0.3 else message(rng)
        elements.append(struct.pack(">i", len(inner)) + inner)
    return b"#bundle\x00" + timetag + b"".join(elements)


def mutate(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randrange(1, 4)):
        if not data:
            break
        kind = rng.randrange(7)
        at = rng.randrange(len(data))
        if kind == 0:
            data[at] ^= 1 << rng.randrange(8)
        elif kind == 1:
            del data[at:]
        elif kind == 2:
            data[at:at] = rng.randbytes(rng.randrange(1, 9))
        elif kind == 3:
            del data[at:at + rng.randrange(1, 9)]
        elif kind in (4, 5):  # an int32 (an element size, a blob size) set to a hostile value
            aligned = at - at % 4
            data[aligned:aligned + 4] = struct.pack(">i", rng.choice(SIZES))
        else:
            comma = data.find(b",")
            if comma >= 0 and comma + 1 < len(data):
                data[comma + 1] = ord(rng.choice("ifsbhdtTFNIcmrS[]x\x00"))
    return bytes(data)


def hostile_nesting(rng: random.Random) -> bytes:
    data = message(rng)
    for _ in range(rng.choice([2, 8, 9, 30, 300])):
        data = b"#bundle\x00" + NOW_TAG + struct.pack(">i", len(data)) + data
        if len(data) > 60000:
            break
    return mutate(rng, data) if rng.random() < 0.5 else data


def inputs(seed: int, count: int) -> Iterator[bytes]:
    """``count`` inputs, the same for the same seed."""
    rng = random.Random(seed)
    for _ in range(count):
        roll = rng.random()
        if roll < 0.15:
            yield message(rng)
        elif roll < 0.3:
            yield bundle(rng)
        elif roll < 0.75:
            yield mutate(rng, bundle(rng) if rng.random() < 0.7 else message(rng))
        elif roll < 0.85:
            yield hostile_nesting(rng)
        elif roll < 0.95:
            yield b"#bundle\x00" + rng.randbytes(rng.randrange(0, 40))
        else:
            yield rng.randbytes(rng.randrange(0, 200))


def tiny_daemon(root: Path):
    """A real engine on the null output with the tiny model, and an OscServer that is not
    bound to sockets (replies are encoded, then dropped): only the handler is measured."""
    import torch

    from latentd.audio.null import NullBackend
    from latentd.engine.engine import Engine, EngineSettings
    from latentd.models.checkpoint import save_checkpoint
    from latentd.models.checkpoint_synth import LatentdSynth
    from latentd.models.rave import RaveConfig, RaveModel
    from latentd.osc.routes import AddressSpace
    from latentd.osc.server import OscServer, ServerSettings

    torch.manual_seed(0)
    path = root / "tiny.ckpt"
    save_checkpoint(path, RaveModel(RaveConfig.tiny(noise=False, bands=4, ratios=(4, 4),
                                                    capacity=4, latent_size=4)))
    synth = LatentdSynth.from_checkpoint(path)
    engine = Engine(synth, NullBackend(synth.sample_rate, synth.channels, 256),
                    EngineSettings(block_frames=4, presets_dir=root / "presets",
                                   recordings_dir=root / "recordings"))
    server = OscServer(engine, ServerSettings(port=0, rate=1e9, burst=1e9),
                       AddressSpace(engine, lambda: ["tiny"]))
    return engine, server


@dataclass
class FuzzProgress:
    """How far :func:`feed` got, read by another thread: a count that stops moving is a hang."""

    done: int = 0
    current: bytes = b""  # the input being handled
    slowest_seconds: float = 0.0
    slowest: bytes = b""


def feed(server: Any, packets: Iterable[bytes], progress: FuzzProgress) -> None:
    """Hand each packet to the server's packet handler, as a UDP peer's would be."""
    for data in packets:
        progress.current = data
        started = time.perf_counter()
        server.packet(data, "127.0.0.1", 9, None)
        spent = time.perf_counter() - started
        if spent > progress.slowest_seconds:
            progress.slowest_seconds, progress.slowest = spent, data
        progress.done += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stall-seconds", type=float, default=5.0)
    options = parser.parse_args(argv)
    import logging

    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        engine, server = tiny_daemon(Path(tmp))
        engine.start()
        progress = FuzzProgress()
        packets = inputs(options.seed, options.count)
        worker = threading.Thread(target=feed, args=(server, packets, progress), daemon=True)
        started = time.monotonic()
        worker.start()
        last, last_change = -1, time.monotonic()
        while worker.is_alive():
            worker.join(0.5)
            if progress.done != last:
                last, last_change = progress.done, time.monotonic()
            elif time.monotonic() - last_change > options.stall_seconds:
                print(f"HANG: input {progress.done} did not finish in {options.stall_seconds} "
                      f"s: {progress.current!r}", file=sys.stderr)
                return 1
        seconds = time.monotonic() - started
        engine.stop(fade_seconds=0)
    print(f"{progress.done} inputs in {seconds:.1f} s ({progress.done / seconds:.0f}/s), no "
          f"hang; slowest {progress.slowest_seconds * 1000:.1f} ms ({len(progress.slowest)} "
          f"bytes); malformed {server.malformed}")
    return 0 if progress.done == options.count else 1


if __name__ == "__main__":
    sys.exit(main())

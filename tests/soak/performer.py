"""The soak's scripted performer: one thread per part, all at once, each on its own OSC client.

Every part loops until ``stop`` is set and keeps what it did in the shared :class:`Tally`; an
exception in a part is kept there too (never lost in a thread) and fails the soak. Rates are
chosen to stay together under the daemon's default per-host rate limit (2000 messages/s, all
clients here are one host), so that any ``rate_limited`` count is a valid message the daemon
dropped below its limit.
"""

from __future__ import annotations

import random
import struct
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from support.osc import Reply, TcpClient, UdpClient, immediate_bundle, message

SYNC_SECONDS = 1.0  # each flooder checks its replies this often


@dataclass
class Tally:
    """What the performer did, written by its threads (one lock)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    valid_sent: int = 0
    fails_to_valid: list[str] = field(default_factory=list)
    malformed_sent: int = 0
    invalid_sent: int = 0
    invalid_answered: int = 0
    swaps: int = 0
    recordings: list[tuple[str, float]] = field(default_factory=list)
    preset_loads: int = 0
    source_changes: int = 0
    subscriptions: int = 0
    telemetry_seen: int = 0
    voice_changes: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, count in counts.items():
                setattr(self, name, getattr(self, name) + count)

    def fails(self, who: str, replies: list[Reply]) -> None:
        bad = [f"{who}: {r.args}" for r in replies if r.address == "/fail"]
        if bad:
            with self.lock:
                self.fails_to_valid.extend(bad)


def part(name: str, body: Callable[[threading.Event, Tally], None], stop: threading.Event,
         tally: Tally) -> threading.Thread:
    def run() -> None:
        try:
            body(stop, tally)
        except BaseException:
            with tally.lock:
                tally.errors.append(f"{name}: {traceback.format_exc()}")
    thread = threading.Thread(target=run, name=f"soak-{name}", daemon=True)
    thread.start()
    return thread


def paced(stop: threading.Event, rate: float, step: Callable[[int], None],
          checkpoint: Callable[[], None]) -> None:
    """Call ``step(k)`` ``rate`` times a second, ``checkpoint()`` every SYNC_SECONDS."""
    k, started, last_check = 0, time.monotonic(), time.monotonic()
    while not stop.is_set():
        due = int((time.monotonic() - started) * rate)
        while k < due:
            step(k)
            k += 1
        if time.monotonic() - last_check >= SYNC_SECONDS:
            checkpoint()
            last_check = time.monotonic()
        time.sleep(0.01)
    checkpoint()


def udp_flooder(port: int, index: int, rate: float) -> Callable[[threading.Event, Tally], None]:
    """Latent, bias, scale, glide and gain changes over UDP, all valid."""
    def body(stop: threading.Event, tally: Tally) -> None:
        with UdpClient(port) as client:
            def step(k: int) -> None:
                value = round(((k * 7 + index) % 41) / 10.0 - 2.0, 2)
                form = k % 5
                if form == 0:
                    client.send(f"/latent/{index}", value)
                elif form == 1:
                    client.send("/latents", value, -value)
                elif form == 2:
                    client.send(f"/bias/{index}", value / 4)
                elif form == 3:
                    client.send("/scale", index, 1.0 + value / 8)
                else:
                    client.send("/gain", -6.0 - abs(value))
                tally.add(valid_sent=1)

            paced(stop, rate, step, lambda: tally.fails(f"udp{index}", client.sync(30.0)))
    return body


def tcp_flooder(port: int, index: int, rate: float) -> Callable[[threading.Event, Tally], None]:
    """Immediate bundles of two messages and single messages over TCP (SLIP), all valid."""
    def body(stop: threading.Event, tally: Tally) -> None:
        with TcpClient(port) as client:
            def step(k: int) -> None:
                value = round(((k * 3 + index) % 31) / 10.0 - 1.5, 2)
                if k % 2:
                    client.send_raw(immediate_bundle(("/latent", 2, value),
                                                     ("/glide", 10.0 + index)))
                    tally.add(valid_sent=2)
                else:
                    client.send("/latents", value, value, -value)
                    tally.add(valid_sent=1)

            paced(stop, rate, step, lambda: tally.fails(f"tcp{index}", client.sync(30.0)))
    return body


def answer(client: UdpClient, address: str, *args: object, timeout: float = 90.0) -> Reply:
    """Send and wait for this address's /done or /fail."""
    client.send(address, *args)
    return client.wait_for(lambda r: r.address in ("/done", "/fail") and r.args[:1] == [address],
                           timeout=timeout)


def done(tally: Tally, who: str, reply: Reply) -> bool:
    if reply.address == "/fail":
        tally.fails(who, [reply])
        return False
    return True


def model_swapper(port: int, names: list[str],
                  every: float) -> Callable[[threading.Event, Tally], None]:
    def body(stop: threading.Event, tally: Tally) -> None:
        with UdpClient(port) as client:
            k = 0
            while not stop.wait(every):
                k += 1
                if done(tally, "swap", answer(client, "/model/load", names[k % len(names)])):
                    tally.add(swaps=1)
    return body


def recorder(port: int, rng: random.Random) -> Callable[[threading.Event, Tally], None]:
    def body(stop: threading.Event, tally: Tally) -> None:
        with UdpClient(port) as client:
            k = 0
            while not stop.is_set():
                k += 1
                if not done(tally, "record", answer(client, "/record/start", f"soak-{k}")):
                    stop.wait(1.0)
                    continue
                stop.wait(rng.uniform(1.5, 4.0))
                reply = answer(client, "/record/stop")
                if done(tally, "record", reply):
                    with tally.lock:
                        tally.recordings.append((str(reply.args[1]), float(reply.args[2])))
                stop.wait(0.5)
    return body


def preset_morpher(port: int) -> Callable[[threading.Event, Tally], None]:
    def body(stop: threading.Event, tally: Tally) -> None:
        with UdpClient(port) as client:
            for name in ("soak-a", "soak-b"):
                done(tally, "preset", answer(client, "/preset/save", name))
            k = 0
            while not stop.wait(1.7):
                k += 1
                name = ("soak-a", "soak-b")[k % 2]
                if done(tally, "preset", answer(client, "/preset/load", name, 1.2)):
                    tally.add(preset_loads=1)
                if k % 4 == 0:
                    done(tally, "preset", answer(client, "/preset/save", name))
    return body


def source_changer(port: int, input_file: str) -> Callable[[threading.Event, Tally], None]:
    """Sources (the live input included), drift settings and the input file."""
    steps: list[tuple[str, tuple[object, ...]]] = [
        ("/source", ("drift",)), ("/drift/mode", ("lfo",)), ("/source", ("input",)),
        ("/input/gain", (-3.0,)), ("/source", ("manual",)), ("/drift/mode", ("walk",)),
        ("/input/file", (input_file,)), ("/source", ("input",)), ("/drift/rate", (2.0,)),
        ("/source", ("drift",)), ("/input/dry", (-40.0,)), ("/source", ("manual",))]

    def body(stop: threading.Event, tally: Tally) -> None:
        with UdpClient(port) as client:
            k = 0
            while not stop.wait(0.8):
                address, args = steps[k % len(steps)]
                k += 1
                if address == "/input/file":
                    done(tally, "source", answer(client, address, *args))
                else:
                    client.send(address, *args)
                    tally.fails("source", client.sync(30.0))
                tally.add(source_changes=1, valid_sent=1)
    return body


def telemetry_flipper(port: int) -> Callable[[threading.Event, Tally], None]:
    def body(stop: threading.Event, tally: Tally) -> None:
        with UdpClient(port) as client:
            while not stop.is_set():
                done(tally, "notify", answer(client, "/notify", 1))
                replies = client.replies(1.0)
                # notices to subscribers are failures; other /fails are copies of replies to
                # other senders of this host (docs/osc.md "Where replies go", rule 3)
                tally.fails("telemetry", [r for r in replies if r.address == "/fail"
                                          and r.args[:1] in (["/input"], ["/device"],
                                                             ["/model"])])
                seen = [r for r in replies if r.address != "/fail"]
                if not any(r.address == "/latent.state" for r in seen):
                    with tally.lock:
                        tally.errors.append("telemetry: no /latent.state within 1 s subscribed")
                done(tally, "notify", answer(client, "/notify", 0))
                tally.add(subscriptions=1, telemetry_seen=len(seen))
                stop.wait(0.4)
    return body


def malformed_packets(rng: random.Random) -> list[bytes]:
    """Packets that can never decode as OSC: each is counted by ``malformed``."""
    return [b"\x00" + rng.randbytes(15),  # neither '/' nor '#bundle'
            b"#bundle\x00" + b"\x00" * 7 + b"\x01" + struct.pack(">i", -4) + b"/x\x00\x00",
            b"#bundle\x00" + b"\x00" * 7 + b"\x01" + struct.pack(">i", 4096) + b"/x\x00\x00",
            b"garbage that is not osc!"]


INVALID = [("/latent", ("loud", 1.0)), ("/gain", (float("nan"),)), ("/nope", (1,)),
           ("/source", ("nowhere",)), ("/latent/99", (0.5,)), ("/glide", (-5.0,))]


def saboteur(port: int, rng: random.Random) -> Callable[[threading.Event, Tally], None]:
    """Malformed packets (counted by the daemon) and valid OSC with bad arguments (each must
    get its /fail), interleaved with the valid traffic."""
    def body(stop: threading.Event, tally: Tally) -> None:
        with UdpClient(port) as client:
            packets = malformed_packets(rng)

            def step(k: int) -> None:
                if k % 2:
                    client.send_raw(packets[k % len(packets)])
                    tally.add(malformed_sent=1)
                else:
                    address, args = INVALID[(k // 2) % len(INVALID)]
                    client.send_raw(message(address, *args))
                    tally.add(invalid_sent=1)

            def checkpoint() -> None:
                replies = client.sync(30.0)
                tally.add(invalid_answered=sum(r.address == "/fail" for r in replies))

            paced(stop, 20.0, step, checkpoint)
    return body


def voice_changer(port: int) -> Callable[[threading.Event, Tally], None]:
    """Voice counts (issue 20's ``/voices``), when the daemon documents it."""
    def body(stop: threading.Event, tally: Tally) -> None:
        with UdpClient(port) as client:
            k = 0
            while not stop.wait(1.3):
                k += 1
                count = 1 + k % 4
                client.send("/voices", count)
                client.send(f"/voice/{count - 1}/gain", -6.0)
                tally.fails("voices", client.sync(30.0))
                tally.add(voice_changes=1, valid_sent=2)
    return body


def voices_documented(osc_doc: Path) -> bool:
    return "| `/voices`" in osc_doc.read_text(encoding="utf-8")

"""OSC throughput: the message rate the daemon sustains, against python-osc's own server.

    python bench/osc_throughput.py [--quick] [--json PATH]

A real ``latentd serve`` (the default model, the null output: real-time pacing without a
device) is flooded over UDP from this process with ``/latent i f`` messages (valid, each one a
control change the render thread applies) at rising offered rates, a few seconds a step, from 4
sockets in turn. After each step a ``/sync`` waits until the daemon handled everything sent,
then ``/status.reply``'s counters say what happened to the step's messages:

* ``udp_drops``: datagrams the kernel dropped because the daemon did not read them in time;
* ``rate_limited``: messages the rate limit dropped;
* ``underruns``: audio callbacks that found the ring short.

Every message not dropped by one of the first two was parsed and handled (the handler runs to
completion for each datagram before the next is read; a refusal would be a ``/fail``, counted
too), and the last value sent is checked in ``/latent.target``. The sustained rate is the
highest step with no drop and no underrun.

Two daemons are measured: one with ``--rate-limit 1000000`` (what the daemon itself can take),
and one with the default limit (2000 messages/s per host) offered 90% of it: no valid message
below the limit may be dropped. The baseline, at the same offered rates, is python-osc's
``BlockingOSCUDPServer`` in its own process with a handler that only counts: the cost of
receiving and parsing OSC in Python on this machine, the ceiling any Python OSC daemon meets.
The sender shares the machine with the daemon; on 2 cores it competes for one of them.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the daemon and client plumbing the tests use

from pythonosc.osc_message import OscMessage  # noqa: E402
from pythonosc.osc_message_builder import OscMessageBuilder  # noqa: E402
from support.osc import SubprocessDaemon, UdpClient  # noqa: E402

SOCKETS = 4
DEFAULT_LIMIT = 2000.0


def datagram(address: str, *args: object) -> bytes:
    builder = OscMessageBuilder(address)
    for arg in args:
        builder.add_arg(arg)
    return builder.build().dgram


def flood(port: int, rate: float, seconds: float) -> tuple[int, float]:
    """Send ``/latent i f`` at ``rate`` messages/s for ``seconds``, paced per millisecond,
    round-robin over SOCKETS sockets; (messages sent, last value of latent 1)."""
    senders = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(SOCKETS)]
    messages = [datagram("/latent", 1, round(k / 1000.0, 3)) for k in range(1000)]
    sent, started = 0, time.perf_counter()
    total = int(rate * seconds)
    try:
        while sent < total:
            due = min(total, int((time.perf_counter() - started) * rate) + 1)
            while sent < due:
                senders[sent % SOCKETS].sendto(messages[sent % 1000], ("127.0.0.1", port))
                sent += 1
            time.sleep(0.001)
    finally:
        for s in senders:
            s.close()
    return sent, round(((sent - 1) % 1000) / 1000.0, 3)


def latent_target(client: UdpClient) -> float:
    """Latent 1's target as the daemon holds it: the last /latent.target of half a second of
    telemetry (the render thread takes the bus's changes as it renders, and telemetry reports
    them as they are heard, a ring's latency later)."""
    client.request("/notify", 1)
    try:
        samples = [r for r in client.replies(0.6) if r.address == "/latent.target"]
    finally:
        client.request("/notify", 0)
    if not samples:
        raise RuntimeError("no /latent.target telemetry within 0.6 s")
    return float(samples[-1].args[1])


def daemon_step(daemon: SubprocessDaemon, client: UdpClient, rate: float,
                seconds: float) -> dict[str, object]:
    before = client.status()
    sent, last = flood(daemon.port, rate, seconds)
    client.sync(timeout=60.0)
    after = client.status()
    drops = {key: int(after[key]) - int(before[key])
             for key in ("udp_drops", "rate_limited", "underruns", "malformed")}
    applied = abs(latent_target(client) - last) < 1e-3 if drops["udp_drops"] == 0 else False
    handled = sent - drops["udp_drops"] - drops["rate_limited"]
    return {"offered_per_s": rate, "sent": sent, "handled": handled, **drops,
            "last_value_applied": applied, "load": after["load"],
            "ok": drops["udp_drops"] == drops["rate_limited"] == drops["underruns"] == 0
            and applied}


def run_daemon(rates: list[float], seconds: float, limit: float,
               label: str) -> list[dict[str, object]]:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        daemon = SubprocessDaemon(Path("default"), Path(scratch),
                                  extra=["--rate-limit", str(limit), "--latency-ms", "80"])
        try:
            client = daemon.udp()
            client.status()
            time.sleep(1.0)  # let the first seconds' settling pass
            for rate in rates:
                row = {"server": label, **daemon_step(daemon, client, rate, seconds)}
                rows.append(row)
                print_row(row)
                if not row["ok"]:
                    break
            client.close()
        finally:
            daemon.stop()
    return rows


# --------------------------------------------------------------------------- baseline
def sink_main(port_file: str) -> int:
    """The baseline server: python-osc's blocking UDP server, a handler that only counts;
    ``/count`` answers the count so far to its sender."""
    from pythonosc.dispatcher import Dispatcher
    from pythonosc.osc_server import BlockingOSCUDPServer

    counted = 0
    server: BlockingOSCUDPServer | None = None

    def count(address: str, *args: object) -> None:
        nonlocal counted
        counted += 1

    def answer(client: tuple[str, int], address: str, *args: object) -> None:
        assert server is not None
        server.socket.sendto(datagram("/count.reply", counted), client)

    dispatcher = Dispatcher()
    dispatcher.map("/latent", count)
    dispatcher.map("/count", answer, needs_reply_address=True)
    server = BlockingOSCUDPServer(("127.0.0.1", 0), dispatcher)
    Path(port_file).write_text(str(server.server_address[1]))
    server.serve_forever()
    return 0


def ask_count(port: int) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(10.0)
        s.sendto(datagram("/count"), ("127.0.0.1", port))
        return int(OscMessage(s.recvfrom(65536)[0]).params[0])


def run_baseline(rates: list[float], seconds: float) -> list[dict[str, object]]:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        port_file = Path(scratch) / "port"
        process = subprocess.Popen([sys.executable, __file__, "--sink", str(port_file)])
        try:
            deadline = time.monotonic() + 30
            while not port_file.is_file() or not port_file.read_text():
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the baseline server did not start")
                time.sleep(0.05)
            port = int(port_file.read_text())
            for rate in rates:
                before = ask_count(port)
                sent, _ = flood(port, rate, seconds)
                time.sleep(0.5)  # what the kernel holds is read by now, or dropped
                handled = ask_count(port) - before
                row = {"server": "python-osc (baseline)", "offered_per_s": rate, "sent": sent,
                       "handled": handled, "udp_drops": sent - handled, "rate_limited": 0,
                       "underruns": 0, "malformed": 0, "last_value_applied": None,
                       "load": None, "ok": handled == sent}
                rows.append(row)
                print_row(row)
                if not row["ok"]:
                    break
        finally:
            process.terminate()
            process.wait(10)
    return rows


def print_header() -> None:
    print(f"{'server':<28} {'offered/s':>9} {'sent':>7} {'handled':>7} {'udp drop':>8} "
          f"{'rate lim':>8} {'underrun':>8} {'load':>5}  result")


def print_row(row: dict[str, object]) -> None:
    load = "" if row["load"] is None else f"{float(row['load']):.2f}"  # type: ignore[arg-type]
    print(f"{row['server']:<28} {row['offered_per_s']:>9.0f} {row['sent']:>7} "
          f"{row['handled']:>7} {row['udp_drops']:>8} {row['rate_limited']:>8} "
          f"{row['underruns']:>8} {load:>5}  {'ok' if row['ok'] else 'DROPS'}", flush=True)


def sustained(rows: list[dict[str, object]], server: str) -> float:
    good = [float(r["offered_per_s"]) for r in rows if r["server"] == server and r["ok"]]
    return max(good, default=0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 s steps up to 8000/s")
    parser.add_argument("--json", type=Path, help="write the rows here too")
    parser.add_argument("--sink", help=argparse.SUPPRESS)  # the baseline server's process
    options = parser.parse_args(argv)
    if options.sink:
        return sink_main(options.sink)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    rates = [1000.0, 2000.0, 4000.0, 8000.0] + ([] if options.quick else [16000.0, 32000.0])
    seconds = 2.0 if options.quick else 5.0
    print(f"/latent i f over UDP from {SOCKETS} sockets of one host, {seconds:.0f} s a step; "
          "a step is ok with no kernel drop, no rate-limit drop, no underrun and the last "
          "value applied")
    print_header()
    rows = run_baseline(rates, seconds)
    rows += run_daemon(rates, seconds, 1_000_000.0, "latentd --rate-limit 1e6")
    rows += run_daemon([0.9 * DEFAULT_LIMIT], seconds, DEFAULT_LIMIT,
                       "latentd default limit (2000/s)")
    base = sustained(rows, "python-osc (baseline)")
    ours = sustained(rows, "latentd --rate-limit 1e6")
    print(f"sustained: latentd {ours:.0f}/s, python-osc baseline {base:.0f}/s "
          f"(ratio {ours / base if base else float('nan'):.2f}); default limit: "
          f"{'no valid message dropped at 90% of it' if rows[-1]['ok'] else 'DROPS below it'}")
    if options.json:
        options.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

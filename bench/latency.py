"""Latency bench: the smallest ring that plays without underruns on JACK, and what ``auto`` picks.

It starts a real ``jackd -d dummy -r 48000 -p 256`` (its own server name), then, round after
round and in a shuffled order each round, ``latentd serve`` on PortAudio's JACK device with each
candidate ``--latency-ms``: fixed sizes, ``auto``, and today's default (80 ms, the baseline). Each
run plays for ``--seconds`` while a client moves a latent 30 times a second (a performer on a
fader) and asks ``/status`` twice a second; an unrelated process notes how late its own 10 ms
sleeps wake (the machine's stalls, which no ring size controls). Counted per run, after the
first second:

* underruns: callbacks that found the ring short (``/status.reply`` ``underruns``)
* xruns: callbacks PortAudio flagged as output underflow, JACK's own xruns
  (``device_underflows``): the callback itself ran late, whatever the ring held

and it prints, per candidate, the ring it reported (target plus one chunk), the total latency,
the medians and maxima of both counts, the render load, and the worst machine stall. The smallest
fixed ring with no underrun in any run is the figure; ``auto`` holds when it had none either.

    python bench/latency.py [--quick] [--model default] [--seconds 20] [--rounds 3]
                            [--candidates auto,15,20,30,40,60,80]
"""

from __future__ import annotations

import argparse
import contextlib
import math
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the JACK plumbing the tests use (tests/support)

from support.jack import (  # noqa: E402
    PERIOD,
    RATE,
    JackServer,
    Osc,
    StallProbe,
    jack_output_device,
    start_daemon,
    stop_process,
    tail,
)

BASELINE = "80"  # today's default ring
SETTLE_SECONDS = 1.0  # the first second is not counted: the device and the ring settle


@dataclass
class Run:
    ring_ms: float
    latency_ms: float
    underruns: int
    xruns: int
    load: float
    load_peak: float
    stall_ms: float
    auto_line: str = ""


@dataclass
class Candidate:
    name: str
    runs: list[Run] = field(default_factory=list)


def performer(osc: Osc, stop: threading.Event, latent_size: int) -> list[dict[str, object]]:
    """Moves latent 0 at 30 Hz and polls /status at 2 Hz until ``stop``; returns the replies."""
    replies: list[dict[str, object]] = []
    step = 0
    while not stop.is_set():
        osc.send("/latent", step % max(1, latent_size), 1.5 * ((step % 60) / 30.0 - 1.0))
        step += 1
        if step % 15 == 0:
            with contextlib.suppress(AssertionError):  # a lost reply: the next one counts
                replies.append(osc.status(timeout=2.0))
        stop.wait(1 / 30)
    return replies


def one_run(jack: JackServer, device: int, model: str, candidate: str, seconds: float,
            block_frames: int, workdir: Path) -> Run:
    daemon = start_daemon(jack, model, device, workdir, block_frames, candidate)  # type: ignore[arg-type]
    try:
        with Osc(daemon.port) as osc:
            time.sleep(SETTLE_SECONDS)
            first = osc.status()
            probe = StallProbe(workdir)
            stop = threading.Event()
            replies: list[list[dict[str, object]]] = []
            thread = threading.Thread(
                target=lambda: replies.append(performer(osc, stop, int(first["latent_size"]))))
            thread.start()
            time.sleep(seconds)
            stop.set()
            thread.join()
            stall = probe.finish()
            last = osc.status()
        log = daemon.log.read_text(errors="replace")
        auto = re.search(r"ring target .*", log)
        peaks = [float(r["load_peak"]) for r in (replies[0] if replies else [])]
        if not daemon.alive():
            raise RuntimeError(f"latentd died during the run:\n{tail(daemon.log)}")
        return Run(ring_ms=float(last["latency_ring_ms"]), latency_ms=float(last["latency_ms"]),
                   underruns=int(last["underruns"]) - int(first["underruns"]),
                   xruns=int(last["device_underflows"]) - int(first["device_underflows"]),
                   load=float(last["load"]), load_peak=max(peaks, default=float("nan")),
                   stall_ms=stall, auto_line=auto.group(0) if auto else "")
    finally:
        stop_process(daemon.process)


def finite_median(values: Iterable[float]) -> float:
    """The median of the values that were measured (a stall probe that failed gives nan)."""
    finite = [v for v in values if math.isfinite(v)]
    return statistics.median(finite) if finite else math.nan


def report(candidates: list[Candidate], seconds: float) -> None:
    print(f"\n{'ring':>8} {'ring ms':>8} {'total ms':>9} {'runs':>5} {'underruns':>10} "
          f"{'(max)':>6} {'runs>0':>7} {'xruns':>6} {'(max)':>6} {'load':>6} {'peak':>6} "
          f"{'stall ms':>9}")
    for c in candidates:
        runs = c.runs
        if not runs:
            continue
        label = c.name + (" *" if c.name == BASELINE else "")
        med = statistics.median
        print(f"{label:>8} {med(r.ring_ms for r in runs):>8.1f} "
              f"{med(r.latency_ms for r in runs):>9.1f} {len(runs):>5} "
              f"{med(r.underruns for r in runs):>10.1f} {max(r.underruns for r in runs):>6} "
              f"{sum(r.underruns > 0 for r in runs):>7} {med(r.xruns for r in runs):>6.1f} "
              f"{max(r.xruns for r in runs):>6} {med(r.load for r in runs):>6.3f} "
              f"{med(r.load_peak for r in runs):>6.3f} "
              f"{finite_median(r.stall_ms for r in runs):>9.1f}")
    print(f"(* today's default; underruns and xruns per {seconds:g} s run, medians over runs; "
          "stall: an unrelated process's worst late wake-up, the machine's share)")
    fixed = [c for c in candidates if c.name != "auto" and c.runs]
    holding = [c for c in fixed if all(r.underruns == 0 for r in c.runs)]
    if holding:
        best = min(holding, key=lambda c: float(c.name))
        print(f"smallest fixed ring with no underrun in {len(best.runs)} runs: --latency-ms "
              f"{best.name} (reported ring {statistics.median(r.ring_ms for r in best.runs):.1f}"
              " ms)")
    else:
        print("no fixed ring held in every run")
    for c in candidates:
        if c.name == "auto" and c.runs:
            held = all(r.underruns == 0 for r in c.runs)
            targets = sorted({r.ring_ms for r in c.runs})
            print(f"auto: {'HELD' if held else 'UNDERRAN'} in {len(c.runs)} runs; reported ring "
                  f"{', '.join(f'{t:.1f}' for t in targets)} ms; its log said:")
            for line in sorted({r.auto_line for r in c.runs}):
                print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--block-frames", type=int, default=1)
    parser.add_argument("--candidates", default=f"auto,15,20,30,40,60,{BASELINE}")
    parser.add_argument("--quick", action="store_true", help="1 round of 8 s")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds = 1, 8.0
    names = [c.strip() for c in args.candidates.split(",") if c.strip()]
    if BASELINE not in names:
        names.append(BASELINE)
    candidates = {name: Candidate(name) for name in names}
    shuffle = random.Random(args.seed)
    print(f"jackd -d dummy -r {RATE} -p {PERIOD}; model {args.model}, {args.block_frames} latent "
          f"frame(s) per block; {args.rounds} rounds x {len(names)} candidates x "
          f"{args.seconds:g} s, shuffled each round")
    with tempfile.TemporaryDirectory(prefix="latentd-bench-latency-") as tmp:
        jack = JackServer(Path(tmp))
        jack.start()
        try:
            device = jack_output_device(jack.env)
            for round_ in range(args.rounds):
                order = list(names)
                shuffle.shuffle(order)
                for name in order:
                    workdir = Path(tmp) / f"{round_}-{name}"
                    workdir.mkdir()
                    run = one_run(jack, device, args.model, name, args.seconds,
                                  args.block_frames, workdir)
                    candidates[name].runs.append(run)
                    print(f"  round {round_ + 1} {name:>5}: ring {run.ring_ms:.1f} ms, "
                          f"underruns {run.underruns}, xruns {run.xruns}, load peak "
                          f"{run.load_peak:.3f}, stall {run.stall_ms:.1f} ms", flush=True)
        finally:
            jack.stop()
    report(list(candidates.values()), args.seconds)


if __name__ == "__main__":
    main()

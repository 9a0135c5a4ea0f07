"""The render thread beside a busy Python thread: how the interpreter's switch interval sets
what is left of real time.

    python bench/gil_contention.py [--seconds 3] [--rounds 3]

Every Python thread of the daemon runs under one lock (the GIL). The render thread gives it up
in each decode and wants it back at once; a thread that holds it meanwhile keeps it until its
switch interval runs out. ``latentd/engine/interpreter.py`` sets that interval; this measures
why. For the soak's tiny model (48 kHz, 4 latents, 256-sample blocks), a process runs the
engine's render steps (``Engine._mix`` then ``_account``, as the render thread does, no device)
for ``--seconds``: alone (the baseline), then beside one thread running pure Python, at
Python's default interval (5 ms), the 1 ms latentd used before, and latentd's interval now.
Each row is a fresh process; rounds alternate the rows; medians are shown.

Columns: render steps a second, the real-time factor (audio rendered per second of wall time;
below 1 the ring runs dry), its ratio to the baseline, CPU time per step of the render thread,
and how many loops the busy thread ran a second (what the shorter interval costs it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

from latentd.engine.interpreter import SWITCH_INTERVAL_SECONDS

RATE = 48000
ROWS = [("alone (baseline)", None, False), ("busy thread, 5 ms (Python's default)", 0.005, True),
        ("busy thread, 1 ms (latentd before)", 0.001, True),
        (f"busy thread, {1e3 * SWITCH_INTERVAL_SECONDS:g} ms (latentd now)",
         SWITCH_INTERVAL_SECONDS, True)]

CHILD = r"""
import json, sys, tempfile, threading, time
from pathlib import Path
import torch
from latentd.audio.null import NullBackend
from latentd.engine.engine import Engine, EngineSettings
from latentd.models.checkpoint_synth import LatentdSynth
from latentd.models.rave import RaveConfig, RaveModel

seconds, interval, busy = float(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3] == "1"
torch.manual_seed(0)
torch.set_num_threads(1)
synth = LatentdSynth(RaveModel(RaveConfig.tiny(sample_rate=48000, noise=False, bands=4,
                                               ratios=(4, 4), capacity=4, latent_size=4)), "tiny")
synth.warm_up(4)
folder = Path(tempfile.mkdtemp())
engine = Engine(synth, NullBackend(synth.sample_rate, synth.channels, 256),
                EngineSettings(block_frames=4, presets_dir=folder / "p",
                               recordings_dir=folder / "r"))
if interval is not None:
    sys.setswitchinterval(interval)
stop, loops = threading.Event(), [0]

def spin():
    total = 0
    while not stop.is_set():
        for i in range(200):
            total += i * i
        loops[0] += 1

if busy:
    threading.Thread(target=spin, daemon=True).start()
with torch.inference_mode():
    for _ in range(50):
        engine._mix()
    wall0, cpu0, steps, frames = time.perf_counter(), time.thread_time(), 0, 0
    while time.perf_counter() - wall0 < seconds:
        chunk = engine.live_input.with_dry(engine._mix())
        engine._account(chunk)
        steps, frames = steps + 1, frames + len(chunk)
    wall, cpu = time.perf_counter() - wall0, time.thread_time() - cpu0
stop.set()
print(json.dumps({"steps_per_s": steps / wall, "realtime": frames / wall / 48000,
                  "cpu_ms_per_step": 1e3 * cpu / steps, "busy_loops_per_s": loops[0] / wall}))
"""


def measure(seconds: float, interval: float | None, busy: bool) -> dict[str, float]:
    result = subprocess.run([sys.executable, "-c", CHILD, str(seconds), json.dumps(interval),
                             "1" if busy else "0"], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {name: [] for name, _, _ in ROWS}
    for _ in range(args.rounds):
        for name, interval, busy in ROWS:
            runs[name].append(measure(args.seconds, interval, busy))

    def median(name: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[name])

    base = median(ROWS[0][0], "realtime")
    print(f"{'render steps (tiny model, 256-sample blocks)':40s} {'steps/s':>8s} "
          f"{'x real time':>11s} {'vs alone':>9s} {'CPU ms/step':>12s} {'busy loops/s':>13s}")
    for name, _, busy in ROWS:
        loops = f"{median(name, 'busy_loops_per_s'):13.0f}" if busy else f"{'-':>13s}"
        print(f"{name:40s} {median(name, 'steps_per_s'):8.0f} {median(name, 'realtime'):11.2f} "
              f"{median(name, 'realtime') / base:9.2f} {median(name, 'cpu_ms_per_step'):12.3f} "
              f"{loops}")
    print(f"medians of {args.rounds} rounds of {args.seconds:g} s; this machine: "
          f"python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

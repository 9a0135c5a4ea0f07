"""Startup: time from ``latentd serve`` to first sound, and resident memory, per model.

    python bench/startup.py [--quick] [--json PATH]

For the bundled default model and a latentd model at RAVE v2 scale (16 latents, 2048 samples a
frame, 15M-parameter decoder and 11M-parameter encoder, untrained: the weights' values do not
change the cost), it starts the real ``python -m latentd serve`` on the null output (real-time
pacing, no device) and times, from the process's start, the ``playing`` line: it is logged once
the model is loaded, streamified, warmed up, the ring holds its first block and the output has
started, i.e. the moment the first sound goes out. It then lets the daemon play for 3 s and
reads its resident memory (``VmRSS``), its peak (``VmHWM``) and its underruns.

The baseline, in the same run, is a Python process that only imports torch and latentd's daemon
(``latentd.daemon.serve``): the interpreter and library start and the memory every daemon pays
before any model. Rounds alternate the three; medians are shown.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the daemon plumbing the tests use
sys.path.insert(0, str(ROOT / "bench"))

from support.osc import SubprocessDaemon  # noqa: E402

PLAY_SECONDS = 3.0
BASELINE_CODE = ("import re, pathlib; import torch, latentd.daemon.serve; "
                 "s = pathlib.Path('/proc/self/status').read_text(); "
                 "print(re.search(r'VmRSS:\\s+(\\d+)', s)[1], "
                 "re.search(r'VmHWM:\\s+(\\d+)', s)[1])")


def memory_kib(pid: int) -> tuple[int, int]:
    text = Path(f"/proc/{pid}/status").read_text()
    rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
    peak = re.search(r"^VmHWM:\s+(\d+) kB", text, re.M)
    assert rss and peak
    return int(rss.group(1)), int(peak.group(1))


def rave_v2_checkpoint(folder: Path) -> Path:
    import torch
    from engine import RAVE_V2_CODEC  # bench/engine.py's definition of the architecture

    from latentd.models.checkpoint import save_checkpoint
    from latentd.models.rave import RaveModel

    torch.manual_seed(0)
    path = folder / "rave_v2_scale.ckpt"
    save_checkpoint(path, RaveModel(RAVE_V2_CODEC))
    return path


def baseline() -> dict[str, float]:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", BASELINE_CODE], capture_output=True, text=True,
                         check=True, timeout=300).stdout.split()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rss_mib": int(out[0]) / 1024, "peak_mib": int(out[1]) / 1024,
            "underruns": 0}


def serve(model: Path, root: Path) -> dict[str, float]:
    started = time.perf_counter()
    daemon = SubprocessDaemon(model, root, extra=["--latency-ms", "auto"])
    seconds = time.perf_counter() - started
    try:
        time.sleep(PLAY_SECONDS)
        rss, peak = memory_kib(daemon.pid)
        client = daemon.udp()
        underruns = int(client.status()["underruns"])
        client.close()
    finally:
        daemon.stop()
    return {"seconds": seconds, "rss_mib": rss / 1024, "peak_mib": peak / 1024,
            "underruns": underruns}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one round instead of three")
    parser.add_argument("--json", type=Path, help="write the rows here too")
    options = parser.parse_args(argv)
    rounds = 1 if options.quick else 3
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        big = rave_v2_checkpoint(root)
        runs: dict[str, list[dict[str, float]]] = {
            "python + torch + latentd (baseline)": [], "serve default": [],
            "serve rave_v2_scale": []}
        for k in range(rounds):
            runs["python + torch + latentd (baseline)"].append(baseline())
            runs["serve default"].append(serve(Path("default"), root / f"d{k}"))
            runs["serve rave_v2_scale"].append(serve(big, root / f"r{k}"))
    rows = []
    for name, samples in runs.items():
        row = {"what": name, **{key: round(statistics.median(s[key] for s in samples), 2)
                                for key in ("seconds", "rss_mib", "peak_mib")},
               "underruns": max(int(s["underruns"]) for s in samples)}
        rows.append(row)
    base = rows[0]
    print(f"medians of {rounds} round(s); time to the 'playing' line (first block out), "
          f"memory after {PLAY_SECONDS:.0f} s of play")
    print(f"{'':<36} {'seconds':>8} {'x base':>7} {'RSS MiB':>8} {'+ base':>7} "
          f"{'peak MiB':>9} {'underruns':>9}")
    for row in rows:
        print(f"{row['what']:<36} {row['seconds']:>8.2f} "
              f"{row['seconds'] / base['seconds']:>7.2f} {row['rss_mib']:>8.0f} "
              f"{row['rss_mib'] - base['rss_mib']:>+7.0f} {row['peak_mib']:>9.0f} "
              f"{row['underruns']:>9}")
    if options.json:
        options.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

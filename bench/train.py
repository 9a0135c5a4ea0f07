"""Training throughput on this machine: steps/s of a recipe (default: ``default``) on the CPU
with one process and with two under torchrun (gloo), and the loader's crops/s against what the
step consumes, so a user sees whether data or compute is the limit.

Both runs train the same global batch (``--batch`` crops: one process with all of them, two
with half each), each with its share of the cores (``--threads`` for one process, half for
each of two), on a synthetic dataset of decaying tones and noise (or ``--data``). A step's rate
is read from the trainer's own per-step log line (``--log-seconds 0``); the table gives the
median after ``--warmup`` steps, and ratios against the one-process run measured in the same
invocation (the baseline). The loader rows time ``loader.crop_loader`` alone over the same
crops with 0 and 2 loader processes.

Run: ``.venv/bin/python bench/train.py [--recipe default] [--steps 8] [--warmup 2]
[--repeats 2]``.
It prints a table; it passes or fails nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
TORCHRUN = str(Path(PYTHON).with_name("torchrun"))
RATE_LINE = re.compile(r"^step\s+(\d+)\s+.*?([\d.]+) step/s", re.MULTILINE)


def synthetic_dataset(root: Path, clips: int = 24, seconds: float = 3.0) -> Path:
    """Decaying tones with a little noise, built into a dataset by ``latentd dataset wav``."""
    import numpy as np
    import soundfile

    source = root / "source"
    source.mkdir(parents=True)
    rate = 44100
    t = np.arange(int(seconds * rate)) / rate
    rng = np.random.default_rng(0)
    for number in range(clips):
        tone = np.sin(2 * np.pi * 55 * 2 ** (number / 12) * t) * np.exp(-2 * t)
        audio = 0.3 * tone + 0.01 * rng.standard_normal(len(t))
        soundfile.write(source / f"{number}.wav", audio.astype(np.float32), rate)
    subprocess.run([PYTHON, "-m", "latentd", "dataset", "wav", str(source), "-o",
                    str(root / "data"), "--chunk-seconds", "1.5"], check=True,
                   capture_output=True)
    return root / "data"


def training_rate(command: list[str], warmup: int) -> tuple[float, str]:
    """Median steps/s after ``warmup`` steps, from the trainer's per-step log lines."""
    result = subprocess.run(command, capture_output=True, text=True, env={
        **os.environ, "OMP_WAIT_POLICY": "PASSIVE"})
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    rates = [float(rate) for step, rate in RATE_LINE.findall(result.stdout)
             if int(step) > warmup]
    if not rates:
        raise SystemExit(f"no step lines after the warm-up:\n{result.stdout[-2000:]}")
    return statistics.median(rates), result.stdout


def loader_rate(data: Path, recipe: str, batch: int, workers: int, batches: int) -> float:
    """Crops/s that ``crop_loader`` delivers with ``workers`` loader processes."""
    from latentd.train.audio_cache import cached_split
    from latentd.train.data import CropPlanner
    from latentd.train.loader import CropDataset, PlannedBatches, crop_loader
    from latentd.train.recipes import RECIPES

    crop = RECIPES[recipe].crop
    split = cached_split(data, "train", RECIPES[recipe].model.sample_rate, log=lambda _: None)
    planner = CropPlanner(list(split.lengths), crop, seed=0)
    loader = iter(crop_loader(CropDataset(split, crop), PlannedBatches(planner, batch, 0, 1, 0),
                              workers, pin_memory=False))
    next(loader)  # workers started
    start = time.perf_counter()
    for _ in range(batches):
        next(loader)
    return batches * batch / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipe", default="default")
    parser.add_argument("--data", type=Path, default=None, help="dataset (default: synthetic)")
    parser.add_argument("--steps", type=int, default=8, help="measured steps per run")
    parser.add_argument("--warmup", type=int, default=2, help="steps left out of the median")
    parser.add_argument("--batch", type=int, default=8, help="global batch (crops per step)")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads in all")
    parser.add_argument("--repeats", type=int, default=2,
                        help="runs of each, alternated; the table gives their median")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="latentd-bench-train-") as folder:
        root = Path(folder)
        os.environ["XDG_CACHE_HOME"] = str(root / "cache")
        data = args.data or synthetic_dataset(root)
        total = args.warmup + args.steps
        common = ["train", "--data", str(data), "--recipe", args.recipe, "--max-steps",
                  str(total), "--log-seconds", "0", "--device", "cpu", "--save-minutes", "1000"]
        ones, twos = [], []
        for _ in range(args.repeats):  # alternated, so that load from elsewhere hits both
            rate, log = training_rate([PYTHON, "-m", "latentd", *common, "-o",
                                       str(root / "1.ckpt"), "--batch-size", str(args.batch),
                                       "--threads", str(args.threads)], args.warmup)
            ones.append(rate)
            rate, _ = training_rate([TORCHRUN, "--standalone", "--nproc-per-node", "2", "-m",
                                     "latentd", *common, "-o", str(root / "2.ckpt"),
                                     "--batch-size", str(args.batch // 2), "--threads",
                                     str(max(1, args.threads // 2))], args.warmup)
            twos.append(rate)
        one, two = statistics.median(ones), statistics.median(twos)
        consumed = one * args.batch
        loaders = {workers: loader_rate(data, args.recipe, args.batch, workers, 50)
                   for workers in (0, 2)}
    model_line = next((line for line in log.splitlines() if line.startswith("model:")), "")
    print(f"recipe {args.recipe}, global batch {args.batch}, {args.threads} threads in all, "
          f"{os.cpu_count()} logical cores, load average {os.getloadavg()[0]:.1f}; median "
          f"of {args.steps} steps after {args.warmup}, median of {args.repeats} runs\n"
          f"{model_line}\n")
    print(f"{'run':<40}{'steps/s':>10}{'crops/s':>10}{'vs 1 rank':>11}")
    print(f"{'1 process (baseline)':<40}{one:>10.3f}{consumed:>10.1f}{1.0:>10.2f}x")
    print(f"{'2 ranks, torchrun + gloo, DDP':<40}{two:>10.3f}{two * args.batch:>10.1f}"
          f"{two / one:>10.2f}x")
    for workers, rate in loaders.items():
        label = f"loader alone, {workers} loader processes"
        print(f"{label:<40}{'':>10}{rate:>10.0f}{rate / consumed:>10.0f}x"
              "  (of what 1 process consumes)")


if __name__ == "__main__":
    main()

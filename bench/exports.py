"""RAVE exports: the raw export call against latentd's rebuilt model (issue 21).

For each export given: the decode of 1, 2, 4 and 8 latent frames per call, one thread, the
export's own ``decode`` and the rebuilt model's, interleaved in one run (the ratio is from the
same run), medians of ``--calls`` calls after a warm-up; and the equality check
(``latentd.models.rave_rebuild.check``) per method. Exports are files made by RAVE's export
script (``/work/shared/tools/rave-exports/build.sh``), never part of the repository.

    .venv/bin/python bench/exports.py /work/rave-exports/*.ts --calls 30
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import torch

from latentd.models.rave_rebuild import rebuild
from latentd.models.rave_rebuild.cached import zero_caches
from latentd.models.rave_rebuild.check import METHODS, relative_error
from latentd.models.rave_rebuild.latency import decode_latency

FRAMES = (1, 2, 4, 8)
WARM = 5


def _times(call, z: torch.Tensor, calls: int) -> list[float]:
    out = []
    for _ in range(calls):
        start = time.perf_counter()
        call(z)
        out.append(time.perf_counter() - start)
    return out


def bench(path: Path, calls: int) -> None:
    export = torch.jit.load(str(path)).eval()
    rebuilt = rebuild(export)
    latent, ratio = int(export.decode_params[0]), int(export.decode_params[1])
    rate = int(export.sr)
    errors = {m: relative_error(export, rebuilt, m) for m in METHODS}
    latency = decode_latency(export, int(export.full_latent_size))
    latency_text = "unknown" if latency is None else f"{latency} samples " \
        f"({1000 * latency / rate:.0f} ms)"
    print(f"\n{path.name}: latent {latent}, {ratio} samples/frame, decode latency "
          f"{latency_text} (the rebuilt stream equals the export's: same latency)")
    print("  max error / peak: " + ", ".join(f"{m} {e:.1e}" for m, e in errors.items()))
    print(f"  {'frames':>6} {'export ms':>10} {'rebuilt ms':>11} {'ratio':>6} {'x real time':>12}")
    zero_caches(export)
    rebuilt.reset()
    with torch.inference_mode():
        for frames in FRAMES:
            z = torch.randn(1, latent, frames)
            for _ in range(WARM):
                export.decode(z)
                rebuilt.decode(z)
            theirs: list[float] = []
            ours: list[float] = []
            for _ in range(calls // 5):  # interleaved, so that load changes hit both alike
                theirs += _times(export.decode, z, 5)
                ours += _times(rebuilt.decode, z, 5)
            a, b = statistics.median(theirs), statistics.median(ours)
            real_time = frames * ratio / rate / b
            print(f"  {frames:>6} {1000 * a:>10.2f} {1000 * b:>11.2f} {a / b:>6.2f} "
                  f"{real_time:>12.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exports", nargs="+", type=Path)
    parser.add_argument("--calls", type=int, default=30)
    args = parser.parse_args()
    torch.set_num_threads(1)
    for path in args.exports:
        bench(path, args.calls)


if __name__ == "__main__":
    main()

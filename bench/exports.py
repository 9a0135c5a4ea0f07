"""RAVE exports: the raw export call against latentd's rebuilt model (issue 21).

For each export given: the decode of 1, 2, 4 and 8 latent frames per call, one thread, the
export's own ``decode`` and the rebuilt model's, interleaved in one run (the ratio is from the
same run), medians of ``--calls`` calls after a warm-up; and the equality check
(``latentd.models.rave_rebuild.check``) per method. Exports are files made by RAVE's export
script (``/work/shared/tools/rave-exports/build.sh``), never part of the repository.

    .venv/bin/python bench/exports.py /work/rave-exports/*.ts --calls 30

Last run (2026-12-02, after 5f7bb45): RAVE 2.3.1's own exports, untrained, on the shared
2-core Intel Xeon host (single-core read bandwidth 8.7 GB/s by ``Tensor.sum``; load average 1.3
to 1.7 from other work), ``--calls 20``, two runs: medians of the two, the ratio the median of
the two runs' ratios. Export ms/rebuilt ms ratio; latency in samples at 44.1 kHz (v1 has
its noise generator, not warmed up). Max error / peak of decode, encode and
forward: 7.9e-7 to 1.3e-6 (4.3e-8 to 8.1e-8 for encode) on every export.

export          1 frame          2 frames         4 frames         8 frames         latency
v2              15.6/11.0 1.41x  24.4/14.2 1.71x  31.1/20.7 1.50x  41.6/29.3 1.42x  12512
v2 causal       17.0/11.6 1.46x  26.3/14.5 1.83x  31.5/20.1 1.57x  39.2/26.2 1.50x  1696
v2 noise        17.7/13.0 1.36x  33.6/19.6 1.71x  34.5/26.1 1.33x  42.8/35.0 1.22x  12512
v2 snake        16.8/11.7 1.44x  25.0/14.4 1.73x  29.8/20.0 1.48x  38.2/27.5 1.40x  12512
v2_small        5.8/5.6 1.04x    8.1/6.3 1.27x    8.8/8.0 1.10x    10.3/10.3 1.00x  5024
v2_small noise  5.7/5.2 1.08x    8.0/6.0 1.33x    8.8/7.4 1.20x    9.8/8.6 1.15x    5024
v1              13.7/11.1 1.24x  23.6/13.6 1.73x  32.0/21.0 1.54x  48.4/32.5 1.48x  17040
raspberry       3.0/2.4 1.28x    3.9/3.1 1.26x    5.1/4.1 1.26x    7.3/5.7 1.28x    16064

On this host one frame of v1 reads 51 MB of decoder weights (v2: 62 MB), 5.8 ms (7.1 ms) at the
``Tensor.sum`` bandwidth, 4.3 ms at MKL's matrix-vector speed (12 GB/s): so v1's export at
13.7 ms leaves at most 2.4-3.2x. The rebuilt decode spends about two thirds of its time in the
products, whose 4-row ones run at about 5.6 GB/s (MKL, either layout), and a third in the
streaming glue (cat, copies, slices, activations, TorchScript's interpreter). The README's earlier
table (v2 2.58x, v1 1.86x) came from another host (its Performance section names an AMD EPYC),
where the export was slower (v2 21.1 ms at 1 frame) and the rebuild faster (8.2 ms).
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

"""Real-time factor: seconds of audio decoded per second of compute, per latent frames per block.

    python bench/realtime_factor.py [--quick] [--threads 1] [--json PATH]

For the bundled default model (latentd's own checkpoint, as ``latentd serve`` plays it) and a
RAVE-v2-scale decoder (``bench/decoders.py``: 15M parameters, 16 latents, 2048 samples a
frame, random weights: weights' values do not change the cost), it times streaming decode at
1, 2, 4 and 8 latent frames per block against the baseline, offline decode of the same
decoder in one call over the same audio. Above 1 is faster than real time; a render thread
needs well above 1 to leave room for everything else. Both clocks are shown: wall time (what
a deadline sees) and process CPU time (the steadier one on a shared machine). Rounds alternate
baseline and every block size, and the table gives medians over rounds; the ratio column is the
median of per-round CPU-time ratios to offline, so outside load hits both sides.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from decoders import RAVE_V2_SCALE, SAMPLE_RATE, rave_v2_scale

BLOCKS = (1, 2, 4, 8)


def timed(call: Callable[[], object], least_seconds: float) -> tuple[float, float]:
    """(wall, process CPU) seconds per call, repeating until ``least_seconds`` of wall time
    passed (at least twice). CPU time leaves out the time this process waited for a core
    while other work ran: on a shared machine it is the steadier measure (one torch thread)."""
    calls, started, cpu = 0, time.perf_counter(), time.process_time()
    while True:
        call()
        calls += 1
        spent = time.perf_counter() - started
        if calls >= 2 and spent >= least_seconds:
            return spent / calls, (time.process_time() - cpu) / calls


def default_model() -> tuple[str, torch.nn.Module, torch.nn.Module, int, int, int]:
    """(name, offline decoder, streaming decode, latent size, samples per frame, rate)."""
    from latentd.models.checkpoint_synth import LatentdSynth
    from latentd.models.registry import bundled_default

    path = bundled_default()
    if path is None:
        raise SystemExit("the bundled default model is missing from the checkout")
    synth = LatentdSynth.from_checkpoint(path)
    config = synth.model.config
    return ("default", synth.model.decoder, synth.decoder_stream, config.latent_size,
            synth.ratio, synth.sample_rate)


def rave_scale() -> tuple[str, torch.nn.Module, torch.nn.Module, int, int, int]:
    from latentd.stream import streamify

    decoder = rave_v2_scale()
    stream = torch.jit.script(streamify(decoder))
    return ("rave_v2_scale", decoder, stream, RAVE_V2_SCALE.latent,
            RAVE_V2_SCALE.samples_per_frame, SAMPLE_RATE)


def measure(model: tuple, rounds: int, seconds: float, least: float) -> list[dict[str, object]]:
    name, offline, stream, latent, ratio, rate = model
    frames = max(8, round(seconds * rate / ratio) // 8 * 8)
    audio_seconds = frames * ratio / rate
    z = torch.randn(1, latent, frames) * 0.5
    keys = ["offline", *(f"block {b}" for b in BLOCKS)]
    samples: dict[str, list[float]] = {key: [] for key in keys}
    cpu: dict[str, list[float]] = {key: [] for key in keys}
    ratios: dict[str, list[float]] = {key: [] for key in keys}
    for round_index in range(rounds):
        base, base_cpu = timed(lambda: offline(z), least)
        samples["offline"].append(audio_seconds / base)
        cpu["offline"].append(audio_seconds / base_cpu)
        order = list(BLOCKS[round_index % len(BLOCKS):] + BLOCKS[:round_index % len(BLOCKS)])
        for block in order:
            chunks = [z[..., i:i + block] for i in range(0, frames, block)]

            def play(chunks: list[torch.Tensor] = chunks) -> None:
                for chunk in chunks:
                    stream(chunk)

            wall, process = timed(play, least)
            samples[f"block {block}"].append(audio_seconds / wall)
            cpu[f"block {block}"].append(audio_seconds / process)
            ratios[f"block {block}"].append(audio_seconds / process / cpu["offline"][-1])
    rows = [{"model": name, "method": "offline (baseline)", "frames_per_block": frames,
             "block_ms": round(1000 * audio_seconds, 1),
             "rtf": round(statistics.median(samples["offline"]), 2),
             "rtf_cpu": round(statistics.median(cpu["offline"]), 2), "vs_offline": 1.0}]
    for block in BLOCKS:
        key = f"block {block}"
        rows.append({"model": name, "method": "streaming", "frames_per_block": block,
                     "block_ms": round(1000 * block * ratio / rate, 1),
                     "rtf": round(statistics.median(samples[key]), 2),
                     "rtf_cpu": round(statistics.median(cpu[key]), 2),
                     "vs_offline": round(statistics.median(ratios[key]), 3)})
    return rows


def print_rows(rows: list[dict[str, object]]) -> None:
    print(f"{'model':<14} {'method':<19} {'frames/block':>12} {'block ms':>9} "
          f"{'RTF (wall)':>10} {'RTF (cpu)':>10} {'cpu vs offline':>14}")
    for row in rows:
        print(f"{row['model']:<14} {row['method']:<19} {row['frames_per_block']:>12} "
              f"{row['block_ms']:>9} {row['rtf']:>10.2f} {row['rtf_cpu']:>10.2f} "
              f"{row['vs_offline']:>14.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 rounds of 1 s of audio")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write the rows here too")
    options = parser.parse_args(argv)
    torch.set_num_threads(options.threads)
    rounds, seconds, least = (2, 1.0, 0.05) if options.quick else (7, 6.0, 0.5)
    rows: list[dict[str, object]] = []
    with torch.inference_mode():
        for build in (default_model, rave_scale):
            rows += measure(build(), rounds, seconds, least)
    print(f"torch threads {options.threads}; medians of {rounds} rounds; real-time factor = "
          "seconds of audio per second of compute (> 1: faster than real time)")
    print_rows(rows)
    if options.json:
        options.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

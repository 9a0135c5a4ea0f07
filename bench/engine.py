"""Engine benchmark: render load per block size, against the model's raw decode.

For each model and block size it times, in interleaved rounds:

* raw decode: ``synth.decode`` of one block of latent frames, nothing around it
* engine: one block's worth of the engine's own loop (queued calls and swaps, events, source,
  glide, decode, output stage, meters, ring write and read), as the render thread runs it,
  without the thread

and prints seconds of compute per second of audio (the render load), and the engine's overhead
over raw decode. Goal: at most 10% at one latent frame per block.

    python bench/engine.py [--quick] [--threads 1] [--blocks 1,2,4,8] [--evict-mb 64]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parent))

from decoders import rave_v2_scale

from latentd.audio.null import NullBackend
from latentd.engine.engine import Engine, EngineSettings
from latentd.models.checkpoint_synth import LatentdSynth
from latentd.models.rave import RaveModel
from latentd.models.registry import bundled_default
from latentd.models.synth import NoAttributes, Synth
from latentd.stream import streamify
from latentd.train.recipes import DEFAULT_MODEL


class DecoderSynth(Synth):
    """A bare streamed decoder as a Synth, for decoders that are not latentd models."""

    fresh_output = True  # a streamify graph builds a new output tensor every block

    def __init__(self, decoder: torch.nn.Module, name: str, latent: int, sample_rate: int):
        stream = streamify(decoder)
        self.name, self.sample_rate, self.latent_size = name, sample_rate, latent
        self.ratio, self.channels, self.latency = int(stream.ratio), 1, stream.latency
        self.methods, self.attributes = ["decode"], NoAttributes()
        self._stream = torch.jit.script(stream)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self._stream(z)

    def reset(self) -> None:
        self._stream.reset()


def models() -> list[Synth]:
    default_path = bundled_default()
    if default_path is not None:
        default = LatentdSynth.from_checkpoint(default_path)
    else:  # untrained weights cost exactly the same to run
        torch.manual_seed(0)
        default = LatentdSynth(RaveModel(DEFAULT_MODEL), "default (untrained weights)")
    big = rave_v2_scale()
    return [default, DecoderSynth(big, "rave_v2_scale", 16, 44100)]


def time_pairs(synth: Synth, engine: Engine, frames: int, repeats: int,
               evict: np.ndarray | None = None) -> tuple[float, float]:
    """Median seconds per block of raw decode and of the engine's loop, timed in alternation.

    Raw decode and the engine step take turns call by call, so both meet the same machine load
    (this machine is shared and noisy); the engine step pulls one block in device-sized chunks.
    ``evict``, when given, is read (untimed) before each timed call, so that both start with
    cold caches, as on a machine whose last-level cache busy neighbours keep flushing.
    """
    z = torch.zeros(1, synth.latent_size, frames)
    block = frames * synth.ratio
    chunk = engine.chunk_frames
    scratch = np.zeros((chunk, engine.backend.channels), np.float32)
    chunks = max(1, block // chunk)
    raw, eng = [], []
    for _ in range(repeats):
        if evict is not None:
            evict.sum()
        start = time.perf_counter()
        synth.decode(z)
        raw.append(time.perf_counter() - start)
        if evict is not None:
            evict.sum()
        middle = time.perf_counter()
        for _ in range(chunks):
            engine._service()
            engine.ring.write(engine._next_chunk(chunk))
            engine.ring.read_into(scratch)
        end = time.perf_counter()
        eng.append((end - middle) * block / (chunks * chunk))
    return statistics.median(raw), statistics.median(eng)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--blocks", default="1,2,4,8")
    parser.add_argument("--evict-mb", type=int, default=0,
                        help="read this many MB between timed calls, to measure with cold "
                             "caches (e.g. 64, above the last-level cache)")
    args = parser.parse_args()
    evict = np.ones(args.evict_mb * 2**18, np.float32) if args.evict_mb > 0 else None
    torch.set_num_threads(args.threads)
    blocks = [int(b) for b in args.blocks.split(",")]
    rounds, repeats = (5, 100) if args.quick else (9, 300)
    print(f"torch threads {args.threads}; medians of {rounds} rounds of {repeats} alternating "
          "raw/engine calls" + (f", {args.evict_mb} MB read before each" if evict is not None
                                else ""))
    with torch.inference_mode():
        for synth in models():
            audio = synth.ratio / synth.sample_rate
            print(f"\n== {synth.name}: {synth.ratio} samples/frame at {synth.sample_rate} Hz, "
                  f"latent {synth.latent_size}")
            print(f"   {'frames/block':>12} {'raw decode s/s':>15} {'engine s/s':>11} "
                  f"{'engine load':>11} {'overhead':>9}")
            for frames in blocks:
                backend = NullBackend(synth.sample_rate, 1, min(256, frames * synth.ratio))
                engine = Engine(synth, backend, EngineSettings(block_frames=frames,
                                                               torch_threads=args.threads))
                synth.warm_up(frames)
                raw, eng, ratio = [], [], []
                for _ in range(rounds):
                    r, e = time_pairs(synth, engine, frames, repeats, evict)
                    raw.append(r)
                    eng.append(e)
                    ratio.append(e / r)
                block_seconds = frames * audio
                r, e = statistics.median(raw), statistics.median(eng)
                print(f"   {frames:>12} {r / block_seconds:>15.4f} {e / block_seconds:>11.4f} "
                      f"{e / block_seconds:>10.1%} {statistics.median(ratio) - 1:>+9.1%}")
                if frames == 1:
                    overhead = statistics.median(ratio) - 1
                    verdict = "PASS" if overhead <= 0.10 else "FAIL"
                    print(f"   [{verdict}] engine adds {overhead:+.1%} over raw decode at 1 "
                          "latent frame per block (goal <= +10%)")


if __name__ == "__main__":
    main()

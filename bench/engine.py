"""Engine benchmark: render load per block size, against the model's raw decode.

For each model and block size it times, in interleaved rounds:

* raw decode: ``synth.decode`` of one block of latent frames, nothing around it
* engine: one block's worth of the engine's own loop (queued calls and swaps, events, source,
  glide, decode, output stage, meters, ring write and read), as the render thread runs it,
  without the thread

and prints seconds of compute per second of audio (the render load), and the engine's overhead
over raw decode. Goal: at most 10% at one latent frame per block.

The input path (issue 19), at one latent frame per block, for the models that can encode (the
default model, a latentd model at RAVE v2 scale with its encoder, and RAVE's own export when the
fixture is beside the repository): the engine's step with ``/source input`` against the same
step with ``manual``, timed in alternation with the raw ``synth.encode`` of one block. The input
is a looping tone file at the model's rate, read as ``latentd render --input`` reads it
(``WavInput``, offline), so the difference is the encoder and the input stage's conversion.

Voices (issue 20), at one latent frame per block, on the default model and the RAVE-v2-scale
decoder: the engine's step with 1, 2, 4 and 8 voices (each its own latents, one batched
decode), timed in alternation with the same step of a one-voice engine, so the ratio meets the
same machine load; and the raw decode at N rows against the decode at the maximum (8), which
is what keeping the batch at its maximum with idle voices costs instead of regrouping the state
to the live count (the regroup itself is timed too). Goal: 4 voices <= 1.5x one voice on the
RAVE-v2-scale decoder, <= 2x on the default model.

    python bench/engine.py [--quick] [--threads 1] [--blocks 1,2,4,8] [--evict-mb 64]
                           [--input-only | --no-input | --voices-only | --no-voices]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parent))

from decoders import rave_v2_scale

from latentd.audio.null import NullBackend
from latentd.audio.wav_input import WavInput
from latentd.engine.controls import Event, VoiceState
from latentd.engine.engine import Engine, EngineSettings
from latentd.models.checkpoint_synth import LatentdSynth
from latentd.models.rave import RaveConfig, RaveModel
from latentd.models.registry import bundled_default, load_synth
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

    def regroup(self, rows: Sequence[int | None]) -> bool:
        return bool(self._stream.regroup([-1 if row is None else row for row in rows]))


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


# latentd's architecture at RAVE v2 scale: 16 latents, 2048 samples per frame, a 15.3M-parameter
# decoder (as decoders.RAVE_V2_SCALE) and an 11.0M-parameter encoder
RAVE_V2_CODEC = RaveConfig(latent_size=16, bands=16, ratios=(4, 4, 4, 2), capacity=80)
RAVE_EXPORT = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "rave" \
    / "rave_raspberry_streaming.ts"


def encoding_models() -> list[Synth]:
    """The models the input path is measured on: each can encode."""
    found = [m for m in models() if "encode" in m.methods]
    torch.manual_seed(0)
    found.append(LatentdSynth(RaveModel(RAVE_V2_CODEC), "rave_v2_scale (latentd, untrained)"))
    if RAVE_EXPORT.is_file():
        found.append(load_synth(RAVE_EXPORT))
    return found


def tone(synth: Synth, seconds: float = 2.0) -> np.ndarray:
    """A harmonic 220 Hz tone (frames, channels) at the model's rate: something to encode that
    is not silence (an encoder's pitch tracker may cost more on a tone than on silence)."""
    t = np.arange(round(seconds * synth.sample_rate)) / synth.sample_rate
    wave = sum(0.3 / k * np.sin(2 * np.pi * 220 * k * t) for k in range(1, 6))
    return np.repeat(np.asarray(wave)[:, None], synth.channels, axis=1).astype(np.float32)


def tone_file(folder: Path, synth: Synth) -> Path:
    import soundfile

    path = folder / f"tone-{synth.sample_rate}-{synth.channels}.wav"
    soundfile.write(path, tone(synth), synth.sample_rate, subtype="FLOAT")
    return path


def engine_step(engine: Engine, scratch: np.ndarray, chunks: int,
                clock: Callable[[], float] = time.perf_counter) -> float:
    """Seconds for one block's worth of the engine's loop (as time_pairs runs it)."""
    started = clock()
    for _ in range(chunks):
        engine._service()
        engine.ring.write(engine._next_chunk(engine.chunk_frames))
        engine.ring.read_into(scratch)
    return clock() - started


def time_input(synth: Synth, manual: Engine, live: Engine, repeats: int
               ) -> tuple[float, float, float]:
    """Median seconds per block of raw encode, of the engine with ``manual`` and of the engine
    with ``input``, in alternation call by call (the machine is shared and noisy)."""
    audio = torch.from_numpy(tone(synth, 0.5)[:synth.ratio].T.copy()).unsqueeze(0)
    chunk = manual.chunk_frames
    scratch = np.zeros((chunk, manual.backend.channels), np.float32)
    chunks = max(1, synth.ratio // chunk)
    per_block = synth.ratio / (chunks * chunk)
    raw, plain, encoded = [], [], []
    for _ in range(repeats):
        started = time.perf_counter()
        synth.encode(audio)
        raw.append(time.perf_counter() - started)
        plain.append(engine_step(manual, scratch, chunks) * per_block)
        encoded.append(engine_step(live, scratch, chunks) * per_block)
    return statistics.median(raw), statistics.median(plain), statistics.median(encoded)


def one_frame_engine(synth: Synth, threads: int) -> Engine:
    """An engine at 1 latent frame per block on a null output at the model's rate."""
    backend = NullBackend(synth.sample_rate, synth.channels, min(256, synth.ratio))
    return Engine(synth, backend, EngineSettings(block_frames=1, torch_threads=threads))


def input_path(threads: int, rounds: int, repeats: int) -> None:
    print("\n== input path: render load with /source input against manual, 1 latent frame per "
          "block")
    print(f"   {'model':<38} {'manual s/s':>10} {'input s/s':>10} {'difference':>10} "
          f"{'raw encode':>10} {'diff/raw':>8}")
    with tempfile.TemporaryDirectory(prefix="latentd-bench-input-") as folder:
        for synth in encoding_models():
            manual, live = one_frame_engine(synth, threads), one_frame_engine(synth, threads)
            live.set_input(WavInput(tone_file(Path(folder), synth), loop=True, realtime=False))
            live.post(Event("source", ("input",)))
            synth.warm_up(1)
            time_input(synth, manual, live, 8)  # the event is taken, both engines warm
            heard = live.pipe.renderer.last_latents
            if live.controls.source != "input" or not np.any(heard):
                raise SystemExit(f"{synth.name}: the engine did not take /source input "
                                 f"(source {live.controls.source}, latents {heard})")
            raw, plain, encoded = [], [], []
            for _ in range(rounds):
                r, m, e = time_input(synth, manual, live, repeats)
                raw.append(r)
                plain.append(m)
                encoded.append(e)
            block = synth.ratio / synth.sample_rate
            r, m, e = (statistics.median(v) / block for v in (raw, plain, encoded))
            print(f"   {synth.name[:38]:<38} {m:>10.4f} {e:>10.4f} {e - m:>+10.4f} "
                  f"{r:>10.4f} {(e - m) / r:>8.2f}")
    print("   (seconds of compute per second of audio; difference = input - manual, the "
          "encoder's cost in the engine; diff/raw near 1: the engine adds little to it)")


VOICES = (1, 2, 4, 8)
VOICE_GOALS = {"rave_v2_scale": 1.5}  # 4 voices against one; other models: 2.0


def voices_engine(synth: Synth, threads: int, count: int) -> Engine:
    """An engine at 1 latent frame per block playing ``count`` voices, each on its own latents
    (seeded). Engines that take the voice count as a setting get it there (they size their
    per-voice state from it); before that, the controls' voice list is set directly."""
    backend = NullBackend(synth.sample_rate, synth.channels, min(256, synth.ratio))
    names = {f.name for f in dataclasses.fields(EngineSettings)}
    counted = {"voices": count} if "voices" in names else {}
    engine = Engine(synth, backend, EngineSettings(block_frames=1, torch_threads=threads,
                                                   **counted))
    if not counted:
        size = engine.controls.latent_size
        engine.controls.voices = [VoiceState.neutral(size) for _ in range(count)]
    rng = np.random.default_rng(count)
    for voice in engine.controls.voices:
        voice.latent[:] = rng.normal(0, 0.5, voice.latent.shape)
    engine.controls.touch()
    return engine


def time_voices(one: Engine, many: Engine, repeats: int) -> tuple[float, float]:
    """Median seconds per block of the one-voice and the many-voice engine steps, in
    alternation (each engine has its own synth instance, so neither stream restarts)."""
    chunk = one.chunk_frames
    scratch = np.zeros((chunk, one.backend.channels), np.float32)
    chunks = max(1, one.synth.ratio // chunk)
    singles, multiples = [], []
    for _ in range(repeats):  # thread CPU time: the machine is shared, the step is one thread
        singles.append(engine_step(one, scratch, chunks, time.thread_time))
        multiples.append(engine_step(many, scratch, chunks, time.thread_time))
    return statistics.median(singles), statistics.median(multiples)


def regroup_seconds(synth: Synth, count: int) -> float:
    """Median seconds of one regroup between ``count`` rows and the maximum (None rows)."""
    times = []
    for _ in range(20):
        synth.decode(torch.zeros(max(VOICES), synth.latent_size, 1))
        started = time.perf_counter()
        synth.regroup(list(range(count)))
        synth.regroup(list(range(count)) + [None] * (max(VOICES) - count))
        times.append((time.perf_counter() - started) / 2)
    return statistics.median(times)


def voices_table(threads: int, rounds: int, repeats: int) -> None:
    print("\n== voices: engine render load with N voices (one batched decode) against one "
          "voice, 1 latent frame per block")
    print(f"   {'model':<28} {'voices':>6} {'1 voice s/s':>11} {'N voices s/s':>12} "
          f"{'ratio':>6} {'vs 8 rows':>9} {'regroup ms':>10}")
    for alone, batched in zip(models(), models(), strict=True):
        block = alone.ratio / alone.sample_rate
        ratios: dict[int, float] = {}
        lines = []
        for count in VOICES:
            one = one_frame_engine(alone, threads)
            many = voices_engine(batched, threads, count)
            alone.warm_up(1)
            batched.warm_up(1, count)
            time_voices(one, many, 8)  # both engines' first blocks
            rows = [time_voices(one, many, repeats) for _ in range(rounds)]
            single, multiple = (statistics.median(r[i] for r in rows) for i in (0, 1))
            ratios[count] = statistics.median(r[1] / r[0] for r in rows)
            lines.append((count, single / block, multiple / block))
        regroup = regroup_seconds(batched, 4) * 1000
        for count, single, multiple in lines:
            print(f"   {alone.name[:28]:<28} {count:>6} {single:>11.4f} {multiple:>12.4f} "
                  f"{ratios[count]:>5.2f}x {ratios[count] / ratios[max(VOICES)]:>8.2f}x "
                  f"{regroup if count == 4 else float('nan'):>10.2f}")
        goal = VOICE_GOALS.get(alone.name, 2.0)
        verdict = "PASS" if ratios[4] <= goal else "FAIL"
        print(f"   [{verdict}] 4 voices cost {ratios[4]:.2f}x one voice (goal <= {goal}x)")
    print("   (seconds of thread CPU time per second of audio; ratio: N voices / 1 voice, "
          "medians of per-round ratios; vs 8 rows: the N-voice load over the 8-voice load, what "
          "regrouping to the live count saves against keeping the batch at 8 rows; regroup "
          "ms: one regroup call between 4 and 8 rows)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--blocks", default="1,2,4,8")
    parser.add_argument("--evict-mb", type=int, default=0,
                        help="read this many MB between timed calls, to measure with cold "
                             "caches (e.g. 64, above the last-level cache)")
    parser.add_argument("--input-only", action="store_true", help="only the input path")
    parser.add_argument("--no-input", action="store_true", help="skip the input path")
    parser.add_argument("--voices-only", action="store_true", help="only the voices table")
    parser.add_argument("--no-voices", action="store_true", help="skip the voices table")
    args = parser.parse_args()
    evict = np.ones(args.evict_mb * 2**18, np.float32) if args.evict_mb > 0 else None
    torch.set_num_threads(args.threads)
    blocks = [int(b) for b in args.blocks.split(",")]
    rounds, repeats = (5, 100) if args.quick else (9, 300)
    print(f"torch threads {args.threads}; medians of {rounds} rounds of {repeats} alternating "
          "raw/engine calls" + (f", {args.evict_mb} MB read before each" if evict is not None
                                else ""))
    with torch.inference_mode():
        if args.voices_only:
            voices_table(args.threads, rounds, repeats // 3)
            return
        for synth in ([] if args.input_only else models()):
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
        if not args.no_input:
            input_path(args.threads, rounds, repeats // 3)
        if not (args.no_voices or args.input_only):
            voices_table(args.threads, rounds, repeats // 3)


if __name__ == "__main__":
    main()

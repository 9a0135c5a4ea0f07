"""``--latency-ms auto``: the ring target sized from the model's measured block time.

The ring is all that stands between a render step that runs late and an underrun, and every
frame in it is heard as latency. A fixed 80 ms suits a slow model on a busy machine and wastes
most of itself on a fast one. ``auto`` times the model's own block decode on this machine, on a
thread at the render thread's priority, before the audio starts, and keeps only what a late step
can eat:

    target = SAFETY x worst measured block + the render loop's poll wait + JITTER (at least
             MIN_SECONDS), rounded up to whole device periods, plus one period (the callback
             takes a period at a time)

The worst block is the model's, not the machine's: at most MAX_STALLS blocks that took over
STALL_FACTOR x the median are set aside (``model_worst``). A model's cost does not triple from
one identical call to the next; another process holding the core does, and one such stall in
the probe sized the ring at 157 to 338 ms on this 2-core machine where the model needs 3 ms
(bench/input_latency.py), which a performer cannot play through. Stalls while playing are
counted in ``/status.reply`` ``underruns``; bench/latency.py checks ``auto`` plays without them.

JITTER is the scheduling delay a render thread meets besides its own work: small when the
thread runs at real-time priority (SCHED_FIFO preempts every ordinary process), much larger when
that was refused. The constants come from ``bench/latency.py`` on JACK dummy at a 256-frame
period (README, the serve section); the pure policy is ``target_frames``, the measurement
``measure_blocks``.

The ring's capacity is fixed once the device plays, so the size is chosen for the model playing
at start, with room to grow: a pause longer than JITTER, or a model loaded later that needs
more, underruns (``/status.reply`` counts it) and the target then grows by what was missing,
up to a limit (ring_growth.py). Give ``--latency-ms`` a number for a set of heavier models.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import torch

from latentd.engine.watchdog import wait_unless
from latentd.models.synth import Synth

log = logging.getLogger("latentd.engine")

AUTO: Final = "auto"
LatencySetting = float | Literal["auto"]

PROBE_BLOCKS = 24  # timed decodes; the worst of them sizes the ring
SAFETY = 2.0  # x the worst block: a decode that runs twice its measured worst still fits
JITTER_REALTIME_SECONDS = 0.005  # scheduling delay allowed at real-time priority (the
# render thread may still wait for the interpreter lock held by an ordinary thread that the
# machine has preempted). Once the render loop took whole blocks (pipe.pull_rendered), fixed
# 15 ms targets held in every run on JACK at a 256-frame period with default-causal at load 2
# and 10 ms underran once in 2 (bench/latency.py); with 5 ms here auto gives that model
# 21.3 ms (10 ms gave 26.7, 37 ms of the input-to-output total before the ring's share)
JITTER_NORMAL_SECONDS = 0.040  # ... and at normal priority, where a busy machine can hold a thread
STALL_FACTOR = 3.0  # a block over this x the median is the machine stalling, not the model ...
MAX_STALLS = 2  # ... and at most this many of PROBE_BLOCKS are set aside as such
MIN_PERIODS = 2  # never less than two device periods queued
MIN_SECONDS = 0.015  # nor less than this before the last period: the smallest fixed ring that
# held in every bench/latency.py run (10 ms underran); a 0.4 ms model's 3-period ring (16 ms)
# underran in CI's JACK test on a loaded machine
MAX_SECONDS = 1.0  # a model slower than this cannot play in real time anyway
FALLBACK_MS = 80.0  # when the measurement itself cannot finish (a hung model)


@dataclass(frozen=True)
class AutoRing:
    """What ``auto`` chose and why, for the log line."""

    target_frames: int
    worst_seconds: float  # the slowest measured block decode, stalls set aside (model_worst)
    median_seconds: float
    realtime: bool  # the measurement ran at real-time priority (as the render thread will)
    measured: bool = True  # False: the measurement did not finish and FALLBACK_MS was used
    encoded: bool = False  # each timed block also encoded a block of input (an input is open)
    stalls: int = 0  # blocks set aside as the machine's stalls (model_worst)

    def describe(self, sample_rate: int) -> str:
        ms = 1000 * self.target_frames / sample_rate
        if not self.measured:
            return f"ring target {ms:.1f} ms (auto: block decode not measured, fallback)"
        priority = "real-time" if self.realtime else "normal"
        work = "encode + decode" if self.encoded else "decode"
        stalls = f", {self.stalls} stalled blocks set aside" if self.stalls else ""
        return (f"ring target {ms:.1f} ms (auto: worst block {work} {1000 * self.worst_seconds:.1f}"
                f" ms, median {1000 * self.median_seconds:.1f} ms of {PROBE_BLOCKS}{stalls}, at "
                f"{priority} priority)")


def poll_seconds(period_frames: int, sample_rate: int) -> float:
    """How long the render loop sleeps when the ring is full (engine.py ``_run``): a ring that
    dips below its target waits up to this long before the next step starts."""
    return min(period_frames / sample_rate / 2, 0.005)


def model_worst(block_seconds: Sequence[float]) -> tuple[float, int]:
    """The slowest block that is the model's own cost, and how many slower ones were the
    machine's stalls (module docstring): at most MAX_STALLS, each over STALL_FACTOR x the
    median."""
    ordered = sorted(block_seconds)
    median = ordered[len(ordered) // 2]
    stalls = 0
    while stalls < MAX_STALLS and len(ordered) - stalls > 1 \
            and ordered[-1 - stalls] > STALL_FACTOR * median:
        stalls += 1
    return ordered[-1 - stalls], stalls


def target_frames(block_seconds: Sequence[float], period_frames: int, sample_rate: int,
                  realtime: bool, blocks_per_step: int = 1) -> int:
    """The ring target, in device frames, for a model whose block decodes took
    ``block_seconds`` here, when one render step (one chunk) makes ``blocks_per_step`` of them
    (a model block shorter than the device period). Pure: the whole policy, so tests can state
    it."""
    if not block_seconds or period_frames <= 0 or sample_rate <= 0 or blocks_per_step <= 0:
        raise ValueError("target_frames needs measured blocks, a period, a rate and a step")
    for seconds in block_seconds:
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"a measured block time of {seconds} s")
    worst, _ = model_worst(block_seconds)
    jitter = JITTER_REALTIME_SECONDS if realtime else JITTER_NORMAL_SECONDS
    seconds = max(SAFETY * worst * blocks_per_step + poll_seconds(period_frames, sample_rate)
                  + jitter, MIN_SECONDS)
    periods = math.ceil(min(seconds, MAX_SECONDS) * sample_rate / period_frames) + 1
    return max(MIN_PERIODS, periods) * period_frames


def _try_realtime(priority: int) -> bool:
    """SCHED_FIFO for the calling thread, as the render thread asks (watchdog.raise_priority);
    True when granted."""
    if priority <= 0 or not hasattr(os, "sched_setscheduler"):
        return False
    try:
        os.sched_setscheduler(threading.get_native_id(), os.SCHED_FIFO, os.sched_param(priority))
    except OSError:
        return False
    return True


def measure_blocks(synth: Synth, frames: int, batch: int, torch_threads: int, priority: int,
                   timeout: float, count: int = PROBE_BLOCKS,
                   cancel: threading.Event | None = None,
                   encode: bool = False) -> tuple[list[float], bool] | None:
    """Time ``count`` decodes of ``frames`` latent frames (``batch`` voices) on a helper thread
    set up as the render thread is (priority, torch threads, inference mode), each after an
    encode of the same block of input when ``encode`` (an open input: the render step does
    both, and default-causal's encode costs about what its decode does); returns the
    seconds of each and whether real-time priority was granted, or None when they did not
    finish within ``timeout`` (the thread is left, as a hung decode is) or the model raised.
    The model is reset afterwards, so the music starts from a fresh stream. Call it after the
    warm-up: TorchScript's first calls are compilation, not the model's cost."""
    result: list[tuple[list[float], bool]] = []
    finished = threading.Event()

    def probe() -> None:
        try:
            realtime = _try_realtime(priority)
            torch.set_num_threads(torch_threads)
            z = torch.zeros(batch, synth.latent_size, frames)
            audio = torch.zeros(1, synth.channels, frames * synth.ratio)
            times = []
            with torch.inference_mode():
                for _ in range(count):
                    started = time.perf_counter()
                    if encode:
                        synth.encode(audio)
                    synth.decode(z)
                    times.append(time.perf_counter() - started)
                synth.reset()
            result.append((times, realtime))
        except Exception as exc:
            log.warning("timing model '%s' for --latency-ms auto failed: %s", synth.name, exc)
        finally:
            finished.set()

    threading.Thread(target=probe, name="latentd-latency-probe", daemon=True).start()
    if not wait_unless(finished, timeout, cancel) or not result:  # cancel: a stop while starting
        return None
    return result[0]


def choose(synth: Synth, frames: int, batch: int, torch_threads: int, priority: int,
           period_frames: int, sample_rate: int, timeout: float,
           blocks_per_step: int = 1, cancel: threading.Event | None = None,
           encode: bool = False) -> AutoRing:
    """Measure and size: the ring ``auto`` gives this model on this machine (``encode``: an
    input is open, so each step encodes too)."""
    measured = measure_blocks(synth, frames, batch, torch_threads, priority, timeout,
                              cancel=cancel, encode=encode)
    if measured is None:
        fallback = max(MIN_PERIODS * period_frames, int(FALLBACK_MS / 1000 * sample_rate))
        return AutoRing(fallback, math.nan, math.nan, realtime=False, measured=False)
    times, realtime = measured
    worst, stalls = model_worst(times)
    return AutoRing(target_frames(times, period_frames, sample_rate, realtime, blocks_per_step),
                    worst_seconds=worst, median_seconds=sorted(times)[len(times) // 2],
                    realtime=realtime, encoded=encode, stalls=stalls)


def parse_latency(value: object) -> LatencySetting:
    """A setting's value: ``auto`` (any case), or a number of milliseconds (as given: the
    range is the settings' check). Raises ValueError for anything else."""
    if isinstance(value, str):
        if value.strip().lower() == AUTO:
            return AUTO
        return float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is neither a number nor 'auto'")
    return float(value)

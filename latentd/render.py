"""``latentd render``: a demo WAV rendered offline through the engine, then checked.

The same engine that plays live (sources, glide, output stage and limiter) renders as fast as it
can into a file, so the demo is what ``latentd serve`` would play. Afterwards the file is read
back and measured, because a demo must neither clip nor fall silent: the peak in dBFS, clipped
samples, and the longest stretch of silence are printed, and ``--check`` turns a failure into a
non-zero exit status. The command's flags are in ``latentd.cli.render``.

Latent values (``--latents``, the drift's centre and ``--drift-depth``) are in the model's latent
units: for a checkpoint with latent stats, standard deviations of the training data around its
typical sound (``latentd.models.latents``), so 0 is a typical sound and a depth of 1 wanders
about as far as the data does; otherwise the encoder's raw units.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from latentd.errors import UsageError

SILENCE_DB = -60.0  # a 50 ms window quieter than this (RMS) is silence
SILENCE_WINDOW_S = 0.05
MAX_SILENCE_S = 0.0  # --check: a demo must not fall silent at all
SOURCES = ("manual", "drift", "prior")


@dataclass(frozen=True)
class RenderCheck:
    seconds: float
    peak_dbfs: float
    rms_dbfs: float
    clipped: int  # samples at or beyond full scale
    longest_silence_s: float

    def failures(self) -> list[str]:
        """Each rule the render broke, with what was measured."""
        broken = []
        if self.clipped:
            broken.append(f"clipping: {self.clipped} samples at or beyond full scale "
                          f"(peak {self.peak_dbfs:.1f} dBFS; allowed: none)")
        if self.longest_silence_s > MAX_SILENCE_S:
            broken.append(f"silence: {self.longest_silence_s:.2f} s below {SILENCE_DB:.0f} "
                          f"dBFS (allowed: {MAX_SILENCE_S:.2f} s)")
        return broken

    @property
    def ok(self) -> bool:
        return not self.failures()

    def describe(self) -> str:
        measured = (f"{self.seconds:.1f} s, peak {self.peak_dbfs:.1f} dBFS, RMS "
                    f"{self.rms_dbfs:.1f} dBFS, clipped samples {self.clipped}, longest silence "
                    f"{self.longest_silence_s:.2f} s (windows of {1000 * SILENCE_WINDOW_S:.0f} "
                    f"ms below {SILENCE_DB:.0f} dBFS)")
        if self.ok:
            return f"{measured}; check passed (no clipping, no silent window)"
        return f"{measured}; check FAILED: {'; '.join(self.failures())}"


def measure(audio: np.ndarray, sample_rate: int) -> RenderCheck:
    """Peak, RMS, clipping and the longest silent run of (samples, channels) audio."""
    audio = np.asarray(audio, dtype=np.float64).reshape(len(audio), -1)
    peak = float(np.abs(audio).max()) if audio.size else 0.0
    window = max(1, int(sample_rate * SILENCE_WINDOW_S))
    count = len(audio) // window
    longest = 0
    if count:
        power = (audio[: count * window] ** 2).reshape(count, window, -1).mean(axis=(1, 2))
        silent = power < 10 ** (SILENCE_DB / 10)
        run = 0
        for flag in silent:
            run = run + 1 if flag else 0
            longest = max(longest, run)
    power_all = float(np.mean(audio**2)) if audio.size else 0.0
    return RenderCheck(
        seconds=len(audio) / sample_rate,
        peak_dbfs=20 * math.log10(peak) if peak > 0 else -math.inf,
        rms_dbfs=10 * math.log10(power_all) if power_all > 0 else -math.inf,
        clipped=int(np.count_nonzero(np.abs(audio) >= 1.0)),
        longest_silence_s=longest * window / sample_rate)


class RenderError(UsageError, ValueError):
    """Arguments that cannot make a render; the message says which and why (exit status 2)."""


def render(model: str, output: Path, seconds: float, source: str = "drift", *,
           temperature: float = 1.0, latents: list[float] | None = None,
           drift_mode: str = "walk", drift_rate: float | None = None,
           drift_depth: float | None = None, gain_db: float = 0.0, block_frames: int = 1,
           threads: int = 1, seed: int = 0,
           log: Callable[[str], None] | None = None) -> RenderCheck:
    """Render ``seconds`` of ``model`` from ``source`` into ``output`` and measure the file;
    ``log`` hears which latent units the values are in."""
    import soundfile
    import torch

    from latentd.audio.wavfile import WavBackend
    from latentd.engine.controls import Event
    from latentd.engine.engine import Engine, EngineSettings
    from latentd.models.registry import load_synth

    if output.parent and not output.parent.is_dir():
        raise RenderError(f"cannot write {output}: folder {output.parent} does not exist")
    synth = load_synth(model)
    if log is not None:
        units = synth.describe().get("latent_units", "the model's own")
        log(f"model '{synth.name}': latent values in {units} units")
    if source == "prior" and not synth.has_prior:
        raise RenderError(f"model '{synth.name}' has no prior (its methods: "
                          f"{', '.join(synth.methods)}); use --source drift or manual, or train "
                          "one with `latentd train-prior`")
    if latents and len(latents) > synth.latent_size:
        raise RenderError(f"{len(latents)} latent values given but model '{synth.name}' has "
                          f"{synth.latent_size} dimensions")
    torch.manual_seed(seed)
    backend = WavBackend(output, synth.sample_rate, synth.channels, 512)
    engine = Engine(synth, backend, EngineSettings(block_frames=block_frames,
                                                   torch_threads=threads, realtime_priority=0,
                                                   seed=seed))
    events = [Event("source", (source,)), Event("temperature", (temperature,)),
              Event("gain", (gain_db,)), Event("drift_mode", (drift_mode,))]
    events += [Event("drift_rate", (drift_rate,))] if drift_rate is not None else []
    events += [Event("drift_depth", (drift_depth,))] if drift_depth is not None else []
    if latents:
        events.append(Event("latent", tuple(latents)))
    for event in events:
        engine.post(event)
    engine.start()
    try:
        # the file starts at the first sample of sound, after the model's latency
        engine.render_offline(seconds, skip_seconds=synth.latency / synth.sample_rate)
    finally:
        engine.stop(fade_seconds=0)
    audio, rate = soundfile.read(str(output), dtype="float32", always_2d=True)
    return measure(audio, rate)

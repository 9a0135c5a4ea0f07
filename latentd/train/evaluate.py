"""``latentd evaluate``: how well a model reconstructs held-out audio, against fixed goals.

Each held-out clip goes through the offline (non-streaming) encoder and decoder: the posterior
mean in, the decoder out, no streaming delay to undo, so input and output line up sample for
sample. Three measurements, each with the goal the bundled model must meet (issue 6):

* multi-resolution STFT distance (the training loss, ``latentd.train.losses.multiscale_stft``),
  mean over clips, for the model and for the same architecture untrained (random init, fixed
  seed); the goal is a ratio of at most 0.5. The untrained model is the yardstick because the
  distance's absolute value depends on window sizes and floors, not on what a listener hears.
* median pitch error in cents on harmonic notes (the manifest's ``harmonic`` notes): YIN
  (``latentd.train.pitch``) on input and output, frames where both are voiced, median per note,
  then the median over notes; goal at most 50 cents (a quarter tone).
* loudness-envelope correlation: Pearson r of 20 ms RMS envelopes in dB, floored 60 dB below the
  input's peak (``latentd.train.metrics``), per clip, median over all clips; goal at least 0.9.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch

from latentd.models.rave import RaveModel
from latentd.train.device import model_device
from latentd.train.losses import multiscale_stft
from latentd.train.metrics import envelope_correlation
from latentd.train.pitch import THRESHOLD, cents, midi_to_hz, yin
from latentd.train.splits import DatasetClip

GOALS = {"stft_ratio": ("<=", 0.5), "pitch_cents": ("<=", 50.0), "loudness_r": (">=", 0.9)}


def untrained_like(model: RaveModel, seed: int = 0) -> RaveModel:
    """The same architecture with the initialisation training starts from (seeded)."""
    torch.manual_seed(seed)
    return RaveModel(model.config).eval().to(model_device(model))


def pad_to_frames(audio: np.ndarray, ratio: int) -> torch.Tensor:
    """(1, 1, samples) with the clip zero-padded to whole latent frames."""
    x = torch.zeros(1, 1, math.ceil(len(audio) / ratio) * ratio)
    x[0, 0, : len(audio)] = torch.from_numpy(np.ascontiguousarray(audio, dtype=np.float32))
    return x


def encode_clip(model: RaveModel, audio: np.ndarray) -> torch.Tensor:
    """The posterior means (frames, latent) of a whole clip, offline, on the CPU (the model
    may be on any device)."""
    with torch.inference_mode():
        mean, _ = model.encode(pad_to_frames(audio, model.config.ratio).to(model_device(model)))
    return mean[0].T.cpu().clone()


def reconstruct(model: RaveModel, audio: np.ndarray, seed: int = 0) -> np.ndarray:
    """Encode (posterior mean) then decode, offline; same length as ``audio``.

    The clip is zero-padded to whole latent frames and the output cut back. The decoder's noise
    generator is seeded, so the numbers repeat exactly.
    """
    latents = encode_clip(model, audio)
    torch.manual_seed(seed)
    with torch.inference_mode():
        z = latents.T.unsqueeze(0).to(model_device(model))
        return model.decoder(z)[0, 0, : len(audio)].cpu().numpy().copy()


@dataclass
class ClipResult:
    name: str
    harmonic: bool
    stft: float
    stft_untrained: float
    loudness_r: float
    pitch_cents: float | None = None  # median |error| over frames both voiced; harmonic only
    pitch_frames: int = 0  # frames voiced in both
    input_voiced: int = 0  # frames voiced in the input
    output_voiced: int = 0
    input_on_grid: int = 0  # voiced frames whose f0 is a multiple of the latent frame rate
    output_on_grid: int = 0
    tracker_vs_midi: float | None = None  # median |input f0 - manifest pitch| (tracker check)


@dataclass(frozen=True)
class PitchComparison:
    median_cents: float | None  # median |error| over frames voiced in both; None if none are
    both: int  # frames voiced in both
    reference_f0: np.ndarray  # voiced frames only
    output_f0: np.ndarray  # voiced frames only


def compare_pitch(reference: np.ndarray, output: np.ndarray, sample_rate: int
                  ) -> PitchComparison:
    """YIN on both signals; the error on the frames voiced in both."""
    a, b = yin(reference, sample_rate), yin(output, sample_rate)
    both = a.voiced & b.voiced
    median = float(np.median(np.abs(cents(b.f0[both], a.f0[both])))) if both.any() else None
    return PitchComparison(median, int(both.sum()), a.f0[a.voiced], b.f0[b.voiced])


def on_frame_grid(f0: np.ndarray, frame_rate: float, tolerance: float = 0.02) -> int:
    """How many of the pitches are whole multiples of the latent frame rate.

    A decoder fed steady latents repeats itself every latent frame, so its output can only hold
    harmonics of the frame rate (43 Hz at 1024 samples a frame): a pitch tracker then hears
    that grid, not the note. Counted on input too, where hits are coincidence, for comparison.
    """
    multiple = f0 / frame_rate
    return int(np.count_nonzero(np.abs(multiple - np.round(multiple)) < tolerance))


def evaluate_clip(model: RaveModel, untrained: RaveModel, clip: DatasetClip,
                  sample_rate: int, seed: int = 0) -> ClipResult:
    output = reconstruct(model, clip.audio, seed)
    baseline = reconstruct(untrained, clip.audio, seed)
    target = torch.from_numpy(clip.audio).view(1, 1, -1)
    result = ClipResult(
        name=clip.name, harmonic=clip.harmonic,
        stft=float(multiscale_stft(torch.from_numpy(output).view(1, 1, -1), target)),
        stft_untrained=float(multiscale_stft(torch.from_numpy(baseline).view(1, 1, -1), target)),
        loudness_r=envelope_correlation(clip.audio, output, sample_rate))
    if clip.harmonic:
        pitch = compare_pitch(clip.audio, output, sample_rate)
        frame_rate = sample_rate / model.config.ratio
        result.pitch_cents, result.pitch_frames = pitch.median_cents, pitch.both
        result.input_voiced, result.output_voiced = len(pitch.reference_f0), len(pitch.output_f0)
        result.input_on_grid = on_frame_grid(pitch.reference_f0, frame_rate)
        result.output_on_grid = on_frame_grid(pitch.output_f0, frame_rate)
        if clip.pitch is not None and len(pitch.reference_f0):
            result.tracker_vs_midi = float(np.median(np.abs(cents(pitch.reference_f0,
                                                                  midi_to_hz(clip.pitch)))))
    return result


def _median(values: list[float | None]) -> float:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    return float(np.median(finite)) if finite else float("nan")


def _share(clips: list[ClipResult], part: str, whole: str) -> float:
    total = sum(getattr(c, whole) for c in clips)
    return sum(getattr(c, part) for c in clips) / total if total else float("nan")


def passes(metric: str, value: float) -> bool:
    relation, goal = GOALS[metric]
    if not math.isfinite(value):
        return False
    return value <= goal if relation == "<=" else value >= goal


@dataclass
class Evaluation:
    model: str
    data: str
    seed: int
    clips: list[ClipResult] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, float | int]:
        harmonic = [c for c in self.clips if c.harmonic]
        stft = float(np.mean([c.stft for c in self.clips]))
        untrained = float(np.mean([c.stft_untrained for c in self.clips]))
        voiced = sum(c.input_voiced for c in harmonic)
        return {
            "clips": len(self.clips),
            "harmonic_notes": len(harmonic),
            "stft_model": stft,
            "stft_untrained": untrained,
            "stft_ratio": stft / untrained,
            "pitch_cents": _median([c.pitch_cents for c in harmonic]),
            "pitch_notes": sum(c.pitch_cents is not None for c in harmonic),
            "pitch_voicing_kept": sum(c.pitch_frames for c in harmonic) / voiced if voiced
            else float("nan"),
            "frame_grid_input": _share(harmonic, "input_on_grid", "input_voiced"),
            "frame_grid_output": _share(harmonic, "output_on_grid", "output_voiced"),
            "tracker_vs_midi_cents": _median(
                [c.tracker_vs_midi for c in harmonic]),
            "loudness_r": _median([c.loudness_r for c in self.clips]),
            "loudness_r_min": float(np.nanmin([c.loudness_r for c in self.clips])),
        }

    def verdicts(self) -> dict[str, bool]:
        summary = self.summary
        return {metric: passes(metric, float(summary[metric])) for metric in GOALS}

    def to_json(self) -> dict[str, Any]:
        return {"model": self.model, "data": self.data, "seed": self.seed,
                "summary": self.summary,
                "goals": {k: {"relation": r, "value": v} for k, (r, v) in GOALS.items()},
                "pass": self.verdicts(), "pitch_threshold": THRESHOLD,
                "per_clip": [asdict(c) for c in self.clips]}


def evaluate(model: RaveModel, clips: list[DatasetClip], *, name: str = "model", data: str = "",
             seed: int = 0, progress: Callable[[str], None] | None = None) -> Evaluation:
    """Every clip through the model and through its untrained twin."""
    untrained = untrained_like(model, seed)
    result = Evaluation(name, data, seed)
    for clip in clips:
        result.clips.append(evaluate_clip(model, untrained, clip, model.config.sample_rate,
                                          seed))
        if progress is not None:
            progress(clip.name)
    return result


def format_report(evaluation: Evaluation) -> str:
    """The table the issue asks for: value, goal and PASS/FAIL per metric, then context."""
    s = evaluation.summary
    verdict = evaluation.verdicts()

    def row(label: str, value: float, metric: str | None = None, digits: int = 3) -> str:
        text = f"{value:.{digits}f}" if math.isfinite(value) else "n/a"
        if metric is None:
            return f"  {label:<46} {text:>9}"
        relation, goal = GOALS[metric]
        return (f"  {label:<46} {text:>9}   {relation} {goal:<5g}  "
                f"{'PASS' if verdict[metric] else 'FAIL'}")

    lines = [
        f"{evaluation.model} on {evaluation.data}: {s['clips']} clips, "
        f"{s['harmonic_notes']} harmonic notes (seed {evaluation.seed})",
        f"  {'metric':<46} {'value':>9}   {'goal':<8}  result",
        row("STFT distance, model (mean over clips)", s["stft_model"]),
        row("STFT distance, untrained same architecture", s["stft_untrained"]),
        row("STFT distance ratio model / untrained", s["stft_ratio"], "stft_ratio"),
        row(f"pitch error, cents (median of {s['pitch_notes']} notes)", s["pitch_cents"],
            "pitch_cents", 1),
        row(f"loudness-envelope r (median of {s['clips']} clips)", s["loudness_r"],
            "loudness_r"),
        "  context:",
        row("input-voiced frames also voiced in output", s["pitch_voicing_kept"]),
        row("output f0 on the latent frame-rate grid (share)", s["frame_grid_output"]),
        row("input f0 on that grid (coincidence, share)", s["frame_grid_input"]),
        row("pitch tracker vs manifest MIDI, cents", s["tracker_vs_midi_cents"], digits=1),
        row("loudness-envelope r, worst clip", s["loudness_r_min"]),
    ]
    return "\n".join(lines)

"""The losses of one training step, and their means over a logging window.

A field is None when the step had no such term (no phase term unless ``phase_weight`` > 0, no
pitch loss without an oscillator, the adversarial terms only in that stage, ``osc`` only in
the oscillator's warm-up). The names are the keys the loss history stores in checkpoints and
the labels of the progress line, so both stay as they were when steps returned dicts.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass
class StepLosses:
    """One step's losses as floats; the field order of the losses is the log line's."""

    beta: float  # the KL weight at this step
    loss: float | None = None  # the total that was minimised; None when the step was skipped
    stft: float | None = None  # multi-resolution STFT distance
    osc: float | None = None  # the oscillator alone against the audio (its warm-up)
    phase: float | None = None  # phase-sensitive complex STFT term
    pitch: float | None = None  # oscillator f0 against YIN, in octaves
    kl: float | None = None
    gen: float | None = None  # generator hinge loss (adversarial stage)
    fm: float | None = None  # feature matching (adversarial stage)
    disc: float | None = None  # discriminator hinge loss (adversarial stage)
    skipped: bool = False  # the loss was not finite: no update was made

    def present(self) -> dict[str, float]:
        """The losses this step had, by name, in log order (``beta`` and ``skipped`` apart)."""
        return {name: value for name in LOSS_NAMES
                if (value := getattr(self, name)) is not None}


LOSS_NAMES = tuple(spec.name for spec in fields(StepLosses)
                   if spec.name not in ("beta", "skipped"))


def window_means(window: list[StepLosses]) -> dict[str, float]:
    """The mean of each loss the window's last step had, over the whole window (a step without
    that term counts as 0): what the progress line prints and the history keeps."""
    names = window[-1].present()
    return {name: sum(getattr(step, name) or 0.0 for step in window) / len(window)
            for name in names}

"""What ``latentd train`` is asked to do: every training option, declared once.

Each field of ``TrainOptions`` is also its ``latentd train`` flag (``latentd.cli.flags``: name,
default, help and value check on the field). A field named like a field of the recipe
(``latentd.train.recipes.TrainRecipe``) overrides the recipe when given (``None``: keep it);
``resolve_recipe`` applies them. So a new option is one field here; one that tunes the recipe
also needs its field on ``TrainRecipe``, where its default lives.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from latentd.cli.argtypes import non_negative, positive
from latentd.cli.flags import flag
from latentd.train.device import DEVICE_HELP, PRECISION_HELP, PRECISIONS, device_name
from latentd.train.recipes import RECIPES


def stft_window_sizes(text: str) -> tuple[int, ...]:
    """``2048,1024,512``: the loss's STFT windows, each at least 16 samples."""
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected sizes like 2048,1024,512, got {text!r}") from None
    if not sizes or min(sizes) < 16:
        raise argparse.ArgumentTypeError(f"window sizes must be at least 16, got {text!r}")
    return sizes


@dataclass
class TrainOptions:
    """One ``latentd train`` run's options; the field order is ``--help``'s."""

    data: Path = field(metadata=flag("dataset folder (manifest.json)", parse=Path))
    output: Path = field(metadata=flag("checkpoint to write", parse=Path,
                                       names=("-o", "--output")))
    recipe: str = field(default="default", metadata=flag(
        "training recipe: the model and its training settings (train/recipes.py; default: "
        "default); --config is its older name", names=("--recipe", "--config"),
        choices=sorted(RECIPES)))
    max_minutes: float | None = field(default=None, metadata=flag(
        "stop (and save) after this many minutes of this run", parse=positive(float)))
    max_steps: int | None = field(default=None, metadata=flag(
        "stop at this total step", parse=non_negative(int)))
    resume: bool = field(default=False, metadata=flag(
        "continue from --output (weights, optimizer, step)"))
    device: str = field(default="auto", metadata=flag(DEVICE_HELP, parse=device_name))
    precision: str = field(default="32", metadata=flag(PRECISION_HELP, choices=PRECISIONS))
    workers: int = field(default=0, metadata=flag(
        "loader processes that read crops from the decoded dataset cache (default 0: in the "
        "training process; with a GPU, 2-4 per GPU keep it fed)", parse=non_negative(int)))
    data_cache: Path | None = field(default=None, metadata=flag(
        "folder of the decoded dataset cache (default $XDG_CACHE_HOME/latentd/audio)",
        parse=Path))
    log_dir: Path | None = field(default=None, metadata=flag(
        "write TensorBoard events here (losses, learning rate, validation, held-out audio); "
        "needs the tensorboard package", parse=Path))
    audio_every: int = field(default=1000, metadata=flag(
        "with --log-dir: log held-out reconstructions every this many steps (default 1000)",
        parse=positive(int)))
    threads: int = field(default=2, metadata=flag(
        "torch CPU threads (default 2; on a busy machine set OMP_WAIT_POLICY=PASSIVE, or "
        "spinning threads waste the cores)", parse=positive(int)))
    save_minutes: float = field(default=5.0, metadata=flag(
        "checkpoint every this many minutes (default 5)", parse=positive(float)))
    log_seconds: float = field(default=30.0, metadata=flag(
        "print losses at most this often (default 30)", parse=non_negative(float)))
    seed: int = field(default=0, metadata=flag("initialisation and batch seed", parse=int))
    adversarial: bool = field(default=False, metadata=flag(
        "adversarial fine-tuning from now on (discriminator, hinge loss)"))
    adversarial_start: int | None = field(default=None, metadata=flag(
        "switch adversarial fine-tuning on at this step", parse=non_negative(int)))
    # recipe overrides (named like TrainRecipe's fields): None keeps the recipe's value
    batch_size: int | None = field(default=None, metadata=flag(
        "override the preset's batch size; per process under torchrun (the global batch is "
        "this times the number of processes)", parse=positive(int)))
    learning_rate: float | None = field(default=None, metadata=flag(
        "override the preset", parse=positive(float)))
    stft_sizes: tuple[int, ...] | None = field(default=None, metadata=flag(
        "override the preset's loss windows, e.g. 8192,4096,2048,1024,512",
        parse=stft_window_sizes))
    phase_weight: float | None = field(default=None, metadata=flag(
        "weight of the phase-sensitive complex STFT term (default 0: off)",
        parse=non_negative(float)))
    kl_beta: float | None = field(default=None, metadata=flag(
        "override the KL weight reached after the warm-up (default preset: 0.02); lower lets "
        "the latents carry more, in more directions", parse=non_negative(float)))
    latent_noise: float | None = field(default=None, metadata=flag(
        "scale of the latent sampling noise in training (default 1); below 1 the decoder "
        "learns to follow directions the noise hid", parse=non_negative(float)))
    # the architecture: new runs and --init-from only (resolve_recipe)
    harmonics: int | None = field(default=None, metadata=flag(
        "add a harmonic oscillator branch with this many partials (new runs and --init-from "
        "only)", parse=non_negative(int)))
    pitch_latent: bool = field(default=False, metadata=flag(
        "latent dimensions 0 and 1 become pitch and periodicity measured by YIN in the "
        "encoder, and the oscillator plays dimension 0 (needs --harmonics; new runs and "
        "--init-from only)"))
    oscillator_warmup: int = field(default=0, metadata=flag(
        "first train the oscillator alone for this many steps of this run (e.g. after "
        "--init-from adds one to a trained decoder)", parse=non_negative(int)))
    pitch_weight: float | None = field(default=None, metadata=flag(
        "weight of the oscillator's f0 loss against YIN (default 1)",
        parse=non_negative(float)))
    pitch_encoder_start: int | None = field(default=None, metadata=flag(
        "step from which the pitch loss also trains the encoder (default 5000: earlier, it "
        "flattens an untrained model's latents)", parse=non_negative(int)))
    causal: bool = field(default=False, metadata=flag(
        "all padding to the left: the model streams with latency 0, for live input (new runs "
        "and --init-from only; a centred model's weights carry over, padding changes none)"))
    init_from: Path | None = field(default=None, metadata=flag(
        "start a new run from this checkpoint's weights and step (fresh optimizer), e.g. to "
        "add --harmonics to a trained model", parse=Path))

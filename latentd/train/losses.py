"""Training losses: multi-resolution STFT distance, the VAE's KL term, adversarial hinge losses.

The STFT distance compares magnitudes only, so the decoder is free to choose phases (the ear
barely hears them), and several window sizes trade time resolution (transients) against
frequency resolution (pitch). It is also the reconstruction metric that evaluation reports.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import torch
from torch.nn import functional as F

from latentd.train import distributed

if TYPE_CHECKING:
    from latentd.models.rave import RaveConfig

EPS = 1e-7
# The log distance's floor, per window size: -90 dB below the peak bin of a full-scale sine
# (N / 4 with a Hann window). Quieter detail is inaudible, and without a floor the loss would be
# dominated by matching digital silence (padding, note tails) to -140 dB, not by the notes.
FLOOR_DB = -90.0


def log_floor(size: int) -> float:
    return size / 4 * 10 ** (FLOOR_DB / 20)


def stft(audio: torch.Tensor, size: int) -> torch.Tensor:
    """Complex STFT of (batch, channels, time) audio with a Hann window and hop ``size // 4``."""
    flat = audio.reshape(-1, audio.shape[-1])
    window = torch.hann_window(size, device=audio.device, dtype=audio.dtype)
    return torch.stft(flat, size, size // 4, window=window, center=True, return_complex=True,
                      normalized=False)


def stft_magnitude(audio: torch.Tensor, size: int) -> torch.Tensor:
    """|STFT| of (batch, channels, time) audio with a Hann window and hop ``size // 4``."""
    return stft(audio, size).abs()


def phase_distance(output: torch.Tensor, target: torch.Tensor,
                   sizes: Sequence[int] = (4096, 1024)) -> torch.Tensor:
    """Spectral convergence of the complex spectra: unlike the magnitude loss it also sees phase.

    Why an autoencoder wants it: a conv decoder fed steady latents repeats one waveform per
    latent frame, so a held note can only come out at a multiple of the frame rate (43 Hz at
    1024 samples per frame) unless the latents carry the note's phase from frame to frame. The
    magnitude loss barely notices the difference; this term rewards the encoder for passing the
    phase on, which the decoder can then follow.
    """
    usable = [s for s in sizes if s <= target.shape[-1]] or [min(sizes)]
    total = output.new_zeros(())
    for size in usable:
        y, x = stft(output, size), stft(target, size)
        total = total + batch_norm(y - x) / (batch_norm(x) + EPS)
    return total / len(usable)


def batch_norm(values: torch.Tensor) -> torch.Tensor:
    """The 2-norm of ``values`` over the whole batch: under torchrun over every rank's part of
    the global batch (``distributed.global_sum``), so the ratios below are those of the global
    batch whatever the number of processes."""
    if not distributed.active():
        return torch.linalg.vector_norm(values)
    if values.is_complex():
        values = torch.view_as_real(values)
    return distributed.global_sum(values.square().sum()).sqrt()


def batch_mean(values: torch.Tensor, dim: int | None = None) -> torch.Tensor:
    """The mean over the global batch (all ranks' crops); each rank holds as many crops."""
    if not distributed.active():
        return values.mean() if dim is None else values.mean(dim=dim)
    count = values.numel() if dim is None else values.shape[dim]
    total = values.sum() if dim is None else values.sum(dim=dim)
    return distributed.global_sum(total) / (count * torch.distributed.get_world_size())


def spectral_convergence(output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """||Y - X|| / ||X|| over the whole batch: weighs the loud parts, as the ear does.

    One ratio for the batch, not one per example: a crop of near silence would otherwise divide
    by almost zero and swamp the loss.
    """
    return batch_norm(output - target) / (batch_norm(target) + EPS)


def log_magnitude_distance(output: torch.Tensor, target: torch.Tensor, floor: float = EPS
                           ) -> torch.Tensor:
    """Mean |log(Y + floor) - log(X + floor)|: weighs quiet partials and note tails, which
    spectral convergence alone ignores."""
    return (torch.log(output + floor) - torch.log(target + floor)).abs().mean()


def multiscale_stft(output: torch.Tensor, target: torch.Tensor,
                    sizes: Sequence[int] = (2048, 1024, 512, 256, 128)) -> torch.Tensor:
    """Spectral convergence plus log-magnitude distance, averaged over window sizes.

    Zero exactly when the magnitude spectrograms agree; windows longer than the signal are
    skipped (the signal is zero-padded by ``center=True`` but a longer window adds nothing).
    """
    if output.shape != target.shape:
        raise ValueError(f"shapes differ: {tuple(output.shape)} vs {tuple(target.shape)}")
    usable = [s for s in sizes if s <= target.shape[-1]] or [min(sizes)]
    total = output.new_zeros(())
    for size in usable:
        y, x = stft_magnitude(output, size), stft_magnitude(target, size)
        total = total + spectral_convergence(y, x) + log_magnitude_distance(y, x, log_floor(size))
    return total / len(usable)


def kl_divergence(mean: torch.Tensor, logvar: torch.Tensor, free_bits: float = 0.0) -> torch.Tensor:
    """KL(q(z|x) || N(0, 1)) summed over latent dimensions, averaged over batch and frames.

    With ``free_bits`` > 0, a dimension whose average KL is below that many nats costs nothing,
    so the optimiser has no reason to squeeze it down to the prior (posterior collapse).
    """
    per_element = 0.5 * (mean.pow(2) + logvar.exp() - logvar - 1.0)
    per_dimension = batch_mean(per_element.transpose(0, 1).reshape(mean.shape[1], -1), dim=1)
    if free_bits > 0:
        per_dimension = per_dimension.clamp(min=free_bits)
    return per_dimension.sum()


def discriminator_hinge(real: Sequence[torch.Tensor], fake: Sequence[torch.Tensor]
                        ) -> torch.Tensor:
    """Hinge loss for the discriminator, summed over scales: real above +1, fake below -1."""
    return sum((F.relu(1 - r).mean() + F.relu(1 + f).mean() for r, f in
                zip(real, fake, strict=True)), torch.zeros(()))


def generator_hinge(fake: Sequence[torch.Tensor]) -> torch.Tensor:
    """The generator's side of the hinge game: raise the discriminator's score of its output."""
    return sum((-f.mean() for f in fake), torch.zeros(()))


def feature_matching(real: Sequence[Sequence[torch.Tensor]],
                     fake: Sequence[Sequence[torch.Tensor]]) -> torch.Tensor:
    """Mean L1 distance between the discriminator's inner features of real and generated audio.

    It steadies adversarial training: the generator gets a dense target, not one score.
    """
    distances = [(r.detach() - f).abs().mean() for rs, fs in zip(real, fake, strict=True)
                 for r, f in zip(rs, fs, strict=True)]
    return torch.stack(distances).mean()


def pitch_targets(audio: torch.Tensor, hop: int, sample_rate: int, frames: int) -> torch.Tensor:
    """YIN's f0 (Hz) per latent frame of each clip, NaN where unvoiced: (batch, frames).

    Frame k's target is the pitch around the end of frame k, where the oscillator has fully
    moved to that frame's controls (``models.oscillator.FrameInterpolator``)."""
    import numpy as np

    from latentd.train.pitch import yin

    window = max(2048, 2 * hop)
    lead = window // 2 - hop  # centre the analysis window on the frame's end
    mono = audio.detach().float().mean(dim=1).cpu().numpy()
    targets = np.full((mono.shape[0], frames), np.nan)
    for row, clip in enumerate(mono):
        padded = np.pad(clip, (lead, 2 * window))
        track = yin(padded, sample_rate, hop=hop, window=window)
        count = min(frames, len(track.f0))
        targets[row, :count] = track.f0[:count]
    return torch.from_numpy(targets).to(device=audio.device, dtype=audio.dtype)


def pitch_error(position: torch.Tensor, audio: torch.Tensor, config: RaveConfig
                ) -> torch.Tensor:
    """Mean absolute error in octaves between a predicted pitch (batch, 1, frames), given as a
    position on the oscillator's log-frequency scale (``HarmonicOscillator.pitch_position``),
    and YIN's f0 on the target audio, over the frames YIN finds voiced (zero when none are).
    Supervising the pitch directly is what makes an oscillator learnable: gradients through
    sin() of a phase have no useful direction far from the right frequency (DDSP uses a pitch
    tracker for the same reason)."""
    from latentd.models.oscillator import F0_MAX, F0_MIN

    targets = pitch_targets(audio, config.ratio, config.sample_rate, position.shape[-1])
    voiced = torch.isfinite(targets)
    octaves = math.log2(F0_MAX / F0_MIN)
    predicted = math.log2(F0_MIN) + position[:, 0][voiced] * octaves
    errors = (predicted - torch.log2(targets[voiced])).abs()
    if distributed.active():  # the mean over every rank's voiced frames
        count = distributed.summed(voiced.sum().to(position.dtype))
        return distributed.global_sum(errors.sum() + position.sum() * 0.0) / count.clamp(min=1)
    if not bool(voiced.any()):
        return position.sum() * 0.0
    return errors.mean()

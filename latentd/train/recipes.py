"""Named model-and-training presets for ``latentd train --config``.

``default`` is the bundled model's recipe. Its architecture was chosen against the issue's limits
on this 2-core machine (numbers in docs/default-model.md): at one latent frame per block the
streaming decoder's cost is the layer count and the width of its last, fastest-running stage. 32
PQMF bands with two upsampling blocks (8, 4) give 1024 samples per latent frame with few layers
and a last stage at only 1378 Hz, and capacity 48 is the widest that kept decoding above 20x real
time on one busy core. (16 bands with (8, 8) at capacity 64 measured 14-27x depending on load.)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from latentd.models.rave import RaveConfig


@dataclass(frozen=True)
class TrainPreset:
    """What ``latentd train`` needs besides data: architecture and optimisation settings.

    The KL weight ramps linearly from 0 at ``kl_start`` to ``kl_beta`` at ``kl_end`` (warm-up:
    the autoencoder first learns to reconstruct, then its latent is pulled towards the prior).
    ``free_bits`` (nats per latent dimension) leaves a little information in every dimension
    unpenalised, so that no dimension collapses onto the prior and stops doing anything, which
    the default model must avoid: every one of its dimensions is a control.
    """

    model: RaveConfig
    batch_size: int = 8
    crop_frames: int = 32  # latent frames per training crop; samples = crop_frames * ratio
    learning_rate: float = 3e-4
    betas: tuple[float, float] = (0.8, 0.99)
    grad_clip: float = 5.0
    stft_sizes: tuple[int, ...] = (2048, 1024, 512, 256, 128)
    kl_beta: float = 0.02
    kl_start: int = 1000
    kl_end: int = 8000
    free_bits: float = 0.05
    # scale of the reparameterisation noise in training (1: the VAE's own). Below 1 the decoder
    # sees small moves of the posterior means that the noise would drown, so directions the
    # encoder barely uses start to pay off and get used: a control that was dead can come alive
    latent_noise: float = 1.0
    adversarial_weight: float = 1.0
    feature_matching_weight: float = 10.0
    phase_weight: float = 0.0  # weight of the phase-sensitive complex STFT term (losses.py)
    phase_sizes: tuple[int, ...] = (4096, 1024)
    pitch_weight: float = 1.0  # octaves of f0 error, when the model has an oscillator
    oscillator_lr_scale: float = 10.0  # the oscillator's learning rate, relative
    # before this step the pitch loss trains the oscillator's head only: reaching the encoder
    # from the start, it flattened the latents (KL at the free-bits floor) in three runs
    pitch_encoder_start: int = 5000
    discriminator_capacity: int = 16
    discriminator_scales: int = 3
    validation_clips: int = 16

    @property
    def crop(self) -> int:
        return self.crop_frames * self.model.ratio

    def beta(self, step: int) -> float:
        if step < self.kl_start:
            return 0.0
        if step >= self.kl_end:
            return self.kl_beta
        return self.kl_beta * (step - self.kl_start) / max(1, self.kl_end - self.kl_start)

    def to_dict(self) -> dict[str, object]:
        values = asdict(self)
        values["model"] = self.model.to_dict()
        return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


DEFAULT_MODEL = RaveConfig(sample_rate=44100, channels=1, latent_size=16, bands=32, capacity=48,
                           ratios=(8, 4), dilations=(1, 3, 9), noise=True,
                           amplitude_modulation=True, lookahead=0.5, pqmf_taps_per_band=8)

PRESETS: dict[str, TrainPreset] = {
    "default": TrainPreset(model=DEFAULT_MODEL),
    # The models/ package default (512 samples per frame, three upsampling blocks): better time
    # resolution, but about 3x slower to decode at one frame per block.
    "rave512": TrainPreset(model=RaveConfig(latent_size=16)),
    # A test-sized model: a few training steps take well under a second.
    "tiny": TrainPreset(model=RaveConfig.tiny(), batch_size=2, crop_frames=256,
                        stft_sizes=(256, 128, 64), kl_start=2, kl_end=4,
                        discriminator_capacity=4, discriminator_scales=2, validation_clips=2),
}


def preset(name: str, **overrides: Any) -> TrainPreset:
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose one of {sorted(PRESETS)}")
    chosen = PRESETS[name]
    return replace(chosen, **{k: v for k, v in overrides.items() if v is not None})


__all__ = ["DEFAULT_MODEL", "PRESETS", "TrainPreset", "preset"]

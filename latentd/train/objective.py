"""What one training step minimises, as modules whose ``forward`` returns the loss, so that
DistributedDataParallel can wrap them (DDP averages gradients of what its ``forward`` computed).

``GeneratorObjective`` is the model's loss in each stage: the oscillator alone (its warm-up),
the autoencoder (STFT, KL, phase and pitch terms), and with the discriminator's judgement in
the adversarial stage. ``DiscriminatorObjective`` is the discriminator's hinge loss. The model
runs under the run's autocast precision; every loss is computed in float32 outside it.
"""

from __future__ import annotations

from enum import Enum

import torch
from torch import nn

from latentd.models.rave import RaveModel
from latentd.train.device import float32
from latentd.train.discriminator import MultiScaleDiscriminator
from latentd.train.losses import (
    discriminator_hinge,
    feature_matching,
    generator_hinge,
    kl_divergence,
    multiscale_stft,
    phase_distance,
    pitch_error,
)
from latentd.train.recipes import TrainRecipe

Terms = dict[str, torch.Tensor]  # named loss terms, detached, for the log


class Stage(Enum):
    OSCILLATOR = "oscillator"  # the oscillator's warm-up: it alone against the audio
    AUTOENCODER = "autoencoder"
    ADVERSARIAL = "adversarial"  # encoder frozen, discriminator on


class GeneratorObjective(nn.Module):
    """The model's loss for a batch, a stage and a step (the KL weight ramps with the step)."""

    def __init__(self, model: RaveModel, recipe: TrainRecipe):
        super().__init__()
        self.model = model
        self.recipe = recipe

    def forward(self, audio: torch.Tensor, step: int, stage: Stage,
                discriminator: MultiScaleDiscriminator | None = None
                ) -> tuple[torch.Tensor, Terms, torch.Tensor]:
        """The loss, its named terms and the decoded audio (the discriminator's fake input).
        ``discriminator`` is passed, not owned: its own DDP wrapper averages its gradients, and
        the generator's loss reaches only its input (its weights are frozen here)."""
        if stage is Stage.OSCILLATOR:
            return self._oscillator_loss(audio)
        p = self.recipe
        with torch.set_grad_enabled(torch.is_grad_enabled() and stage is not Stage.ADVERSARIAL):
            mean, logvar = self.model.encode(audio)
            z = self.model.sample(mean, logvar, p.latent_noise)
        output = self.model.decoder(z)
        device = audio.device
        with float32(device):
            output32, audio32 = output.float(), audio.float()
            mean, logvar = mean.float(), logvar.float()
            stft = multiscale_stft(output32, audio32, p.stft_sizes)
            learned = self.model.config.measured_latents  # measured dimensions carry no KL
            kl = kl_divergence(mean[:, learned:], logvar[:, learned:], p.free_bits)
            loss = stft + p.beta(step) * kl
            terms = {"stft": stft, "kl": kl}
            if p.phase_weight > 0:
                terms["phase"] = phase = phase_distance(output32, audio32, p.phase_sizes)
                loss = loss + p.phase_weight * phase
            oscillator = self.model.decoder.oscillator
            if oscillator is not None and p.pitch_weight > 0 \
                    and not oscillator.pitch_from_latent:
                # on the posterior mean: through the sampled latent the noise makes every pitch
                # guess worse, which teaches the encoder to carry less, not more (KL stayed at
                # ~2 nats)
                guide = mean if step >= p.pitch_encoder_start else mean.detach()
                position = oscillator.pitch_position(guide).float()
                terms["pitch"] = pitch = pitch_error(position, audio32, self.model.config)
                loss = loss + p.pitch_weight * pitch
        if stage is Stage.ADVERSARIAL:
            assert discriminator is not None
            discriminator.requires_grad_(False)
            try:
                _, real_features = discriminator(audio)
                fake_scores, fake_features = discriminator(output)
            finally:
                discriminator.requires_grad_(True)
            with float32(device):
                generator = generator_hinge([s.float() for s in fake_scores])
                matching = feature_matching([[f.float() for f in fs] for fs in real_features],
                                            [[f.float() for f in fs] for fs in fake_features])
            loss = (loss + p.adversarial_weight * generator
                    + p.feature_matching_weight * matching)
            terms.update(gen=generator, fm=matching)
        return loss, {k: v.detach() for k, v in terms.items()}, output

    def _oscillator_loss(self, audio: torch.Tensor) -> tuple[torch.Tensor, Terms, torch.Tensor]:
        """The oscillator alone against the audio, the rest of the model fixed: a branch added
        to a trained decoder starts too quiet to learn its harmonic shares, and at a useful
        level its untrained shares only add error next to the trained conv branch (measured:
        the level then gets pushed down), so it first learns to play the notes by itself."""
        oscillator = self.model.decoder.oscillator
        assert oscillator is not None
        with torch.no_grad():
            mean, _ = self.model.encode(audio)
        played = oscillator(mean)
        with float32(audio.device):
            stft = multiscale_stft(played.float(), audio.float(), self.recipe.stft_sizes)
        return stft, {"osc": stft.detach()}, audio


class DiscriminatorObjective(nn.Module):
    """The discriminator's hinge loss on real audio against the model's (detached) output."""

    def __init__(self, discriminator: MultiScaleDiscriminator):
        super().__init__()
        self.discriminator = discriminator

    def forward(self, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
        real_scores, _ = self.discriminator(real)
        fake_scores, _ = self.discriminator(fake)
        with float32(real.device):
            return discriminator_hinge([s.float() for s in real_scores],
                                       [s.float() for s in fake_scores])

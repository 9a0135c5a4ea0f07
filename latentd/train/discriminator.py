"""A small multi-scale waveform discriminator (MelGAN-style) for adversarial fine-tuning.

Several copies look at the audio at successively halved rates, so artefacts at every time scale
get judged. Grouped strided convs keep it cheap enough to train on a CPU next to the model.
Only training uses it; checkpoints that ship keep the generator alone.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.parametrizations import weight_norm


class ScaleDiscriminator(nn.Module):
    def __init__(self, capacity: int = 16, max_channels: int = 256):
        super().__init__()
        layers: list[nn.Module] = [weight_norm(nn.Conv1d(1, capacity, 15, padding=7))]
        channels = capacity
        for _ in range(3):
            wider = min(channels * 4, max_channels)
            groups = max(1, channels // 4)
            layers.append(weight_norm(nn.Conv1d(channels, wider, 41, stride=4, padding=20,
                                                groups=groups)))
            channels = wider
        layers.append(weight_norm(nn.Conv1d(channels, channels, 5, padding=2)))
        self.layers = nn.ModuleList(layers)
        self.score = weight_norm(nn.Conv1d(channels, 1, 3, padding=1))
        self.act = nn.LeakyReLU(0.2)

    def forward(self, audio: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """The per-position score, and every inner feature map (for feature matching)."""
        features = []
        h = audio
        for layer in self.layers:
            h = self.act(layer(h))
            features.append(h)
        return self.score(h), features


class MultiScaleDiscriminator(nn.Module):
    """Scores of mono audio (batch, 1, time) at ``scales`` rates: full, 1/2, 1/4, ..."""

    def __init__(self, scales: int = 3, capacity: int = 16):
        super().__init__()
        self.discriminators = nn.ModuleList(ScaleDiscriminator(capacity) for _ in range(scales))
        self.pool = nn.AvgPool1d(4, stride=2, padding=1, count_include_pad=False)

    def forward(self, audio: torch.Tensor) -> tuple[list[torch.Tensor], list[list[torch.Tensor]]]:
        audio = audio.reshape(-1, 1, audio.shape[-1])  # channels judged as separate examples
        scores, features = [], []
        for index, discriminator in enumerate(self.discriminators):
            if index:
                audio = self.pool(audio)
            score, inner = discriminator(audio)
            scores.append(score)
            features.append(inner)
        return scores, features

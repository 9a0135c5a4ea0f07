"""The export's latent post-processing: PCA rotation, mean, fidelity crop, and its noise.

RAVE's variational exports encode to the posterior *sample* (``reparametrize`` draws
``randn_like(mean)``), rotate it onto the principal axes found at training (``latent_pca``,
``latent_mean``) and keep the leading ``latent_size`` of them (the fidelity crop). Decoding fills
the cropped dimensions back with ``randn`` and rotates back. The same draws in the same shapes,
in the same order, make the rebuilt model's output equal the export's under the same seed.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from latentd.models.rave_rebuild.tree import Unrecognised, attribute, tensor


class LatentSpace:
    """PCA buffers and sizes read from a ``VariationalScriptedRAVE``."""

    def __init__(self, export: Any):
        self.pca = tensor(export, "latent_pca", "the export")
        self.mean = tensor(export, "latent_mean", "the export")
        self.full_size = int(attribute(export, "full_latent_size", "the export"))
        self.size = int(attribute(export, "latent_size", "the export"))
        if self.pca.shape != (self.full_size, self.full_size) or self.size > self.full_size:
            raise Unrecognised(f"latent_pca {tuple(self.pca.shape)} does not fit the latent "
                               f"sizes {self.size}/{self.full_size}")
        self.to_latent = self.pca.unsqueeze(-1)
        self.from_latent = self.pca.T.unsqueeze(-1)
        self.column_mean = self.mean.unsqueeze(-1)

    def posterior_sample(self, stats: torch.Tensor) -> torch.Tensor:
        """``VariationalEncoder.reparametrize``'s sample (its KL term draws nothing).

        ``randn_like`` lays its numbers out in the memory order of its argument: the stream's
        outputs are time-major views, so they are made contiguous, as the export's are, first.
        """
        mean, scale = torch.chunk(stats.contiguous(), 2, 1)
        std = F.softplus(scale) + 1e-4
        return torch.randn_like(mean) * std + mean

    def post_process(self, z: torch.Tensor) -> torch.Tensor:
        z = F.conv1d(z - self.column_mean, self.to_latent)
        return z[:, : self.size]

    def pre_process(self, z: torch.Tensor) -> torch.Tensor:
        noise = torch.randn(z.shape[0], self.full_size - z.shape[1], z.shape[-1]).type_as(z)
        z = F.conv1d(torch.cat([z, noise], 1), self.from_latent)
        return z + self.column_mean


__all__ = ["LatentSpace"]

"""A RAVE-shaped TorchScript export with one block latentd does not know, for the fallback test.

Its classes carry RAVE's names (the rebuild reads ``original_name``): a
``VariationalScriptedRAVE`` wrapper with the export script's attributes and PCA buffers, a
one-band ``CachedPQMF`` and a ``GeneratorV2`` whose net holds a ``MysteryBlock``. The rebuild
must stop at that block and name it; the file still plays through its own ``decode``.
"""

from pathlib import Path

import torch
from torch import nn

LATENT = 4
RATIO = 8


class CachedPQMF(nn.Module):
    n_band: int

    def __init__(self):
        super().__init__()
        self.n_band = 1

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


class MysteryBlock(nn.Module):
    ratio: int

    def __init__(self):
        super().__init__()
        self.ratio = RATIO

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(x).repeat_interleave(self.ratio, dim=-1)[:, :1]


class CachedSequential(nn.Sequential):
    pass


class GeneratorV2(nn.Module):
    amplitude_modulation: bool

    def __init__(self):
        super().__init__()
        self.net = CachedSequential(MysteryBlock())
        self.amplitude_modulation = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class VariationalScriptedRAVE(nn.Module):
    sr: int
    input_mode: str
    output_mode: str
    stereo_mode: bool
    n_channels: int
    target_channels: int
    is_using_adain: bool
    full_latent_size: int
    latent_size: int

    def __init__(self):
        super().__init__()
        self.sr = 44100
        self.input_mode = self.output_mode = "pqmf"
        self.stereo_mode = self.is_using_adain = False
        self.n_channels = self.target_channels = 1
        self.full_latent_size = self.latent_size = LATENT
        self.pqmf = CachedPQMF()
        self.decoder = GeneratorV2()
        self.register_buffer("latent_pca", torch.eye(LATENT))
        self.register_buffer("latent_mean", torch.zeros(LATENT))
        self.register_buffer("decode_params", torch.tensor([LATENT, RATIO, 1, 1]))

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.pqmf(self.decoder(z))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.decode(z)


def make_unknown_block_export(path: "str | Path") -> Path:
    path = Path(path)
    torch.jit.script(VariationalScriptedRAVE().eval()).save(str(path))
    return path

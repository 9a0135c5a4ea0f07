"""A TorchScript file that takes seconds to load: its ``__setstate__`` (run by
``torch.jit.load``, as a RAVE export's is) counts to ``spins``. It has what a quick look at an
nn~ export checks for (a ``decode_params`` buffer, a ``decode`` method, a sample rate), so it
is listed and loadable by name over OSC; it fails only after loading, for want of real
methods. A signal sent while it loads always lands inside torch."""

from pathlib import Path
from typing import Tuple  # noqa: UP035 (TorchScript needs typing's Tuple)

import torch

SPINS_PER_SECOND = 30_000_000  # about, on a 2020s CPU core


class SlowToLoad(torch.nn.Module):
    def __init__(self, spins: int):
        super().__init__()
        self.spins = spins
        self.sr = 44100
        self.register_buffer("decode_params", torch.tensor([4, 64, 1, 1]))

    @torch.jit.export
    def __getstate__(self) -> Tuple[int, int, bool, torch.Tensor]:  # noqa: UP006
        return (self.spins, self.sr, self.training, self.decode_params)

    @torch.jit.export
    def __setstate__(self, state: Tuple[int, int, bool, torch.Tensor]) -> None:  # noqa: UP006
        self.spins = state[0]
        self.sr = state[1]
        self.training = state[2]
        self.decode_params = state[3]
        mixed = 0
        for step in range(self.spins):
            mixed = mixed ^ step

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return z

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return z


def write_slow_model(path: Path, seconds: float = 5.0) -> Path:
    torch.jit.script(SlowToLoad(int(seconds * SPINS_PER_SECOND))).save(str(path))
    return path

"""Model files an attacker would send: a TorchScript archive that writes a file as soon as it is
loaded, for the tests that check it is never loaded where the extension promises weights.

TorchScript runs a module's ``__setstate__`` inside ``torch.jit.load``, so this module's code
runs before any method is called: ``torch.from_file(path, shared=True)`` creates ``path``. The
module otherwise looks like an nn~ export (``decode_params``, ``sr``, ``decode``), so a loader
that trusted its content would take it for a model.
"""

from pathlib import Path

import torch
from torch import nn


class _WritesOnLoad(nn.Module):
    target: str
    sr: int
    mark: torch.Tensor

    def __init__(self, target: str):
        super().__init__()
        self.target = target
        self.sr = 44100
        self.mark = torch.zeros(1, dtype=torch.uint8)
        self.register_buffer("decode_params", torch.tensor([4, 64, 1, 1]))

    @torch.jit.export
    def __getstate__(self) -> list[str]:
        return [self.target]

    @torch.jit.export
    def __setstate__(self, state: list[str]) -> None:
        self.target = state[0]
        # stored in an attribute so that TorchScript cannot drop the call as dead code
        self.mark = torch.from_file(state[0], True, 16, dtype=torch.uint8)
        self.decode_params = torch.tensor([4, 64, 1, 1])
        self.sr = 44100
        self.training = False

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return torch.zeros(z.shape[0], 1, z.shape[-1] * 64)


def make_file_writing_torchscript(path: "str | Path", target: "str | Path") -> Path:
    """A TorchScript file that creates ``target`` when ``torch.jit.load`` reads it."""
    path = Path(path)
    torch.jit.script(_WritesOnLoad(str(target))).save(str(path))
    return path

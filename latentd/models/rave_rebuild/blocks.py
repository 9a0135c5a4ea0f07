"""RAVE's blocks, rebuilt as plain torch modules from a scripted export, by class name.

``build(module, path)`` looks the scripted submodule's class name up in :data:`BUILDERS` and
returns its plain counterpart, recursing into its children. The meaning of each block was read
from RAVE's ``rave/blocks.py`` and cached_conv's ``convs.py`` (acids-rave 2.3.1,
cached-conv 2.5.0); its sizes come from the export's own weights. Containers whose forward only
calls ``self.net`` are one entry: their rebuilt form is their net's. A class not listed raises
:class:`~latentd.models.rave_rebuild.tree.Unrecognised` naming it.

The decoders (``Generator``, ``GeneratorV2``) and the PQMF have outputs that the streaming core
does not compose on its own (frame-wise noise, band interleaving): see ``decoders`` and
``pqmf``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from latentd.models.rave_rebuild import cached
from latentd.models.rave_rebuild.tree import (
    Unrecognised,
    attribute,
    child,
    children,
    join,
    kind,
    tensor,
)

Builder = Callable[[Any, str], nn.Module]


class Snake(nn.Module):
    """RAVE's snake activation: x + sin(alpha x)^2 / alpha, per channel."""

    def __init__(self, alpha: torch.Tensor):
        super().__init__()
        self.alpha = nn.Parameter(alpha, requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + (self.alpha + 1e-9).reciprocal() * (self.alpha * x).sin().pow(2)


class SampleNorm(nn.Module):
    """RAVE's SampleNorm: each time step divided by its norm across channels."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x / torch.norm(x, 2, 1, keepdim=True)


class ResidualSum(nn.Module):
    """``Residual``: its aligned branches (the net and the identity, delayed), added."""

    def __init__(self, aligned: cached.Branches):
        super().__init__()
        self.aligned = aligned

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        net, skip = self.aligned(x)
        return net + skip


class BranchSum(nn.Module):
    """``ResidualStack``: the sum of its aligned blocks' outputs, in their order."""

    def __init__(self, aligned: cached.Branches):
        super().__init__()
        self.aligned = aligned

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outputs = self.aligned(x)
        total = outputs[0]
        for output in outputs[1:]:
            total = total + output
        return total


def build(module: Any, path: str = "") -> nn.Module:
    """The plain counterpart of a scripted block and all it contains."""
    name = kind(module)
    builder = BUILDERS.get(name)
    if builder is None:
        raise Unrecognised(f"{path or 'the export'}: block {name} is not one latentd rebuilds")
    return builder(module, path)


def _sequence(module: Any, path: str) -> nn.Module:
    return nn.Sequential(*[build(sub, join(path, n)) for n, sub in children(module)])


def _net_only(module: Any, path: str) -> nn.Module:
    """Blocks whose forward is ``self.net(x)`` (and that hold nothing else that runs)."""
    extra = [n for n, _ in children(module) if n != "net"]
    if extra:
        raise Unrecognised(f"{path} ({kind(module)}) holds {extra} besides its net")
    return build(child(module, "net", path), join(path, "net"))


def align(module: Any, path: str, given: dict[int, nn.Module] | None = None
          ) -> cached.Branches:
    """``AlignBranches``; the branches listed in ``given`` (by index) are not built here."""
    given = given or {}
    branches_path, delays_path = join(path, "branches"), join(path, "paddings")
    branches = [given[i] if i in given else build(sub, join(branches_path, n))
                for i, (n, sub) in enumerate(children(child(module, "branches", path)))]
    delays = [cached.padding_layer(sub, join(delays_path, n))
              for n, sub in children(child(module, "paddings", path))]
    if len(branches) != len(delays):
        raise Unrecognised(f"{path} (AlignBranches): {len(branches)} branches, "
                           f"{len(delays)} delays")
    return cached.Branches(branches, delays)


def _residual(module: Any, path: str) -> nn.Module:
    aligned = align(child(module, "aligned", path), join(path, "aligned"))
    if len(aligned.branches) != 2:
        raise Unrecognised(f"{path} (Residual) aligns {len(aligned.branches)} branches, not 2")
    return ResidualSum(aligned)


def _residual_stack(module: Any, path: str) -> nn.Module:
    return BranchSum(align(child(module, "net", path), join(path, "net")))


def _leaky_relu(module: Any, path: str) -> nn.Module:
    return nn.LeakyReLU(float(attribute(module, "negative_slope", path)))


def _batch_norm(module: Any, path: str) -> nn.Module:
    weight = tensor(module, "weight", path)
    norm = nn.BatchNorm1d(weight.shape[0], eps=float(attribute(module, "eps", path)))
    norm.load_state_dict({name: tensor(module, name, path) for name in (
        "weight", "bias", "running_mean", "running_var", "num_batches_tracked")})
    return norm.eval()


BUILDERS: dict[str, Builder] = {
    "CachedSequential": _sequence,
    "Sequential": _sequence,
    "CachedConv1d": cached.conv_layer,
    "CachedConvTranspose1d": cached.conv_transpose_layer,
    "CachedPadding1d": cached.padding_layer,
    "Residual": _residual,
    "ResidualStack": _residual_stack,
    "ResidualLayer": _net_only,
    "ResidualBlock": _net_only,
    "DilatedUnit": _net_only,
    "UpsampleLayer": _net_only,
    "Encoder": _net_only,
    "EncoderV2": _net_only,
    "LeakyReLU": _leaky_relu,
    "Identity": lambda module, path: nn.Identity(),
    "BatchNorm1d": _batch_norm,
    "Snake": lambda module, path: Snake(tensor(module, "alpha", path)),
    "SampleNorm": lambda module, path: SampleNorm(),
}

__all__ = ["BUILDERS", "BranchSum", "ResidualSum", "SampleNorm", "Snake", "align", "build"]

"""Plain torch counterparts of cached_conv's streaming layers, as offline causal layers.

An export made with cached_conv streams by keeping, in each layer, the last samples of its
input (``CachedPadding1d``) and prepending them to the next block. From zeroed caches, such a
stream equals an offline model in which every one of those caches is a zero *left* pad: a causal
model. That is what is built here, so that ``streamify`` of the rebuilt model reproduces the
export's stream sample for sample (it folds left pads into its own cached convs, adding no
delay), while running its fast kernels instead of PyTorch's slow small-block ones.

* ``CachedPadding1d(p)``: a left zero pad of ``p``; with ``crop`` it also drops the last ``p``
  samples, which makes it a pure delay (branch alignment, stride alignment).
* ``CachedConv1d``: its stride-alignment delay, then its cache, then an unpadded conv.
* ``CachedConvTranspose1d``: the unpadded transposed conv whose last ``2 * padding`` samples
  (kept in the export's cache and added to the next block's head) are dropped, then the bias.
  That is the stream only when the kernel overlaps exactly those samples (``k - s == 2p``, as
  in RAVE); anything else is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from latentd.models.rave_rebuild.tree import (
    Unrecognised,
    attribute,
    child,
    first,
    join,
    kind,
    optional_tensor,
    tensor,
)

# None: build the causal stream (the default). "centered"/"causal": build the offline model the
# export was made from instead, with cached_conv's padding of that mode (``latency`` compares
# the two to find the export's true latency)
_OFFLINE: ContextVar[str | None] = ContextVar("rave_rebuild_offline", default=None)


@contextmanager
def offline(mode: str) -> Iterator[None]:
    """Within: the builders make the offline (padded, non-causal) model, as cached_conv's
    ``get_padding`` in ``mode`` would have padded it."""
    token = _OFFLINE.set(mode)
    try:
        yield
    finally:
        _OFFLINE.reset(token)


def offline_padding(kernel: int, dilation: int, mode: str) -> tuple[int, int]:
    """cached_conv's ``get_padding`` (stride does not enter it): (left, right)."""
    if kernel == 1:
        return 0, 0
    span = (kernel - 1) * dilation + 1
    if mode == "causal":
        return span // 2 + (span - 1) // 2, 0
    return (span - 1) // 2, span // 2


class LeftPad(nn.Module):
    """A zero left pad: a cache of ``amount`` past samples, seen from a zeroed start."""

    def __init__(self, amount: int):
        super().__init__()
        self.amount = amount

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.pad(x, (self.amount, 0))


class Delay(nn.Module):
    """A delay of ``amount`` samples: the signal shifted right, zeros first."""

    def __init__(self, amount: int):
        super().__init__()
        self.amount = amount

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.pad(x, (self.amount, 0))[..., : -self.amount]


class CausalConv1d(nn.Module):
    """``CachedConv1d``: stride-alignment delay, cache (left pad), unpadded conv."""

    def __init__(self, conv: nn.Conv1d, delay: int, cache: int):
        super().__init__()
        self.delay = Delay(delay) if delay else nn.Identity()
        self.cache = cache
        self.conv = conv

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(F.pad(self.delay(x), (self.cache, 0)))


class CroppedConvTranspose1d(nn.Module):
    """``CachedConvTranspose1d``: unpadded transposed conv, overlap dropped, bias added."""

    def __init__(self, conv: nn.ConvTranspose1d, overlap: int, bias: torch.Tensor | None):
        super().__init__()
        self.conv = conv
        self.overlap = overlap
        self.bias = None if bias is None else nn.Parameter(bias.unsqueeze(-1),
                                                           requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.conv(x)
        if self.overlap:
            y = y[..., : -self.overlap]
        if self.bias is not None:
            y = y + self.bias
        return y


def filled_conv(weight: torch.Tensor, bias: torch.Tensor | None, *, stride: int = 1,
                dilation: int = 1, groups: int = 1) -> nn.Conv1d:
    """An unpadded ``nn.Conv1d`` holding the export's weight and bias."""
    conv = nn.Conv1d(weight.shape[1] * groups, weight.shape[0], weight.shape[-1],
                     stride=stride, dilation=dilation, groups=groups, bias=bias is not None)
    state = {"weight": weight} if bias is None else {"weight": weight, "bias": bias}
    conv.load_state_dict(state)
    return conv


def padding_layer(module: Any, path: str) -> nn.Module:
    """``CachedPadding1d``: a delay when it crops, a left pad when it does not."""
    amount = int(attribute(module, "padding", path))
    if amount == 0 or _OFFLINE.get() is not None:  # offline there is nothing to align
        return nn.Identity()
    return Delay(amount) if bool(attribute(module, "crop", path)) else LeftPad(amount)


def _crop_amount(module: Any, path: str) -> int:
    """How many samples a ``CachedPadding1d`` keeps; only its cropping flag may differ."""
    return int(attribute(module, "padding", path))


def conv_layer(module: Any, path: str) -> nn.Module:
    """``CachedConv1d`` as a causal conv with the same weights."""
    weight = tensor(module, "weight", path)
    bias = optional_tensor(module, "bias")
    if first(attribute(module, "padding", path)) != 0:
        raise Unrecognised(f"{path} (CachedConv1d) pads inside the conv, which cached_conv "
                           "never does")
    cache = child(module, "cache", path)
    delay = child(module, "downsampling_delay", path)
    if bool(attribute(cache, "crop", join(path, "cache"))) or \
            not bool(attribute(delay, "crop", join(path, "downsampling_delay"))):
        raise Unrecognised(f"{path} (CachedConv1d) has caches of an unknown kind")
    groups = int(attribute(module, "groups", path))
    dilation = first(attribute(module, "dilation", path))
    conv = filled_conv(weight, bias, stride=first(attribute(module, "stride", path)),
                       dilation=dilation, groups=groups)
    mode = _OFFLINE.get()
    if mode is not None:
        left, right = offline_padding(weight.shape[-1], dilation, mode)
        if left + right != _crop_amount(cache, path):
            raise Unrecognised(f"{path} (CachedConv1d): its cache is not {mode} padding")
        return nn.Sequential(nn.ConstantPad1d((left, right), 0.0), conv)
    return CausalConv1d(conv, _crop_amount(delay, path), _crop_amount(cache, path))


def conv_transpose_layer(module: Any, path: str) -> nn.Module:
    """``CachedConvTranspose1d`` as a transposed conv whose overlap tail is dropped."""
    weight = tensor(module, "weight", path)
    bias = optional_tensor(module, "bias")
    stride = first(attribute(module, "stride", path))
    dilation = first(attribute(module, "dilation", path))
    output_padding = first(attribute(module, "output_padding", path))
    groups = int(attribute(module, "groups", path))
    overlap = 2 * first(attribute(module, "padding", path))
    span = (weight.shape[-1] - 1) * dilation + 1 + output_padding
    if span - stride != overlap:
        raise Unrecognised(f"{path} (CachedConvTranspose1d): kernel span {span} minus stride "
                           f"{stride} is not its cached overlap {overlap}; such an export "
                           "does not stream consistently")
    offline_model = _OFFLINE.get() is not None
    conv = nn.ConvTranspose1d(weight.shape[0], weight.shape[1] * groups, weight.shape[-1],
                              stride=stride, output_padding=output_padding, groups=groups,
                              dilation=dilation, bias=False,
                              padding=overlap // 2 if offline_model else 0)
    with torch.no_grad():
        conv.weight.copy_(weight)
    return CroppedConvTranspose1d(conv, 0 if offline_model else overlap, bias)


class Branches(nn.Module):
    """``AlignBranches``: each branch fed the input through its own delay; a list out."""

    def __init__(self, branches: list[nn.Module], delays: list[nn.Module]):
        super().__init__()
        self.branches = nn.ModuleList(branches)
        self.delays = nn.ModuleList(delays)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        return [branch(delay(x)) for branch, delay in zip(self.branches, self.delays,
                                                          strict=True)]


def zero_caches(export: Any) -> None:
    """Zero every cache of a scripted export in place: its stream then starts from silence,
    as the rebuilt model's does after a reset (the saved caches hold the export script's test
    calls)."""
    with torch.no_grad():
        for module in export.modules():
            name = kind(module)
            if name == "CachedPadding1d" and isinstance(getattr(module, "pad", None),
                                                         torch.Tensor):
                module.pad.zero_()
            elif name == "CachedConvTranspose1d" and isinstance(getattr(module, "cache", None),
                                                                 torch.Tensor):
                module.cache.zero_()




__all__ = ["Branches", "CausalConv1d", "CroppedConvTranspose1d", "Delay", "LeftPad",
           "conv_layer", "conv_transpose_layer", "filled_conv", "offline", "offline_padding",
           "padding_layer", "zero_caches"]

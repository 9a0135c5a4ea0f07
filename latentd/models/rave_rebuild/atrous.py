"""A chain of strided causal convs computed at the input rate ("à trous"), for streaming.

``streamify`` places a strided conv's output frame ``f`` at input time ``f * stride`` and delays
the stream whenever the frame's window ends between two such times. RAVE v2's noise generator
reads windows ending one sample before the next frame (kernel ``2r``, left pad ``r``): cached_conv
emits those frames at once, so ``streamify``'s strided form would run one noise frame late, and
the export's noise frames, drawn per call, would land in other calls.

The same frames come out of stride-1 convs whose dilations grow by each stride (each layer reads
every ``D``-th sample of the previous one, ``D`` the product of the strides before it), sampled
at one phase of the final period: frame ``f`` is sample ``f * D_total + phase`` of the block.
``streamify`` streams stride-1 causal convs with no delay, and the phase is taken per block (the
block length is a multiple of the period, so the phase is the same in every block). The price is
computing the net at the input rate, which for a noise branch's small net is a small share of
the decoder.
"""

from __future__ import annotations

from typing import Any

from torch import nn

from latentd.models.rave_rebuild.blocks import build
from latentd.models.rave_rebuild.cached import Delay, LeftPad, filled_conv
from latentd.models.rave_rebuild.tree import (
    Unrecognised,
    attribute,
    child,
    children,
    first,
    join,
    kind,
    optional_tensor,
    tensor,
)


def _dilated(module: Any, path: str, period: int, phase: int) -> tuple[nn.Module, int, int]:
    """One ``CachedConv1d`` as a stride-1 causal conv on a grid of ``period``; the new
    (period, phase) of its output frames."""
    weight = tensor(module, "weight", path)
    bias = optional_tensor(module, "bias")
    stride = first(attribute(module, "stride", path))
    dilation = first(attribute(module, "dilation", path))
    groups = int(attribute(module, "groups", path))
    cache = int(attribute(child(module, "cache", path), "padding", join(path, "cache")))
    delay = int(attribute(child(module, "downsampling_delay", path), "padding",
                          join(path, "downsampling_delay")))
    lag = (weight.shape[-1] - 1) * dilation - cache  # window end past the frame's first sample
    if lag < 0:
        raise Unrecognised(f"{path} (CachedConv1d): its window ends before its frame")
    conv = filled_conv(weight, bias, dilation=dilation * period, groups=groups)
    # its stride-alignment delay, counted in input-rate samples, then its cache
    steps: list[nn.Module] = [Delay(delay * period)] if delay else []
    causal = nn.Sequential(*steps, LeftPad((weight.shape[-1] - 1) * dilation * period), conv)
    return causal, period * stride, phase + lag * period


def atrous(module: Any, path: str) -> tuple[nn.Module, int, int]:
    """A (Cached)Sequential of convs and pointwise layers -> (input-rate net, period, phase):
    the net's frame ``f`` is sample ``f * period + phase`` of the input-rate output."""
    layers: list[nn.Module] = []
    period, phase = 1, 0
    for name, sub in children(module):
        sub_path = join(path, name)
        if kind(sub) == "CachedConv1d":
            layer, period, phase = _dilated(sub, sub_path, period, phase)
        else:
            layer = build(sub, sub_path)
            if any(isinstance(m, (nn.Conv1d, nn.ConvTranspose1d)) for m in layer.modules()):
                raise Unrecognised(f"{sub_path}: a block with convs inside a noise net")
        layers.append(layer)
    if phase >= period:
        raise Unrecognised(f"{path}: its frames end {phase} samples into a period of {period}; "
                           "they would need samples of the next block")
    return nn.Sequential(*layers), period, phase


__all__ = ["atrous"]

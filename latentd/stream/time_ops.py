"""Rules for the ops that read or change time: each maps its input's (rate, delay) to the
output's and puts a cached layer in the op's place.

* conv, stride ``s``, left pad ``l``, span ``L``: delay ``(L + D - l + a) / s`` where the pure delay
  ``a`` makes it a whole, non-negative number (stride alignment, :func:`stride_alignment`: ``a``
  may be negative, down to ``1 - s``, as blocks are whole strides); a frame analysis reads its
  input the same way
* transposed conv, stride ``s``, padding ``p``: delay ``(D + a) * s - p``
* constant pad ``l``: delay ``D + a - l``; nearest upsampling by ``f``: ``D * f``
* a running sum along time carries its total from block to block and keeps the delay
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import torch
from torch import fx, nn

from latentd.stream import ops
from latentd.stream.frames import FrameAnalysis, StreamFrameAnalysis
from latentd.stream.layers import (
    ConstantPadStream,
    RunningSum,
    StreamConv1d,
    StreamConvTranspose1d,
)
from latentd.stream.walk import GraphWalk, arg


def _conv_padding(padding: Any, kernel: int, dilation: int) -> tuple[int, int]:
    if padding == "valid":
        return 0, 0
    if padding == "same":
        total = dilation * (kernel - 1)
        return total // 2, total - total // 2
    if isinstance(padding, (tuple, list)):
        padding = padding[0]
    return int(padding), int(padding)


def _folded_weight(module: nn.Conv1d | nn.ConvTranspose1d) -> torch.Tensor:
    """The effective weight, with weight norm (either API) or other reparametrisations folded:
    parametrizations compute ``weight`` on access, old-style hooks were refreshed on entry."""
    return module.weight.detach()


# ----------------------------------------------------------------- convs and frame analyses
def conv_module(walk: GraphWalk, node: fx.Node, conv: nn.Conv1d) -> None:
    conv1d(walk, node, conv, _folded_weight(conv), conv.bias)


def conv_transpose_module(walk: GraphWalk, node: fx.Node, conv: nn.ConvTranspose1d) -> None:
    conv_transpose1d(walk, node, conv, _folded_weight(conv), conv.bias)


def frame_analysis(walk: GraphWalk, node: fx.Node, module: FrameAnalysis) -> None:
    windowed(walk, node, module.span, 1, module.hop, (module.left, module.right),
             lambda delay, warmup: StreamFrameAnalysis(module, delay, warmup))


def conv1d(walk: GraphWalk, node: fx.Node, conv: nn.Conv1d, weight: torch.Tensor,
           bias: torch.Tensor | None) -> None:
    if conv.padding_mode != "zeros":
        walk.refuse(node, f"padding_mode='{conv.padding_mode}' needs samples the stream "
                          "has not seen; only zero padding streams")
    kernel, dilation = conv.kernel_size[0], conv.dilation[0]
    windowed(walk, node, kernel, dilation, conv.stride[0],
             _conv_padding(conv.padding, kernel, dilation),
             lambda delay, warmup: StreamConv1d(conv, weight, bias, delay, warmup))


def windowed(walk: GraphWalk, node: fx.Node, kernel: int, dilation: int, stride: int,
             padding: tuple[int, int], make_layer: Callable[[int, int], nn.Module]) -> None:
    """A layer reading windows of its zero-padded input every ``stride`` samples (a conv,
    a frame analysis); ``make_layer(delay, warmup)`` builds its cached form."""
    source, signal = walk.single_input(node)
    walk.require_time_last(node, signal)
    folded_left, folded_right = walk.folded_pad.get(source, (0, 0))
    left, right = padding[0] + folded_left, padding[1] + folded_right
    span = (kernel - 1) * dilation
    length = (signal.length_offset + left + right - span - 1) // stride + 1
    source_value = walk.env[source]
    if (length - 1) * stride - left + span >= signal.length_offset:  # its last output reads
        source_value, signal = walk.settle(source, signal)  # right padding past the end
    lag = span + signal.delay - left
    extra = stride_alignment(lag, stride, span)
    new = walk.add_stateful(make_layer(extra, signal.delay), source_value)
    out = signal.with_(rate=signal.rate / stride, delay=(lag + extra) // stride,
                       length_offset=length)
    walk.record(node, new, out, walk.field[source] + Fraction(span) / signal.rate)


def stride_alignment(lag: int, stride: int, span: int) -> int:
    """The pure delay ``a`` (possibly negative) that puts a strided window's output on its
    output grid: ``lag + a`` is a whole, non-negative number of strides.

    Stream output frame ``j`` reads up to stream input sample ``j * stride - a``. Every block
    is a whole number of strides (``input_multiple`` is a multiple of every stride), so the
    block holding sample ``j * stride`` holds the whole stride up to ``j * stride + stride - 1``:
    a frame may read that far into its own stride (``a`` down to ``1 - stride``) and still be
    computed in the same block, one output frame sooner than padding to the next grid point.
    A causal strided conv whose frame ends on the last sample of its stride (an encoder whose
    latent frame has heard its whole frame) thus streams with no latency. The cache keeps
    ``span + a`` samples, so ``a`` rounds up instead where the span is shorter than the
    advance (a 1x1 conv on a delayed input)."""
    if lag >= 0 and lag % stride <= span:
        return -(lag % stride)
    extra = 0
    while lag + extra < 0 or (lag + extra) % stride:
        extra += 1
    return extra


def conv_transpose1d(walk: GraphWalk, node: fx.Node, conv: nn.ConvTranspose1d,
                     weight: torch.Tensor, bias: torch.Tensor | None) -> None:
    source, signal = walk.single_input(node)
    walk.require_time_last(node, signal)
    stride, padding = conv.stride[0], conv.padding[0]
    assert isinstance(padding, int)  # only Conv1d takes padding="same"/"valid"
    span = (conv.kernel_size[0] - 1) * conv.dilation[0]
    source_value = walk.env[source]
    if span + conv.output_padding[0] - padding >= stride:  # its last outputs read past the
        source_value, signal = walk.settle(source, signal)  # input's end, as zeros offline
    # the offline output drops the first ``padding`` samples of the full transposed conv;
    # the stream cannot drop them, so they become delay
    delay = signal.delay * stride + padding
    layer = StreamConvTranspose1d(conv, weight, bias, warmup=signal.delay)
    new = walk.add_stateful(layer, source_value)
    length = ((signal.length_offset - 1) * stride - 2 * padding + span + 1
              + conv.output_padding[0])
    field = walk.field[source] + (Fraction(span, stride) + 1) / signal.rate
    out = signal.with_(rate=signal.rate * stride, delay=delay, length_offset=length)
    walk.record(node, new, out, field)


def functional_conv(walk: GraphWalk, node: fx.Node, name: str) -> None:
    """``F.conv1d`` / ``F.conv_transpose1d`` with fixed (static) weights, as the layer would."""
    weight = walk.static.get(arg(node, 1, "weight"))
    bias_node = arg(node, 2, "bias")
    bias = walk.static.get(bias_node) if isinstance(bias_node, fx.Node) else bias_node
    if not isinstance(weight, torch.Tensor) or (bias is not None
                                                and not isinstance(bias, torch.Tensor)):
        walk.refuse(node, "its weights depend on the input; only fixed weights stream")
    stride, padding = arg(node, 3, "stride", 1), arg(node, 4, "padding", 0)
    if name == "conv1d":
        dilation, groups = arg(node, 5, "dilation", 1), arg(node, 6, "groups", 1)
        kernel = weight.shape[-1]
        if isinstance(padding, str):
            padding = _conv_padding(padding, kernel, dilation if isinstance(dilation, int)
                                    else dilation[0])[0]
        conv = nn.Conv1d(weight.shape[1] * groups, weight.shape[0], kernel, stride, padding,
                         dilation, groups, bias=bias is not None)
        conv1d(walk, node, conv, weight, bias)
    else:
        output_padding = arg(node, 5, "output_padding", 0)
        groups, dilation = arg(node, 6, "groups", 1), arg(node, 7, "dilation", 1)
        transposed = nn.ConvTranspose1d(weight.shape[0], weight.shape[1] * groups,
                                        weight.shape[-1], stride, padding, output_padding,
                                        groups, bias=bias is not None, dilation=dilation)
        conv_transpose1d(walk, node, transposed, weight, bias)


# ----------------------------------------------------------------- padding
def pad(walk: GraphWalk, node: fx.Node, amounts: list[int], value: float) -> None:
    source, signal = walk.single_input(node)
    if not signal.time_last:
        if any(amounts[2 * (signal.ndim - 1 - signal.time_dim):][:2]):
            walk.refuse(node, "pads the time axis while it is not the last axis")
        walk.pointwise(node)
        return
    left, right = int(amounts[0]), int(amounts[1]) if len(amounts) > 1 else 0
    if left < 0 or right < 0:
        walk.refuse(node, "crops the time axis (negative padding)")
    if _folds_into_convs(walk, node, amounts, value):
        # the conv's cache already starts with zeros: no delay needed (causal models)
        folded_left, folded_right = walk.folded_pad.get(source, (0, 0))
        walk.env[node] = walk.env[source]
        walk.info[node] = signal
        walk.field[node] = walk.field[source]
        walk.folded_pad[node] = (left + folded_left, right + folded_right)
        return
    source_value = walk.env[source]
    if right > 0:
        source_value, signal = walk.settle(source, signal)
    extra = max(0, left - signal.delay)
    layer = ConstantPadStream(extra, signal.delay if left else 0, value,
                              [int(p) for p in amounts[2:]], signal.ndim)
    new = walk.add_stateful(layer, source_value)
    out = signal.with_(delay=signal.delay + extra - left,
                       length_offset=signal.length_offset + left + right)
    walk.record(node, new, out, walk.field[source])


def _folds_into_convs(walk: GraphWalk, node: fx.Node, amounts: list[int], value: float) -> bool:
    """A time-only zero pad whose every user is a conv becomes part of the conv's padding."""
    if value != 0.0 or any(amounts[2:]) or not node.users:
        return False
    for user in node.users:
        if user.op == "call_module":
            if not isinstance(walk.modules[user.target], nn.Conv1d):
                return False
        elif not (user.op == "call_function" and ops.op_name(user.target) == "conv1d"
                  and user.args and user.args[0] is node):
            return False
    return True


def pad_module(walk: GraphWalk, node: fx.Node, module: nn.ConstantPad1d) -> None:
    pad(walk, node, list(module.padding), float(module.value))


def pad_call(walk: GraphWalk, node: fx.Node, name: str) -> None:
    mode = arg(node, 2, "mode", "constant")
    if mode != "constant":
        walk.refuse(node, f"mode='{mode}' padding needs samples the stream has not seen")
    pad(walk, node, list(arg(node, 1, "pad")), float(arg(node, 3, "value", 0.0) or 0.0))


# ----------------------------------------------------------------- upsampling
def upsample(walk: GraphWalk, node: fx.Node, scale: Any, mode: str, size: Any) -> None:
    source, signal = walk.single_input(node)
    if isinstance(scale, (tuple, list)):
        scale = scale[-1]
    if size is not None or scale is None or mode not in ("nearest", "nearest-exact") \
            or float(scale) != int(scale) or int(scale) < 1:
        walk.refuse(node, "only nearest-neighbour upsampling by a whole factor streams")
    if not signal.time_last:
        walk.refuse(node, "upsamples while time is not the last axis")
    factor = int(scale)
    out = signal.with_(rate=signal.rate * factor, delay=signal.delay * factor,
                       length_offset=signal.length_offset * factor)
    new = walk.copy(node)
    if "scale_factor" in new.kwargs:  # TorchScript's interpolate wants a float factor
        new.kwargs = {**new.kwargs, "scale_factor": float(factor)}
    elif len(new.args) > 2 and new.args[2] is not None and ops.op_name(new.target) in (
            "interpolate", "upsample"):
        new.args = (*new.args[:2], float(factor), *new.args[3:])
    walk.record(node, new, out, walk.field[source] + 1 / signal.rate)


def upsample_module(walk: GraphWalk, node: fx.Node, module: nn.Upsample) -> None:
    upsample(walk, node, module.scale_factor, module.mode, module.size)


def upsample_call(walk: GraphWalk, node: fx.Node, name: str) -> None:
    upsample(walk, node, arg(node, 2, "scale_factor"), arg(node, 3, "mode", "nearest"),
             arg(node, 1, "size"))


def repeat_interleave(walk: GraphWalk, node: fx.Node, name: str) -> None:
    _, signal = walk.single_input(node)
    repeats, dim = arg(node, 1, "repeats"), arg(node, 2, "dim")
    if dim is None or not isinstance(repeats, int):
        walk.refuse(node, "only repeat_interleave by a whole number along one axis streams")
    if signal.axis(dim) == signal.time_dim:
        upsample(walk, node, repeats, "nearest", None)
    else:
        walk.pointwise(node)


# ----------------------------------------------------------------- running sums
def cumsum(walk: GraphWalk, node: fx.Node, name: str) -> None:
    """A running sum along time streams with its total carried from block to block (an
    oscillator's phase is the running sum of its frequency); along other axes it is
    pointwise in time."""
    source, signal = walk.single_input(node)
    dim = arg(node, 1, "dim")
    if signal.axis(int(dim)) != signal.time_dim:
        walk.pointwise(node)
        return
    if not signal.time_last:
        walk.refuse(node, "sums along time while time is not the last axis")
    if arg(node, 2, "dtype") is not None:
        walk.refuse(node, "takes a dtype; convert the input first (x.double().cumsum(-1))")
    new = walk.add_stateful(RunningSum(warmup=signal.delay), walk.env[source])
    walk.record(node, new, signal, walk.field[source])

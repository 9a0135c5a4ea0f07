"""Which torch ops act sample by sample in time, and which can never stream.

The converter asks three questions of every op: does it act on each time step on its own
(pointwise in time), does it act along one named axis (fine unless that axis is time), or is it a
layer that mixes time in a way no cache can reproduce.
"""

from __future__ import annotations

import operator

import torch
from torch import nn

# Layers that act on each time step independently (in eval mode).
POINTWISE_MODULES: tuple[type[nn.Module], ...] = (
    nn.Identity, nn.Dropout, nn.Dropout1d, nn.AlphaDropout,
    nn.ReLU, nn.ReLU6, nn.LeakyReLU, nn.PReLU, nn.RReLU, nn.ELU, nn.SELU, nn.CELU, nn.GELU,
    nn.SiLU, nn.Mish, nn.Tanh, nn.Sigmoid, nn.Hardtanh, nn.Hardswish, nn.Hardsigmoid,
    nn.Softplus, nn.Softsign, nn.Softshrink, nn.Hardshrink, nn.Tanhshrink, nn.LogSigmoid,
    nn.Threshold,
)

# Layers acting along ``module.dim``: fine unless that axis is time.
DIM_MODULES: tuple[type[nn.Module], ...] = (nn.Softmax, nn.LogSoftmax, nn.Softmin, nn.GLU)

# Layers that mix time in ways a stream cannot reproduce, with the reason given to the user.
REFUSED_MODULES: dict[type[nn.Module], str] = {
    nn.AvgPool1d: "pools over time; write it as a strided Conv1d to stream it",
    nn.MaxPool1d: "pools over time (max over a window is not a convolution)",
    nn.LPPool1d: "pools over time",
    nn.AdaptiveAvgPool1d: "pools over the whole time axis, which needs the end of the signal",
    nn.AdaptiveMaxPool1d: "pools over the whole time axis, which needs the end of the signal",
    nn.GroupNorm: "normalises over time: its statistics need the whole signal",
    nn.InstanceNorm1d: "normalises over time: its statistics need the whole signal",
    nn.MultiheadAttention: "attends over the whole time axis",
    nn.Transformer: "attends over the whole time axis",
    nn.TransformerEncoderLayer: "attends over the whole time axis",
    nn.TransformerDecoderLayer: "attends over the whole time axis",
    nn.RNN: "is recurrent over time; latentd streams convolutional models only",
    nn.GRU: "is recurrent over time; latentd streams convolutional models only",
    nn.LSTM: "is recurrent over time; latentd streams convolutional models only",
    nn.ReflectionPad1d: "reflects future samples into the left edge",
    nn.ReplicationPad1d: "repeats the edge sample, which the stream does not know in advance",
    nn.CircularPad1d: "wraps the end of the signal around to its start",
    nn.Flatten: "merges the time axis with others",
    nn.Unflatten: "reshapes axes, which breaks the time axis",
    nn.Fold: "reshapes the time axis",
    nn.Unfold: "reshapes the time axis",
}

# Python-level names of functions/methods that act elementwise, on top of aten's pointwise tag.
_ELEMENTWISE_NAMES = {
    "add", "sub", "mul", "truediv", "div", "floordiv", "pow", "neg", "pos", "abs", "mod",
    "maximum", "minimum", "where", "clamp", "clip", "lerp", "addcmul", "addcdiv",
    "relu", "relu6", "leaky_relu", "prelu", "rrelu", "elu", "selu", "celu", "gelu", "silu",
    "mish", "hardtanh", "hardswish", "hardsigmoid", "softplus", "softsign", "softshrink",
    "hardshrink", "tanhshrink", "logsigmoid", "threshold", "dropout", "alpha_dropout",
    "dropout1d", "feature_alpha_dropout", "contiguous", "clone", "detach", "float", "double",
    "half", "bfloat16", "to", "type_as", "type", "sign", "square", "copysign",
    "lt", "le", "gt", "ge", "eq", "ne", "floor", "ceil", "trunc", "frac", "remainder", "fmod",
    "rand_like", "randn_like",  # fresh noise per sample: elementwise, though not reproducible
}

_OPERATOR_NAMES = {
    operator.lt: "lt", operator.le: "le", operator.gt: "gt", operator.ge: "ge",
    operator.eq: "eq", operator.ne: "ne", operator.add: "add", operator.sub: "sub",
    operator.mul: "mul", operator.truediv: "div",
    operator.floordiv: "floordiv", operator.pow: "pow", operator.neg: "neg", operator.pos: "pos",
    operator.abs: "abs", operator.mod: "mod",
}

# Ops acting along a ``dim`` argument (position in args after the tensor, default).
DIM_OPS: dict[str, tuple[int, int | None]] = {
    "softmax": (1, None), "log_softmax": (1, None), "softmin": (1, None), "glu": (1, -1),
    "normalize": (2, 1), "cat": (1, 0), "concat": (1, 0), "concatenate": (1, 0),
    "chunk": (2, 0), "split": (2, 0), "cumprod": (1, None),
    "flip": (1, None), "roll": (2, None), "narrow": (1, None),
}

# Reductions: act along ``dim`` and drop it unless keepdim.
REDUCTIONS = {"sum", "mean", "amax", "amin", "prod", "logsumexp", "var", "std", "norm"}


def op_name(target: object) -> str:
    """The name used to classify a call_function/call_method target."""
    if isinstance(target, str):
        return target
    if target in _OPERATOR_NAMES:
        return _OPERATOR_NAMES[target]
    return getattr(target, "__name__", str(target))


def is_elementwise(name: str) -> bool:
    """Elementwise by our list or by aten's own ``pointwise`` tag for the op of that name."""
    base = name.rstrip("_")
    if base in _ELEMENTWISE_NAMES:
        return True
    packet = getattr(torch.ops.aten, base, None)
    if packet is None:
        return False
    try:
        overload = packet.default
    except AttributeError:
        return False
    return torch.Tag.pointwise in overload.tags


def refusal_reason(module: nn.Module) -> str | None:
    for kind, reason in REFUSED_MODULES.items():
        if isinstance(module, kind):
            return reason
    return None

"""Rules for the ops that act along axes: fine as long as time is not the axis they act on.

Each rule follows the time axis (transposes, squeezes, indexing and reductions move or drop
axes), refuses what would need the whole signal (a reduction or normalisation over time), and
otherwise treats the op as pointwise in time. Cropping the start of the time axis by indexing
becomes a delay.
"""

from __future__ import annotations

from typing import Any

from torch import fx, nn

from latentd.stream import ops
from latentd.stream.walk import GraphWalk, arg


# ----------------------------------------------------------------- moving axes
def reorder(walk: GraphWalk, node: fx.Node, name: str) -> None:
    """transpose, swapaxes, swapdims, permute, movedim, t: where does time go?"""
    source, signal = walk.single_input(node)
    rest: list[Any] = [a for a in node.args[1:]] + list(node.kwargs.values())
    if name == "t":
        rest = [0, 1]
    if name == "permute":
        order = rest[0] if len(rest) == 1 and isinstance(rest[0], (tuple, list)) else rest
        order = [signal.axis(d) for d in order]
        time_dim = order.index(signal.time_dim)
    elif name == "movedim":
        src, dst = signal.axis(rest[0]), signal.axis(rest[1])
        axes = list(range(signal.ndim))
        axes.insert(dst, axes.pop(src))
        time_dim = axes.index(signal.time_dim)
    else:
        a, b = signal.axis(rest[0]), signal.axis(rest[1])
        swap = {a: b, b: a}
        time_dim = swap.get(signal.time_dim, signal.time_dim)
    walk.record(node, walk.copy(node), signal.with_(time_dim=time_dim), walk.field[source])


def rank_change(walk: GraphWalk, node: fx.Node, name: str) -> None:
    """unsqueeze and squeeze, along one named axis that is not time."""
    source, signal = walk.single_input(node)
    dim = arg(node, 1, "dim")
    if dim is None:
        walk.refuse(node, "squeeze without an axis may drop the time axis of a short block")
    if isinstance(dim, (tuple, list)):
        walk.refuse(node, "changes several axes at once")
    if name == "unsqueeze":
        ndim = signal.ndim + 1
        at = dim + ndim if dim < 0 else dim
        time_dim = signal.time_dim + (1 if at <= signal.time_dim else 0)
    else:
        at = signal.axis(dim)
        if at == signal.time_dim:
            walk.refuse(node, "squeezes the time axis")
        ndim = signal.ndim - 1
        time_dim = signal.time_dim - (1 if at < signal.time_dim else 0)
    out = signal.with_(time_dim=time_dim, ndim=ndim)
    walk.record(node, walk.copy(node), out, walk.field[source])


# ----------------------------------------------------------------- indexing
def getitem(walk: GraphWalk, node: fx.Node, name: str) -> None:
    source, signal = walk.single_input(node)
    index = node.args[1]
    if isinstance(index, int) and source.op != "placeholder" and _is_tuple(source):
        walk.record(node, walk.copy(node), signal, walk.field[source])
        return
    items: list[Any] = list(index) if isinstance(index, tuple) else [index]
    if any(i is None or isinstance(i, (int, fx.Node)) for i in items):
        walk.refuse(node, "indexes in a way that may change or drop the time axis")
    if Ellipsis in items:
        at = items.index(Ellipsis)
        items = items[:at] + [slice(None)] * (signal.ndim - len(items) + 1) + items[at + 1:]
    start = end = 0
    if signal.time_dim < len(items) and items[signal.time_dim] != slice(None):
        start, end = _time_crop(walk, node, items[signal.time_dim])
        items[signal.time_dim] = slice(None)  # the stream keeps every sample of each block
    assert callable(node.target)  # operator.getitem: ops.op_name names no method "getitem"
    new = walk.graph.call_function(node.target, (walk.env[source], tuple(items)))
    out = signal.with_(delay=signal.delay + start,
                       length_offset=signal.length_offset - start - end)
    walk.record(node, new, out, walk.field[source])


def _time_crop(walk: GraphWalk, node: fx.Node, item: slice) -> tuple[int, int]:
    """``x[..., start:-end]``: dropping offline samples at the start is a delay in the stream;
    the end only shortens the offline value (see ``GraphWalk.settle``). Returns (start, end)."""
    start, stop, step = item.start, item.stop, item.step
    if step not in (None, 1) or not isinstance(start, (int, type(None))) or (start or 0) < 0 \
            or not (stop is None or (isinstance(stop, int) and stop < 0)):
        walk.refuse(node, "slices the time axis to a fixed length or with a step")
    return start or 0, -stop if stop is not None else 0


def _is_tuple(node: fx.Node) -> bool:
    return ops.op_name(node.target) in ("chunk", "split", "unbind", "max", "min")


def reads_shape(walk: GraphWalk, node: fx.Node, name: str) -> None:
    """``x.size()``, ``x.dim()``, ``x.shape``: block-dependent, so refused; other attributes
    (``x.dtype``, ...) are pointwise."""
    if name == "getattr" and node.args[1] not in ("shape",):
        walk.pointwise(node)
        return
    walk.refuse(node, "reads the tensor's shape, which changes with the block length")


# ----------------------------------------------------------------- acting along one axis
def along_dim(walk: GraphWalk, node: fx.Node, dim: Any) -> None:
    inputs = walk.time_inputs(node)
    signal = walk.signal(inputs[0])
    dims = dim if isinstance(dim, (tuple, list)) else [dim]
    if dim is None or any(signal.axis(int(d)) == signal.time_dim for d in dims):
        walk.refuse(node, "acts along the time axis, which needs the whole signal")
    walk.pointwise(node)


def along_dim_module(walk: GraphWalk, node: fx.Node, module: nn.Module) -> None:
    along_dim(walk, node, module.dim)


def along_dim_call(walk: GraphWalk, node: fx.Node, name: str) -> None:
    index, default = ops.DIM_OPS[name]
    along_dim(walk, node, arg(node, index, "dim", default))


def reduction(walk: GraphWalk, node: fx.Node, name: str) -> None:
    source, signal = walk.single_input(node)
    dim = arg(node, 2, "dim") if name == "norm" else arg(node, 1, "dim")
    keepdim = node.kwargs.get("keepdim", False)
    if name != "norm" and len(node.args) > 2:
        keepdim = node.args[2]
    dims = dim if isinstance(dim, (tuple, list)) else [dim]
    if dim is None or any(signal.axis(int(d)) == signal.time_dim for d in dims):
        walk.refuse(node, "reduces over the time axis, which needs the whole signal")
    axes = {signal.axis(int(d)) for d in dims}
    out = signal
    if not keepdim:
        below = sum(1 for a in axes if a < signal.time_dim)
        out = signal.with_(time_dim=signal.time_dim - below, ndim=signal.ndim - len(axes))
    walk.record(node, walk.copy(node), out, walk.field[source])


# ----------------------------------------------------------------- layers with an axis check
def batch_norm(walk: GraphWalk, node: fx.Node, module: nn.BatchNorm1d) -> None:
    if not module.track_running_stats:
        walk.refuse(node, "uses batch statistics over time (track_running_stats=False)")
    walk.pointwise(node)


def linear(walk: GraphWalk, node: fx.Node, module: nn.Linear) -> None:
    _, signal = walk.single_input(node)
    if signal.time_last:
        walk.refuse(node, "mixes the last axis, which is time here; transpose first")
    walk.pointwise(node)


def layer_norm(walk: GraphWalk, node: fx.Node, module: nn.LayerNorm) -> None:
    _, signal = walk.single_input(node)
    dims = range(signal.ndim - len(module.normalized_shape), signal.ndim)
    if signal.time_dim in dims:
        walk.refuse(node, "normalises over time: its statistics need the whole signal")
    walk.pointwise(node)

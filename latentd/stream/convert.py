"""Rewrite a traced model into its streaming graph: which rule streams which op.

:func:`convert` walks the fx graph in order (:class:`~latentd.stream.walk.GraphWalk` keeps each
value's rate and delay) and hands every op that depends on the input to its rule, found in one of
two tables, as ``osc/routes.py`` finds a handler by address: ``MODULE_RULES`` by layer class
(the most derived class listed wins) and ``CALL_RULES`` by function or method name. Ops in
neither table fall back to :mod:`latentd.stream.ops`' classification (acts along a ``dim``, a
reduction, elementwise) or are refused, naming the op. Supporting a new op is a rule in
``time_ops`` or ``axis_ops`` and a line here.

The result is the new graph and its stateful layers, with the figures ``streamify`` needs to
build the :class:`~latentd.stream.module.StreamingModule`; this module does not build it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from torch import fx, nn

from latentd.stream import axis_ops, ops, time_ops
from latentd.stream.frames import FrameAnalysis
from latentd.stream.signal import Signal, StreamingError
from latentd.stream.walk import GraphWalk

ModuleRule = Callable[[GraphWalk, fx.Node, Any], None]
CallRule = Callable[[GraphWalk, fx.Node, str], None]


def _pointwise_module(walk: GraphWalk, node: fx.Node, module: nn.Module) -> None:
    walk.pointwise(node)


MODULE_RULES: dict[type, ModuleRule] = {
    nn.Conv1d: time_ops.conv_module,
    FrameAnalysis: time_ops.frame_analysis,
    nn.ConvTranspose1d: time_ops.conv_transpose_module,
    nn.ConstantPad1d: time_ops.pad_module,
    nn.Upsample: time_ops.upsample_module,
    **{kind: _pointwise_module for kind in ops.POINTWISE_MODULES},
    nn.BatchNorm1d: axis_ops.batch_norm,
    nn.Linear: axis_ops.linear,
    nn.LayerNorm: axis_ops.layer_norm,
    **{kind: axis_ops.along_dim_module for kind in ops.DIM_MODULES},
}


def _conv_call(walk: GraphWalk, node: fx.Node, name: str) -> None:
    if node.op == "call_function":
        time_ops.functional_conv(walk, node, name)
    else:  # a method of that name is no conv we know
        _classified_call(walk, node, name)


CALL_RULES: dict[str, CallRule] = {
    "conv1d": _conv_call, "conv_transpose1d": _conv_call,
    "pad": time_ops.pad_call,
    "interpolate": time_ops.upsample_call, "upsample": time_ops.upsample_call,
    "repeat_interleave": time_ops.repeat_interleave,
    "cumsum": time_ops.cumsum,
    **dict.fromkeys(("transpose", "swapaxes", "swapdims", "permute", "movedim", "t"),
                    axis_ops.reorder),
    "unsqueeze": axis_ops.rank_change, "squeeze": axis_ops.rank_change,
    "getitem": axis_ops.getitem,
    "getattr": axis_ops.reads_shape, "size": axis_ops.reads_shape, "dim": axis_ops.reads_shape,
}


def _classified_call(walk: GraphWalk, node: fx.Node, name: str) -> None:
    """A call without a rule of its own: streamable if ``ops`` classifies it."""
    if name in ops.DIM_OPS:
        axis_ops.along_dim_call(walk, node, name)
    elif name in ops.REDUCTIONS:
        axis_ops.reduction(walk, node, name)
    elif ops.is_elementwise(name):
        walk.pointwise(node)
    else:
        walk.refuse(node, "is not an op latentd knows how to stream (add it to "
                          "latentd.stream.ops if it acts on each time step alone)")


def module_rule(module: nn.Module) -> ModuleRule | None:
    """The rule for the most derived of the module's classes that has one."""
    for kind in type(module).__mro__:
        rule = MODULE_RULES.get(kind)
        if rule is not None:
            return rule
    return None


@dataclass
class Conversion:
    """What the walk produced: ``graph`` calls the layers in ``stateful`` as ``stateful.<i>``
    (attach them to the module built around it); ``output`` is the output's signal, whose
    delay is the latency; ``rates`` are every value's rate (block lengths must be a multiple of
    their denominators); ``output_field`` is the receptive field in input samples."""

    graph: fx.Graph
    stateful: nn.ModuleList
    output: Signal
    output_field: Fraction
    rates: set[Fraction]


def convert(traced: fx.GraphModule) -> Conversion:
    """Stream every op of ``traced``; raises :class:`StreamingError` naming the first op that
    cannot stream."""
    placeholders = [n for n in traced.graph.nodes if n.op == "placeholder"]
    if len(placeholders) != 1:
        raise StreamingError(
            f"the model's forward takes {len(placeholders)} inputs; a streamable model "
            "takes one tensor (batch, channels, time)")
    walk = GraphWalk(traced)
    output: tuple[Signal, Fraction] | None = None
    for node in traced.graph.nodes:
        try:
            if node.op == "output":
                output = _visit_output(walk, node)
            else:
                _visit(walk, node)
        except StreamingError:
            raise
        except Exception as exc:  # an op we mis-read: say where, do not guess
            raise StreamingError(f"{walk.where(node)}: could not be analysed ({exc})") from exc
    assert output is not None  # every fx graph ends with its output node
    return Conversion(walk.graph, walk.stateful, output[0], output[1], walk.rates)


def _visit(walk: GraphWalk, node: fx.Node) -> None:
    if node.op == "placeholder":
        walk.env[node] = walk.graph.node_copy(node, lambda n: walk.env[n])
        walk.env[node].type = None  # a string annotation would not script; Tensor is implied
        walk.info[node] = Signal(Fraction(1), 0)
        walk.field[node] = Fraction(0)
        return
    if all(walk.info[n] is None for n in node.all_input_nodes):
        walk.visit_static(node)
        return
    if node.op == "call_module":
        module = walk.modules[node.target]
        reason = ops.refusal_reason(module)
        if reason is not None:
            walk.refuse(node, reason)
        rule = module_rule(module)
        if rule is None:
            walk.refuse(node, "is not a layer latentd knows how to stream (add it to "
                              "latentd.stream.ops if it acts on each time step alone)")
        rule(walk, node, module)
    elif node.op in ("call_function", "call_method"):
        name = ops.op_name(node.target)
        CALL_RULES.get(name, _classified_call)(walk, node, name)
    else:
        raise StreamingError(f"{walk.where(node)}: unsupported graph op {node.op}")


def _visit_output(walk: GraphWalk, node: fx.Node) -> tuple[Signal, Fraction]:
    result = node.args[0]
    if not isinstance(result, fx.Node) or walk.info.get(result) is None:
        raise StreamingError("the model must return one tensor that depends on its input")
    walk.graph.output(walk.env[result])
    return walk.signal(result), walk.field[result]


__all__ = ["CALL_RULES", "MODULE_RULES", "Conversion", "convert"]

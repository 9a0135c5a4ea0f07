"""The state of one pass over a traced graph, and what every op's rule needs from it.

The conversion visits the fx graph in order and keeps, for every time-varying value, its rate and
its delay (see :class:`Signal`). A rule (``time_ops``, ``axis_ops``; the tables in ``convert``)
reads its inputs' signals here, adds the streaming nodes and stateful layers to the new graph, and
records the output's signal with :meth:`GraphWalk.record`. Pointwise ops are the default rule and
live here: they keep the delay, and where branches meet, the ones that lag less get delay lines.

Values that do not depend on the input (parameters, buffers, constants) are "static": they are
evaluated once here, so that functional convs with computed weights can be frozen.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, NoReturn

import torch
from torch import fx, nn

from latentd.stream import ops
from latentd.stream.layers import DelayLine
from latentd.stream.signal import Signal, StreamingError

_UNKNOWN = object()


def arg(node: fx.Node, index: int, name: str, default: Any = None) -> Any:
    """A call's argument, given by position or by keyword."""
    if len(node.args) > index:
        return node.args[index]
    return node.kwargs.get(name, default)


class GraphWalk:
    """The new graph being built, each old node's counterpart and signal, and the stateful
    layers the new graph calls (as ``stateful.<i>``)."""

    def __init__(self, traced: fx.GraphModule):
        self.traced = traced
        self.modules = dict(traced.named_modules())
        self.graph = fx.Graph()
        self.env: dict[fx.Node, fx.Node] = {}
        self.info: dict[fx.Node, Signal | None] = {}
        self.static: dict[fx.Node, Any] = {}
        self.stateful = nn.ModuleList()
        self.rates: set[Fraction] = {Fraction(1)}
        self.field: dict[fx.Node, Fraction] = {}
        # zero pads (left, right) left for the consuming conv
        self.folded_pad: dict[fx.Node, tuple[int, int]] = {}

    # ----------------------------------------------------------------- static values
    def visit_static(self, node: fx.Node) -> None:
        self.env[node] = self.graph.node_copy(node, lambda n: self.env[n])
        self.info[node] = None
        self.static[node] = self._evaluate(node)

    def _evaluate(self, node: fx.Node) -> Any:
        def value(item: Any) -> Any:
            return self.static.get(item, _UNKNOWN) if isinstance(item, fx.Node) else item

        args = fx.node.map_aggregate(node.args, value)
        kwargs = fx.node.map_aggregate(node.kwargs, value)
        flat = list(args) + list(kwargs.values())
        if any(a is _UNKNOWN for a in flat):
            return _UNKNOWN
        try:
            if node.op == "get_attr" and isinstance(node.target, str):
                obj: Any = self.traced
                for part in node.target.split("."):
                    obj = getattr(obj, part)
                return obj
            if node.op == "call_function" and callable(node.target):
                return node.target(*args, **kwargs)
            if node.op == "call_method" and isinstance(node.target, str):
                return getattr(args[0], node.target)(*args[1:], **kwargs)
            if node.op == "call_module":
                return self.modules[node.target](*args, **kwargs)
        except Exception:
            return _UNKNOWN
        return _UNKNOWN

    # ----------------------------------------------------------------- helpers for the rules
    def where(self, node: fx.Node) -> str:
        if node.op == "call_module":
            module = self.modules.get(node.target)
            return f"layer '{node.target}' ({type(module).__name__})"
        return f"op '{node.name}' ({ops.op_name(node.target)})"

    def refuse(self, node: fx.Node, why: str) -> NoReturn:
        raise StreamingError(f"cannot stream {self.where(node)}: {why}")

    def time_inputs(self, node: fx.Node) -> list[fx.Node]:
        return [n for n in node.all_input_nodes if self.info.get(n) is not None]

    def signal(self, node: fx.Node) -> Signal:
        return self.info[node]  # type: ignore[return-value]  # callers ask for time inputs only

    def add_stateful(self, module: nn.Module, source: fx.Node) -> fx.Node:
        self.stateful.append(module)
        return self.graph.call_module(f"stateful.{len(self.stateful) - 1}", (source,))

    def copy(self, node: fx.Node, replace: dict[fx.Node, fx.Node] | None = None) -> fx.Node:
        mapping = replace or {}
        return self.graph.node_copy(node, lambda n: mapping.get(n, self.env[n]))

    def record(self, node: fx.Node, new: fx.Node, signal: Signal, field: Fraction) -> None:
        self.env[node] = new
        self.info[node] = signal
        self.field[node] = field
        self.rates.add(signal.rate)

    def single_input(self, node: fx.Node) -> tuple[fx.Node, Signal]:
        inputs = self.time_inputs(node)
        if len(inputs) != 1:
            self.refuse(node, "expected one time-varying input")
        return inputs[0], self.signal(inputs[0])

    def require_time_last(self, node: fx.Node, signal: Signal) -> None:
        if not signal.time_last or signal.ndim != 3:
            self.refuse(node, "expects (batch, channels, time) with time as the last axis")

    def settle(self, source: fx.Node, signal: Signal) -> tuple[fx.Node, Signal]:
        """Before a layer that pads past the end: if the offline value ended before the stream's
        data does, delay the stream so that it never holds samples the offline layer sees as
        padding."""
        if signal.excess <= 0:
            return self.env[source], signal
        delayed = self.add_stateful(DelayLine(signal.excess, signal.ndim), self.env[source])
        return delayed, signal.with_(delay=signal.delay + signal.excess)

    # ----------------------------------------------------------------- merging branches
    def pointwise(self, node: fx.Node) -> None:
        """An op acting on each time step: align all time-varying inputs on the latest one."""
        inputs = self.time_inputs(node)
        signals = [self.signal(n) for n in inputs]
        rates = {s.rate for s in signals}
        if len(rates) > 1:
            names = ", ".join(f"{n.name} at rate {self.signal(n).rate}" for n in inputs)
            self.refuse(node, f"combines branches running at different rates ({names})")
        axes = {s.time_dim - s.ndim for s in signals}
        if len(axes) > 1:
            self.refuse(node, "combines branches whose time axes are not aligned")
        self._check_static_broadcast(node, signals[0])
        target = max(s.delay for s in signals)
        replace: dict[fx.Node, fx.Node] = {}
        for source, signal in zip(inputs, signals, strict=False):
            if signal.delay < target:
                if not signal.time_last:
                    self.refuse(node, "aligns branches while time is not the last axis")
                replace[source] = self.add_stateful(
                    DelayLine(target - signal.delay, signal.ndim), self.env[source])
        widest = max(signals, key=lambda s: s.ndim)
        field = max(self.field[n] for n in inputs)
        out = widest.with_(delay=target,
                           length_offset=min(s.length_offset for s in signals))
        self.record(node, self.copy(node, replace), out, field)

    def _check_static_broadcast(self, node: fx.Node, signal: Signal) -> None:
        """A fixed tensor with a time extent would not broadcast over every block length."""
        for item in node.all_input_nodes:
            value = self.static.get(item)
            extent_axis = signal.time_dim - signal.ndim
            if isinstance(value, torch.Tensor) and value.dim() >= -extent_axis \
                    and value.shape[extent_axis] > 1:
                self.refuse(node, f"combines the signal with fixed tensor '{item.name}' "
                                  "that has its own time extent")


__all__ = ["GraphWalk", "arg"]

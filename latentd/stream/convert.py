"""Rewrite a traced model into its streaming form.

The walk visits the fx graph in order and keeps, for every time-varying value, its rate and its
delay (see :class:`Signal`). Each op maps the input's (rate, delay) to the output's:

* conv, stride ``s``, left pad ``l``, span ``L``: delay ``(L + D - l + a) / s`` where the pure delay
  ``a`` makes it a whole, non-negative number (stride alignment)
* transposed conv, stride ``s``, padding ``p``: delay ``(D + a) * s - p``
* constant pad ``l``: delay ``D + a - l``; nearest upsampling by ``f``: ``D * f``
* pointwise ops keep the delay; where branches meet, the ones that lag less get delay lines

Values that do not depend on the input (parameters, buffers, constants) are "static": they are
evaluated once here, so that functional convs with computed weights can be frozen.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NoReturn

import torch
from torch import fx, nn

from latentd.stream import ops
from latentd.stream.frames import FrameAnalysis, StreamFrameAnalysis
from latentd.stream.layers import (
    ConstantPadStream,
    DelayLine,
    RunningSum,
    StreamConv1d,
    StreamConvTranspose1d,
)
from latentd.stream.signal import Signal, StreamingError

if TYPE_CHECKING:  # module.py imports this module at run time
    from latentd.stream.module import StreamGraph

_UNKNOWN = object()


def _arg(node: fx.Node, index: int, name: str, default: Any = None) -> Any:
    if len(node.args) > index:
        return node.args[index]
    return node.kwargs.get(name, default)


def _conv_padding(padding: Any, kernel: int, dilation: int) -> tuple[int, int]:
    if padding == "valid":
        return 0, 0
    if padding == "same":
        total = dilation * (kernel - 1)
        return total // 2, total - total // 2
    if isinstance(padding, (tuple, list)):
        padding = padding[0]
    return int(padding), int(padding)


def refresh_hooked_weights(model: nn.Module) -> None:
    """Old-style weight/spectral norm keep ``weight`` as a tensor computed by a pre-hook, with
    autograd history that ``copy.deepcopy`` refuses. Recompute it without history."""
    from torch.nn.utils.spectral_norm import SpectralNorm
    from torch.nn.utils.weight_norm import WeightNorm

    with torch.no_grad():
        for module in model.modules():
            for hook in list(module._forward_pre_hooks.values()):
                if isinstance(hook, WeightNorm):
                    setattr(module, hook.name, hook.compute_weight(module))
                elif isinstance(hook, SpectralNorm):
                    weight = hook.compute_weight(module, do_power_iteration=False)
                    setattr(module, hook.name, weight)


def _folded_weight(module: nn.Conv1d | nn.ConvTranspose1d) -> torch.Tensor:
    """The effective weight, with weight norm (either API) or other reparametrisations folded:
    parametrizations compute ``weight`` on access, old-style hooks were refreshed on entry."""
    return module.weight.detach()


class Converter:
    """One pass over a traced graph producing the streaming graph and its figures."""

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
        self.output: Signal | None = None
        self.output_field = Fraction(0)
        # zero pads (left, right) left for the consuming conv
        self.folded_pad: dict[fx.Node, tuple[int, int]] = {}

    # ----------------------------------------------------------------- the walk
    def run(self) -> StreamGraph:
        placeholders = [n for n in self.traced.graph.nodes if n.op == "placeholder"]
        if len(placeholders) != 1:
            raise StreamingError(
                f"the model's forward takes {len(placeholders)} inputs; a streamable model "
                "takes one tensor (batch, channels, time)")
        for node in self.traced.graph.nodes:
            try:
                self._visit(node)
            except StreamingError:
                raise
            except Exception as exc:  # an op we mis-read: say where, do not guess
                raise StreamingError(f"{self._where(node)}: could not be analysed ({exc})") from exc
        from latentd.stream.module import StreamGraph

        self.traced.stateful = self.stateful
        module = StreamGraph(self.traced, self.graph)
        module.stateful = self.stateful
        return module

    def _visit(self, node: fx.Node) -> None:
        if node.op == "placeholder":
            self.env[node] = self.graph.node_copy(node, lambda n: self.env[n])
            self.env[node].type = None  # a string annotation would not script; Tensor is implied
            self.info[node] = Signal(Fraction(1), 0)
            self.field[node] = Fraction(0)
            return
        if node.op == "output":
            self._visit_output(node)
            return
        inputs = [n for n in node.all_input_nodes]
        if all(self.info[n] is None for n in inputs):
            self._visit_static(node)
            return
        if node.op == "call_module":
            self._visit_module(node, self.modules[node.target])
        elif node.op in ("call_function", "call_method"):
            self._visit_call(node, ops.op_name(node.target))
        else:
            raise StreamingError(f"{self._where(node)}: unsupported graph op {node.op}")

    def _visit_output(self, node: fx.Node) -> None:
        result = node.args[0]
        if not isinstance(result, fx.Node) or self.info.get(result) is None:
            raise StreamingError("the model must return one tensor that depends on its input")
        self.output = self.info[result]
        self.output_field = self.field[result]
        self.graph.output(self.env[result])

    def _visit_static(self, node: fx.Node) -> None:
        self.env[node] = self.graph.node_copy(node, lambda n: self.env[n])
        self.info[node] = None
        self.static[node] = self._evaluate(node)

    def _evaluate(self, node: fx.Node) -> Any:
        def value(arg: Any) -> Any:
            return self.static.get(arg, _UNKNOWN) if isinstance(arg, fx.Node) else arg

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

    # ----------------------------------------------------------------- helpers
    def _where(self, node: fx.Node) -> str:
        if node.op == "call_module":
            module = self.modules.get(node.target)
            return f"layer '{node.target}' ({type(module).__name__})"
        return f"op '{node.name}' ({ops.op_name(node.target)})"

    def _refuse(self, node: fx.Node, why: str) -> NoReturn:
        raise StreamingError(f"cannot stream {self._where(node)}: {why}")

    def _time_inputs(self, node: fx.Node) -> list[fx.Node]:
        return [n for n in node.all_input_nodes if self.info.get(n) is not None]

    def _signal(self, node: fx.Node) -> Signal:
        return self.info[node]  # type: ignore[return-value]  # callers ask for time inputs only

    def _stateful(self, module: nn.Module, arg: fx.Node) -> fx.Node:
        self.stateful.append(module)
        return self.graph.call_module(f"stateful.{len(self.stateful) - 1}", (arg,))

    def _copy(self, node: fx.Node, replace: dict[fx.Node, fx.Node] | None = None) -> fx.Node:
        mapping = replace or {}
        return self.graph.node_copy(node, lambda n: mapping.get(n, self.env[n]))

    def _record(self, node: fx.Node, new: fx.Node, signal: Signal, field: Fraction) -> None:
        self.env[node] = new
        self.info[node] = signal
        self.field[node] = field
        self.rates.add(signal.rate)

    def _single_input(self, node: fx.Node) -> tuple[fx.Node, Signal]:
        inputs = self._time_inputs(node)
        if len(inputs) != 1:
            self._refuse(node, "expected one time-varying input")
        return inputs[0], self._signal(inputs[0])

    def _require_time_last(self, node: fx.Node, signal: Signal) -> None:
        if not signal.time_last or signal.ndim != 3:
            self._refuse(node, "expects (batch, channels, time) with time as the last axis")

    # ----------------------------------------------------------------- modules
    def _visit_module(self, node: fx.Node, module: nn.Module) -> None:
        reason = ops.refusal_reason(module)
        if reason is not None:
            self._refuse(node, reason)
        if isinstance(module, nn.Conv1d):
            self._conv(node, module, _folded_weight(module), module.bias)
        elif isinstance(module, FrameAnalysis):
            self._windowed(node, module.span, 1, module.hop, (module.left, module.right),
                           lambda delay, warmup: StreamFrameAnalysis(module, delay, warmup))
        elif isinstance(module, nn.ConvTranspose1d):
            self._conv_transpose(node, module, _folded_weight(module), module.bias)
        elif isinstance(module, nn.ConstantPad1d):
            self._pad(node, list(module.padding), float(module.value))
        elif isinstance(module, nn.Upsample):
            self._upsample(node, module.scale_factor, module.mode, module.size)
        elif isinstance(module, ops.POINTWISE_MODULES):
            self._pointwise(node)
        elif isinstance(module, nn.BatchNorm1d):
            if not module.track_running_stats:
                self._refuse(node, "uses batch statistics over time (track_running_stats=False)")
            self._pointwise(node)
        elif isinstance(module, nn.Linear):
            _, signal = self._single_input(node)
            if signal.time_last:
                self._refuse(node, "mixes the last axis, which is time here; transpose first")
            self._pointwise(node)
        elif isinstance(module, nn.LayerNorm):
            _, signal = self._single_input(node)
            dims = range(signal.ndim - len(module.normalized_shape), signal.ndim)
            if signal.time_dim in dims:
                self._refuse(node, "normalises over time: its statistics need the whole signal")
            self._pointwise(node)
        elif isinstance(module, ops.DIM_MODULES):
            self._along_dim(node, module.dim)
        else:
            self._refuse(node, "is not a layer latentd knows how to stream (add it to "
                               "latentd.stream.ops if it acts on each time step alone)")

    def _settle(self, node: fx.Node, source: fx.Node, signal: Signal
                ) -> tuple[fx.Node, Signal]:
        """Before a layer that pads past the end: if the offline value ended before the stream's
        data does, delay the stream so that it never holds samples the offline layer sees as
        padding."""
        if signal.excess <= 0:
            return self.env[source], signal
        delayed = self._stateful(DelayLine(signal.excess, signal.ndim), self.env[source])
        return delayed, signal.with_(delay=signal.delay + signal.excess)

    def _conv(self, node: fx.Node, conv: nn.Conv1d, weight: torch.Tensor,
              bias: torch.Tensor | None) -> None:
        if conv.padding_mode != "zeros":
            self._refuse(node, f"padding_mode='{conv.padding_mode}' needs samples the stream "
                               "has not seen; only zero padding streams")
        kernel, dilation = conv.kernel_size[0], conv.dilation[0]
        self._windowed(node, kernel, dilation, conv.stride[0],
                       _conv_padding(conv.padding, kernel, dilation),
                       lambda delay, warmup: StreamConv1d(conv, weight, bias, delay, warmup))

    def _windowed(self, node: fx.Node, kernel: int, dilation: int, stride: int,
                  padding: tuple[int, int], make_layer: Any) -> None:
        """A layer reading windows of its zero-padded input every ``stride`` samples (a conv,
        a frame analysis); ``make_layer(delay, warmup)`` builds its cached form."""
        source, signal = self._single_input(node)
        self._require_time_last(node, signal)
        folded_left, folded_right = self.folded_pad.get(source, (0, 0))
        left, right = padding[0] + folded_left, padding[1] + folded_right
        span = (kernel - 1) * dilation
        length = (signal.length_offset + left + right - span - 1) // stride + 1
        arg = self.env[source]
        if (length - 1) * stride - left + span >= signal.length_offset:  # its last output reads
            arg, signal = self._settle(node, source, signal)  # right padding past the end
        lag = span + signal.delay - left
        extra = 0
        while lag + extra < 0 or (lag + extra) % stride:
            extra += 1
        new = self._stateful(make_layer(extra, signal.delay), arg)
        out = signal.with_(rate=signal.rate / stride, delay=(lag + extra) // stride,
                           length_offset=length)
        self._record(node, new, out, self.field[source] + Fraction(span) / signal.rate)

    def _conv_transpose(self, node: fx.Node, conv: nn.ConvTranspose1d, weight: torch.Tensor,
                        bias: torch.Tensor | None) -> None:
        source, signal = self._single_input(node)
        self._require_time_last(node, signal)
        stride, padding = conv.stride[0], conv.padding[0]
        assert isinstance(padding, int)  # only Conv1d takes padding="same"/"valid"
        span = (conv.kernel_size[0] - 1) * conv.dilation[0]
        arg = self.env[source]
        if span + conv.output_padding[0] - padding >= stride:  # its last outputs read past the
            arg, signal = self._settle(node, source, signal)  # input's end, as zeros offline
        # the offline output drops the first ``padding`` samples of the full transposed conv;
        # the stream cannot drop them, so they become delay
        delay = signal.delay * stride + padding
        layer = StreamConvTranspose1d(conv, weight, bias, warmup=signal.delay)
        new = self._stateful(layer, arg)
        length = ((signal.length_offset - 1) * stride - 2 * padding + span + 1
                  + conv.output_padding[0])
        field = self.field[source] + (Fraction(span, stride) + 1) / signal.rate
        out = signal.with_(rate=signal.rate * stride, delay=delay, length_offset=length)
        self._record(node, new, out, field)

    def _pad(self, node: fx.Node, pad: list[int], value: float) -> None:
        source, signal = self._single_input(node)
        if not signal.time_last:
            if any(pad[2 * (signal.ndim - 1 - signal.time_dim):][:2]):
                self._refuse(node, "pads the time axis while it is not the last axis")
            self._pointwise(node)
            return
        left, right = int(pad[0]), int(pad[1]) if len(pad) > 1 else 0
        if left < 0 or right < 0:
            self._refuse(node, "crops the time axis (negative padding)")
        if self._folds_into_convs(node, pad, value):
            # the conv's cache already starts with zeros: no delay needed (causal models)
            folded_left, folded_right = self.folded_pad.get(source, (0, 0))
            self.env[node] = self.env[source]
            self.info[node] = signal
            self.field[node] = self.field[source]
            self.folded_pad[node] = (left + folded_left, right + folded_right)
            return
        arg = self.env[source]
        if right > 0:
            arg, signal = self._settle(node, source, signal)
        extra = max(0, left - signal.delay)
        layer = ConstantPadStream(extra, signal.delay if left else 0, value,
                                  [int(p) for p in pad[2:]], signal.ndim)
        new = self._stateful(layer, arg)
        out = signal.with_(delay=signal.delay + extra - left,
                           length_offset=signal.length_offset + left + right)
        self._record(node, new, out, self.field[source])

    def _folds_into_convs(self, node: fx.Node, pad: list[int], value: float) -> bool:
        """A time-only zero pad whose every user is a conv becomes part of the conv's padding."""
        if value != 0.0 or any(pad[2:]) or not node.users:
            return False
        for user in node.users:
            if user.op == "call_module":
                if not isinstance(self.modules[user.target], nn.Conv1d):
                    return False
            elif not (user.op == "call_function" and ops.op_name(user.target) == "conv1d"
                      and user.args and user.args[0] is node):
                return False
        return True

    def _upsample(self, node: fx.Node, scale: Any, mode: str, size: Any) -> None:
        source, signal = self._single_input(node)
        if isinstance(scale, (tuple, list)):
            scale = scale[-1]
        if size is not None or scale is None or mode not in ("nearest", "nearest-exact") \
                or float(scale) != int(scale) or int(scale) < 1:
            self._refuse(node, "only nearest-neighbour upsampling by a whole factor streams")
        if not signal.time_last:
            self._refuse(node, "upsamples while time is not the last axis")
        factor = int(scale)
        out = signal.with_(rate=signal.rate * factor, delay=signal.delay * factor,
                           length_offset=signal.length_offset * factor)
        new = self._copy(node)
        if "scale_factor" in new.kwargs:  # TorchScript's interpolate wants a float factor
            new.kwargs = {**new.kwargs, "scale_factor": float(factor)}
        elif len(new.args) > 2 and new.args[2] is not None and ops.op_name(new.target) in (
                "interpolate", "upsample"):
            new.args = (*new.args[:2], float(factor), *new.args[3:])
        self._record(node, new, out, self.field[source] + 1 / signal.rate)

    # ----------------------------------------------------------------- functions
    def _visit_call(self, node: fx.Node, name: str) -> None:
        if name in ("conv1d", "conv_transpose1d") and node.op == "call_function":
            self._functional_conv(node, name)
        elif name == "pad":
            mode = _arg(node, 2, "mode", "constant")
            if mode != "constant":
                self._refuse(node, f"mode='{mode}' padding needs samples the stream has not seen")
            self._pad(node, list(_arg(node, 1, "pad")), float(_arg(node, 3, "value", 0.0) or 0.0))
        elif name in ("interpolate", "upsample"):
            self._upsample(node, _arg(node, 2, "scale_factor"), _arg(node, 3, "mode", "nearest"),
                           _arg(node, 1, "size"))
        elif name == "repeat_interleave":
            self._repeat_interleave(node)
        elif name in ("transpose", "swapaxes", "swapdims", "permute", "movedim", "t"):
            self._reorder(node, name)
        elif name in ("unsqueeze", "squeeze"):
            self._rank_change(node, name)
        elif name == "getitem":
            self._getitem(node)
        elif name == "cumsum":
            self._cumsum(node)
        elif name == "getattr":
            if node.args[1] in ("shape",):
                self._refuse(node, "reads the tensor's shape, which changes with the block length")
            self._pointwise(node)
        elif name in ("size", "dim"):
            self._refuse(node, "reads the tensor's shape, which changes with the block length")
        elif name in ops.DIM_OPS:
            index, default = ops.DIM_OPS[name]
            self._along_dim(node, _arg(node, index, "dim", default))
        elif name in ops.REDUCTIONS:
            self._reduction(node)
        elif ops.is_elementwise(name):
            self._pointwise(node)
        else:
            self._refuse(node, "is not an op latentd knows how to stream (add it to "
                               "latentd.stream.ops if it acts on each time step alone)")

    def _functional_conv(self, node: fx.Node, name: str) -> None:
        weight = self.static.get(_arg(node, 1, "weight"))
        bias_node = _arg(node, 2, "bias")
        bias = self.static.get(bias_node) if isinstance(bias_node, fx.Node) else bias_node
        if not isinstance(weight, torch.Tensor) or (bias is not None
                                                    and not isinstance(bias, torch.Tensor)):
            self._refuse(node, "its weights depend on the input; only fixed weights stream")
        if name == "conv1d":
            stride, padding = _arg(node, 3, "stride", 1), _arg(node, 4, "padding", 0)
            dilation, groups = _arg(node, 5, "dilation", 1), _arg(node, 6, "groups", 1)
            kernel = weight.shape[-1]
            if isinstance(padding, str):
                padding = _conv_padding(padding, kernel, dilation if isinstance(dilation, int)
                                        else dilation[0])[0]
            conv = nn.Conv1d(weight.shape[1] * groups, weight.shape[0], kernel, stride, padding,
                             dilation, groups, bias=bias is not None)
            self._conv(node, conv, weight, bias)
        else:
            stride, padding = _arg(node, 3, "stride", 1), _arg(node, 4, "padding", 0)
            output_padding = _arg(node, 5, "output_padding", 0)
            groups, dilation = _arg(node, 6, "groups", 1), _arg(node, 7, "dilation", 1)
            transposed = nn.ConvTranspose1d(weight.shape[0], weight.shape[1] * groups,
                                            weight.shape[-1], stride, padding, output_padding,
                                            groups, bias=bias is not None, dilation=dilation)
            self._conv_transpose(node, transposed, weight, bias)

    def _repeat_interleave(self, node: fx.Node) -> None:
        _, signal = self._single_input(node)
        repeats, dim = _arg(node, 1, "repeats"), _arg(node, 2, "dim")
        if dim is None or not isinstance(repeats, int):
            self._refuse(node, "only repeat_interleave by a whole number along one axis streams")
        if signal.axis(dim) == signal.time_dim:
            self._upsample(node, repeats, "nearest", None)
        else:
            self._pointwise(node)

    def _reorder(self, node: fx.Node, name: str) -> None:
        source, signal = self._single_input(node)
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
        self._record(node, self._copy(node), signal.with_(time_dim=time_dim), self.field[source])

    def _rank_change(self, node: fx.Node, name: str) -> None:
        source, signal = self._single_input(node)
        dim = _arg(node, 1, "dim")
        if dim is None:
            self._refuse(node, "squeeze without an axis may drop the time axis of a short block")
        if isinstance(dim, (tuple, list)):
            self._refuse(node, "changes several axes at once")
        if name == "unsqueeze":
            ndim = signal.ndim + 1
            at = dim + ndim if dim < 0 else dim
            time_dim = signal.time_dim + (1 if at <= signal.time_dim else 0)
        else:
            at = signal.axis(dim)
            if at == signal.time_dim:
                self._refuse(node, "squeezes the time axis")
            ndim = signal.ndim - 1
            time_dim = signal.time_dim - (1 if at < signal.time_dim else 0)
        out = signal.with_(time_dim=time_dim, ndim=ndim)
        self._record(node, self._copy(node), out, self.field[source])

    def _getitem(self, node: fx.Node) -> None:
        source, signal = self._single_input(node)
        index = node.args[1]
        if isinstance(index, int) and source.op != "placeholder" and self._is_tuple(source):
            self._record(node, self._copy(node), signal, self.field[source])
            return
        items: list[Any] = list(index) if isinstance(index, tuple) else [index]
        if any(i is None or isinstance(i, (int, fx.Node)) for i in items):
            self._refuse(node, "indexes in a way that may change or drop the time axis")
        if Ellipsis in items:
            at = items.index(Ellipsis)
            items = items[:at] + [slice(None)] * (signal.ndim - len(items) + 1) + items[at + 1:]
        start = end = 0
        if signal.time_dim < len(items) and items[signal.time_dim] != slice(None):
            start, end = self._time_crop(node, items[signal.time_dim])
            items[signal.time_dim] = slice(None)  # the stream keeps every sample of each block
        assert callable(node.target)  # operator.getitem: ops.op_name names no method "getitem"
        new = self.graph.call_function(node.target, (self.env[source], tuple(items)))
        out = signal.with_(delay=signal.delay + start,
                           length_offset=signal.length_offset - start - end)
        self._record(node, new, out, self.field[source])

    def _time_crop(self, node: fx.Node, item: slice) -> tuple[int, int]:
        """``x[..., start:-end]``: dropping offline samples at the start is a delay in the stream;
        the end only shortens the offline value (see ``_settle``). Returns (start, end)."""
        start, stop, step = item.start, item.stop, item.step
        if step not in (None, 1) or not isinstance(start, (int, type(None))) or (start or 0) < 0 \
                or not (stop is None or (isinstance(stop, int) and stop < 0)):
            self._refuse(node, "slices the time axis to a fixed length or with a step")
        return start or 0, -stop if stop is not None else 0

    def _is_tuple(self, node: fx.Node) -> bool:
        return ops.op_name(node.target) in ("chunk", "split", "unbind", "max", "min")

    def _along_dim(self, node: fx.Node, dim: Any) -> None:
        inputs = self._time_inputs(node)
        signal = self._signal(inputs[0])
        dims = dim if isinstance(dim, (tuple, list)) else [dim]
        if dim is None or any(signal.axis(int(d)) == signal.time_dim for d in dims):
            self._refuse(node, "acts along the time axis, which needs the whole signal")
        self._pointwise(node)

    def _cumsum(self, node: fx.Node) -> None:
        """A running sum along time streams with its total carried from block to block (an
        oscillator's phase is the running sum of its frequency); along other axes it is
        pointwise in time."""
        source, signal = self._single_input(node)
        dim = _arg(node, 1, "dim")
        if signal.axis(int(dim)) != signal.time_dim:
            self._pointwise(node)
            return
        if not signal.time_last:
            self._refuse(node, "sums along time while time is not the last axis")
        if _arg(node, 2, "dtype") is not None:
            self._refuse(node, "takes a dtype; convert the input first (x.double().cumsum(-1))")
        new = self._stateful(RunningSum(warmup=signal.delay), self.env[source])
        self._record(node, new, signal, self.field[source])

    def _reduction(self, node: fx.Node) -> None:
        source, signal = self._single_input(node)
        dim = _arg(node, 2, "dim") if ops.op_name(node.target) == "norm" else _arg(node, 1, "dim")
        keepdim = node.kwargs.get("keepdim", False)
        if ops.op_name(node.target) != "norm" and len(node.args) > 2:
            keepdim = node.args[2]
        dims = dim if isinstance(dim, (tuple, list)) else [dim]
        if dim is None or any(signal.axis(int(d)) == signal.time_dim for d in dims):
            self._refuse(node, "reduces over the time axis, which needs the whole signal")
        axes = {signal.axis(int(d)) for d in dims}
        out = signal
        if not keepdim:
            below = sum(1 for a in axes if a < signal.time_dim)
            out = signal.with_(time_dim=signal.time_dim - below, ndim=signal.ndim - len(axes))
        self._record(node, self._copy(node), out, self.field[source])

    # ----------------------------------------------------------------- merging branches
    def _pointwise(self, node: fx.Node) -> None:
        """An op acting on each time step: align all time-varying inputs on the latest one."""
        inputs = self._time_inputs(node)
        signals = [self._signal(n) for n in inputs]
        rates = {s.rate for s in signals}
        if len(rates) > 1:
            names = ", ".join(f"{n.name} at rate {self._signal(n).rate}" for n in inputs)
            self._refuse(node, f"combines branches running at different rates ({names})")
        axes = {s.time_dim - s.ndim for s in signals}
        if len(axes) > 1:
            self._refuse(node, "combines branches whose time axes are not aligned")
        self._check_static_broadcast(node, signals[0])
        target = max(s.delay for s in signals)
        replace: dict[fx.Node, fx.Node] = {}
        for source, signal in zip(inputs, signals, strict=False):
            if signal.delay < target:
                if not signal.time_last:
                    self._refuse(node, "aligns branches while time is not the last axis")
                replace[source] = self._stateful(
                    DelayLine(target - signal.delay, signal.ndim), self.env[source])
        widest = max(signals, key=lambda s: s.ndim)
        field = max(self.field[n] for n in inputs)
        out = widest.with_(delay=target,
                           length_offset=min(s.length_offset for s in signals))
        self._record(node, self._copy(node, replace), out, field)

    def _check_static_broadcast(self, node: fx.Node, signal: Signal) -> None:
        """A fixed tensor with a time extent would not broadcast over every block length."""
        for arg in node.all_input_nodes:
            value = self.static.get(arg)
            extent_axis = signal.time_dim - signal.ndim
            if isinstance(value, torch.Tensor) and value.dim() >= -extent_axis \
                    and value.shape[extent_axis] > 1:
                self._refuse(node, f"combines the signal with fixed tensor '{arg.name}' "
                                   "that has its own time extent")


def lcm_of_denominators(rates: set[Fraction]) -> int:
    result = 1
    for rate in rates:
        result = math.lcm(result, rate.denominator)
    return result


__all__ = ["Converter", "lcm_of_denominators"]

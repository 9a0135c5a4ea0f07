"""``streamify``: the public entry point, and the streaming module it returns."""


import copy
import math
from fractions import Fraction
from typing import List, TypeVar  # noqa: UP035 (TorchScript reads List)

import torch
from torch import fx, nn

from latentd.stream.convert import convert
from latentd.stream.frames import FrameAnalysisTracer
from latentd.stream.signal import StreamingError


class StreamGraph(fx.GraphModule):
    """The rewritten graph. Its stateful layers live in ``self.stateful`` so one loop resets them,
    in Python and in TorchScript alike."""

    @torch.jit.export
    def reset(self) -> None:
        # stateful: the nn.ModuleList streamify attaches (TorchScript infers submodules'
        # types from the instance, so it is not declared on the class)
        for layer in self.stateful:  # type: ignore[union-attr]
            layer.reset()

    @torch.jit.export
    def can_regroup(self, batch: int) -> bool:
        able = True
        for layer in self.stateful:  # type: ignore[union-attr]
            able = able and layer.can_regroup(batch)
        return able

    @torch.jit.export
    def regroup(self, index: torch.Tensor, fresh: torch.Tensor) -> None:
        for layer in self.stateful:  # type: ignore[union-attr]
            layer.regroup(index, fresh)


class StreamingModule(nn.Module):
    """A model converted to stream: call it block after block and it continues the same signal.

    ``latency`` is in output samples; ``input_multiple`` is what every block length must be a
    multiple of; ``ratio`` is output samples per input sample (a Fraction for encoders).
    ``receptive_field`` is how much input (in input samples) one output sample depends on,
    which the overlap-add baseline uses as its context.
    """

    __jit_unused_properties__ = ["ratio"]  # noqa: RUF012 (TorchScript reads this name)
    latency: int
    input_multiple: int
    ratio_numerator: int
    ratio_denominator: int
    receptive_field: int
    state_shape: list[int]

    def __init__(self, graph: StreamGraph, latency: int, input_multiple: int, ratio: Fraction,
                 receptive_field: int):
        super().__init__()
        self.graph = graph
        self.latency = latency
        self.input_multiple = input_multiple
        self.ratio_numerator = ratio.numerator
        self.ratio_denominator = ratio.denominator
        self.receptive_field = receptive_field
        # what the layers' state was made for: the input's shape except time, dtype and device
        self.state_shape = []
        self.state_like = torch.zeros(0)

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.ratio_numerator, self.ratio_denominator)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        length = x.shape[-1]
        if length == 0 or length % self.input_multiple != 0:
            raise ValueError(
                "block length " + str(length) + " is not a positive multiple of "
                + str(self.input_multiple) + " samples"
            )
        shape = list(x.shape[:-1])
        if shape != self.state_shape or x.dtype != self.state_like.dtype \
                or x.device != self.state_like.device:
            # a new batch size (or dtype, device) starts the stream afresh; the layers build
            # their state from the next block and check nothing themselves
            self.graph.reset()
            self.state_shape = shape
            self.state_like = x.new_zeros(0)
        return self.graph(x)

    @torch.jit.export
    def reset(self) -> None:
        """Forget all past blocks: the next call starts the stream from silence."""
        self.graph.reset()

    @torch.jit.export
    def regroup(self, rows: List[int]) -> bool:  # noqa: UP006
        """Rearrange the stream over the batch axis before the next block: row ``i`` of the
        next call continues old row ``rows[i]``, or starts from silence where ``rows[i]`` is
        -1 (the row a fresh stream would be). So rows can be kept, reordered, dropped and added
        without restarting the others, which a batch change otherwise does (voices, issue 20).

        False, with the state untouched, when a layer's state does not have the batch on its
        first axis (a model that folds the batch into another axis). Raises ValueError for a
        row out of range."""
        if len(rows) == 0:
            raise ValueError("regroup needs at least one row")
        batch = self.state_shape[0] if len(self.state_shape) > 0 else 0
        for row in rows:
            if row < -1 or row >= batch:
                raise ValueError("regroup: row " + str(row) + " is not one of the "
                                 + str(batch) + " rows of the stream (or -1 for a new one)")
        if len(self.state_shape) == 0:  # never run: every row starts fresh anyway
            return True
        if not self.graph.can_regroup(batch):
            return False
        wanted = torch.tensor(rows, dtype=torch.long, device=self.state_like.device)
        self.graph.regroup(wanted.clamp(min=0), wanted < 0)
        self.state_shape[0] = len(rows)
        return True


def streamify(model: nn.Module) -> StreamingModule:
    """Convert a trained, unmodified conv model into a streaming module.

    The model is copied and put in eval mode (dropout off, batch norm on running statistics); the
    original is left untouched. Raises :class:`StreamingError` naming the layer that cannot
    stream.
    """
    refresh_hooked_weights(model)
    model = copy.deepcopy(model).eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    try:
        tracer = FrameAnalysisTracer()
        traced_graph = tracer.trace(model)
        traced = fx.GraphModule(tracer.root, traced_graph, type(model).__name__)
    except Exception as exc:
        raise StreamingError(
            f"torch.fx could not trace {type(model).__name__}: {exc}. Streamable models have "
            "no control flow that depends on the input's values or length"
        ) from exc
    conversion = convert(traced)
    traced.stateful = conversion.stateful  # the new graph calls them as stateful.<i>
    graph = StreamGraph(traced, conversion.graph)
    graph.stateful = conversion.stateful
    graph = _shared_class(graph)
    output = conversion.output
    if not output.time_last:
        raise StreamingError("the model's output must carry time on its last axis")
    input_multiple = math.lcm(*(rate.denominator for rate in conversion.rates))
    field = conversion.output_field
    return StreamingModule(graph, output.delay, input_multiple, output.rate,
                           int(-(-field.numerator // field.denominator)))


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


# generated code -> the first StreamGraph class made for it (bounded by the architectures seen)
_CLASSES: dict[str, type] = {}
_Graph = TypeVar("_Graph", bound=fx.GraphModule)


def _shared_class(graph: _Graph) -> _Graph:
    """Give a converted graph the class of an earlier graph with the same generated code.

    torch.fx makes a new class for every GraphModule, and TorchScript compiles every new class
    into a new type in its process-wide compilation unit, which never frees a type, its methods
    or their optimised execution plans: about 20 MB per load of the default model, so a daemon
    leaked that much on every ``/model/load``. With one class per distinct code, scripting
    reuses the compiled type (and its warm execution plans) whenever the architecture repeats.
    The classes differ only in ``forward``, compiled from the same code, so the swap is exact.
    """
    shared = _CLASSES.setdefault(graph.code, type(graph))
    if type(graph) is not shared:
        graph.__class__ = shared
    return graph


__all__ = ["StreamGraph", "StreamingError", "StreamingModule", "streamify"]

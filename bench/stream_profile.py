"""Where streamify's time goes at small blocks, and what the dominant ops could cost instead.

Run from the repository root::

    python bench/stream_profile.py                 # RAVE-v2-scale, 1 latent frame per block
    python bench/stream_profile.py --block 8 --model small

Four views, all on one thread and in thread CPU time where this script times things itself (the
machine is shared: CPU time leaves out the time spent descheduled, wall time does not):

0. the budget of one block, in interleaved rounds: reading every weight once (``Tensor.sum``, the
   memory floor), the stream's matrix products alone on the same weights, the scripted stream,
   and the scripted cached_conv twin. What the stream spends beyond its products is glue; what
   the products spend beyond the read is BLAS; the twin's time over the products bounds the
   speed-up that any glue work can still bring
1. per stateful layer kind (cached conv by path, transposed conv, delay line), timed by forward
   hooks, against each kind's weights-read floor (its weight bytes over the read bandwidth of a
   buffer of the same size); what is left of the block's time is the graph's glue: pointwise ops,
   residual adds and Python/fx dispatch
2. torch.profiler's top aten ops by self time, with input shapes (profiler clocks are wall time)
3. micro-benchmarks of the dominant shapes in the layouts a rewrite could use, so that the
   owner of ``latentd/stream/layers.py`` sees what each change would buy before making it
"""

import argparse
import collections
import statistics
import sys
import time
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn
from torch.profiler import ProfilerActivity, profile

from latentd.stream import streamify
from latentd.stream.layers import StreamConv1d, StreamConvTranspose1d

try:
    from bench.cached_conv_twin import CachedConvTwin, scripted
    from bench.decoders import RAVE_V2_SCALE, SAMPLE_RATE, SMALL, build
except ImportError:  # run as ``python bench/...``: the folder itself is on sys.path
    from cached_conv_twin import CachedConvTwin, scripted
    from decoders import RAVE_V2_SCALE, SAMPLE_RATE, SMALL, build


def cpu_ms(fn: Callable[[], object], repeats: int = 30) -> float:
    """Best thread CPU time of ``fn`` in ms: the op's own cost, free of other load's preemption."""
    for _ in range(3):
        fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.thread_time()
        fn()
        best = min(best, time.thread_time() - start)
    return 1000 * best


def read_ms(nbytes: int) -> float:
    """Time to read ``nbytes`` once from a buffer that size (Tensor.sum), in ms."""
    buffer = torch.ones(max(nbytes // 4, 256))
    return cpu_ms(lambda: buffer.sum())


def kind_of(layer: nn.Module) -> str:
    if isinstance(layer, StreamConv1d):
        path = "matmul" if layer.use_matmul else "F.conv1d"
        return f"StreamConv1d k={layer.kernel_size} via {path}"
    if isinstance(layer, StreamConvTranspose1d):
        path = "polyphase matmul" if layer.use_matmul else "F.conv_transpose1d"
        return f"StreamConvTranspose1d via {path}"
    return type(layer).__name__


def product_weight(layer: nn.Module) -> torch.Tensor | None:
    """The weight tensor a stateful layer reads every block, in the layout it reads it."""
    if isinstance(layer, StreamConv1d):
        return layer.weight_t if layer.use_matmul else layer.weight
    if isinstance(layer, StreamConvTranspose1d):
        return layer.weight_matrix if layer.use_matmul else layer.weight
    return None


def budget(decoder: nn.Module, latent: int, block: int, rounds: int, blocks: int) -> None:
    """Time the block's floor, its products alone, the stream and the cached_conv twin."""
    eager = streamify(decoder)
    rows: dict[int, int] = {}  # rows of each matmul layer's product at this block size

    def record(module: nn.Module, inputs: tuple[torch.Tensor, ...]) -> None:
        frames = inputs[0].shape[-1]
        rows[id(module)] = frames // getattr(module, "stride", 1) \
            if isinstance(module, StreamConv1d) else frames

    layers = [layer for layer in eager.graph.stateful if product_weight(layer) is not None]
    handles = [layer.register_forward_pre_hook(record) for layer in layers]
    with torch.inference_mode():
        eager(torch.randn(1, latent, block))
    for handle in handles:
        handle.remove()
    weights = [product_weight(layer) for layer in layers]
    products = [(layer.bias, torch.randn(rows[id(layer)], weight.shape[0]), weight)
                for layer, weight in zip(layers, weights, strict=True)
                if getattr(layer, "use_matmul", False)]
    stream = torch.jit.script(streamify(decoder))
    twin = scripted(CachedConvTwin(decoder), torch.zeros(1, latent, 1))
    inputs = [torch.randn(1, latent, block) for _ in range(blocks)]

    def read() -> None:
        for weight in weights:
            weight.sum()

    def multiply() -> None:
        for bias, left, right in products:
            torch.addmm(bias, left, right)

    def run(model: Callable[[torch.Tensor], torch.Tensor]) -> Callable[[], None]:
        def go() -> None:
            for x in inputs:
                model(x)
        return go

    jobs = {"read every weight once": (read, 1), "the stream's products alone": (multiply, 1),
            "streamify (jit)": (run(stream), blocks), "cached_conv (jit)": (run(twin), blocks)}
    times: dict[str, list[float]] = {name: [] for name in jobs}
    with torch.inference_mode():
        for job, _ in jobs.values():  # warm-up: caches made, TorchScript optimised
            for _ in range(3):
                job()
        for round_ in range(rounds):
            order = list(jobs.items())
            order = order[round_ % len(order):] + order[: round_ % len(order)]
            for name, (job, per) in order:
                start = time.thread_time()
                job()
                times[name].append(1000 * (time.thread_time() - start) / per)

    def paired(a: str, b: str) -> float:
        return statistics.median(x / y for x, y in zip(times[a], times[b], strict=True))

    megabytes = sum(w.numel() * w.element_size() for w in weights) / 1e6
    print(f"budget of one block ({block} frame(s)), thread CPU ms, median of {rounds} "
          f"interleaved rounds (min-max); {megabytes:.1f} MB of weights read per block")
    for name, values in times.items():
        print(f"  {name:<34}{statistics.median(values):8.2f}   "
              f"({min(values):.2f}-{max(values):.2f})")
    read_, alone = "read every weight once", "the stream's products alone"
    stream_, twin_ = "streamify (jit)", "cached_conv (jit)"
    glue = statistics.median(x - y for x, y in zip(times[stream_], times[alone], strict=True))
    print(f"  products / read floor {paired(alone, read_):.2f}x (BLAS at few rows); stream glue "
          f"(stream - products, paired) {glue:.2f} ms")
    print(f"  cached_conv / streamify {paired(twin_, stream_):.2f}x; with no glue at all it "
          f"would be {paired(twin_, alone):.2f}x, at the read floor {paired(twin_, read_):.2f}x")


def layer_breakdown(stream: nn.Module, latent: int, block: int, blocks: int) -> None:
    """Hook every stateful layer; time it and the whole block in thread CPU time."""
    layers = list(stream.graph.stateful)
    spent: dict[str, list[float]] = collections.defaultdict(list)
    started: dict[int, float] = {}

    def before(module: nn.Module, _inputs: object) -> None:
        started[id(module)] = time.thread_time()

    def after(module: nn.Module, _inputs: object, _output: object) -> None:
        spent[kind_of(module)].append(time.thread_time() - started[id(module)])

    weights: dict[str, int] = collections.Counter()
    counts: dict[str, int] = collections.Counter()
    for layer in layers:
        kind = kind_of(layer)
        counts[kind] += 1
        tensor = product_weight(layer)
        if tensor is not None:
            weights[kind] += tensor.numel() * tensor.element_size()
    inputs = [torch.randn(1, latent, block) for _ in range(blocks)]
    with torch.inference_mode():
        for x in inputs[:3]:
            stream(x)
        start = time.thread_time()
        for x in inputs:
            stream(x)
        bare = (time.thread_time() - start) / blocks
        handles = [h for layer in layers for h in (layer.register_forward_pre_hook(before),
                                                   layer.register_forward_hook(after))]
        start = time.thread_time()
        for x in inputs:
            stream(x)
        hooked = (time.thread_time() - start) / blocks
        for handle in handles:
            handle.remove()
    total_weight = sum(weights.values())
    print(f"per block ({block} frame(s)), thread CPU ms: {1000 * bare:.2f} without hooks, "
          f"{1000 * hooked:.2f} with (shares are of the latter; a layer's time includes its "
          "module-call overhead)")
    print(f"  {'layer kind':<42}{'layers':>7}{'ms/block':>10}{'share':>8}{'MB':>8}"
          f"{'read floor ms':>15}{'x floor':>9}")
    accounted = 0.0
    for kind, samples in sorted(spent.items(), key=lambda kv: -sum(kv[1])):
        per_block = sum(samples) / blocks
        accounted += per_block
        floor = read_ms(weights[kind]) if weights[kind] else 0.0
        ratio = f"{1000 * per_block / floor:.1f}" if floor else "-"
        print(f"  {kind:<42}{counts[kind]:>7}{1000 * per_block:>10.3f}"
              f"{per_block / hooked:>8.0%}{weights[kind] / 1e6:>8.2f}{floor:>15.3f}{ratio:>9}")
    glue = hooked - accounted
    print(f"  {'glue: pointwise ops, adds, fx/Python':<42}{'':>7}{1000 * glue:>10.3f}"
          f"{glue / hooked:>8.0%}")
    print(f"  weights read once: {total_weight / 1e6:.1f} MB in "
          f"{read_ms(total_weight):.2f} ms (one buffer of that size)")


def op_profile(stream: nn.Module, latent: int, block: int, blocks: int, rows: int) -> None:
    inputs = [torch.randn(1, latent, block) for _ in range(blocks)]
    with torch.inference_mode():
        for x in inputs[:3]:
            stream(x)
        with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
            for x in inputs:
                stream(x)
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=rows,
                                    max_name_column_width=32))
    print(prof.key_averages(group_by_input_shape=True).table(
        sort_by="self_cpu_time_total", row_limit=rows, max_name_column_width=32,
        max_shapes_column_width=70))


def alternatives(decoder: nn.Module, block: int) -> None:
    """The decoder's distinct conv shapes at this block size: current op vs matmul layouts."""
    print("alternatives for the decoder's conv shapes (thread CPU ms, best of 30; "
          "'read' = Tensor.sum over the weights)")
    print(f"  {'op (weights), time steps in':<46}{'now':>8}{'W@x':>8}{'xT@WT':>8}"
          f"{'mkl packed':>11}{'read':>8}")
    frames = block
    seen = set()
    with torch.inference_mode():
        for module in decoder.modules():
            if isinstance(module, nn.ConvTranspose1d):
                cin, cout, k = module.weight.shape
                s = module.stride[0]
                x = torch.randn(1, cin, frames)
                now = cpu_ms(lambda m=module, x=x: F.conv_transpose1d(x, m.weight, None,
                                                                      m.stride[0]))
                matrix = module.weight.permute(1, 2, 0).reshape(cout * k, cin).contiguous()
                label = f"ConvTranspose1d {cin}->{cout} k{k} s{s}, {frames} in"
                _row(label, now, matrix, x[0], seen)
                frames *= s
            elif isinstance(module, nn.Conv1d):
                cout, cin, k = module.weight.shape
                d = module.dilation[0]
                x = torch.randn(1, cin, frames + (k - 1) * d)
                now = cpu_ms(lambda m=module, x=x: F.conv1d(x, m.weight, None, 1, 0,
                                                            m.dilation[0]))
                taps = torch.cat([x[..., j * d : j * d + frames] for j in range(k)], 1)[0]
                matrix = module.weight.permute(0, 2, 1).reshape(cout, k * cin).contiguous()
                _row(f"Conv1d {cin}->{cout} k{k} d{d}, {frames} out", now, matrix, taps, seen)


def _row(label: str, now: float, matrix: torch.Tensor, columns: torch.Tensor,
         seen: set[str]) -> None:
    if label in seen:
        return
    seen.add(label)
    n = columns.shape[-1]
    transposed = matrix.t().contiguous()
    rows_t = columns.t().contiguous()
    plain = cpu_ms(lambda: torch.mm(matrix, columns))
    flipped = cpu_ms(lambda: torch.mm(rows_t, transposed))
    try:
        packed_w = torch.ops.mkl._mkl_reorder_linear_weight(matrix, n)
        packed = f"{cpu_ms(lambda: torch.ops.mkl._mkl_linear(rows_t, packed_w, matrix, None, n)):.3f}"  # noqa: E501
    except (RuntimeError, AttributeError):
        packed = "n/a"
    floor = cpu_ms(lambda: matrix.sum())
    print(f"  {label:<46}{now:>8.3f}{plain:>8.3f}{flipped:>8.3f}{packed:>11}{floor:>8.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=("rave_v2_scale", "small"), default="rave_v2_scale")
    parser.add_argument("--block", type=int, default=1, help="latent frames per block")
    parser.add_argument("--blocks", type=int, default=40, help="blocks to time")
    parser.add_argument("--rows", type=int, default=15, help="profiler rows")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=15, help="rounds of the budget view")
    parser.add_argument("--budget-only", action="store_true", help="print the budget view only")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    config = RAVE_V2_SCALE if args.model == "rave_v2_scale" else SMALL
    decoder = build(config)
    stream = streamify(decoder)
    audio_ms = 1000 * args.block * config.samples_per_frame / SAMPLE_RATE
    print(f"{config.name}, {args.block} frame(s) per block = {audio_ms:.1f} ms of audio, "
          f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)\n")
    budget(decoder, config.latent, args.block, args.rounds, max(4, args.blocks // 4))
    print()
    if args.budget_only:
        return 0
    layer_breakdown(stream, config.latent, args.block, args.blocks)
    print()
    whole = []
    with torch.inference_mode():
        offline_input = torch.randn(1, config.latent, 256)
        decoder(offline_input)
        for _ in range(3):
            start = time.thread_time()
            decoder(offline_input)
            whole.append((time.thread_time() - start) / 256 * args.block)
    print(f"offline (256 frames in one call), per {args.block} frame(s): "
          f"{1000 * statistics.median(whole):.2f} ms thread CPU\n")
    op_profile(stream, config.latent, args.block, args.blocks, args.rows)
    alternatives(decoder, args.block)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Measure a model's shipping properties against the default model's limits.

``latentd properties [MODEL | --config NAME]`` (``latentd.cli.models``) prints parameters,
checkpoint size, streaming latency, and decode speed at one latent frame per block on one thread
(the streamed decoder compiled with TorchScript, as ``LatentdSynth`` plays it). Timing takes the
best of several rounds, because on a shared machine the best round is the one least disturbed;
it is reported both by wall clock and by the thread's own CPU time, which leaves out the time
spent waiting for a core that other processes hold (the wall-clock figure on a busy machine says
more about the machine than about the model).
"""

from __future__ import annotations

import io
import time
from typing import Any

import torch

from latentd.models.rave import RaveModel
from latentd.stream import streamify


def decode_speed(model: RaveModel, rounds: int = 7, calls: int = 100) -> tuple[float, float]:
    """Real-time factors (wall clock, thread CPU time) of the streamed, scripted decoder on
    1-frame blocks, one thread."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        decoder = torch.jit.script(streamify(model.decoder.eval()))
        z = torch.randn(1, model.config.latent_size, 1)
        wall = cpu = float("inf")
        with torch.inference_mode():
            for _ in range(30):
                decoder(z)
            for _ in range(rounds):
                start, start_cpu = time.perf_counter(), time.thread_time()
                for _ in range(calls):
                    decoder(z)
                wall = min(wall, (time.perf_counter() - start) / calls)
                cpu = min(cpu, (time.thread_time() - start_cpu) / calls)
    finally:
        torch.set_num_threads(threads)
    block = model.config.ratio / model.config.sample_rate
    return block / wall, block / cpu


def measure(model: RaveModel, speed: bool = True) -> dict[str, Any]:
    """The report's rows, in order; ``speed`` False leaves out the (seconds-long) timing."""
    config = model.config
    buffer = io.BytesIO()
    torch.save({k: v.detach().clone() for k, v in model.state_dict().items()}, buffer)
    latency = streamify(model.decoder.eval()).latency
    result: dict[str, Any] = {
        "sample_rate": config.sample_rate,
        "latent_size": config.latent_size,
        "samples_per_frame": config.ratio,
        "parameters": sum(p.numel() for p in model.parameters()),
        "weights_mb": round(buffer.tell() / 1e6, 2),
        "latency_samples": latency,
        "latency_ms": round(latency / config.sample_rate * 1000, 1),
    }
    if speed:
        wall, cpu = decode_speed(model)
        result["decode_realtime_factor_wall"] = round(wall, 1)
        result["decode_realtime_factor_cpu"] = round(cpu, 1)
    return result

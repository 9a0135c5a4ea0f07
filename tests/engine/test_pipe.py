"""The render pipe's resampler (engine/pipe.py): played live, soxr's variable-rate engine holds
a constant few ms back (the fixed-rate one holds 2.4 to 21 ms by where its blocks fall), and
held_seconds reports it; offline, the fixed-rate engine as before."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import soxr

from latentd.engine.pipe import RenderPipe

DEVICE_RATE, PERIOD, PULLS = 48000, 256, 120


class ToneRenderer:
    """What the pipe pulls from, without a model: 1024-sample blocks of a 44.1 kHz tone."""

    def __init__(self) -> None:
        self.synth = SimpleNamespace(sample_rate=44100)
        self.mix = SimpleNamespace(channels=1)
        self.blocks: list[np.ndarray] = []

    def render(self, frame_clock: object) -> np.ndarray:
        start = 1024 * len(self.blocks)
        t = np.arange(start, start + 1024) / 44100
        self.blocks.append((0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[:, None])
        return self.blocks[-1]


def _pull_recording(realtime: bool) -> tuple[RenderPipe, np.ndarray, list[np.ndarray],
                                             list[float]]:
    """A pipe from a 44.1 kHz model to a 48 kHz device pulled in periods: its output, the
    blocks the renderer gave it, and after each pull the audio inside the resampler (ms)."""
    renderer = ToneRenderer()
    pipe = RenderPipe(renderer, DEVICE_RATE, 1, realtime=realtime)  # type: ignore[arg-type]
    out, inside = [], []
    for _ in range(PULLS):
        out.append(pipe.pull(PERIOD, lambda j, offset: 0.0))
        rendered = sum(len(b) for b in renderer.blocks) * DEVICE_RATE / 44100
        pulled = PERIOD * len(out)
        inside.append((rendered - pulled - pipe.queued()) / DEVICE_RATE * 1000)
    return pipe, np.concatenate(out), renderer.blocks, inside


def _resampled(blocks: list[np.ndarray], vr: bool) -> np.ndarray:
    stream = soxr.ResampleStream(44100, DEVICE_RATE, 1, dtype="float32", quality="HQ", vr=vr)
    return np.concatenate([np.clip(stream.resample_chunk(b), -1, 1) for b in blocks])


def test_live_the_resampler_holds_back_a_constant_short_time_and_reports_it():
    pipe, out, blocks, inside = _pull_recording(realtime=True)
    steady = inside[10:]
    assert min(steady) >= 5.0 and max(steady) <= 5.6  # bench/output_resampler.py: 5.4 ms
    # what the engine reports covers the resampler and the surplus: one model block at most
    block_ms = len(blocks[0]) / 44100 * 1000
    assert max(steady) <= pipe.held_seconds() * 1000 <= max(steady) + block_ms + 0.1
    assert np.array_equal(out, _resampled(blocks, vr=True)[: len(out)])


def test_offline_the_fixed_rate_resampler_plays_as_before():
    _, out, blocks, inside = _pull_recording(realtime=False)
    assert np.array_equal(out, _resampled(blocks, vr=False)[: len(out)])
    # what the live pipe avoids: the fixed-rate engine's hold-back swings by where blocks fall
    assert max(inside[10:]) - min(inside[10:]) > 5.0

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


def _held_over_steps(pull, steps: int) -> tuple[list[float], np.ndarray, list[np.ndarray]]:
    """Render steps pulled by ``pull(pipe)``: after each, what the pipe holds back (ms), and
    the output and the blocks rendered."""
    renderer = ToneRenderer()
    pipe = RenderPipe(renderer, DEVICE_RATE, 1, realtime=True,  # type: ignore[arg-type]
                      resampler="latency")
    out, held, pulled = [], [], 0
    for _ in range(steps):
        out.append(pull(pipe))
        pulled += len(out[-1])
        rendered = 1024 * len(renderer.blocks) * DEVICE_RATE / 44100
        held.append((rendered - pulled) / DEVICE_RATE * 1000)
    return held, np.concatenate(out), renderer.blocks


def test_live_steps_take_all_they_render_so_no_surplus_creeps_up():
    """A fixed pull of 1114 device frames for 1114.3 frames rendered a step left a surplus that
    crept up to a whole block (23 ms of latency, then back to 0); the render loop's
    ``pull_rendered`` takes whole blocks and leaves nothing but the resampler's own hold-back
    (the LQ one: 0.5 ms)."""
    fixed, _, _ = _held_over_steps(lambda pipe: pipe.pull(1114, lambda j, o: 0.0), 4000)
    assert max(fixed[10:]) - min(fixed[10:]) > 20.0
    whole, out, blocks = _held_over_steps(
        lambda pipe: pipe.pull_rendered(PERIOD, lambda j, o: 0.0), 4000)
    assert max(whole[10:]) < 1.0
    stream = soxr.ResampleStream(44100, DEVICE_RATE, 1, dtype="float32", quality="LQ")
    expected = np.concatenate([np.clip(stream.resample_chunk(b), -1, 1) for b in blocks])
    assert np.array_equal(out, expected)  # every sample, in order, none kept or repeated


def test_a_step_renders_blocks_until_a_period_is_there():
    """A model block shorter than the device period: a step renders as many as a period
    needs, and gives all of them."""
    class ShortBlocks(ToneRenderer):
        def render(self, frame_clock: object) -> np.ndarray:
            return super().render(frame_clock)[:100]

    renderer = ShortBlocks()
    pipe = RenderPipe(renderer, 44100, 1, realtime=True)  # type: ignore[arg-type]
    sizes = [len(pipe.pull_rendered(PERIOD, lambda j, o: 0.0)) for _ in range(5)]
    assert sizes == [300] * 5 and pipe.queued() == 0

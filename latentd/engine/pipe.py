"""A renderer seen from the device: pulled in device-rate chunks of any size.

Models render whole latent frames at their own rate. The pipe resamples that with python-soxr in
streaming mode (never by playing at the wrong pitch) and keeps the surplus for the next pull, so
the engine can always ask for exactly one device block, and two pipes can be crossfaded sample by
sample during a model swap.

Resampling a block inside [-0.98, 0.98] can ring a little beyond it, so a resampled block is
clipped to [-1, 1] again: what leaves the pipe is always finite and inside [-1, 1].

The resampler holds audio back: ``held_seconds`` is the most seen over the last HELD_PULLS
pulls, a part of the latency the engine reports (bench/input_latency.py measured it). Live, the
render loop takes all a step renders (``pull_rendered``), so nothing else waits in the pipe.
Playing live to a device, the resampler is one of LIVE_RESAMPLERS (bench/output_resampler.py
measured both, from 44.1 to 48 kHz in 1024-sample blocks):

* ``quality``: soxr's variable-rate HQ engine (``vr``), a constant 5.4 ms held back (the
  fixed-rate HQ engine holds 2.4 to 21 ms by where its internal blocks fall); gain within
  0.002 dB to 18 kHz, everything but the tone at least 112 dB down.
* ``latency``: soxr's LQ engine, 0.5 ms held back; flat within 0.07 dB to 16 kHz, -3.5 dB at
  18 kHz and -10 dB at 19 kHz (its wider roll-off), everything else at least 105 dB down to
  19 kHz. For a performer who plays through the model (a live input), 5 ms matter more than the
  top octave's last kHz.

Offline the pipe keeps the fixed-rate HQ engine, so a rendered file stays what it always was.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import numpy as np
import soxr

from latentd.engine.renderer import Renderer

HELD_PULLS = 64  # pulls over which the most audio held back is reported
LIVE_RESAMPLERS: dict[str, dict[str, str | bool]] = {  # soxr settings (module docstring)
    "quality": {"quality": "HQ", "vr": True},
    "latency": {"quality": "LQ"},
}

PipeClock = Callable[[int, int], float]  # (latent frame, device frames queued before) -> heard at


class RenderPipe:
    def __init__(self, renderer: Renderer, device_rate: int, channels: int,
                 realtime: bool = False, resampler: str = "quality"):
        """``realtime``: played live to a device, where the resampler's hold-back is heard
        (``resampler`` names one of LIVE_RESAMPLERS); offline, the fixed-rate HQ one, as files
        always had (module docstring)."""
        self.renderer = renderer
        self.device_rate = device_rate
        self.channels = channels
        rate = renderer.synth.sample_rate
        self._resampler = None if rate == device_rate else soxr.ResampleStream(
            rate, device_rate, renderer.mix.channels, dtype="float32",
            **(LIVE_RESAMPLERS[resampler] if realtime else {"quality": "HQ"}))
        self._pending = np.zeros((0, channels), np.float32)
        self._rendered = 0  # model samples rendered, and device frames pulled, so far
        self._pulled = 0
        self._held: deque[float] = deque(maxlen=HELD_PULLS)

    def held_seconds(self) -> float:
        """The most audio rendered but not yet pulled (the resampler's and the surplus)."""
        return max(self._held, default=0.0) / self.device_rate

    @property
    def model_rate(self) -> int:
        return self.renderer.synth.sample_rate

    def queued(self) -> int:
        """Device frames rendered but not yet pulled."""
        return len(self._pending)

    def _fit_channels(self, audio: np.ndarray) -> np.ndarray:
        if audio.shape[1] == self.channels:
            return audio
        if audio.shape[1] == 1:
            return np.repeat(audio, self.channels, axis=1)
        if self.channels == 1:
            return audio.mean(axis=1, keepdims=True)
        out = np.zeros((len(audio), self.channels), np.float32)
        shared = min(self.channels, audio.shape[1])
        out[:, :shared] = audio[:, :shared]
        return out

    def pull(self, frames: int, clock_at: PipeClock) -> np.ndarray:
        """Exactly ``frames`` device-rate frames (frames, channels).

        ``clock_at(j, device_offset)`` tells when latent frame ``j`` of the next block is heard;
        the pipe passes its own backlog as the offset.
        """
        block = self._render_until(frames, clock_at)
        if block is not None:
            if len(block) == frames:  # the usual case: one block, one pull
                return self._pulling(block)
            self._pending = block
        out, self._pending = self._pending[:frames], self._pending[frames:]
        return self._pulling(out)

    def pull_rendered(self, at_least: int, clock_at: PipeClock) -> np.ndarray:
        """Whole blocks until at least ``at_least`` frames are rendered, and all of them
        (frames, channels): nothing is kept back for the next pull.

        Live, the render loop pulls this way. A fixed pull size cannot follow a resampled
        block (1114.3 device frames for 1024 model samples from 44.1 to 48 kHz): the surplus
        left over then crept up by a fraction of a frame per pull until a whole block was
        waiting, a delay sweeping from 0 to 23 ms over a minute and a half (measured with
        bench/input_latency.py)."""
        block = self._render_until(at_least, clock_at)
        if block is None:  # blocks were queued behind a surplus: all of it goes
            block, self._pending = self._pending, self._pending[:0]
        return self._pulling(block)

    def _render_until(self, frames: int, clock_at: PipeClock) -> np.ndarray | None:
        """Render blocks into the surplus until it holds ``frames``; the one block rendered
        when the surplus was empty and that block alone is returned (not queued) instead."""
        while len(self._pending) < frames:
            backlog = len(self._pending)

            def frame_clock(j: int, device_offset: int = backlog) -> float:
                return clock_at(j, device_offset)

            block = self.renderer.render(frame_clock)
            self._rendered += len(block)
            if self._resampler is not None:
                block = self._resampler.resample_chunk(block)
                np.clip(block, -1.0, 1.0, out=block)  # a new array: ours to change
            block = self._fit_channels(block)
            if backlog == 0 and len(block) >= frames:
                return block
            self._pending = np.concatenate([self._pending, block]) if backlog else block
        return None

    def _pulling(self, out: np.ndarray) -> np.ndarray:
        self._pulled += len(out)
        self._held.append(self._rendered * self.device_rate / self.model_rate - self._pulled)
        return out

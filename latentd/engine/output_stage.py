"""Gain, mute and limiting: the last step before the ring, so the output never leaves [-1, 1].

Changes ramp across a block instead of jumping, which would click. The limiter knows the whole
block before it is played, so it can lower the gain ahead of a peak (block look-ahead) and only
release slowly; a final clip is the guarantee, rarely reached.
"""

from __future__ import annotations

import math

import numpy as np

CEILING = 0.98  # leave headroom for resampling overshoot


class OutputStage:
    def __init__(self, sample_rate: int, mute_ms: float = 10.0, release_ms: float = 200.0):
        self.sample_rate = sample_rate
        self.mute_ms = mute_ms
        self.release_ms = release_ms
        self.gain = 1.0  # linear gain reached at the end of the last block
        self.mute_level = 1.0  # 1 = sounding, 0 = muted
        self.limit = 1.0  # limiter gain reached at the end of the last block
        self._ramps: dict[int, np.ndarray] = {}

    def _ramp(self, count: int) -> np.ndarray:
        """(count,) from 1/count to 1, cached: block sizes repeat."""
        ramp = self._ramps.get(count)
        if ramp is None:
            ramp = np.linspace(0.0, 1.0, count + 1, dtype=np.float32)[1:]
            self._ramps[count] = ramp
        return ramp

    def process(self, audio: np.ndarray, gain_db: float, muted: bool) -> np.ndarray:
        """Audio (samples, channels) float32, processed in place and returned."""
        count = len(audio)
        if count == 0:
            return audio
        ramp = self._ramp(count)
        target_gain = float(10.0 ** (gain_db / 20.0))
        step = count / (self.sample_rate * self.mute_ms / 1000.0)
        target_mute = 0.0 if muted else 1.0
        end_mute = self.mute_level + min(max(target_mute - self.mute_level, -step), step)
        if target_gain != self.gain or end_mute != self.mute_level:
            gains = self.gain + (target_gain - self.gain) * ramp
            gains *= self.mute_level + (end_mute - self.mute_level) * ramp
            audio *= gains[:, None]
        elif target_gain * end_mute != 1.0:
            audio *= target_gain * end_mute
        self.gain, self.mute_level = target_gain, end_mute
        peak = max(float(audio.max()), -float(audio.min()))  # no temporary |audio| array
        wanted = min(1.0, CEILING / peak) if peak > 0 else 1.0
        release = 1.0 - math.exp(-count / (self.sample_rate * self.release_ms / 1000.0))
        end_limit = wanted if wanted < self.limit else self.limit + (wanted - self.limit) * release
        if end_limit < 1.0 or self.limit < 1.0:
            # reach the needed reduction within the first tenth of the block, then hold
            attack = np.minimum(ramp * 10.0, 1.0)
            limits = self.limit + (end_limit - self.limit) * attack
            audio *= limits[:, None]
        self.limit = end_limit
        if peak > 1.0:  # the guarantee; the limiter only ever lowers the level
            np.clip(audio, -1.0, 1.0, out=audio)
        return audio

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

    def process(self, audio: np.ndarray, gain_db: float, muted: bool) -> np.ndarray:
        """Audio (samples, channels) float32, processed in place and returned."""
        count = len(audio)
        if count == 0:
            return audio
        ramp = np.linspace(0.0, 1.0, count + 1, dtype=np.float32)[1:]
        target_gain = float(10.0 ** (gain_db / 20.0))
        gains = self.gain + (target_gain - self.gain) * ramp
        self.gain = target_gain
        step = count / (self.sample_rate * self.mute_ms / 1000.0)
        target_mute = 0.0 if muted else 1.0
        end_mute = self.mute_level + float(np.clip(target_mute - self.mute_level, -step, step))
        gains *= self.mute_level + (end_mute - self.mute_level) * ramp
        self.mute_level = end_mute
        audio *= gains[:, None]
        peak = float(np.max(np.abs(audio))) if audio.size else 0.0
        wanted = min(1.0, CEILING / peak) if peak > 0 else 1.0
        release = 1.0 - math.exp(-count / (self.sample_rate * self.release_ms / 1000.0))
        end_limit = wanted if wanted < self.limit else self.limit + (wanted - self.limit) * release
        if end_limit < 1.0 or self.limit < 1.0:
            # reach the needed reduction within the first tenth of the block, then hold
            attack = np.minimum(ramp * 10.0, 1.0)
            limits = self.limit + (end_limit - self.limit) * attack
            audio *= limits[:, None]
        self.limit = end_limit
        np.clip(audio, -1.0, 1.0, out=audio)
        return audio

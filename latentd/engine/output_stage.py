"""Gain, mute and limiting: the last step before the ring, so the output never leaves [-1, 1].

Changes ramp across a block instead of jumping, which would click. The limiter knows the whole
block before it is played, so it can lower the gain ahead of a peak (block look-ahead) and only
release slowly; a final clip is the guarantee, rarely reached.

Whatever reaches it (a model's NaN, inf or 1e30, any dtype, any gain) leaves finite and inside
[-1, 1]: non-finite samples become silence and are counted (``nonfinite_samples``, and the
engine's ModelHealth), gains are held inside the documented range (a non-finite gain keeps the
last one), and every comparison is made on finite numbers, so a NaN cannot switch the limiter
off.
"""

from __future__ import annotations

import math

import numpy as np

from latentd.engine.health import ModelHealth

CEILING = 0.98  # leave headroom for resampling overshoot
MIN_GAIN_DB, MAX_GAIN_DB = -120.0, 24.0  # the range docs/osc.md gives /gain


class OutputStage:
    """Per-block gain stage run by the render thread, so it keeps per-block work to a few array
    operations: the common steady case (nothing changing, no limiting) is one reduction for the
    peak and at most one in-place multiply."""

    def __init__(self, sample_rate: int, mute_ms: float = 10.0, release_ms: float = 200.0,
                 health: ModelHealth | None = None):
        self.sample_rate = sample_rate
        self.health = health
        self.nonfinite_samples = 0
        self.mute_ms = mute_ms
        self.release_ms = release_ms
        self.gain = 1.0  # linear gain reached at the end of the last block
        self.mute_level = 1.0  # 1 = sounding, 0 = muted
        self.limit = 1.0  # limiter gain reached at the end of the last block
        self._gain_db, self._gain_linear = 0.0, 1.0
        self._per_count: dict[int, tuple[np.ndarray, np.ndarray, float, float]] = {}

    def _shapes(self, count: int) -> tuple[np.ndarray, np.ndarray, float, float]:
        """Per block size (they repeat): the linear ramp 1/count..1, the limiter's attack (full
        reduction within the first tenth of the block), the mute step and the release factor."""
        shapes = self._per_count.get(count)
        if shapes is None:
            ramp = np.linspace(0.0, 1.0, count + 1, dtype=np.float32)[1:]
            attack = np.minimum(ramp * 10.0, 1.0)
            mute_step = count / (self.sample_rate * self.mute_ms / 1000.0)
            release = 1.0 - math.exp(-count / (self.sample_rate * self.release_ms / 1000.0))
            shapes = self._per_count[count] = (ramp, attack, mute_step, release)
        return shapes

    def _linear(self, gain_db: float) -> float:
        """Linear gain for ``gain_db``, held inside [MIN_GAIN_DB, MAX_GAIN_DB]; a NaN keeps the
        last gain (``gain_db`` is stored as given so the steady path recognises it)."""
        if gain_db != self._gain_db:
            if not math.isnan(gain_db):
                clamped = min(max(float(gain_db), MIN_GAIN_DB), MAX_GAIN_DB)
                self._gain_linear = float(10.0 ** (clamped / 20.0))
            self._gain_db = gain_db
        return self._gain_linear

    def _silence_nonfinite(self, audio: np.ndarray) -> np.ndarray:
        """A copy of ``audio`` with NaN and inf samples replaced by zeros, counted."""
        bad = ~np.isfinite(audio)
        count = int(bad.sum())
        self.nonfinite_samples += count
        if self.health is not None:
            self.health.nonfinite(count)
        return np.where(bad, np.float32(0.0), audio)

    def process(self, audio: np.ndarray, gain_db: float, muted: bool) -> np.ndarray:
        """Audio (samples, channels) float32 -> the processed block. ``audio`` is never written
        to: it may be a view of the model's own output. At steady unity gain with the peak under
        the ceiling (the render thread's usual case) it is returned as it is, so the block is
        copied only once, into the ring."""
        count = len(audio)
        if count == 0:
            return audio
        if audio.dtype != np.float32:  # float64 beyond float32's range becomes inf, then 0
            with np.errstate(over="ignore", invalid="ignore"):
                audio = audio.astype(np.float32)
        level = float(np.abs(audio).max())
        if not math.isfinite(level):  # NaN makes every comparison false: never compare it
            audio = self._silence_nonfinite(audio)
            level = float(np.abs(audio).max())
        if self.limit == 1.0 and self.mute_level == 1.0 and not muted \
                and gain_db == self._gain_db and self.gain == self._gain_linear:
            gain = self.gain  # steady: one reduction, at most one multiply
            if level * gain <= CEILING:
                return audio if gain == 1.0 else audio * np.float32(gain)
        ramp, attack, mute_step, release = self._shapes(count)
        target_gain = self._linear(gain_db)
        target_mute = 0.0 if muted else 1.0
        end_mute = self.mute_level + min(max(target_mute - self.mute_level, -mute_step), mute_step)
        start, end = self.gain * self.mute_level, target_gain * end_mute
        # the gain ramps monotonically across the block, so this bounds the gained peak
        peak = level * max(start, end)
        wanted = min(1.0, CEILING / peak) if peak > 0 else 1.0
        end_limit = wanted if wanted < self.limit else self.limit + (wanted - self.limit) * release
        if end_limit > 1.0 - 1e-6:  # the release would stall one rounding step short of 1 and
            end_limit = 1.0  # keep every later block off the steady path
        out: np.ndarray  # float32: ``ramp`` is float32 and Python floats do not widen it
        with np.errstate(over="ignore"):  # near float32's limit a product may overflow
            if start == end and end_limit == self.limit:
                out = audio * np.float32(end * end_limit)
            else:
                gains = start + (end - start) * ramp
                if end_limit != self.limit or end_limit < 1.0:
                    gains *= self.limit + (end_limit - self.limit) * attack
                out = audio * gains[:, None]
        self.gain, self.mute_level, self.limit = target_gain, end_mute, end_limit
        if peak > 1.0:  # the guarantee; the limiter only ever lowers the level
            np.clip(out, -1.0, 1.0, out=out)  # (a float32 overflow to inf clips to 1 too)
        return out

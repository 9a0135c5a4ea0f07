"""What clients are told about the engine: levels, latents, load, latency, counters."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import asdict, dataclass

import numpy as np

SILENCE_DB = -120.0


def to_db(value: float) -> float:
    return 20 * math.log10(value) if value > 1e-6 else SILENCE_DB


class Meter:
    """Peak and RMS per channel over the last ``window`` seconds of output."""

    def __init__(self, channels: int, sample_rate: int, window: float = 0.05):
        self.channels = channels
        self.window_frames = int(window * sample_rate)
        self._chunks: deque[tuple[int, np.ndarray, np.ndarray]] = deque()
        self._frames = 0

    def add(self, chunk: np.ndarray) -> None:
        peaks = np.max(np.abs(chunk), axis=0) if len(chunk) else np.zeros(self.channels)
        energy = np.sum(np.square(chunk, dtype=np.float64), axis=0)
        self._chunks.append((len(chunk), peaks, energy))
        self._frames += len(chunk)
        while self._chunks and self._frames - self._chunks[0][0] >= self.window_frames:
            self._frames -= self._chunks.popleft()[0]

    def peak_db(self) -> list[float]:
        chunks = list(self._chunks)
        if not chunks:
            return [SILENCE_DB] * self.channels
        peaks = np.max([p for _, p, _ in chunks], axis=0)
        return [to_db(float(p)) for p in peaks]

    def rms_db(self) -> list[float]:
        chunks = list(self._chunks)
        frames = sum(n for n, _, _ in chunks)
        if not frames:
            return [SILENCE_DB] * self.channels
        energy = np.sum([e for _, _, e in chunks], axis=0)
        return [to_db(math.sqrt(float(e) / frames)) for e in energy]


@dataclass(frozen=True)
class Telemetry:
    peak_db: list[float]
    rms_db: list[float]
    latents: list[float]
    underruns: int
    load_mean: float  # render time / block time, mean over recent blocks
    load_peak: float
    ring_fill: float  # fraction of the ring's capacity
    latency_device_ms: float
    latency_ring_ms: float
    latency_model_ms: float
    model_rate: int
    device_rate: int
    block_frames: int
    model: str
    latent_size: int
    source: str
    uptime: float
    recording: str

    @property
    def latency_ms(self) -> float:
        return self.latency_device_ms + self.latency_ring_ms + self.latency_model_ms

    def as_dict(self) -> dict[str, object]:
        values = asdict(self)
        values["latency_ms"] = self.latency_ms
        return values

"""What clients are told about the engine: levels, latents, load, latency, counters."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

SILENCE_DB = -120.0


def to_db(value: float) -> float:
    return 20 * math.log10(value) if value > 1e-6 else SILENCE_DB


class Meter:
    """Peak and RMS per channel over the last ``window`` seconds of output.

    The render thread only keeps references to the chunks it produced (it never mutates them
    afterwards); the levels are computed when a client asks, at telemetry rate, so metering costs
    the render thread almost nothing. The chunk list is replaced, never changed in place, so a
    reader on another thread always sees a consistent tuple without taking a lock.
    """

    def __init__(self, channels: int, sample_rate: int, window: float = 0.05):
        self.channels = channels
        self.window_frames = int(window * sample_rate)
        self._chunks: tuple[np.ndarray, ...] = ()
        self._frames = 0

    def add(self, chunk: np.ndarray) -> None:
        chunks = self._chunks
        frames = self._frames + len(chunk)
        drop = 0
        while drop < len(chunks) and frames - len(chunks[drop]) >= self.window_frames:
            frames -= len(chunks[drop])
            drop += 1
        self._chunks = (*chunks[drop:], chunk)
        self._frames = frames

    def _window(self) -> np.ndarray | None:
        chunks = self._chunks
        chunks = tuple(c for c in chunks if len(c))
        return np.concatenate(chunks) if chunks else None

    def peak_db(self) -> list[float]:
        window = self._window()
        if window is None:
            return [SILENCE_DB] * self.channels
        return [to_db(float(p)) for p in np.max(np.abs(window), axis=0)]

    def rms_db(self) -> list[float]:
        window = self._window()
        if window is None:
            return [SILENCE_DB] * self.channels
        energy = np.mean(np.square(window, dtype=np.float64), axis=0)
        return [to_db(math.sqrt(float(e))) for e in energy]


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

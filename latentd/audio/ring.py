"""The ring buffer between the render thread (one writer) and the audio callback (one reader).

The callback side must never wait, allocate or call into torch: ``read_into`` copies into the
device's own output array and fills what is missing with silence, counting an underrun. With one
writer and one reader, each index is written by one side only, and an index is published only
after the samples it covers are in place; plain integer stores are atomic under the GIL, so no lock
is needed.
"""

from __future__ import annotations

import numpy as np


class RingBuffer:
    """Fixed-capacity float32 frames x channels FIFO for exactly one producer and one consumer."""

    def __init__(self, capacity: int, channels: int):
        if capacity <= 0 or channels <= 0:
            raise ValueError("ring capacity and channels must be positive")
        self.capacity = capacity
        self.channels = channels
        self._data = np.zeros((capacity, channels), dtype=np.float32)
        self._written = 0  # total frames ever written; only the producer stores it
        self._read = 0  # total frames ever read; only the consumer stores it
        self.underruns = 0  # callbacks that found fewer frames than they needed
        self.missing_frames = 0  # frames of silence inserted by those underruns

    @property
    def fill(self) -> int:
        """Frames waiting to be played."""
        return self._written - self._read

    @property
    def space(self) -> int:
        return self.capacity - self.fill

    @property
    def frames_read(self) -> int:
        """Frames handed to the device so far: the audio clock, in frames."""
        return self._read

    @property
    def frames_written(self) -> int:
        return self._written

    def write(self, frames: np.ndarray) -> int:
        """Producer side: append as many frames as fit; returns how many were taken."""
        count = min(len(frames), self.space)
        start = self._written % self.capacity
        first = min(count, self.capacity - start)
        self._data[start : start + first] = frames[:first]
        if count > first:
            self._data[: count - first] = frames[first:count]
        self._written += count
        return count

    def read_into(self, out: np.ndarray) -> int:
        """Consumer side (the audio callback): fill ``out`` completely, silence for what is
        missing. Returns the frames that were real audio."""
        wanted = len(out)
        count = min(wanted, self._written - self._read)
        start = self._read % self.capacity
        first = min(count, self.capacity - start)
        out[:first] = self._data[start : start + first]
        if count > first:
            out[first:count] = self._data[: count - first]
        if count < wanted:
            out[count:] = 0.0
            self.underruns += 1
            self.missing_frames += wanted - count
        self._read += count
        return count

    def clear(self) -> None:
        """Consumer side: drop everything queued (used when the stream restarts)."""
        self._read = self._written

"""The null output: consumes audio at real-time pace with no device, so everything else
(telemetry, recording, OSC, timing) behaves as with a sound card."""

from __future__ import annotations

import threading
import time

import numpy as np

from latentd.audio.backend import Backend
from latentd.audio.clock import AudioClock
from latentd.audio.ring import RingBuffer


class NullBackend(Backend):
    def __init__(self, sample_rate: int, channels: int, blocksize: int):
        self.sample_rate = sample_rate
        self.channels = channels
        self.blocksize = blocksize
        self.device_latency = blocksize / sample_rate
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def describe(self) -> str:
        return f"null output (no device), {self.sample_rate} Hz, {self.channels} ch"

    def start(self, ring: RingBuffer, clock: AudioClock) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, args=(ring, clock),
                                        name="latentd-null-output", daemon=True)
        self._thread.start()

    def _run(self, ring: RingBuffer, clock: AudioClock) -> None:
        scratch = np.zeros((self.blocksize, self.channels), np.float32)
        period = self.blocksize / self.sample_rate
        deadline = time.monotonic()
        while not self._stop.is_set():
            clock.anchor(ring.frames_read, time.time() + self.device_latency)
            ring.read_into(scratch)
            deadline += period
            delay = deadline - time.monotonic()
            if delay > 0:
                self._stop.wait(delay)
            else:
                deadline = time.monotonic()  # we fell behind: do not try to catch up in a burst

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
            self._thread = None

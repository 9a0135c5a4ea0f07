"""What every output backend offers the engine (``factory.py`` picks one for ``--output``)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

import numpy as np

from latentd.audio.clock import AudioClock
from latentd.audio.ring import RingBuffer
from latentd.errors import LatentdError


class BackendError(LatentdError, RuntimeError):
    """An output that cannot be opened; the message says which and why (exit status 1)."""


class Backend(ABC):
    """A sink for rendered audio.

    Real-time backends pull from the ring at the device's pace (``start``/``stop``). Offline
    backends (``realtime`` False) take blocks as fast as the engine renders them (``write``).
    """

    sample_rate: int
    channels: int
    blocksize: int
    realtime: bool = True
    description: str = ""
    device_latency: float = 0.0  # seconds from the ring to the listener's ear
    # told of device state changes (state, reason) from the backend's own thread
    on_device_state: Callable[[str, str], None] | None = None

    @property
    def device_state(self) -> str:
        """``ok``, ``stalled`` or ``lost`` (see ``latentd.audio.watchdog``)."""
        return "ok"

    @property
    def device_underflows(self) -> int:
        """Callbacks the device itself flagged as output underflow (a gap was played)."""
        return 0

    def start(self, ring: RingBuffer, clock: AudioClock) -> None:  # noqa: B027 (optional)
        """Begin pulling audio from ``ring``; anchor ``clock`` as frames are played."""

    def stop(self) -> None:  # noqa: B027 (offline backends have nothing to stop)
        """Stop pulling; must return promptly."""

    def write(self, audio: np.ndarray) -> None:
        """Offline backends: take one block (samples, channels)."""
        raise NotImplementedError

    def close(self) -> None:
        self.stop()

    @abstractmethod
    def describe(self) -> str: ...

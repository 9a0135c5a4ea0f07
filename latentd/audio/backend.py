"""What every output backend offers the engine, and how ``--output`` picks one."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable

import numpy as np

from latentd.engine.clock import AudioClock
from latentd.engine.ring import RingBuffer

log = logging.getLogger("latentd.audio")


class BackendError(RuntimeError):
    """An output that cannot be opened; the message says which and why."""


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


def open_output(spec: str, sample_rate: int, channels: int, blocksize: int) -> Backend:
    """``auto``, ``null``, ``wav:PATH`` or ``portaudio[:DEVICE]``.

    ``auto`` tries the default PortAudio device and falls back to null with a warning, so the
    daemon still runs (silently) on a machine without PortAudio or without any device.
    """
    from latentd.audio.null import NullBackend
    from latentd.audio.wavfile import WavBackend

    kind, _, argument = spec.partition(":")
    if kind == "null":
        return NullBackend(sample_rate, channels, blocksize)
    if kind == "wav":
        if not argument:
            raise BackendError("--output wav needs a path: wav:PATH")
        return WavBackend(argument, sample_rate, channels, blocksize)
    if kind in ("portaudio", "auto"):
        from latentd.audio.portaudio import PortAudioBackend

        try:
            return PortAudioBackend(argument or None, sample_rate, channels, blocksize)
        except BackendError as exc:
            if kind == "portaudio":
                raise
            log.warning("no PortAudio output (%s); playing on the null output instead: "
                        "nothing will be heard", exc)
            return NullBackend(sample_rate, channels, blocksize)
    raise BackendError(f"unknown output '{spec}' (use auto, null, wav:PATH or "
                       "portaudio[:DEVICE])")

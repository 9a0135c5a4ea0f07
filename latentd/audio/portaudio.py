"""PortAudio output (and input) through sounddevice: any device and host API, JACK included.

The callback only copies from the ring and anchors the clock. It never calls torch, allocates
arrays, logs or waits on a lock.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import Any

import numpy as np

from latentd.audio.backend import Backend, BackendError
from latentd.engine.clock import AudioClock
from latentd.engine.ring import RingBuffer

log = logging.getLogger("latentd.audio")


def import_sounddevice() -> Any:
    """sounddevice needs the system PortAudio library; say so plainly when it is missing."""
    try:
        import sounddevice
    except (ImportError, OSError) as exc:
        raise BackendError(f"PortAudio is not available ({exc}); on Debian/Ubuntu install "
                           "libportaudio2") from exc
    return sounddevice


def find_device(sd: Any, name: str | None, kind: str = "output") -> int | None:
    """A device index from a number or a case-insensitive name fragment; None = default."""
    if name is None or name == "":
        return None
    if name.isdigit():
        return int(name)
    channels = "max_output_channels" if kind == "output" else "max_input_channels"
    for index, device in enumerate(sd.query_devices()):
        if name.lower() in device["name"].lower() and device[channels] > 0:
            return index
    for api in sd.query_hostapis():
        if name.lower() == api["name"].lower() and api[f"default_{kind}_device"] >= 0:
            return api[f"default_{kind}_device"]
    raise BackendError(f"no {kind} device matches '{name}' (see `latentd devices`)")


class PortAudioBackend(Backend):
    def __init__(self, device: str | None, sample_rate: int, channels: int, blocksize: int):
        sd = import_sounddevice()
        self._sd = sd
        self.channels = channels
        self.blocksize = blocksize
        try:
            self.device = find_device(sd, device)
            info = sd.query_devices(self.device, "output")
        except (sd.PortAudioError, ValueError) as exc:
            raise BackendError(f"no output device ({exc})") from exc
        self.device_name = info["name"]
        self.sample_rate = self._pick_rate(sample_rate, int(info["default_samplerate"]))
        self._stream: Any = None

    def _pick_rate(self, wanted: int, default: int) -> int:
        """The model's rate if the device takes it, else the device's default (resampled)."""
        try:
            self._sd.check_output_settings(self.device, channels=self.channels,
                                           samplerate=wanted, dtype="float32")
            return wanted
        except Exception:
            return default

    def describe(self) -> str:
        return (f"PortAudio '{self.device_name}', {self.sample_rate} Hz, {self.channels} ch, "
                f"block {self.blocksize}")

    def start(self, ring: RingBuffer, clock: AudioClock) -> None:
        def callback(outdata: np.ndarray, frames: int, times: Any, status: Any) -> None:
            clock.anchor(ring.frames_read,
                         time.time() + (times.outputBufferDacTime - times.currentTime))
            ring.read_into(outdata)

        try:
            self._stream = self._sd.OutputStream(
                samplerate=self.sample_rate, blocksize=self.blocksize, device=self.device,
                channels=self.channels, dtype="float32", callback=callback, latency="low")
            self._stream.start()
        except self._sd.PortAudioError as exc:
            raise BackendError(f"cannot start output on '{self.device_name}': {exc}") from exc
        self.device_latency = float(self._stream.latency)

    def stop(self) -> None:
        """Abort and close on a helper thread: if the audio server has gone away (a JACK server
        that quit), PortAudio's stop blocks forever, and shutdown must not."""
        stream, self._stream = self._stream, None
        if stream is None:
            return

        def close() -> None:
            with contextlib.suppress(Exception):
                stream.abort()
                stream.close()

        closer = threading.Thread(target=close, name="latentd-audio-close", daemon=True)
        closer.start()
        closer.join(timeout=1.0)
        if closer.is_alive():
            log.warning("the audio device did not stop within 1 s (did its server quit?); "
                        "leaving it behind")

"""A PortAudio input device of its own (JACK through PortAudio on Linux), when the input is not
the output's device (that case is one duplex stream: ``duplex.py``).

The callback only copies into the ring and counts its calls. A watch thread
(``latentd-input-watch``) notices a device that disappears (the stream stops, or no callback
for LOST_SECONDS) and marks the input lost, with the reason: the engine then stops reading it,
reports ``input none`` and logs why; the output plays on, and the engine tries ``reopen``
with backoff.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np

from latentd.audio.backend import BackendError
from latentd.audio.input import AudioInput, InputError, check_format
from latentd.audio.portaudio import close_within, find_device, import_sounddevice
from latentd.audio.ring import RingBuffer

LOST_SECONDS = 2.0  # no callback this long (or a stopped stream): the input is lost
CLOSE_TIMEOUT_SECONDS = 0.5


def input_format(sd: Any, device: str | None, wanted_rate: int,
                 selected: list[int] | None, wanted_channels: int) -> tuple[int | None, str,
                                                                          int, int]:
    """(device index, name, rate, channels) for an input on ``device``: the chosen channels
    (or as many as the model has, at most the device's), at ``wanted_rate`` when the device
    takes it, else its default rate (the stage resamples)."""
    try:
        index = find_device(sd, device, "input")
        info = sd.query_devices(index, "input")
    except (BackendError, ValueError, sd.PortAudioError) as exc:
        raise InputError(f"no input device '{device or 'default'}': {exc}") from exc
    available = int(info["max_input_channels"])
    if available < 1:
        raise InputError(f"device '{info['name']}' has no input channels")
    channels = max(selected) if selected else min(available, wanted_channels)
    check_format(f"input device '{info['name']}'", int(info["default_samplerate"]), available,
                 selected)
    try:
        sd.check_input_settings(index, channels=channels, samplerate=wanted_rate,
                                dtype="float32")
        rate = wanted_rate
    except Exception:
        rate = int(info["default_samplerate"])
    return index, str(info["name"]), rate, channels


class PortAudioInput(AudioInput):
    def __init__(self, device: str | None, wanted_rate: int, wanted_channels: int,
                 selected: list[int] | None, blocksize: int):
        try:
            sd = import_sounddevice()
        except BackendError as exc:
            raise InputError(str(exc)) from exc
        self._sd = sd
        self._asked = (device, wanted_rate, wanted_channels, selected, blocksize)
        self.device, self.device_name, self.sample_rate, self.channels = input_format(
            sd, device, wanted_rate, selected, wanted_channels)
        self.blocksize = blocksize
        self.calls = 0
        self._stream: Any = None
        self._stop = threading.Event()
        self._watch: threading.Thread | None = None

    def describe(self) -> str:
        return f"portaudio:{self.device_name}"

    def reopen(self) -> PortAudioInput:
        """A new stream on the device asked for at first. PortAudio lists devices and opens
        its JACK client once, when it starts: a device it still lists comes back (a stream
        that stalled), but a JACK server that quit and restarted does not (PortAudio answers
        -9992 and re-initialising it blocks on the dead server's streams), so that reopen
        keeps failing and the log says so."""
        return PortAudioInput(*self._asked)

    def start(self, ring: RingBuffer) -> None:
        def callback(indata: np.ndarray, frames: int, times: Any, status: Any) -> None:
            self.calls += 1
            self.period_frames = frames
            ring.write(indata)

        try:
            self._stream = self._sd.InputStream(
                samplerate=self.sample_rate, blocksize=self.blocksize, device=self.device,
                channels=self.channels, dtype="float32", callback=callback, latency="low")
            self._stream.start()
        except self._sd.PortAudioError as exc:
            raise InputError(f"cannot start input on '{self.device_name}': {exc}") from exc
        self.latency = float(self._stream.latency)
        self._stop.clear()
        self._watch = threading.Thread(target=self._watch_stream, name="latentd-input-watch",
                                       daemon=True)
        self._watch.start()

    def _watch_stream(self) -> None:
        last, since = self.calls, time.monotonic()
        while not self._stop.wait(0.1):
            try:
                active = bool(self._stream.active)
            except Exception:
                active = False
            if self.calls != last:
                last, since = self.calls, time.monotonic()
            silent = time.monotonic() - since
            if not active or silent > LOST_SECONDS:
                self.lost_reason = (f"input device '{self.device_name}' "
                                    + ("stopped" if not active else
                                       f"sent nothing for {silent:.1f} s"))
                return

    def stop(self) -> None:
        """Bounded: the stream is aborted on a helper thread waited for at most
        CLOSE_TIMEOUT_SECONDS (a vanished JACK server makes PortAudio's close block)."""
        self._stop.set()
        stream, self._stream = self._stream, None
        if stream is None:
            return
        close_within(stream, "latentd-input-close", CLOSE_TIMEOUT_SECONDS)

"""One duplex PortAudio stream when input and output are the same device: one callback both
plays from the output ring and copies the captured frames into the input ring, so input and
output share one clock and one period (no drift between two streams, one JACK client).

``DuplexBackend`` is the output backend (``PortAudioBackend`` with a duplex stream: its
watchdog, fallback clock and reopen work as for output alone); ``DuplexInput`` is the input
side the engine reads. A lost device loses both: the input reports ``lost`` with the output's
reason, and once the watchdog has reopened the stream ``reopen`` gives the input back.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from latentd.audio.backend import BackendError
from latentd.audio.input import AudioInput, InputError
from latentd.audio.portaudio import PortAudioBackend
from latentd.audio.portaudio_input import input_format
from latentd.audio.ring import RingBuffer


class DuplexInput(AudioInput):
    """The capture half of a duplex stream: the backend's callback writes into ``ring``."""

    def __init__(self, backend: DuplexBackend, device_name: str, sample_rate: int,
                 channels: int):
        self.backend = backend
        self.device_name = device_name
        self.sample_rate = sample_rate
        self.channels = channels
        self.ring: RingBuffer | None = None

    def describe(self) -> str:
        return f"portaudio:{self.device_name}"

    def start(self, ring: RingBuffer) -> None:
        self.ring = ring  # the stream starts with the output (Engine.start)

    def stop(self) -> None:
        self.ring = None

    def reopen(self) -> DuplexInput:
        """This input again once the output's watchdog has reopened the stream (the capture
        rides on it); InputError until then."""
        if self.backend.device_state == "lost" or not self.backend.stream_active():
            raise InputError(f"device '{self.device_name}' is still {self.backend.device_state}"
                             " (the output's watchdog reopens it)")
        return self

    @property
    def state(self) -> str:
        return "lost" if self.backend.device_state == "lost" else "ok"

    @property
    def error(self) -> str:
        return f"device '{self.device_name}' was lost" if self.state == "lost" else ""


class DuplexBackend(PortAudioBackend):
    def __init__(self, device: str | None, sample_rate: int, channels: int, blocksize: int,
                 selected: list[int] | None, input_channels: int):
        super().__init__(device, sample_rate, channels, blocksize)
        index, name, rate, in_channels = input_format(self._sd, device, self.sample_rate,
                                                      selected, input_channels)
        if index != self.device and not (index is None or self.device is None):
            raise InputError(f"input '{name}' and output '{self.device_name}' differ: "
                             "no duplex stream")
        if rate != self.sample_rate:
            raise InputError(f"device '{name}' cannot capture at {self.sample_rate} Hz, "
                             "its output rate")
        self.input = DuplexInput(self, name, rate, in_channels)

    def describe(self) -> str:
        return super().describe() + f", duplex with {self.input.channels} ch in"

    def _open_stream(self) -> tuple[Any, int]:
        play, generation = self._player()
        capture = self.input

        def callback(indata: np.ndarray, outdata: np.ndarray, frames: int, times: Any,
                     status: Any) -> None:
            if play(outdata, times, status):
                into = capture.ring
                if into is not None:
                    capture.period_frames = frames
                    into.write(indata)

        try:
            stream = self._sd.Stream(
                samplerate=self.sample_rate, blocksize=self.blocksize,
                device=(self.device, self.device), channels=(self.input.channels,
                                                             self.channels),
                dtype="float32", callback=callback, latency="low")
            stream.start()
        except self._sd.PortAudioError as exc:
            raise BackendError(f"cannot start duplex stream on '{self.device_name}': {exc}"
                               ) from exc
        latency = stream.latency
        self.device_latency = float(latency[1])
        self.input.latency = float(latency[0])
        return stream, generation

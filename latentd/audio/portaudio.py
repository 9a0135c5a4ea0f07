"""PortAudio output (and input) through sounddevice: any device and host API, JACK included.

The callback only copies from the ring, anchors the clock and counts (its calls, the status
flags PortAudio hands it). It never calls torch, allocates arrays, logs or waits on a lock.

A watchdog (``latentd.audio.watchdog``) watches the callback from its own thread: a stream
that stops being called is reported (``device_state`` stalled or lost), given up without
waiting on it, replaced by a fallback clock so the engine goes on, and reopened with backoff.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from latentd.audio.backend import Backend, BackendError
from latentd.audio.clock import AudioClock
from latentd.audio.null import NullBackend
from latentd.audio.ring import RingBuffer
from latentd.audio.watchdog import OK, CallbackCounters, DeviceWatchdog

log = logging.getLogger("latentd.audio")

CLOSE_TIMEOUT_SECONDS = 0.5  # the most shutdown waits for PortAudio to close a stream
HANDOVER_SECONDS = 0.05  # an abandoned callback finishes its last copy within this


def import_sounddevice() -> Any:
    """sounddevice needs the system PortAudio library; say so plainly when it is missing."""
    try:
        import sounddevice
    except (ImportError, OSError) as exc:
        raise BackendError(f"PortAudio is not available ({exc}); on Debian/Ubuntu install "
                           "libportaudio2") from exc
    return sounddevice


def find_device(sd: Any, name: str | None, kind: str = "output") -> int | None:
    """A device index; None = PortAudio's default.

    ``name`` is a device number, or what sounddevice matches: space-separated fragments found
    in order in "device name, host API name", case-insensitive (``system``, ``JACK``,
    ``USB Audio ALSA``), an exact name winning over fragments. When that matches no device or
    several, a host API named by ``name`` (``JACK``, ``ALSA``, ``pulse``) gives its default
    device, so ``portaudio:JACK`` plays on JACK's ``system`` device.
    """
    if name is None or name == "":
        return None
    if name.isdigit():
        return int(name)
    try:
        return int(sd.query_devices(name, kind)["index"])
    except ValueError as exc:
        problem = str(exc).splitlines()[0]
    apis = [api for api in sd.query_hostapis() if name.lower() in api["name"].lower()]
    if len(apis) == 1 and apis[0][f"default_{kind}_device"] >= 0:
        return int(apis[0][f"default_{kind}_device"])
    if len(apis) == 1:
        problem = f"host API '{apis[0]['name']}' has no {kind} device"
    raise BackendError(f"no {kind} device for '{name}': {problem} (see `latentd devices`)")


def close_within(stream: Any, thread_name: str,
                 seconds: float = CLOSE_TIMEOUT_SECONDS) -> bool:
    """Abort and close a PortAudio stream on a helper thread, waiting at most ``seconds``:
    True when it closed. A stream whose JACK server quit blocks PortAudio's close for
    minutes, so it is left behind (the thread is a daemon) rather than waited for."""

    def close() -> None:
        with contextlib.suppress(Exception):
            stream.abort()
            stream.close()

    closer = threading.Thread(target=close, name=thread_name, daemon=True)
    closer.start()
    closer.join(timeout=seconds)
    return not closer.is_alive()


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
        self.counters = CallbackCounters()
        self.watchdog: DeviceWatchdog | None = None
        self._stream: Any = None
        self._abandoned: list[Any] = []  # given-up streams, never closed (see watchdog.py)
        self._live = 0  # the generation of the stream allowed to read the ring; 0 = none
        self._generation = 0
        self._fallback: NullBackend | None = None
        self._ring: RingBuffer | None = None
        self._clock: AudioClock | None = None

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

    @property
    def device_state(self) -> str:
        return self.watchdog.state if self.watchdog is not None else OK

    @property
    def device_underflows(self) -> int:
        return self.counters.output_underflows

    # ------------------------------------------------------------------ streams
    def _player(self) -> tuple[Callable[[np.ndarray, Any, Any], bool], int]:
        """A new stream generation and what each of its callbacks does for the output: while
        it is the live stream, count the call and its status flags, anchor the clock and read
        the ring into ``outdata`` (True); silence otherwise (False). Output and duplex streams
        share it, so the audio callback's contract is written once."""
        assert self._ring is not None and self._clock is not None
        ring, clock, counters = self._ring, self._clock, self.counters
        self._generation += 1
        generation = self._generation

        def play(outdata: np.ndarray, times: Any, status: Any) -> bool:
            if self._live != generation:
                outdata.fill(0.0)
                return False
            counters.calls += 1
            if status:
                counters.count(status)
            clock.anchor(ring.frames_read,
                         time.time() + (times.outputBufferDacTime - times.currentTime))
            ring.read_into(outdata)
            return True

        return play, generation

    def _open_stream(self) -> tuple[Any, int]:
        """A started stream whose callback reads the ring only while it is the live one."""
        play, generation = self._player()

        def callback(outdata: np.ndarray, frames: int, times: Any, status: Any) -> None:
            play(outdata, times, status)

        try:
            stream = self._sd.OutputStream(
                samplerate=self.sample_rate, blocksize=self.blocksize, device=self.device,
                channels=self.channels, dtype="float32", callback=callback, latency="low")
            stream.start()
        except self._sd.PortAudioError as exc:
            raise BackendError(f"cannot start output on '{self.device_name}': {exc}") from exc
        self.device_latency = float(stream.latency)
        return stream, generation

    def start(self, ring: RingBuffer, clock: AudioClock) -> None:
        self._ring, self._clock = ring, clock
        self._live = self._generation + 1  # the first stream reads from its first callback
        self._stream, _ = self._open_stream()
        self.watchdog = DeviceWatchdog(self, self.blocksize / self.sample_rate,
                                       on_state=self._state_changed).start()

    def _state_changed(self, state: str, reason: str) -> None:
        if self.on_device_state is not None:
            self.on_device_state(state, reason)

    # ------------------------------------------------------------------ watchdog's side
    def heartbeat(self) -> int:
        return self.counters.calls

    def stream_active(self) -> bool:
        """False for no stream, a stopped one, or one PortAudio cannot even report on."""
        stream = self._stream
        try:
            return stream is not None and bool(stream.active)
        except Exception:
            return False

    def abandon(self, reason: str) -> None:
        """Disconnect the stream's callback from the ring and keep the clock going on a
        fallback; the stream itself is kept, never closed (that can block for minutes)."""
        self._live = 0
        if self._stream is not None:
            self._abandoned.append(self._stream)
            self._stream = None
        time.sleep(HANDOVER_SECONDS)  # a callback mid-copy finishes before the fallback reads
        if self._fallback is None and self._ring is not None and self._clock is not None:
            self._fallback = NullBackend(self.sample_rate, self.channels, self.blocksize)
            self._fallback.start(self._ring, self._clock)

    def reopen(self) -> None:
        """A new stream on the same device; it reads the ring once the fallback has stopped."""
        stream, generation = self._open_stream()
        if self._fallback is not None:
            self._fallback.stop()
            self._fallback = None
        self._stream = stream
        self._live = generation

    # ------------------------------------------------------------------ shutdown
    def stop(self) -> None:
        """Bounded whatever the device does: the watchdog and the fallback stop, the live
        stream is aborted and closed on a helper thread that is waited for at most
        CLOSE_TIMEOUT_SECONDS (a JACK server that quit makes PortAudio's close block for
        minutes), and abandoned streams are left alone. The process then leaves through
        ``os._exit`` (``latentd.daemon.shutdown``), so PortAudio's own exit hook cannot hang."""
        if self.watchdog is not None:
            self.watchdog.stop()
        self._live = 0
        if self._fallback is not None:
            self._fallback.stop()
            self._fallback = None
        stream, self._stream = self._stream, None
        if stream is None:
            return
        if not close_within(stream, "latentd-audio-close"):
            log.warning("the audio device did not stop within %.1f s (did its server quit?); "
                        "leaving it behind", CLOSE_TIMEOUT_SECONDS)

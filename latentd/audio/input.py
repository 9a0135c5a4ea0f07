"""What every audio input offers the engine (``input_factory.py`` picks one for ``--input``).

An input writes what it captures into a ring the engine gives it (``audio/ring.py``: one
producer, one consumer, no lock). Its producer is a device callback (PortAudio) or a pacing
thread (a looping file); either only copies, as the output callback does. The render thread is
the consumer: it converts and encodes (``engine/input_stage.py``). An offline input
(``realtime`` False) has no producer at all: the render thread reads it directly, as fast as it
renders.

A live input that fails (its device disappears) says so through ``state`` and ``error``; the
engine stops reading it, reports ``input none`` and the output keeps playing, and asks
``reopen`` for the same input again with backoff (``engine/live_input.py``) until it answers.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from latentd.audio.ring import RingBuffer
from latentd.errors import UsageError

MIN_RATE = 1000  # an input rate outside these is refused: soxr takes it, but no device or
MAX_RATE = 768000  # file sensibly has it
MAX_CHANNELS = 64


class InputError(UsageError, ValueError):
    """An input that cannot be opened (missing file, unknown device, odd rate or channels);
    ``latentd serve`` exits with status 2 at start, and a run-time switch gets /fail."""


class AudioInput(ABC):
    """A source of captured audio frames (frames, channels) float32 at ``sample_rate``."""

    sample_rate: int
    channels: int
    realtime: bool = True
    latency: float = 0.0  # seconds from the sound to the frame in the ring
    lost_reason: str = ""  # set once by the producer's side when the input is lost
    period_frames: int = 0  # frames the producer writes at a time, the latest (0: not known)

    @property
    def state(self) -> str:
        """``ok`` or ``lost`` (then ``error`` says why)."""
        return "lost" if self.lost_reason else "ok"

    @property
    def error(self) -> str:
        return self.lost_reason

    @abstractmethod
    def describe(self) -> str:
        """What ``/status.reply``'s ``input`` shows: the device or the file."""

    def start(self, ring: RingBuffer) -> None:  # noqa: B027 (offline inputs have no producer)
        """Begin writing captured frames into ``ring``."""

    def stop(self) -> None:  # noqa: B027
        """Stop writing; must return promptly."""

    def close(self) -> None:
        self.stop()

    def reopen(self) -> AudioInput:
        """The same input, opened again after it was lost (not started): a new object, or
        this one when its stream is owned elsewhere. Raises InputError while it is still
        missing, or when it cannot be reopened at all."""
        raise InputError(f"{self.describe()} cannot be reopened")

    def read(self, frames: int) -> np.ndarray:
        """Offline inputs: the next ``frames`` frames (fewer at the end; empty once done)."""
        raise NotImplementedError


def parse_channels(text: str) -> list[int]:
    """``--input-channels 1,2``: 1-based channel numbers, in order, no repeats."""
    try:
        numbers = [int(part) for part in text.split(",")]
    except ValueError:
        raise InputError(f"--input-channels takes channel numbers such as 1 or 1,2, "
                         f"got {text!r}") from None
    if not numbers or any(n < 1 or n > MAX_CHANNELS for n in numbers) \
            or len(set(numbers)) != len(numbers):
        raise InputError(f"--input-channels takes distinct channel numbers in 1..{MAX_CHANNELS}"
                         f", got {text!r}")
    return numbers


def check_format(what: str, sample_rate: int, channels: int,
                 selected: list[int] | None) -> None:
    """Refuse what no conversion can make sense of: an absurd rate, no channels, or a chosen
    channel the input does not have."""
    if not MIN_RATE <= sample_rate <= MAX_RATE:
        raise InputError(f"{what}: sample rate {sample_rate} Hz is outside "
                         f"{MIN_RATE}..{MAX_RATE} Hz")
    if not 1 <= channels <= MAX_CHANNELS:
        raise InputError(f"{what}: {channels} channels (1..{MAX_CHANNELS} are accepted)")
    missing = [n for n in selected or [] if n > channels]
    if missing:
        raise InputError(f"{what} has {channels} channel(s); --input-channels asks for "
                         f"{', '.join(map(str, missing))}")

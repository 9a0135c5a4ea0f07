"""Control state, owned by the render thread and changed only through events.

Any thread (OSC, TUI, tests) calls :meth:`ControlBus.post`; the render thread drains the bus once
per latent frame and applies what is due. The state is per voice over the model's batch axis,
even while one voice plays, so that several voices can later decode as one batched call. The
controls' names, and the field each one sets, are declared in ``control_names.py``.
"""

# mypy: strict-equality
# (a comparison with a misspelt control or source name is a type error)
from __future__ import annotations

import math
import queue
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from latentd.engine.control_names import (
    EVENTS,
    FIELDS,
    FLAGS,
    STATE_ORDER,
    VECTORS,
    DriftMode,
    EventName,
    SourceName,
    VectorName,
    is_scalar,
    is_vector,
    state_name,
    stored_as,
)


@dataclass(frozen=True)
class Event:
    """One control change. ``at`` is an absolute wall-clock time (seconds since the epoch) or
    None for "now"; ``index`` selects a latent dimension where it applies. An unknown ``name``
    is refused here, where the event is made, not on the render thread that applies it."""

    name: EventName
    values: tuple[Any, ...] = ()
    index: int | None = None
    voice: int = 0
    at: float | None = None
    reply: Any = None  # opaque token handed back with lateness reports

    def __post_init__(self) -> None:
        if self.name not in EVENTS:
            raise ValueError(f"unknown control '{self.name}' (controls: "
                             f"{', '.join(sorted(EVENTS))})")


@dataclass
class VoiceState:
    latent: np.ndarray
    bias: np.ndarray
    scale: np.ndarray

    @classmethod
    def neutral(cls, latent_size: int) -> VoiceState:
        return cls(np.zeros(latent_size, np.float32), np.zeros(latent_size, np.float32),
                   np.ones(latent_size, np.float32))

    def copy(self) -> VoiceState:
        return VoiceState(self.latent.copy(), self.bias.copy(), self.scale.copy())


@dataclass
class Controls:
    """Everything a performer can change. Latents are in the model's own units."""

    latent_size: int
    voices: list[VoiceState] = field(default_factory=list)
    glide_ms: float = 50.0
    gain_db: float = 0.0
    muted: bool = False
    source: SourceName = "manual"
    drift_mode: DriftMode = "walk"
    drift_rate: float = 0.2  # Hz: how fast the drift wanders
    drift_depth: float = 0.3  # latent units: std of the data when the model has latent stats;
    # 0.3 std keeps the drift among sounds (0.5 reached silent corners of the default model)
    temperature: float = 1.0
    version: int = 0  # bumped on every change, so the renderer can cache stacked arrays

    def __post_init__(self) -> None:
        if not self.voices:
            self.voices = [VoiceState.neutral(self.latent_size)]

    def touch(self) -> None:
        self.version += 1

    def stacked(self, name: VectorName) -> np.ndarray:
        """(voices, latent) array of ``latent``, ``bias`` or ``scale``."""
        return np.stack([getattr(v, name) for v in self.voices])

    def resize(self, latent_size: int) -> None:
        """A model with another latent size: keep the dimensions both share."""
        for voice in self.voices:
            for name in VECTORS:
                old = getattr(voice, name)
                new = np.zeros(latent_size, np.float32) if name != "scale" \
                    else np.ones(latent_size, np.float32)
                shared = min(len(old), latent_size)
                new[:shared] = old[:shared]
                setattr(voice, name, new)
        self.latent_size = latent_size
        self.touch()

    def apply(self, event: Event) -> None:
        """Apply one validated event. Raises ValueError for values out of range."""
        self.touch()
        voice = self.voices[event.voice]
        name, values = event.name, event.values
        if is_vector(name):
            target = getattr(voice, name)
            if event.index is not None:
                target[event.index] = values[0]
            else:
                count = min(len(values), self.latent_size)
                target[:count] = values[:count]
        elif is_scalar(name):
            setattr(self, FIELDS[name], stored_as(name)(values[0]))
        else:
            raise ValueError(f"unknown control '{name}'")

    def state(self) -> dict[str, float | str | int]:
        """The scalar controls as ``/controls.state`` sends them (docs/osc.md), in
        ``control_names.STATE_ORDER``: numbers as floats, choices as names, flags as 0 or 1."""
        state: dict[str, float | str | int] = {}
        for name in STATE_ORDER:
            value = getattr(self, FIELDS[name])
            state[state_name(name)] = int(value) if name in FLAGS else stored_as(name)(value)
        return state

    def glide_coefficient(self, frame_seconds: float) -> float:
        """One-pole smoothing per latent frame reaching ~63% of a jump in ``glide_ms``."""
        if self.glide_ms <= 0:
            return 1.0
        return 1.0 - math.exp(-frame_seconds * 1000.0 / self.glide_ms)


class ControlBus:
    """Thread-safe hand-over of events from any thread to the render thread."""

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Event] = queue.SimpleQueue()

    def post(self, event: Event) -> None:
        self._queue.put(event)

    def pending(self) -> bool:
        """Cheap check first: the render thread asks every block and is usually told no."""
        return not self._queue.empty()

    def drain(self) -> list[Event]:
        events = []
        while True:
            try:
                events.append(self._queue.get_nowait())
            except queue.Empty:
                return events

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
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from latentd.engine.control_names import (
    EVENTS,
    FIELDS,
    FLAGS,
    PER_VOICE,
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

ALL_VOICES = -1  # Event.voice: every voice
ANY_VOICE = -2  # Event.voice of a note: the voice it is allocated (engine/notes.py)


@dataclass(frozen=True)
class Event:
    """One control change. ``at`` is an absolute wall-clock time (seconds since the epoch) or
    None for "now"; ``index`` selects a latent dimension where it applies. An unknown ``name``
    is refused here, where the event is made, not on the render thread that applies it."""

    name: EventName
    values: tuple[Any, ...] = ()
    index: int | None = None
    voice: int = 0  # ALL_VOICES: every voice (the engine's own fade-out at stop)
    at: float | None = None
    reply: Any = None  # opaque token handed back with lateness reports

    def __post_init__(self) -> None:
        if self.name not in EVENTS:
            raise ValueError(f"unknown control '{self.name}' (controls: "
                             f"{', '.join(sorted(EVENTS))})")


@dataclass
class VoiceState:
    """One voice: its latents, bias and scale, and the scalars each voice holds on its own
    (``control_names.PER_VOICE``). ``gate`` is the note level (engine/notes.py): 1 for a voice
    that plays no notes, the velocity's gain while a note is held, 0 once it is released;
    ``note`` the MIDI pitch held (None: none), ``note_order`` when it began (stealing takes
    the oldest)."""

    latent: np.ndarray
    bias: np.ndarray
    scale: np.ndarray
    source: SourceName = "manual"
    glide_ms: float = 50.0
    gain_db: float = 0.0
    pan: float = 0.0  # -1 left .. +1 right, equal-power (voice_mix.py)
    muted: bool = False
    gate: float = 1.0
    note: float | None = None
    note_order: int = 0

    @classmethod
    def neutral(cls, latent_size: int) -> VoiceState:
        return cls(np.zeros(latent_size, np.float32), np.zeros(latent_size, np.float32),
                   np.ones(latent_size, np.float32))

    def copy(self) -> VoiceState:
        return replace(self, latent=self.latent.copy(), bias=self.bias.copy(),
                       scale=self.scale.copy())


VOICES_LIMIT = 16  # --max-voices at most (a preset holds up to 16 voices too)


class Controls:
    """Everything a performer can change. Latents are in the model's own units.

    ``voices`` are the voices playing now (``/voices`` changes how many); the per-voice scalars
    of voice 0 are also reachable as ``controls.source``, ``glide_ms``, ``gain_db``, ``muted``
    and ``pan``, the plain OSC addresses' voice. The drift's settings and the temperature are
    shared by all voices."""

    def __init__(self, latent_size: int, voices: list[VoiceState] | None = None, *,
                 drift_mode: DriftMode = "walk", drift_rate: float = 0.2,
                 drift_depth: float = 0.3, temperature: float = 1.0,
                 **first_voice: Any) -> None:
        self.latent_size = latent_size
        self.voices: list[VoiceState] = voices or [VoiceState.neutral(latent_size)]
        self.drift_mode: DriftMode = drift_mode
        self.drift_rate = drift_rate  # Hz: how fast the drift wanders
        # latent units: std of the data when the model has latent stats; 0.3 std keeps the
        # drift among sounds (0.5 reached silent corners of the default model)
        self.drift_depth = drift_depth
        self.temperature = temperature
        self.version = 0  # bumped on every change, so the renderer can cache stacked arrays
        for name, value in first_voice.items():  # Controls(4, gain_db=-3.0): voice 0's
            if name not in VOICE_FIELDS:
                raise TypeError(f"Controls() got an unexpected keyword argument '{name}'")
            setattr(self.voices[0], name, value)

    # voice 0's scalars, under the names the single-voice engine used
    source = property(lambda self: self.voices[0].source,
                      lambda self, value: setattr(self.voices[0], "source", value))
    glide_ms = property(lambda self: self.voices[0].glide_ms,
                        lambda self, value: setattr(self.voices[0], "glide_ms", value))
    gain_db = property(lambda self: self.voices[0].gain_db,
                       lambda self, value: setattr(self.voices[0], "gain_db", value))
    muted = property(lambda self: self.voices[0].muted,
                     lambda self, value: setattr(self.voices[0], "muted", value))
    pan = property(lambda self: self.voices[0].pan,
                   lambda self, value: setattr(self.voices[0], "pan", value))

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
        voice = self.voices[max(event.voice, 0)]
        name, values = event.name, event.values
        if is_vector(name):
            target = getattr(voice, name)
            if event.index is not None:
                target[event.index] = values[0]
            else:
                count = min(len(values), self.latent_size)
                target[:count] = values[:count]
        elif is_scalar(name) and name in PER_VOICE:
            targets = self.voices if event.voice == ALL_VOICES else [voice]
            for target in targets:
                setattr(target, FIELDS[name], stored_as(name)(values[0]))
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

    def resize_voices(self, count: int) -> None:
        """``count`` voices: the first ones stay as they are, new ones start neutral with
        voice 0's glide (so ``/glide`` before ``/voices`` holds for all)."""
        del self.voices[count:]
        while len(self.voices) < count:
            voice = VoiceState.neutral(self.latent_size)
            voice.glide_ms = self.voices[0].glide_ms
            self.voices.append(voice)
        self.touch()

    def glide_coefficients(self, frame_seconds: float) -> np.ndarray:
        """Per voice (voices, 1): one-pole smoothing per latent frame reaching ~63% of a jump
        in the voice's ``glide_ms``."""
        return np.array([[glide_coefficient(v.glide_ms, frame_seconds)] for v in self.voices],
                        np.float32)

    def glide_coefficient(self, frame_seconds: float) -> float:
        """Voice 0's (the plain ``/glide``)."""
        return glide_coefficient(self.glide_ms, frame_seconds)


def glide_coefficient(glide_ms: float, frame_seconds: float) -> float:
    """One-pole smoothing per latent frame reaching ~63% of a jump in ``glide_ms``."""
    if glide_ms <= 0:
        return 1.0
    return 1.0 - math.exp(-frame_seconds * 1000.0 / glide_ms)


VOICE_FIELDS = frozenset(f.name for f in fields(VoiceState)) - {"latent", "bias", "scale"}


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

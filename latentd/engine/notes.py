"""Notes: MIDI pitches played on a model's measured pitch dimension, one voice per note.

A latentd model built with ``RaveConfig.pitch_latent`` has a measured pitch as its user latent
0: the encoder's YIN tracker writes ``models.oscillator.pitch_to_latent(f0)`` there (raw
units), and the decoder's oscillator plays it back, on a log scale from F0_MIN to F0_MAX where
it saturates. With latent stats the user value is ``(raw - mean) / std`` (the measured
dimensions stay axes of their own), so one user unit of the default model is about 16.7
semitones. :class:`PitchMap` inverts that exactly, so ``/note 60`` sets the value the
oscillator plays at 261.6 Hz. A model without such a dimension (a RAVE export, a model trained
without the tracker) has no map, and notes are refused (docs/osc.md, Voices).

Allocation (:func:`allocate`): a voice holding no note, released ones first, else the oldest
note is stolen. Velocity sets the voice's note gate (its level, voice_mix.py) as
``(velocity / 127) ** 2``; a release sets it to 0, which voice_mix fades out within
VOICE_FADE_MS.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from latentd.engine.controls import VoiceState
from latentd.models.oscillator import F0_MAX, F0_MIN
from latentd.models.synth import Synth

NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
MAX_VELOCITY = 127.0


def midi_to_hz(pitch: float) -> float:
    return 440.0 * 2.0 ** ((pitch - 69.0) / 12.0)


def hz_to_midi(hz: float) -> float:
    return 69.0 + 12.0 * math.log2(hz / 440.0)


def note_name(hz: float) -> str:
    """The nearest equal-tempered note, e.g. ``A4`` or ``C#3`` (``none`` for no pitch)."""
    if not (hz > 0 and math.isfinite(hz)):
        return "none"
    midi = round(hz_to_midi(hz))
    return f"{NAMES[midi % 12]}{midi // 12 - 1}"


def velocity_gate(velocity: float) -> float:
    return (min(max(velocity, 0.0), MAX_VELOCITY) / MAX_VELOCITY) ** 2


@dataclass(frozen=True)
class PitchMap:
    """User latent ``dimension`` <-> Hz for one model: raw = mean + std * user, and the
    oscillator's log scale ``raw = (log(f / F0_MIN) / log(F0_MAX / F0_MIN) - 0.5) * 4``."""

    dimension: int
    mean: float
    std: float
    low_hz: float = F0_MIN
    high_hz: float = F0_MAX

    @classmethod
    def of(cls, synth: Synth) -> PitchMap | None:
        """The model's measured pitch map, or None when it has no pitch dimension."""
        config = getattr(getattr(synth, "model", None), "config", None)
        if config is None or not getattr(config, "pitch_latent", False):
            return None
        stats = getattr(synth, "stats", None)
        if stats is None:
            return cls(0, 0.0, 1.0)
        basis = stats.basis
        # user 0 must be raw 0 alone (the measured axes are kept as they are)
        if basis is not None and (abs(float(basis[0, 0]) - 1.0) > 1e-6
                                  or float(basis[:, 0].abs().sum()) > 1.0 + 1e-6):
            return None
        return cls(0, float(stats.mean[0]), float(stats.std[0]))

    def hz(self, value: float) -> float:
        """The pitch the oscillator plays for user latent ``value`` (saturating)."""
        raw = self.mean + self.std * value
        position = min(max(raw / 4.0 + 0.5, 0.0), 1.0)
        return self.low_hz * (self.high_hz / self.low_hz) ** position

    def value(self, hz: float) -> float:
        """The user latent value that plays ``hz``; raises ValueError outside the range."""
        if not (self.low_hz <= hz <= self.high_hz):
            raise ValueError(self.out_of_range(f"{hz:g} Hz"))
        raw = (math.log(hz / self.low_hz) / math.log(self.high_hz / self.low_hz) - 0.5) * 4.0
        return (raw - self.mean) / self.std

    def check_note(self, pitch: float) -> float:
        """The note's user latent value; raises ValueError naming the range outside it."""
        if not math.isfinite(pitch) or not self.low_note <= pitch <= self.high_note:
            raise ValueError(self.out_of_range(f"note {pitch:g}"))
        return self.value(min(max(midi_to_hz(pitch), self.low_hz), self.high_hz))

    @property
    def low_note(self) -> float:
        return hz_to_midi(self.low_hz)

    @property
    def high_note(self) -> float:
        return hz_to_midi(self.high_hz)

    def out_of_range(self, what: str) -> str:
        return (f"{what} is outside the model's pitch range: notes {self.low_note:.2f} to "
                f"{self.high_note:.2f} ({self.low_hz:g} to {self.high_hz:g} Hz)")


def no_pitch(synth: Synth) -> str:
    return (f"model '{synth.name}' has no measured pitch dimension, so it cannot play notes "
            "(models built with a pitch tracker can, such as the bundled default)")


def allocate(voices: list[VoiceState]) -> int:
    """The voice a new note takes: one holding no note (released ones first, then those that
    never played a note, lowest first), else the one holding the oldest note (stolen)."""
    free = [i for i, v in enumerate(voices) if v.note is None]
    if free:
        released = [i for i in free if voices[i].gate == 0.0]
        return (released or free)[0]
    return min(range(len(voices)), key=lambda i: voices[i].note_order)


def holding(voices: list[VoiceState], pitch: float) -> list[int]:
    """The voices holding ``pitch``."""
    return [i for i, v in enumerate(voices) if v.note is not None and v.note == pitch]

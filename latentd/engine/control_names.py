"""The names of the controls, declared once.

An OSC ``/latent`` message becomes ``Event("latent", ...)`` in ``osc/routes.py`` (or in
``render.py``), is applied by ``Controls.apply`` on the render thread, feeds the sources and is
stored by presets. The name is all that joins those places, so it is a ``Literal`` type here:
mypy refuses a misspelt name where an event is built or a control is looked up, and ``Event``
refuses an unknown name when it is built, on the caller's thread, never on the render thread.

What each control is (a per-dimension vector, a number with its range, a choice among names,
a flag) and the field of ``Controls`` (and of a preset file) that holds it are declared here
too, so the OSC routes, the controls and the preset schema read one table.
"""

from __future__ import annotations

from typing import Literal, TypeGuard, get_args

VectorName = Literal["latent", "bias", "scale"]  # one value per latent dimension, per voice
NumberName = Literal["glide", "gain", "pan", "drift_rate", "drift_depth", "temperature"]
ChoiceName = Literal["source", "drift_mode"]
FlagName = Literal["mute"]
ScalarName = Literal[NumberName, ChoiceName, FlagName]
ControlName = Literal[VectorName, ScalarName]
# voices (issue 20): "voices" sets how many play, "voice_preset" recalls a preset on one voice,
# "note"/"note_off" play MIDI pitches on the model's pitch dimension (engine/notes.py), "pitch"
# sets it in Hz; the renderer applies them (they touch more than one field)
VoiceEventName = Literal["voices", "voice_preset", "note", "note_off", "pitch"]
# what the control bus carries: a control, a preset or a voice event
EventName = Literal[ControlName, "preset", VoiceEventName]

SourceName = Literal["manual", "drift", "input", "prior"]
# the audio input's own controls (/input/gain, /input/dry, in dB): they belong to the input,
# not to the sound, so they are set on the engine at once (never timetagged, never in presets)
InputControlName = Literal["input_gain", "input_dry"]
DriftMode = Literal["walk", "lfo"]

VECTORS: tuple[VectorName, ...] = get_args(VectorName)
NUMBERS: tuple[NumberName, ...] = get_args(NumberName)
CHOICES: tuple[ChoiceName, ...] = get_args(ChoiceName)
FLAGS: tuple[FlagName, ...] = get_args(FlagName)
CONTROLS: tuple[ControlName, ...] = (*VECTORS, *NUMBERS, *CHOICES, *FLAGS)
VOICE_EVENTS: tuple[VoiceEventName, ...] = get_args(VoiceEventName)
EVENTS: frozenset[str] = frozenset((*CONTROLS, "preset", *VOICE_EVENTS))
SOURCES: tuple[SourceName, ...] = get_args(SourceName)
DRIFT_MODES: tuple[DriftMode, ...] = get_args(DriftMode)
INPUT_CONTROLS: tuple[InputControlName, ...] = get_args(InputControlName)

LATENT_RANGE = 16.0  # latents, biases and scales in the model's units: within +-LATENT_RANGE

# the field of Controls, and of a preset file, holding each scalar control; a preset file
# (presets.snapshot) and /controls.state (STATE_ORDER) list the fields in this order. The type
# a field holds follows from the kind (stored_as); presets keep the numbers and the choices.
FIELDS: dict[ScalarName, str] = {
    "glide": "glide_ms", "gain": "gain_db", "source": "source", "mute": "muted", "pan": "pan",
    "drift_mode": "drift_mode", "drift_rate": "drift_rate", "drift_depth": "drift_depth",
    "temperature": "temperature",
}
# the values each number control accepts (docs/osc.md), for OSC and preset files alike
NUMBER_RANGES: dict[NumberName, tuple[float, float]] = {
    "glide": (0.0, 60000.0), "gain": (-120.0, 24.0), "pan": (-1.0, 1.0),
    "drift_rate": (0.0, 20.0),
    "drift_depth": (0.0, LATENT_RANGE), "temperature": (0.0, 5.0),
}
# how /fail names each number control's value ("glide ms 70000 is outside ...")
NUMBER_LABELS: dict[NumberName, str] = {
    "glide": "glide ms", "gain": "gain dB", "pan": "pan", "drift_rate": "drift rate Hz",
    "drift_depth": "drift depth", "temperature": "temperature",
}
# the scalars each voice holds on its own (VoiceState); the others (the drift's settings, the
# prior's temperature) are shared by every voice (docs/osc.md, Voices)
PER_VOICE: frozenset[ScalarName] = frozenset(("glide", "gain", "source", "mute", "pan"))
# /controls.state (docs/osc.md) sends the scalars in FIELDS' order, the source first
STATE_ORDER: tuple[ScalarName, ...] = ("source", *(name for name in FIELDS if name != "source"))
# the dB each input control accepts; the lowest is silence (the dry monitor's default: off)
INPUT_RANGES: dict[InputControlName, tuple[float, float]] = {
    "input_gain": (-120.0, 24.0), "input_dry": (-120.0, 24.0)}
# the names each choice control accepts
CHOICE_OPTIONS: dict[ChoiceName, tuple[str, ...]] = {"source": SOURCES,
                                                     "drift_mode": DRIFT_MODES}


def is_vector(name: str) -> TypeGuard[VectorName]:
    return name in VECTORS


def is_scalar(name: str) -> TypeGuard[ScalarName]:
    return name in FIELDS


def is_source(name: str) -> TypeGuard[SourceName]:
    return name in SOURCES


def stored_as(name: ScalarName) -> type[float] | type[str] | type[bool]:
    """The type a scalar control's field holds, from its kind, so that a new control needs no
    entry of its own for ``Controls.apply`` (which converts the event's value with it)."""
    if name in NUMBERS:
        return float
    if name in FLAGS:
        return bool
    return str  # a choice


def state_name(name: ScalarName) -> str:
    """The name a scalar has in ``/controls.state`` (docs/osc.md): its field's, but a flag is
    sent under its control's name (``mute i``), as its own address takes it."""
    return name if name in FLAGS else FIELDS[name]

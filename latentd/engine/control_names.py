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
NumberName = Literal["glide", "gain", "drift_rate", "drift_depth", "temperature"]
ChoiceName = Literal["source", "drift_mode"]
FlagName = Literal["mute"]
ScalarName = Literal[NumberName, ChoiceName, FlagName]
ControlName = Literal[VectorName, ScalarName]
EventName = Literal[ControlName, "preset"]  # what the control bus carries: a control or a preset

SourceName = Literal["manual", "drift", "input", "prior"]
DriftMode = Literal["walk", "lfo"]

VECTORS: tuple[VectorName, ...] = get_args(VectorName)
NUMBERS: tuple[NumberName, ...] = get_args(NumberName)
CHOICES: tuple[ChoiceName, ...] = get_args(ChoiceName)
FLAGS: tuple[FlagName, ...] = get_args(FlagName)
CONTROLS: tuple[ControlName, ...] = (*VECTORS, *NUMBERS, *CHOICES, *FLAGS)
EVENTS: frozenset[str] = frozenset((*CONTROLS, "preset"))
SOURCES: tuple[SourceName, ...] = get_args(SourceName)
DRIFT_MODES: tuple[DriftMode, ...] = get_args(DriftMode)

LATENT_RANGE = 16.0  # latents, biases and scales in the model's units: within +-LATENT_RANGE

# the field of Controls, and of a preset file, holding each scalar control
FIELDS: dict[ScalarName, str] = {
    "glide": "glide_ms", "gain": "gain_db", "drift_rate": "drift_rate",
    "drift_depth": "drift_depth", "temperature": "temperature",
    "source": "source", "drift_mode": "drift_mode", "mute": "muted",
}
# the values each number control accepts (docs/osc.md), for OSC and preset files alike
NUMBER_RANGES: dict[NumberName, tuple[float, float]] = {
    "glide": (0.0, 60000.0), "gain": (-120.0, 24.0), "drift_rate": (0.0, 20.0),
    "drift_depth": (0.0, LATENT_RANGE), "temperature": (0.0, 5.0),
}
# the names each choice control accepts
CHOICE_OPTIONS: dict[ChoiceName, tuple[str, ...]] = {"source": SOURCES,
                                                     "drift_mode": DRIFT_MODES}


def is_vector(name: str) -> TypeGuard[VectorName]:
    return name in VECTORS


def is_scalar(name: str) -> TypeGuard[ScalarName]:
    return name in FIELDS


def is_source(name: str) -> TypeGuard[SourceName]:
    return name in SOURCES

"""What a preset file may hold, checked in full before anything reaches the render thread.

A preset file is data from disk: hand-edited, truncated, written by another version, or planted.
The render thread must never see a value it cannot apply, so :func:`validate` turns the parsed
JSON into a preset that applies without error to any controls, or raises PresetError naming
the field and the remedy. The rules are those of ``docs/osc.md`` for the same controls:

* ``version``: the whole number 1 (required);
* ``voices``: a list of 1 to MAX_VOICES objects (required), each with ``latent``, ``bias`` and
  ``scale``: lists of 1 to MAX_VECTOR_LENGTH finite numbers in [-16, 16]; and optionally the
  voice's own ``glide_ms``, ``gain_db``, ``pan`` and ``source`` (VOICE_SCALARS, same rules as
  below; absent, the top-level value or the current one stays);
* ``glide_ms``: a number in [0, 60000]; ``gain_db``: a number in [-120, 24]; ``source``: one
  of the source names; ``drift_mode``: ``walk`` or ``lfo``; ``drift_rate`` in [0, 20] Hz;
  ``drift_depth`` in [0, 16]; ``temperature`` in [0, 5] (each optional: absent, the current
  value stays);
* no other field (a misspelt ``gain`` must not be ignored in silence).

Vectors of another length than the playing model's latent size are **fitted**, as model swaps
fit the controls: a longer vector is cut to the model's size, a shorter one sets the leading
dimensions and leaves the others as they are (as ``/latents`` does). A preset saved with one
model so still loads with another.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from latentd.engine import control_names as controls

PRESET_VERSION = 1
MAX_VOICES = 16
MAX_VECTOR_LENGTH = 1024
LATENT_RANGE = (-controls.LATENT_RANGE, controls.LATENT_RANGE)
# every number and choice control is kept, under its field's name (mute is not: a preset is
# a sound, and loading one must not silence or unmute the output)
NUMBERS = {controls.FIELDS[name]: bounds for name, bounds in controls.NUMBER_RANGES.items()}
NAMES = {controls.FIELDS[name]: options for name, options in controls.CHOICE_OPTIONS.items()}
VECTORS = controls.VECTORS
FIELDS = ("version", "voices", *NUMBERS, *NAMES)
VOICE_SCALARS = ("glide_ms", "gain_db", "pan", "source")  # a voice's own, in a voice object


class PresetError(ValueError):
    """A preset that cannot be saved or loaded; the message is sent to the client."""


def _number(value: Any, where: str, bounds: tuple[float, float]) -> float:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PresetError(f"{where} must be a number in [{low:g}, {high:g}], got "
                          f"{_shown(value)}: fix or remove it")
    # compare before converting: a JSON integer may be too large for a float
    if isinstance(value, float) and not math.isfinite(value):
        raise PresetError(f"{where} is {value}: NaN and infinity are refused; "
                          f"use a number in [{low:g}, {high:g}]")
    if not low <= value <= high:
        raise PresetError(f"{where} {_shown(value)} is outside [{low:g}, {high:g}]: "
                          "fix it in the file")
    return float(value)


def _shown(value: Any) -> str:
    text = "null" if value is None else repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _vector(value: Any, where: str, latent_size: int) -> np.ndarray:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_VECTOR_LENGTH:
        size = f"a list of 1 to {MAX_VECTOR_LENGTH} numbers"
        got = f"{len(value)} values" if isinstance(value, list) else _shown(value)
        raise PresetError(f"{where} must be {size}, got {got}: fix it in the file")
    kept = value[:latent_size]  # fitted: the model's leading dimensions
    for position, item in enumerate(value):
        _number(item, f"{where}[{position}]", LATENT_RANGE)
    return np.array([float(v) for v in kept], np.float32)


def _choice(value: Any, where: str, options: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in options:
        raise PresetError(f"{where} {_shown(value)} is not one of {', '.join(options)}")
    return value


def _voice(value: Any, where: str, latent_size: int) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PresetError(f"{where} must be an object with {', '.join(VECTORS)}, got "
                          f"{_shown(value)}")
    missing = [name for name in VECTORS if name not in value]
    if missing:
        raise PresetError(f"{where} has no {', '.join(missing)}: every voice needs "
                          f"{', '.join(VECTORS)}; save the preset again")
    extra = sorted(str(k) for k in value if k not in (*VECTORS, *VOICE_SCALARS))
    if extra:
        raise PresetError(f"{where} has unknown field(s) {', '.join(extra)}: a voice holds "
                          f"only {', '.join((*VECTORS, *VOICE_SCALARS))}")
    voice: dict[str, Any] = {name: _vector(value[name], f"{where}.{name}", latent_size)
                             for name in VECTORS}
    for name in VOICE_SCALARS:
        if name in value:
            voice[name] = _choice(value[name], f"{where}.{name}", NAMES[name]) \
                if name in NAMES else _number(value[name], f"{where}.{name}", NUMBERS[name])
    return voice


def validate(data: Any, latent_size: int) -> dict[str, Any]:
    """A preset safe to hand to the render thread, fitted to ``latent_size``; raises
    PresetError naming the first field that breaks the rules above."""
    if not isinstance(data, dict):
        raise PresetError(f"a preset is a JSON object, got {type(data).__name__}")
    extra = sorted(str(k) for k in data if k not in FIELDS)
    if extra:
        raise PresetError(f"unknown field(s) {', '.join(extra)}: a preset holds "
                          f"{', '.join(FIELDS)}")
    version = data.get("version")
    if isinstance(version, bool) or version != PRESET_VERSION:
        raise PresetError(f"version is {_shown(version)}, this latentd reads version "
                          f"{PRESET_VERSION}: save the preset again")
    voices = data.get("voices")
    if not isinstance(voices, list) or not 1 <= len(voices) <= MAX_VOICES:
        got = f"{len(voices)} voices" if isinstance(voices, list) else _shown(voices)
        raise PresetError(f"voices must be a list of 1 to {MAX_VOICES} voices, got {got}: "
                          "save the preset again")
    preset: dict[str, Any] = {
        "version": PRESET_VERSION,
        "voices": [_voice(v, f"voices[{i}]", latent_size) for i, v in enumerate(voices)],
    }
    for field, bounds in NUMBERS.items():
        if field in data:
            preset[field] = _number(data[field], field, bounds)
    for field, options in NAMES.items():
        if field in data:
            preset[field] = _choice(data[field], field, options)
    return preset

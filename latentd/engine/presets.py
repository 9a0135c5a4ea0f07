"""Presets: named snapshots of the controls, as small JSON files.

A preset holds per-voice latents, bias and scale and each voice's glide, gain, pan and source,
plus, at the top, voice 0's glide, gain, pan and source (what presets held before voices, and
what a voice without its own takes), the drift's settings and the temperature. Loading one can
morph: the render thread interpolates latents, bias, scale and gain from the current values over
a number of latent frames; the rest switches at once. ``/preset/load`` recalls the whole
ensemble, ``/voice/<n>/preset`` the preset's first voice onto voice n alone.

The files are written atomically without following links (``safe_files.write_replacing``), read
only as regular files inside the directory, and checked in full (``preset_schema.validate``)
before the render thread sees them. The directory holds at most MAX_PRESETS presets, so a
client cannot fill the disk one name at a time (saving over an existing name is always allowed).
"""

from __future__ import annotations

import json
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from latentd.engine import file_names
from latentd.engine.control_names import FIELDS, VECTORS, is_source
from latentd.engine.controls import Controls, VoiceState
from latentd.engine.preset_schema import FIELDS as PRESET_FIELDS
from latentd.engine.preset_schema import PRESET_VERSION, PresetError, validate
from latentd.engine.safe_files import (
    UnsafePath,
    confined,
    on_disk,
    read_confined,
    write_replacing,
)

__all__ = ["MAX_PRESETS", "MAX_PRESET_BYTES", "Morph", "PresetError", "PresetStore",
           "check_name", "confined", "snapshot"]

MAX_PRESETS = 1000
MAX_PRESET_BYTES = 1 << 20  # a preset of 16 voices of 1024 dimensions fits


def check_name(name: str) -> str:
    """The bare-name rule of :mod:`latentd.engine.file_names`, refused as a PresetError (callers
    answer it with ``/fail``); returns the NFC form."""
    try:
        return file_names.check_name(name)
    except file_names.NameRefused as exc:
        raise PresetError(str(exc)) from None


def snapshot(controls: Controls) -> dict[str, Any]:
    """The preset of ``controls``: the voices' vectors, then each scalar control the preset
    schema keeps (the numbers and choices, not mute), in ``control_names.FIELDS``' order."""
    return {
        "version": PRESET_VERSION,
        "voices": [{"latent": v.latent.tolist(), "bias": v.bias.tolist(),
                    "scale": v.scale.tolist(),
                    **{field: getattr(v, field) for field in VOICE_SCALARS}}
                   for v in controls.voices],
        **{field: getattr(controls, field) for field in FIELDS.values()
           if field in PRESET_FIELDS},
    }


# each voice's own scalars in a preset file (preset_schema.VOICE_SCALARS), but mute
VOICE_SCALARS = ("glide_ms", "gain_db", "pan", "source")
SWITCHED_AT_ONCE = tuple(FIELDS[name] for name in ("drift_mode", "drift_rate", "drift_depth",
                                                    "temperature"))


def switch_at_once(controls: Controls, preset: dict[str, Any]) -> None:
    """Set the drift's settings and the temperature a (validated) preset holds: they do not
    morph, like glide and source. A field the preset leaves out keeps its current value."""
    for name in SWITCHED_AT_ONCE:
        if name in preset:
            setattr(controls, name, preset[name])
    controls.touch()


class PresetStore:
    def __init__(self, directory: str | Path, max_presets: int = MAX_PRESETS):
        self.directory = Path(directory)
        self.max_presets = max_presets

    def filename(self, name: str) -> str:
        return f"{check_name(name)}.json"

    def path(self, name: str) -> Path:
        return self.directory / self.filename(name)

    def save(self, name: str, controls: Controls) -> Path:
        return self.save_snapshot(name, snapshot(controls))

    def save_snapshot(self, name: str, preset: dict[str, Any]) -> Path:
        """Write a :func:`snapshot` as preset ``name``, replacing one of that name."""
        filename = self.filename(name)
        try:
            data = json.dumps(preset, indent=1, allow_nan=False).encode()
        except ValueError as exc:  # a NaN would make a file no load accepts
            raise PresetError(f"the controls hold a value JSON cannot store: {exc}") from exc
        if len(data) > MAX_PRESET_BYTES:
            raise PresetError(f"the preset would be {len(data)} bytes, more than the "
                              f"{MAX_PRESET_BYTES} a preset may hold")
        target = self.directory / filename
        if not target.exists() and not target.is_symlink() \
                and len(self.names()) >= self.max_presets:
            raise PresetError(f"{self.max_presets} presets are stored already: save over an "
                              "existing name or remove some from the presets directory")
        return write_replacing(self.directory, filename, data)

    def load(self, name: str, latent_size: int) -> dict[str, Any]:
        """The preset named ``name``, checked and fitted to ``latent_size`` (see
        :mod:`latentd.engine.preset_schema`); raises PresetError saying what is wrong."""
        filename = on_disk(self.directory, self.filename(name))  # an NFD file from macOS too
        try:
            raw = read_confined(self.directory, filename, MAX_PRESET_BYTES)
        except FileNotFoundError as exc:
            raise PresetError(f"no preset named '{name}'") from exc
        except UnsafePath as exc:
            raise PresetError(str(exc)) from exc
        except OSError as exc:
            raise PresetError(f"preset '{name}' is unreadable: {exc.strerror or exc}") from exc
        try:
            data = json.loads(raw, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, bad UTF-8, huge ints
            raise PresetError(f"preset '{name}' is not valid JSON ({str(exc)[:80]}): "
                              "save it again") from exc
        try:
            return validate(data, latent_size)
        except PresetError as exc:
            raise PresetError(f"preset '{name}': {exc}") from None

    def names(self) -> list[str]:
        """Names /preset/load accepts exactly as listed: bare names of ``.json`` files that
        :func:`read_confined` would read (a regular file, reached through no link leading out,
        at most MAX_PRESET_BYTES); a file whose content is refused is still listed (checking
        every file's content would read up to a gigabyte per listing), and its load says why."""
        if not self.directory.is_dir():
            return []
        stems = {p.name[:-len(".json")]: p.name for p in self.directory.glob("*.json")}
        return sorted({composed for stem, filename in stems.items()
                       if file_names.is_bare(composed := unicodedata.normalize("NFC", stem))
                       and self._readable(filename)})

    def _readable(self, filename: str) -> bool:
        try:
            info = confined(self.directory, filename).stat()
        except (UnsafePath, OSError):  # a link leading out, a dangling link
            return False
        return stat.S_ISREG(info.st_mode) and info.st_size <= MAX_PRESET_BYTES


def _refuse_constant(constant: str) -> Any:
    raise ValueError(f"{constant} is not a number JSON allows")


@dataclass
class Morph:
    """Linear interpolation of some voices' vectors and gains from the current controls to a
    preset; ``voices`` are the indices it moves."""

    voices: list[int]
    start: list[VoiceState]
    end: list[VoiceState]
    frames: int
    done: int = 0

    @classmethod
    def towards(cls, controls: Controls, preset: dict[str, Any], frames: int,
                voices: list[int] | None = None,
                playable: Callable[[str], bool] = lambda name: True) -> Morph:
        """The morph to ``preset`` (checked by preset_schema.validate) of ``voices`` (None:
        all, voice i from the preset's voice i or its last; given: each from the preset's
        first). What does not morph (:func:`switch_at_once`; glide, pan and a source
        ``playable`` says the model can play) is set now; the shared settings only for the
        whole ensemble."""
        whole = voices is None
        if whole:
            switch_at_once(controls, preset)
        chosen = list(range(len(controls.voices))) if voices is None else voices
        size = controls.latent_size
        end = []
        for i in chosen:
            voice = controls.voices[i]
            stored = preset["voices"][min(i, len(preset["voices"]) - 1) if whole else 0]
            target = voice.copy()
            for name in VECTORS:
                values = np.asarray(stored[name], np.float32)[:size]
                getattr(target, name)[: len(values)] = values

            def field(name: str, stored: dict[str, Any] = stored,
                      voice: VoiceState = voice) -> Any:
                return stored.get(name, preset.get(name, getattr(voice, name)))

            target.gain_db = float(field("gain_db"))
            voice.glide_ms = float(field("glide_ms"))
            voice.pan = float(field("pan"))
            source = str(field("source"))
            if is_source(source) and playable(source):
                voice.source = source
            end.append(target)
        controls.touch()
        return cls(chosen, [controls.voices[i].copy() for i in chosen], end, max(frames, 1))

    def step(self, controls: Controls) -> bool:
        """Advance one frame; returns True while the morph is still running."""
        self.done += 1
        t = min(self.done / self.frames, 1.0)
        for i, a, b in zip(self.voices, self.start, self.end, strict=True):
            if i >= len(controls.voices):
                continue
            voice = controls.voices[i]
            voice.latent[:] = a.latent + (b.latent - a.latent) * t
            voice.bias[:] = a.bias + (b.bias - a.bias) * t
            voice.scale[:] = a.scale + (b.scale - a.scale) * t
            voice.gain_db = a.gain_db + (b.gain_db - a.gain_db) * t
        controls.touch()
        return t < 1.0

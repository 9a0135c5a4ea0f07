"""Presets: named snapshots of the controls, as small JSON files written atomically.

A preset holds per-voice latents, bias and scale, plus glide, gain and source. Loading one can
morph: the render thread interpolates from the current values over a number of latent frames.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from latentd.engine.controls import Controls, VoiceState

PRESET_VERSION = 1
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.\-]{0,63}")


class PresetError(ValueError):
    pass


def check_name(name: str) -> str:
    """Names stay inside their directory: no separators, no '..', no hidden files. The whole
    name must match (``fullmatch``: ``$`` would let a trailing newline through)."""
    if not _NAME.fullmatch(name) or ".." in name:
        raise PresetError(f"invalid name '{name}': use letters, digits, space, '_', '-', '.' "
                          "(no path separators, no '..')")
    return name


def confined(directory: Path, filename: str) -> Path:
    """``directory / filename``, refused with PresetError when a link there (even a dangling
    one, or one to an existing file) leads out of the directory: writing or reading through it
    would reach a file the client must not touch."""
    path = directory / filename
    if path.is_symlink() and not path.resolve().is_relative_to(directory.resolve()):
        raise PresetError(f"'{filename}' links outside {directory}")
    return path


def snapshot(controls: Controls) -> dict[str, Any]:
    return {
        "version": PRESET_VERSION,
        "voices": [{"latent": v.latent.tolist(), "bias": v.bias.tolist(),
                    "scale": v.scale.tolist()} for v in controls.voices],
        "glide_ms": controls.glide_ms,
        "gain_db": controls.gain_db,
        "source": controls.source,
    }


class PresetStore:
    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def path(self, name: str) -> Path:
        return self.directory / f"{check_name(name)}.json"

    def save(self, name: str, controls: Controls) -> Path:
        path = self.path(name)
        self.directory.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        with open(temporary, "w") as handle:
            json.dump(snapshot(controls), handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
        return path

    def load(self, name: str) -> dict[str, Any]:
        path = confined(self.directory, self.path(name).name)
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError as exc:
            raise PresetError(f"no preset named '{name}'") from exc
        except (OSError, json.JSONDecodeError) as exc:
            raise PresetError(f"preset '{name}' is unreadable: {exc}") from exc
        if not isinstance(data, dict) or data.get("version") != PRESET_VERSION:
            raise PresetError(f"preset '{name}' has an unknown format")
        return data

    def names(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.json"))


@dataclass
class Morph:
    """Linear interpolation of voices and gain from the current controls to a preset."""

    start: list[VoiceState]
    end: list[VoiceState]
    start_gain: float
    end_gain: float
    frames: int
    done: int = 0

    @classmethod
    def towards(cls, controls: Controls, preset: dict[str, Any], frames: int) -> Morph:
        size = controls.latent_size
        end = []
        for i, voice in enumerate(controls.voices):
            stored = preset["voices"][min(i, len(preset["voices"]) - 1)]
            target = voice.copy()
            for name in ("latent", "bias", "scale"):
                values = np.asarray(stored[name], np.float32)[:size]
                getattr(target, name)[: len(values)] = values
            end.append(target)
        return cls([v.copy() for v in controls.voices], end, controls.gain_db,
                   float(preset.get("gain_db", controls.gain_db)), max(frames, 1))

    def step(self, controls: Controls) -> bool:
        """Advance one frame; returns True while the morph is still running."""
        self.done += 1
        t = min(self.done / self.frames, 1.0)
        for voice, a, b in zip(controls.voices, self.start, self.end, strict=False):
            voice.latent[:] = a.latent + (b.latent - a.latent) * t
            voice.bias[:] = a.bias + (b.bias - a.bias) * t
            voice.scale[:] = a.scale + (b.scale - a.scale) * t
        controls.gain_db = self.start_gain + (self.end_gain - self.start_gain) * t
        controls.touch()
        return t < 1.0

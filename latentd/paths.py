"""Where latentd keeps its files by default: one place, so the engine, ``latentd serve`` and the
model registry agree (they once did not: the engine wrote presets to ``./presets`` while the
daemon's config said ``~/.local/share/latentd/presets``).

Everything lives under ``$XDG_DATA_HOME/latentd`` (``~/.local/share/latentd`` when unset),
read when asked, not at import, so a test or a service can point ``XDG_DATA_HOME`` elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path


def data_home() -> Path:
    """``$XDG_DATA_HOME/latentd``: the root of models, presets and recordings."""
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "latentd"


def presets_dir() -> Path:
    return data_home() / "presets"


def recordings_dir() -> Path:
    return data_home() / "recordings"


def models_dir() -> Path:
    return data_home() / "models"

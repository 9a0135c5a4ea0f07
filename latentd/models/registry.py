"""Finding models by name: the bundled default, model directories, or a path."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from latentd.models.synth import ModelError, Synth

BUNDLED_DIR = Path(__file__).parent / "weights"
DEFAULT_NAME = "default"
EXTENSIONS = (".ts", ".ckpt", ".pt")


def model_dirs() -> list[Path]:
    """Where named models are looked up, in order: ``LATENTD_MODEL_PATH`` (colon-separated),
    then ``$XDG_DATA_HOME/latentd/models`` (default ``~/.local/share/latentd/models``)."""
    dirs = [Path(p) for p in os.environ.get("LATENTD_MODEL_PATH", "").split(os.pathsep) if p]
    data_home = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    dirs.append(data_home / "latentd" / "models")
    return dirs


def bundled_default() -> Path | None:
    path = BUNDLED_DIR / f"{DEFAULT_NAME}.ckpt"
    return path if path.is_file() else None


def resolve(name_or_path: str | Path, dirs: list[Path] | None = None) -> Path:
    """A path to an existing model file, or a ModelError saying where it looked."""
    text = str(name_or_path)
    if text == DEFAULT_NAME:
        found = bundled_default()
        if found is None:
            raise ModelError(f"the bundled default model is missing from {BUNDLED_DIR} (an "
                             "install without package data?); reinstall latentd, or pass "
                             "--model PATH to play another model")
        return found
    path = Path(text).expanduser()
    if path.is_file():
        return path
    dirs = dirs if dirs is not None else model_dirs()
    found = _find(text, dirs) if os.sep not in text and "/" not in text else None
    if found is not None:
        return found
    looked = ", ".join(str(d) for d in dirs)
    raise ModelError(f"model '{text}' not found (not a file, nor a name in: {looked})")


def _find(name: str, dirs: list[Path]) -> Path | None:
    """The first file a bare name means in the model directories: ``name`` itself, then
    ``name`` with each known extension, directory after directory."""
    for directory in dirs:
        for candidate in [directory / name] + [directory / f"{name}{e}" for e in EXTENSIONS]:
            if candidate.is_file():
                return candidate
    return None


def resolve_confined(name: str, dirs: list[Path]) -> Path:
    """A model asked for by a remote client: a bare name, found inside a model directory (never
    relative to the daemon's working directory), that does not lead out of it through a link.
    Paths and '..' are refused."""
    if not name or "/" in name or "\\" in name or name.startswith(".") or os.sep in name:
        raise ModelError(f"model '{name}': give a model name, not a path")
    if name == DEFAULT_NAME:
        return resolve(name)
    path = _find(name, dirs)
    if path is None:
        looked = ", ".join(str(d) for d in dirs)
        raise ModelError(f"model '{name}' not found in the model directories ({looked})")
    if not path.resolve().is_relative_to(path.parent.resolve()):
        raise ModelError(f"model '{name}' links outside {path.parent}")
    return path


def model_names(dirs: list[Path] | None = None) -> list[str]:
    """The names a client may load: each one is kept only if :func:`resolve_confined` takes it
    to this very file, so links leading out of their directory are left out."""
    dirs = dirs if dirs is not None else model_dirs()
    names = [DEFAULT_NAME] if bundled_default() is not None else []
    for path in list_models(dirs):
        if path.parent == BUNDLED_DIR or path.stem in names:
            continue
        try:
            if resolve_confined(path.stem, dirs) == path:
                names.append(path.stem)
        except ModelError:
            continue
    return names


def load_synth(name_or_path: str | Path, dirs: list[Path] | None = None,
               script: bool = True) -> Synth:
    """Load any supported model by name or path: nn~ TorchScript or a latentd checkpoint."""
    from latentd.models.own import LatentdSynth
    from latentd.models.torchscript import TorchScriptSynth, is_torchscript_archive

    path = resolve(name_or_path, dirs)
    if is_torchscript_archive(path):
        return TorchScriptSynth(path)
    if not zipfile.is_zipfile(path):
        raise ModelError(f"{path}: not a model file (neither an nn~ TorchScript export nor a "
                         "latentd checkpoint)")
    synth = LatentdSynth.from_checkpoint(path, script=script)
    if str(name_or_path) == DEFAULT_NAME:
        synth.name = DEFAULT_NAME
    return synth


def list_models(dirs: list[Path] | None = None) -> list[Path]:
    """The bundled default, then every model file in the model directories."""
    found = [p for p in [bundled_default()] if p is not None]
    for directory in dirs if dirs is not None else model_dirs():
        if directory.is_dir():
            found += sorted(p for p in directory.iterdir()
                            if p.is_file() and p.suffix in EXTENSIONS)
    return found

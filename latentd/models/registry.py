"""Finding models: one rule for a model's name, wherever the name comes from.

* A **name** (``pad``, ``pad.ckpt``, ``rave2.ts``) is looked up in the model directories only
  (``LATENTD_MODEL_PATH``, then ``$XDG_DATA_HOME/latentd/models``), directory after directory;
  a name without a model extension tries ``.ckpt``, ``.pt``, then ``.ts`` (weights before code).
  The file found must not lead out of its directory through a link. ``default`` and
  ``default-causal`` are the bundled models (``BUNDLED_NAMES``), checked against their released
  sha256 (``latentd.models.bundled``); they shadow model files of the same names. OSC clients
  can only give names; ``latentd models``, ``latentd info``, ``latentd serve --model`` and the
  other commands read a word that is not an existing file the same way
  (:func:`resolve_confined`), so the command line and ``/model/list`` agree on what a name is.
* A **path** given on the command line (an existing file, relative to the working directory or
  absolute, or anything containing a ``/``) is explicit: it is used as given, links and all.

Either way the extension alone decides how the file is read (``latentd.models.formats``).

The names ``/model/list`` offers are stems (``pad`` for ``pad.ckpt``) when the stem leads to
that very file, else the file name (``pad.ts`` beside a ``pad.ckpt``, which the stem ``pad``
means); both forms load.
"""

from __future__ import annotations

import os
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

from latentd import paths
from latentd.models.bundled import BUNDLED_SHA256, check_bundled
from latentd.models.formats import SUFFIXES, Kind, has_model_suffix, kind_of
from latentd.models.synth import ModelError, Synth

BUNDLED_DIR = Path(__file__).parent / "weights"
DEFAULT_NAME = "default"
BUNDLED_NAMES = tuple(BUNDLED_SHA256)  # default first: what serve plays without --model
EXTENSIONS = SUFFIXES  # kept for callers of the old name


def model_dirs() -> list[Path]:
    """Where named models are looked up, in order: ``LATENTD_MODEL_PATH`` (colon-separated),
    then ``$XDG_DATA_HOME/latentd/models`` (default ``~/.local/share/latentd/models``)."""
    dirs = [Path(p) for p in os.environ.get("LATENTD_MODEL_PATH", "").split(os.pathsep) if p]
    dirs.append(paths.models_dir())
    return dirs


def bundled_path(name: str) -> Path | None:
    """The package file of the bundled model ``name``, or None when it is missing."""
    path = BUNDLED_DIR / f"{name}.ckpt"
    return path if path.is_file() else None


def bundled_default() -> Path | None:
    return bundled_path(DEFAULT_NAME)


def _bundled_or_fail(name: str = DEFAULT_NAME) -> Path:
    found = bundled_path(name)
    if found is None:
        raise ModelError(f"the bundled {name} model is missing from {BUNDLED_DIR} (an "
                         "install without package data?); reinstall latentd, or pass "
                         "--model PATH to play another model")
    return check_bundled(found)  # the released file, not a damaged or replaced one


def is_path_argument(text: str) -> bool:
    """On the command line, a word is a path when it names an existing file or contains a
    separator; otherwise it is a model name."""
    return "/" in text or os.sep in text or Path(text).expanduser().is_file()


def resolve(name_or_path: str | Path, dirs: list[Path] | None = None) -> Path:
    """The command-line rule: a path (see :func:`is_path_argument`) is used as given; a name is
    resolved exactly as for an OSC client (:func:`resolve_confined`)."""
    text = str(name_or_path)
    if text in BUNDLED_NAMES:
        return _bundled_or_fail(text)
    if isinstance(name_or_path, Path) or is_path_argument(text):
        path = Path(text).expanduser()
        if not path.is_file():
            raise ModelError(f"{path}: model file not found")
        return path
    return resolve_confined(text, dirs if dirs is not None else model_dirs())


def resolve_confined(name: str, dirs: list[Path]) -> Path:
    """A model by name: found inside a model directory (never relative to the working
    directory), not leading out of it through a link. Paths, hidden names and '..' are
    refused."""
    if (not name or "/" in name or "\\" in name or os.sep in name or name.startswith(".")
            or name.startswith("~")):
        raise ModelError(f"model '{name}': give a model name, not a path")
    if name in BUNDLED_NAMES:
        return _bundled_or_fail(name)
    for directory in dirs:
        for candidate in _candidates(directory, name):
            if candidate.is_file():
                if not candidate.resolve().is_relative_to(directory.resolve()):
                    raise ModelError(f"model '{name}': {candidate} links outside {directory}; "
                                     "give its path on the command line if you mean it")
                return candidate
    looked = ", ".join(str(d) for d in dirs)
    raise ModelError(f"model '{name}' not found in the model directories ({looked})")


def _candidates(directory: Path, name: str) -> list[Path]:
    filenames = [name] if has_model_suffix(name) else [f"{name}{s}" for s in SUFFIXES]
    return [_on_disk(directory, filename) for filename in filenames]


def _on_disk(directory: Path, filename: str) -> Path:
    """``directory / filename``, or, when no file has that exact name, the one whose name is
    the same text in another Unicode normal form: a file copied from macOS is named in NFD
    ('cafe' + U+0301), while names sent over OSC are NFC ('caf' + U+00E9). Without this,
    ``latentd models`` showed 'café' that neither /model/load nor /model/list knew."""
    path = directory / filename
    if filename.isascii() or path.exists() or path.is_symlink():
        return path
    wanted = unicodedata.normalize("NFC", filename)
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if unicodedata.normalize("NFC", entry.name) == wanted:
                    return directory / entry.name
    except OSError:
        pass
    return path


def files_in(directory: Path) -> list[Path]:
    """The files with a model extension in one directory, sorted, hidden ones left out."""
    if not directory.is_dir():
        return []
    try:
        entries = list(directory.iterdir())
    except OSError:
        return []
    return sorted(p for p in entries
                  if has_model_suffix(p) and not p.name.startswith(".") and p.is_file())


def listed_name(path: Path, dirs: list[Path]) -> str | None:
    """The name that loads ``path``: its stem when that leads to it, else its file name; None
    when neither does (a link leading out, a file shadowed by an earlier directory)."""
    for bundled in BUNDLED_NAMES:
        if path == bundled_path(bundled):
            return bundled
    for name in (unicodedata.normalize("NFC", path.stem), unicodedata.normalize("NFC", path.name)):
        try:
            if resolve_confined(name, dirs) == path:
                return name
        except ModelError:
            continue
    return None


def model_names(dirs: list[Path] | None = None,
                accept: Callable[[Path], bool] | None = None,
                most_files: int | None = None) -> list[str]:
    """The names a client may load: the bundled models, then one name per file that
    :func:`resolve_confined` takes to that very file and that ``accept`` (e.g. a cheap
    loadability check) keeps. With ``most_files``, only that many model files are examined
    (in directory order), which bounds the time a listing takes."""
    dirs = dirs if dirs is not None else model_dirs()
    names = [name for name in BUNDLED_NAMES if bundled_path(name) is not None]
    examined = 0
    for directory in dirs:
        for path in files_in(directory):
            if most_files is not None and examined >= most_files:
                return names
            examined += 1
            name = listed_name(path, dirs)
            if name is not None and name not in names and (accept is None or accept(path)):
                names.append(name)
    return names


def list_models(dirs: list[Path] | None = None) -> list[Path]:
    """The bundled models, then every model file in the model directories."""
    found = [p for p in map(bundled_path, BUNDLED_NAMES) if p is not None]
    for directory in dirs if dirs is not None else model_dirs():
        found += files_in(directory)
    return found


def load_synth(name_or_path: str | Path, dirs: list[Path] | None = None,
               script: bool = True) -> Synth:
    """Load a model by name or path; its extension says how (``.ts``: TorchScript, code;
    ``.ckpt``: weights only), never its content."""
    path = resolve(name_or_path, dirs)
    synth = _load_file(path, script)
    text = str(name_or_path)
    if text in BUNDLED_NAMES:
        synth.name = text
    elif not isinstance(name_or_path, Path) and not is_path_argument(text):
        # one name for one thing: the name /model/list gives this file (``pad.ts`` when the
        # stem ``pad`` means pad.ckpt), so /status.reply names what /model/load takes back
        synth.name = listed_name(path, dirs if dirs is not None else model_dirs()) or synth.name
    return synth


def _load_file(path: Path, script: bool) -> Synth:
    kind = kind_of(path)
    if not zipfile.is_zipfile(path):
        raise ModelError(f"{path}: not a model file (not a zip archive, as nn~ TorchScript "
                         "exports and latentd checkpoints are)")
    if kind is Kind.TORCHSCRIPT:
        from latentd.models.torchscript import TorchScriptSynth

        return TorchScriptSynth(path)
    from latentd.models.checkpoint_synth import LatentdSynth

    return LatentdSynth.from_checkpoint(path, script=script)

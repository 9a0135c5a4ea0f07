"""The shipped models' integrity: their weights are used only if they are the released ones.

``latentd/models/weights/<name>.ckpt`` is package data: ``default`` (what ``latentd serve``
plays) and ``default-causal`` (the same model with causal padding, latency 0, for live input).
A damaged install (a truncated copy, a file replaced by hand, a bad merge) would otherwise
load as whatever the file now holds, or fail deep inside the checkpoint reader with a message
that does not say "reinstall". So each released file's sha256 is recorded here
(:data:`BUNDLED_SHA256`) and in the model card (docs/default-model.md), and the registry checks
it whenever a bundled name is resolved (:func:`check_bundled`).

Rules:

* A mismatch is a :class:`ModelError` naming the file, the expected and the actual digest, and
  the remedy (reinstall latentd, or play another model with ``--model``).
* The check is cheap: a file (4 MB) is hashed once per process and per version of the file,
  keyed by its path, modification time and size; a later check of the same file only stats it.
* Releasing new bundled weights means updating :data:`BUNDLED_SHA256` and the model card in
  the same commit (tests/models/test_bundled.py fails until both agree with the file).
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from latentd.models.synth import ModelError

# bundled name -> sha256 of its released file, latentd/models/weights/<name>.ckpt
BUNDLED_SHA256: dict[str, str] = {
    "default": "583d95ff9fba9a55bac708fe6e28265344a6413b6d012efc3db94311c369ff17",
    "default-causal": "1aed99d28ca3cf828c09a4616c2f8e511daecc743d205241715fafa8718f7591",
}
EXPECTED_SHA256 = BUNDLED_SHA256["default"]

# (resolved path, mtime in ns, size in bytes) -> the file's sha256
_digest_cache: dict[tuple[str, int, int], str] = {}
_cache_lock = threading.Lock()


def file_sha256(path: Path) -> str:
    """The file's sha256 as hex, computed once per (path, mtime, size) in this process."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    with _cache_lock:
        cached = _digest_cache.get(key)
    if cached is not None:
        return cached
    with path.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    with _cache_lock:
        _digest_cache[key] = digest
    return digest


def check_bundled(path: Path, expected_sha256: str | None = None) -> Path:
    """Return ``path`` when its sha256 is the released one (by default the one recorded for
    the bundled name ``path.stem``); otherwise refuse it, naming the file, both digests and the
    remedy."""
    name = path.stem
    if expected_sha256 is None:
        if name not in BUNDLED_SHA256:
            raise ModelError(f"{path}: no bundled model is called {name!r}; reinstall latentd")
        expected_sha256 = BUNDLED_SHA256[name]
    try:
        actual = file_sha256(path)
    except OSError as error:
        raise ModelError(f"{path}: the bundled {name} model cannot be read ({error}); "
                         "reinstall latentd, or pass --model PATH to play another model") from None
    if actual != expected_sha256:
        raise ModelError(f"{path}: the bundled {name} model is not the released file (sha256 "
                         f"{actual}, expected {expected_sha256}): the install is damaged or "
                         "the file was replaced; reinstall latentd (pip install "
                         "--force-reinstall latentd), or pass --model PATH to play another "
                         "model")
    return path

"""Models a remote OSC client may make the daemon load, and the names ``/model/list`` offers.

A client gives a name, never a path, and everything it can reach was put in the model
directories by the operator. On top of the registry's name rule (inside the model directories,
no link leading out), a load over OSC is refused:

* for a ``.ts`` (TorchScript is code) unless the daemon trusts code over OSC (:func:`trusts_code`):
  by default it does only when no one beyond this machine can send it OSC;
  ``--trusted-models`` makes it trust code from any allowed client, ``--no-trusted-models``
  from none. A model given with ``--model`` on the command line is the operator's explicit
  choice and is not affected;
* for a file over ``max_bytes`` (its size, or its zip members' uncompressed total when larger),
  before any of it is read: what a client can make a load read into memory is bounded.

``/model/list`` offers exactly the names that pass these rules and a cheap look at the file
(``latentd.models.preflight``), so it does not promise what would fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from latentd.models.formats import is_code
from latentd.models.preflight import archive_bytes, why_not_loadable
from latentd.models.registry import (
    listed_name,
    load_synth,
    model_dirs,
    model_names,
    resolve_confined,
)
from latentd.models.synth import ModelError, Synth

MAX_REMOTE_MODEL_BYTES = 1 << 30  # 1 GiB: RAVE v2 exports are 10 to 300 MB
# model files one /model/list examines: bounds its time (a first look at a checkpoint is ~10 ms,
# later ones are cached) and keeps the reply well inside one UDP datagram
MAX_LISTED_MODEL_FILES = 256
TRUST_SWITCH = "--trusted-models"


def trusts_code(trusted_models: bool | None, peers_beyond_this_machine: bool) -> bool:
    """Whether ``.ts`` models load over OSC: as ``trusted_models`` (``--trusted-models`` /
    ``--no-trusted-models``) says when set, else only when no peer beyond this machine may
    connect (``latentd.osc.discovery.should_advertise`` decides that, for DNS-SD too)."""
    if trusted_models is not None:
        return trusted_models
    return not peers_beyond_this_machine


@dataclass(frozen=True)
class RemoteModels:
    """The OSC side of the model directories. ``dirs`` None reads ``model_dirs()`` each time."""

    trust_code: bool
    max_bytes: int = MAX_REMOTE_MODEL_BYTES
    dirs: tuple[Path, ...] | None = None

    def describe(self) -> str:
        """One line for the daemon's start-up log: what /model/load takes."""
        if self.trust_code:
            return (".ts models (TorchScript: code) load over OSC, like .ckpt; start with "
                    "--no-trusted-models to refuse them")
        return (f".ts models (TorchScript: code) are refused over OSC; start with {TRUST_SWITCH} "
                "to allow them (.ckpt models, weights only, load)")

    def _dirs(self) -> list[Path]:
        return list(self.dirs) if self.dirs is not None else model_dirs()

    def refusal(self, path: Path) -> str | None:
        """Why a client may not load ``path`` (already resolved inside the directories)."""
        if is_code(path) and not self.trust_code:
            return (f"{path.name} is TorchScript, which is code; this daemon loads code over "
                    f"OSC only when started with {TRUST_SWITCH} (or trusted_models = true in "
                    "its config), or load it with --model on the command line")
        size = path.stat().st_size  # the file itself first: a huge file is never opened
        if size <= self.max_bytes:
            try:
                size = archive_bytes(path)
            except ModelError as exc:
                return str(exc)
        if size > self.max_bytes:
            return (f"{path.name} is {size} bytes, over the {self.max_bytes} a model loaded over "
                    "OSC may have; load it with --model on the command line")
        return None

    def path_for(self, name: str) -> Path:
        path = resolve_confined(name, self._dirs())
        refusal = self.refusal(path)
        if refusal is not None:
            raise ModelError(f"model '{name}': {refusal}")
        return path

    def load(self, name: str) -> Synth:
        """The engine's loader for ``/model/load``: a name, checked, then loaded."""
        path = self.path_for(name)
        synth = load_synth(path)
        # one name for one thing: /status.reply names the model as /model/list lists it
        synth.name = listed_name(path, self._dirs()) or synth.name
        return synth

    def accepts(self, path: Path) -> bool:
        return self.refusal(path) is None and _looks_loadable(path)

    def names(self) -> list[str]:
        """What ``/model/list`` offers: every name :meth:`load` takes and would not refuse."""
        return model_names(self._dirs(), accept=self.accepts,
                           most_files=MAX_LISTED_MODEL_FILES)


def _looks_loadable(path: Path) -> bool:
    try:
        stat = path.stat()
    except OSError:
        return False
    return _cached_look(str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)


@lru_cache(maxsize=1024)
def _cached_look(path: str, mtime_ns: int, size: int, inode: int) -> bool:
    """Cached by what identifies the file's content, so repeated listings stay cheap."""
    return why_not_loadable(Path(path)) is None

"""What a model file is, decided by its extension alone: the extension is a promise.

* ``.ts``: nn~ TorchScript. TorchScript is **code**: loading one runs what its author compiled
  into it (``__setstate__`` runs inside ``torch.jit.load``; every method runs on decode). Load
  only files you trust as you would trust a program.
* ``.ckpt`` (and ``.pt``): a latentd checkpoint, **weights only**: read with
  ``torch.load(weights_only=True)``, never as code. A TorchScript archive under this extension is
  refused, never loaded as TorchScript, whatever its content says.

Any other extension is refused: the content of a file never chooses how it is loaded, so a file
cannot smuggle code in under a data file's name.
"""

from __future__ import annotations

import enum
from pathlib import Path

from latentd.models.synth import ModelError


class Kind(enum.Enum):
    TORCHSCRIPT = "TorchScript (code)"
    CHECKPOINT = "latentd checkpoint (weights only)"


TORCHSCRIPT_SUFFIXES = (".ts",)
CHECKPOINT_SUFFIXES = (".ckpt", ".pt")
# the order a bare name tries extensions in: weights before code
SUFFIXES = CHECKPOINT_SUFFIXES + TORCHSCRIPT_SUFFIXES


def kind_of(path: str | Path) -> Kind:
    """The file's kind from its extension, or a ModelError naming the file and what to do."""
    suffix = Path(path).suffix.lower()
    if suffix in TORCHSCRIPT_SUFFIXES:
        return Kind.TORCHSCRIPT
    if suffix in CHECKPOINT_SUFFIXES:
        return Kind.CHECKPOINT
    raise ModelError(f"{path}: unknown model file type '{suffix or '(no extension)'}'; a "
                     f"model file ends in .ts (nn~ TorchScript, code) or .ckpt (latentd "
                     f"checkpoint, weights only)")


def has_model_suffix(path: str | Path) -> bool:
    return Path(path).suffix.lower() in SUFFIXES


def is_code(path: str | Path) -> bool:
    """True for files whose loading runs code from the file (TorchScript)."""
    return has_model_suffix(path) and kind_of(path) is Kind.TORCHSCRIPT

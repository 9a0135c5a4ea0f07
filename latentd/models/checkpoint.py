"""latentd's one-file checkpoint: architecture config plus weights, never a general pickle.

The file is a ``torch.save`` archive of plain containers and tensors only, so it loads with
``torch.load(weights_only=True)``: opening a model someone sent you cannot run their code. A
format name and version are checked before anything else is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from latentd.models.rave import RaveConfig, RaveModel
from latentd.models.synth import ModelError

FORMAT = "latentd-checkpoint"
VERSION = 1


def save_checkpoint(path: str | Path, model: RaveModel, *, half: bool = False,
                    prior: dict[str, Any] | None = None,
                    metadata: dict[str, Any] | None = None,
                    training_state: dict[str, Any] | None = None) -> None:
    """Write atomically (temp file then rename) so a crash never leaves half a checkpoint."""
    weights = {k: (v.half() if half and v.is_floating_point() else v).detach().cpu().clone()
               for k, v in model.state_dict().items()}
    payload: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "architecture": "rave",
        "config": model.config.to_dict(),
        "weights": weights,
        "prior": prior,
        "metadata": metadata or {},
    }
    if training_state is not None:
        payload["training"] = training_state
    path = Path(path)
    temporary = path.with_name(path.name + ".tmp")
    torch.save(payload, temporary)
    temporary.replace(path)


def read_checkpoint(path: str | Path) -> dict[str, Any]:
    """The raw payload, with format and version checked."""
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise ModelError(f"{path}: not a latentd checkpoint ({exc.__class__.__name__}: "
                         f"{str(exc).splitlines()[0] if str(exc) else ''})") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ModelError(f"{path}: not a latentd checkpoint (no '{FORMAT}' header)")
    version = payload.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise ModelError(f"{path}: checkpoint format version {version} is newer than this "
                         f"latentd reads ({VERSION}); upgrade latentd")
    if payload.get("architecture") != "rave":
        raise ModelError(f"{path}: unknown architecture {payload.get('architecture')!r}")
    return payload


def load_model(path: str | Path) -> tuple[RaveModel, dict[str, Any]]:
    """The model in float32 eval mode, and the checkpoint's payload."""
    payload = read_checkpoint(path)
    try:
        config = RaveConfig.from_dict(payload["config"])
        model = RaveModel(config)
        weights = {k: v.float() if v.is_floating_point() else v
                   for k, v in payload["weights"].items()}
        model.load_state_dict(weights)
    except (KeyError, TypeError, ValueError, RuntimeError) as exc:
        raise ModelError(f"{path}: checkpoint does not match its architecture ({exc})") from exc
    return model.eval(), payload

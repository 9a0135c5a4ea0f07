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
    _write(path, payload)


def _write(path: str | Path, payload: dict[str, Any]) -> None:
    path = Path(path)
    temporary = path.with_name(path.name + ".tmp")
    torch.save(payload, temporary)
    temporary.replace(path)


def attach_prior(source: str | Path, target: str | Path, prior: dict[str, Any]) -> None:
    """Copy a checkpoint with ``prior`` in its prior slot, everything else byte for byte the
    same (metadata and any training state included); ``target`` may be ``source``.

    The prior is trained on the encoder's latents, so it belongs to these exact weights: it is
    attached to the file that holds them rather than saved on its own.
    """
    payload = read_checkpoint(source)
    payload["prior"] = prior
    _write(target, payload)


def read_checkpoint(path: str | Path) -> dict[str, Any]:
    """The raw payload, with format and version checked."""
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise ModelError(f"{path}: not a latentd checkpoint ({exc.__class__.__name__}: "
                         f"{str(exc).splitlines()[0] if str(exc) else ''})") from exc
    check_header(payload, path, "latentd checkpoint", FORMAT, VERSION, "rave")
    return payload


def check_header(payload: Any, source: str | Path, what: str, format_name: str, version: int,
                 architecture: str) -> None:
    """Format name, version and architecture of a checkpoint (or of its prior slot), checked
    before anything else is read: a newer file says to upgrade instead of failing obscurely."""
    if not isinstance(payload, dict) or payload.get("format") != format_name:
        raise ModelError(f"{source}: not a {what} (no '{format_name}' header)")
    found = payload.get("version")
    if not isinstance(found, int) or found > version:
        raise ModelError(f"{source}: {what} format version {found} is newer than this latentd "
                         f"reads ({version}); upgrade latentd")
    if payload.get("architecture") != architecture:
        raise ModelError(f"{source}: unknown {what} architecture "
                         f"{payload.get('architecture')!r}")


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

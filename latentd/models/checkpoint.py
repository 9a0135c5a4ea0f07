"""latentd's one-file checkpoint: architecture config plus weights, never a general pickle.

The file is a ``torch.save`` archive of plain containers and tensors only, so it loads with
``torch.load(weights_only=True)``: opening a model someone sent you cannot run their code. A
format name and version are checked before anything else is read.

Slots: ``config``, ``weights``, ``metadata``, ``prior`` (``latentd.models.prior``, or None),
optionally ``training`` (what ``latentd train --resume`` needs) and ``latent_stats``
(``latentd.models.latents``: the mean and std that define the user latent units).

Versions. The version a file states is the oldest format that reads it *correctly*, so it is
computed from the content when the file is written:

* 1: no ``latent_stats``. Version-1 readers play it exactly as before.
* 2: with ``latent_stats``. The slot changes what every latent value means (controls, drift,
  the prior's samples), and a version-1 reader would silently ignore it and play the model in
  the wrong units; stating 2 makes such a reader refuse with "upgrade latentd" instead.
* 3: ``latent_stats`` with a ``basis`` (principal axes: fewer user dimensions than latents),
  which a version-2 reader would ignore and play along the wrong axes.

So checkpoints that do not use the new slot keep working with older latentd, and this latentd
reads both (a missing slot is the identity).
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import torch

from latentd.models.architecture_bounds import (
    check_config_numbers,
    check_prior_fits,
    check_weights_fit,
)
from latentd.models.latents import LatentStats
from latentd.models.rave import RaveConfig, RaveModel
from latentd.models.synth import ModelError

FORMAT = "latentd-checkpoint"
VERSION = 3  # the newest format this latentd reads and writes (see the module docstring)
VERSION_WITHOUT_STATS = 1
VERSION_PER_DIMENSION_STATS = 2


def format_version(payload: dict[str, Any]) -> int:
    """The oldest format version that reads ``payload`` correctly."""
    stats = payload.get("latent_stats")
    if stats is None:
        return VERSION_WITHOUT_STATS
    return VERSION if stats.get("basis") is not None else VERSION_PER_DIMENSION_STATS


def save_checkpoint(path: str | Path, model: RaveModel, *, half: bool = False,
                    prior: dict[str, Any] | None = None,
                    metadata: dict[str, Any] | None = None,
                    training_state: dict[str, Any] | None = None,
                    latent_stats: dict[str, Any] | None = None) -> None:
    """Write atomically (temp file then rename) so a crash never leaves half a checkpoint.

    ``latent_stats`` belongs to the encoder weights it was computed with: pass it only when
    ``model``'s encoder is that one (``latentd train`` never does, since it moves the weights).
    Stats stay float32 under ``half``: they are 2 x latent numbers.
    """
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
    if latent_stats is not None:
        payload["latent_stats"] = latent_stats
    _write(path, payload)


def _write(path: str | Path, payload: dict[str, Any]) -> None:
    payload["version"] = format_version(payload)
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
    update_checkpoint(source, target, prior=prior)


def update_checkpoint(source: str | Path, target: str | Path, **slots: Any) -> None:
    """Copy a checkpoint with the given slots (``prior``, ``latent_stats``) replaced in one
    atomic write, everything else unchanged; ``target`` may be ``source``. Writing the prior
    and the stats it was trained with together means no reader ever sees one without the
    other."""
    unknown = set(slots) - {"prior", "latent_stats"}
    if unknown:
        raise ValueError(f"not replaceable checkpoint slots: {sorted(unknown)}")
    payload = read_checkpoint(source)
    payload.update(slots)
    _write(target, payload)


def release_checkpoint(source: str | Path, target: str | Path, half: bool = False) -> None:
    """Copy a training checkpoint without its training state (optimizer moments, discriminator,
    history): what ships is the model alone, a third of the size.

    The prior and the latent stats (the user latent units) ship with it: they describe these
    encoder weights, and half precision does not change them beyond float16 rounding (the
    stats' encoder digest is computed on float16-rounded weights, so it still matches)."""
    model, payload = load_model(source)
    metadata = dict(payload.get("metadata") or {})
    save_checkpoint(target, model, half=half, prior=payload.get("prior"), metadata=metadata,
                    latent_stats=payload.get("latent_stats"))


def read_checkpoint(path: str | Path) -> dict[str, Any]:
    """The raw payload, with format and version checked. Only ever weights: a TorchScript
    archive (code) is refused before torch sees it, whatever the file is called."""
    payload = _load_weights_only(path, mmap=False)
    check_header(payload, path, "latentd checkpoint", FORMAT, VERSION, "rave")
    return payload


def read_header(path: str | Path) -> dict[str, Any]:
    """The payload with its tensors memory-mapped, not read: a cheap header check for
    listings. Format, version and architecture are checked as on load."""
    payload = _load_weights_only(path, mmap=True)
    check_header(payload, path, "latentd checkpoint", FORMAT, VERSION, "rave")
    return payload


def _load_weights_only(path: str | Path, mmap: bool) -> Any:
    from latentd.models.torchscript import is_torchscript_archive

    if is_torchscript_archive(path):
        raise ModelError(f"{path}: a TorchScript archive (code), not a latentd checkpoint "
                         "(weights only); it was not loaded. A checkpoint's extension promises "
                         "weights: if you trust this file as code, rename it to .ts")
    try:
        return torch.load(path, map_location="cpu", weights_only=True, mmap=mmap)
    except pickle.UnpicklingError as exc:
        # torch's own message goes on to advise weights_only=False, which would run the
        # file's code: never relay that advice to a client or a user
        raise ModelError(f"{path}: not a latentd checkpoint (it holds Python objects beyond "
                         "tensors and plain values, which a weights-only load refuses; none "
                         "of its code was run)") from exc
    except Exception as exc:
        raise ModelError(f"{path}: not a latentd checkpoint ({exc.__class__.__name__}: "
                         f"{str(exc).splitlines()[0] if str(exc) else ''})") from exc


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
        if not isinstance(payload.get("config"), dict):
            raise ModelError(f"{path}: checkpoint has no architecture config")
        check_config_numbers(payload["config"], path)
        config = RaveConfig.from_dict(payload["config"])
        with torch.device("meta"):  # shapes only: refuse a config the weights do not fill
            check_weights_fit(RaveModel(config), payload.get("weights"), path)
        model = RaveModel(config)
        weights = {k: v.float() if v.is_floating_point() else v
                   for k, v in payload["weights"].items()}
        model.load_state_dict(weights)
        check_prior_fits(payload.get("prior"), path)
    except ModelError:
        raise
    except (KeyError, TypeError, ValueError, RuntimeError) as exc:
        raise ModelError(f"{path}: checkpoint does not match its architecture ({exc})") from exc
    LatentStats.from_checkpoint(payload, path)  # a malformed slot is reported on load
    return model.eval(), payload

"""Reading a scripted RAVE export: which block each submodule is, and its figures.

TorchScript keeps each submodule's Python class name (``original_name``), its attributes
(``stride``, ``padding``, ``use_noise``...) and its parameters and buffers. That is all the
rebuild needs: the block's meaning comes from its class name, its sizes from its weights. What is
not recognised raises :class:`Unrecognised` naming the path and the class, so that the caller
falls back to the export's own methods with one log line that says what was missing.
"""

from __future__ import annotations

from typing import Any

import torch


class Unrecognised(Exception):
    """A part of the export the rebuild does not know; the message names it."""


def kind(module: Any) -> str:
    """The Python class name the submodule was scripted from."""
    return str(getattr(module, "original_name", type(module).__name__))


def child(module: Any, name: str, path: str) -> Any:
    """A named submodule, or :class:`Unrecognised` when the export lacks it."""
    found = dict(module.named_children()).get(name)
    if found is None:
        raise Unrecognised(f"{path or 'the export'} ({kind(module)}) has no submodule '{name}'")
    return found


def children(module: Any) -> list[tuple[str, Any]]:
    """Submodules in registration order (the order a Sequential runs them)."""
    return list(module.named_children())


def attribute(module: Any, name: str, path: str) -> Any:
    """A scripted attribute (``stride``, ``use_noise``...), or :class:`Unrecognised`."""
    try:
        return getattr(module, name)
    except (AttributeError, RuntimeError) as exc:
        raise Unrecognised(f"{path} ({kind(module)}) lacks the attribute '{name}'") from exc


def first(value: Any) -> int:
    """``(4,)`` -> 4: conv figures are stored as one-element tuples."""
    if isinstance(value, (tuple, list)):
        return int(value[0])
    return int(value)


def tensor(module: Any, name: str, path: str) -> torch.Tensor:
    """A parameter or buffer, detached and copied out of the export."""
    value = getattr(module, name, None)
    if not isinstance(value, torch.Tensor):
        raise Unrecognised(f"{path} ({kind(module)}) has no tensor '{name}'")
    return value.detach().clone()


def optional_tensor(module: Any, name: str) -> torch.Tensor | None:
    value = getattr(module, name, None)
    return value.detach().clone() if isinstance(value, torch.Tensor) else None


def join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


__all__ = ["Unrecognised", "attribute", "child", "children", "first", "join", "kind",
           "optional_tensor", "tensor"]

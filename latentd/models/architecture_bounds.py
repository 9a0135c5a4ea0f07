"""A checkpoint's architecture must fit the weights it carries, checked before any is built.

A checkpoint states its architecture (``config``) beside its weights. Built as stated, a
1 KB file saying ``capacity: 100000`` would allocate terabytes: the file size would bound
nothing. So, before the real model is built:

1. every number in the config is inside a range (below), which bounds the time and memory of
   even describing the architecture (the PQMF filter design runs in numpy, not torch);
2. the architecture is built on torch's ``meta`` device (shapes, no storage), and its parameter
   and buffer shapes must equal the weights in the file.

So the memory a checkpoint can make latentd allocate is the weights it carries: bounded by the
file's size (and by the size cap on model files loaded over OSC, ``latentd.models.remote``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from latentd.models.synth import ModelError

# (smallest, largest) for each integer setting; RAVE v2 uses capacity 96, 16 bands, ratios of 4
# or 8 over 4 levels, latent 128; these leave generous room above that
INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "sample_rate": (8000, 384000), "channels": (1, 16), "latent_size": (1, 1024),
    "bands": (1, 64), "capacity": (1, 1024), "pqmf_taps_per_band": (1, 64),
    "harmonics": (0, 1024),
}
PRIOR_RANGES: dict[str, tuple[int, int]] = {
    "latent_size": (1, 1024), "hidden_size": (1, 4096), "layers": (1, 16),
}
LIST_RANGES: dict[str, tuple[int, int, int]] = {  # name: (most entries, smallest, largest)
    "ratios": (8, 1, 64), "dilations": (16, 1, 1024),
}


def check_config_numbers(config: dict[str, Any], source: str | Path,
                         ranges: dict[str, tuple[int, int]] = INTEGER_RANGES) -> None:
    """Every integer and list setting inside its range, or a ModelError naming it."""
    for name, (low, high) in ranges.items():
        value = config.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ModelError(f"{source}: config '{name}' = {value!r} is outside {low}..{high}")
    for name, (most, low, high) in LIST_RANGES.items():
        values = config.get(name)
        if values is None:
            continue
        if (not isinstance(values, (list, tuple)) or not 1 <= len(values) <= most
                or not all(isinstance(v, int) and not isinstance(v, bool) and low <= v <= high
                           for v in values)):
            raise ModelError(f"{source}: config '{name}' must be 1 to {most} integers in "
                             f"{low}..{high}, got {values!r}")


def check_weights_fit(model_on_meta: torch.nn.Module, weights: Any,
                      source: str | Path) -> None:
    """The state dict of the architecture (built on ``meta``) has exactly the weights' names
    and shapes."""
    expected = {name: tuple(t.shape) for name, t in model_on_meta.state_dict().items()}
    if not isinstance(weights, dict):
        raise ModelError(f"{source}: checkpoint weights are not a dictionary of tensors")
    found = {name: tuple(t.shape) for name, t in weights.items() if isinstance(t, torch.Tensor)}
    if found != expected:
        missing = sorted(set(expected) - set(found))[:3]
        unexpected = sorted(set(found) - set(expected))[:3]
        reshaped = sorted(n for n in set(expected) & set(found) if expected[n] != found[n])[:3]
        raise ModelError(f"{source}: checkpoint does not match its architecture (missing "
                         f"{missing}, unexpected {unexpected}, other shapes {reshaped})")


def check_prior_fits(prior: Any, source: str | Path) -> None:
    """The same two checks for the checkpoint's prior slot (a GRU whose config names its
    sizes), when it has one. Its format header is checked where it is loaded."""
    if not isinstance(prior, dict) or not isinstance(prior.get("config"), dict):
        return
    from latentd.models.prior import LatentPrior

    config = prior["config"]
    check_config_numbers(config, f"{source} (prior)", PRIOR_RANGES)
    try:
        with torch.device("meta"):
            skeleton = LatentPrior(**config)
    except TypeError as exc:
        raise ModelError(f"{source}: prior config {config!r} is not a prior's ({exc})") from exc
    check_weights_fit(skeleton, prior.get("weights"), f"{source} (prior)")

"""The equality check: the rebuilt model against the export's own methods, stream vs stream.

Both start from silence (the export's caches zeroed, the rebuilt streams reset), take the same
random blocks, and draw their noise from the same seed before each call. The result is the
largest difference relative to the export's peak, per method; 1e-4 is the bar (issue 21).
Tests and ``bench/exports.py`` use it; so can anyone holding an export.
"""

from __future__ import annotations

from typing import Any

import torch

from latentd.models.rave_rebuild.cached import zero_caches
from latentd.models.rave_rebuild.model import RebuiltRave

METHODS = ("decode", "encode", "forward")


def relative_error(export: Any, rebuilt: RebuiltRave, method: str, blocks: int = 6,
                   frames: int = 2, seed: int = 0) -> float:
    """max |export - rebuilt| / max |export| over ``blocks`` calls of ``frames`` latent frames.

    Each call gets a fresh random block (latents for decode, quiet audio for encode and
    forward), and both sides are seeded alike just before it."""
    zero_caches(export)
    rebuilt.reset()
    latent, ratio = int(export.decode_params[0]), int(export.decode_params[1])
    inputs = torch.Generator().manual_seed(seed)
    worst = peak = 0.0
    with torch.inference_mode():
        for block in range(blocks):
            if method == "decode":
                x = torch.randn(1, latent, frames, generator=inputs)
            else:
                x = 0.3 * torch.randn(1, 1, frames * ratio, generator=inputs)
            torch.manual_seed(seed + block)
            theirs = getattr(export, method)(x)
            torch.manual_seed(seed + block)
            ours = getattr(rebuilt, method)(x)
            worst = max(worst, (theirs - ours).abs().max().item())
            peak = max(peak, theirs.abs().max().item())
    zero_caches(export)
    rebuilt.reset()
    return worst / peak if peak > 0 else worst


__all__ = ["METHODS", "relative_error"]

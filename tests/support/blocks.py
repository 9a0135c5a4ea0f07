"""Feeding a streaming module block after block: what every streaming test compares with the
offline output."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch


def stream_in_blocks(stream: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor,
                     lengths: Sequence[int]) -> torch.Tensor:
    """``x`` cut along its last axis into blocks of ``lengths`` (which must add up to its
    length), each fed to ``stream`` in order, the outputs joined."""
    assert sum(lengths) == x.shape[-1], (list(lengths), x.shape[-1])
    pieces, start = [], 0
    for length in lengths:
        pieces.append(stream(x[..., start : start + length]))
        start += length
    return torch.cat(pieces, -1)

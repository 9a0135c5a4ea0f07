"""Training batches: which random crops of a dataset's clips each step trains on.

Crops come from a ``torch.Generator`` whose state goes into the checkpoint, so a resumed run
continues the same sequence of batches; the audio itself is read from the decoded dataset cache
(``audio_cache.py``) by the loader (``loader.py``).
"""

from __future__ import annotations

import torch


def crop_or_pad(audio: torch.Tensor, length: int, offset: int = 0) -> torch.Tensor:
    """``length`` samples from ``offset``, zero-padded past the end of the clip."""
    piece = audio[offset: offset + length]
    if len(piece) < length:
        piece = torch.cat([piece, piece.new_zeros(length - len(piece))])
    return piece


Crop = tuple[int, int]  # (clip index, offset in samples)


class CropPlanner:
    """Which crops each step trains on: (clip, offset) pairs, clips drawn in proportion to their
    length, for the global batch of every rank together.

    Length-weighting makes every second of audio equally likely to be seen; a clip shorter than
    the crop is padded with silence, which also teaches the model to end notes cleanly. Every
    rank draws the same global plan from the same generator and keeps its own contiguous slice
    (``shard``): the slices never overlap, together they are the plan, and the plan does not
    depend on the number of ranks, so a run resumed on another number of processes goes on with
    the crops a single process would have trained on. Drawing a plan costs microseconds; the
    audio is only read for the rank's own slice (``loader.py``).
    """

    def __init__(self, lengths: list[int], crop: int, seed: int = 0):
        self.lengths = lengths
        self.crop = crop
        self.generator = torch.Generator().manual_seed(seed)
        sizes = torch.tensor([max(n, crop) for n in lengths], dtype=torch.float64)
        self.weights = sizes / sizes.sum()

    def plan(self, size: int) -> list[Crop]:
        """The next global batch's crops (the draws the former CropSampler made, in its order,
        so runs started before ranks existed resume on the same batches)."""
        picks = torch.multinomial(self.weights, size, replacement=True, generator=self.generator)
        crops = []
        for index in picks.tolist():
            room = max(0, self.lengths[index] - self.crop)
            crops.append((index, int(torch.randint(0, room + 1, (1,), generator=self.generator))))
        return crops

    def state(self) -> torch.Tensor:
        return self.generator.get_state()

    def restore(self, state: torch.Tensor) -> None:
        self.generator.set_state(state)


def shard(plan: list[Crop], rank: int, world_size: int) -> list[Crop]:
    """Rank ``rank``'s contiguous share of a global plan (its length a multiple of the world)."""
    per_rank = len(plan) // world_size
    return plan[rank * per_rank:(rank + 1) * per_rank]


def first_loud_sample(audio: torch.Tensor, threshold: float = 0.01) -> int:
    """The first sample louder than ``threshold`` (-40 dBFS), or 0 for a clip that never is."""
    loud = torch.nonzero(audio.abs() > threshold)
    return int(loud[0]) if len(loud) else 0


def validation_batch(clips: list[torch.Tensor], crop: int, count: int) -> torch.Tensor:
    """A fixed batch: ``crop`` samples from the onset of up to ``count`` clips spread over the
    split.

    Fixed, so validation numbers from different steps (and from the untrained model at step 0)
    compare like with like; from the onset, so that no crop is lead-in silence alone.
    """
    count = max(1, min(count, len(clips)))
    stride = len(clips) / count
    chosen = [clips[int(i * stride)] for i in range(count)]
    return torch.stack([crop_or_pad(c, crop, first_loud_sample(c)) for c in chosen]).unsqueeze(1)

"""Feeding the training step: crops planned in the main process, read from the memory-mapped
dataset cache by ``--workers`` loader processes, handed over in pinned memory on a GPU.

``PlannedBatches`` is the DataLoader's batch sampler: it draws each step's global plan
(``data.CropPlanner``) and yields this rank's shard. The loader asks it for batches ahead of
the step (prefetching), so the planner's generator runs ahead of training; to keep ``--resume``
exact, it remembers the generator's state before each step's plan, and the checkpoint stores
the state before the next step to train, not the state the prefetching left.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, Sampler

from latentd.train.audio_cache import CachedSplit
from latentd.train.data import Crop, CropPlanner, shard


class CropDataset(Dataset[torch.Tensor]):
    """A (1, crop) tensor per (clip, offset), zero-padded past the clip's end.

    Holds the cache's location, not its samples: each loader process maps the file itself."""

    def __init__(self, cache: CachedSplit, crop: int):
        self.cache = cache
        self.crop = crop
        self._samples: np.ndarray | None = None

    def __getitem__(self, item: Crop) -> torch.Tensor:
        if self._samples is None:
            self._samples = self.cache.samples()
        index, offset = item
        start = self.cache.offsets[index] + offset
        stop = self.cache.offsets[index] + self.cache.lengths[index]
        piece = np.zeros(self.crop, dtype=np.float32)
        available = self._samples[start: min(stop, start + self.crop)]
        piece[: len(available)] = available
        return torch.from_numpy(piece).unsqueeze(0)

    def __getstate__(self) -> dict[str, object]:  # a loader process opens its own map
        return {**self.__dict__, "_samples": None}


class PlannedBatches(Sampler[list[Crop]]):
    """This rank's crops for each step from ``step`` on, endlessly."""

    def __init__(self, planner: CropPlanner, batch_per_rank: int, rank: int, world_size: int,
                 step: int):
        self.planner = planner
        self.batch_per_rank = batch_per_rank
        self.rank = rank
        self.world_size = world_size
        self.next_step = step  # the step whose plan is drawn next
        self.states: dict[int, torch.Tensor] = {}

    def __iter__(self) -> Iterator[list[Crop]]:
        while True:
            self.states[self.next_step] = self.planner.state()
            plan = self.planner.plan(self.batch_per_rank * self.world_size)
            self.next_step += 1
            yield shard(plan, self.rank, self.world_size)

    def state_before(self, step: int) -> torch.Tensor:
        """The planner's state before ``step``'s plan was drawn: what a resume at ``step``
        restores. Older states are dropped (the trainer asks for the current step only)."""
        state = self.states.get(step, self.planner.state() if step == self.next_step else None)
        if state is None:
            raise RuntimeError(f"no planner state kept for step {step}")
        for old in [s for s in self.states if s < step]:
            del self.states[old]
        return state


def crop_loader(dataset: CropDataset, batches: PlannedBatches, workers: int,
                pin_memory: bool) -> DataLoader[torch.Tensor]:
    """The DataLoader over ``batches``: in this process when ``workers`` is 0. It gets a
    generator of its own: by default starting it draws its workers' seed from torch's global
    generator, which the model's noise draws use, and a resumed run would draw other noise."""
    return DataLoader(dataset, batch_sampler=batches, num_workers=workers,
                      pin_memory=pin_memory, persistent_workers=workers > 0,
                      prefetch_factor=2 if workers > 0 else None, generator=torch.Generator())

"""Training on several processes with torch.distributed: who this process is, and the few
collective operations the trainer needs beyond DistributedDataParallel's gradient averaging.

``torchrun`` starts one process per GPU (or several CPU processes) and sets ``RANK``,
``WORLD_SIZE`` and ``LOCAL_RANK``; ``join`` reads them and starts the process group, NCCL for
CUDA devices and gloo otherwise. Without torchrun the world is one process and every function
here is the identity, so the single-process run takes exactly the code path it always took.

``global_sum`` is differentiable (``torch.distributed.nn``): the losses whose value is not a
mean of per-crop values (spectral convergence is one ratio of norms over the whole batch, the
KL's free bits clamp a batch mean) sum their parts over all ranks, so that every rank computes
the loss of the global batch. DDP averages the gradients over ranks, and the backward of the
all-reduce sums them: together, each weight gets exactly the gradient of the global batch's
loss, as if one process had held all of it.
"""

from __future__ import annotations

import contextlib
import os
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import torch
from torch import distributed as dist


@dataclass(frozen=True)
class Ranks:
    """This process's place in the job: rank, number of processes, and rank on its machine."""

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0

    @property
    def is_main(self) -> bool:
        """Rank 0 alone writes checkpoints, logs and TensorBoard events."""
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world_size > 1


SINGLE = Ranks()


def ranks_from_environment() -> Ranks:
    """What torchrun set (``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``), or one process."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return SINGLE
    return Ranks(int(os.environ["RANK"]), world, int(os.environ.get("LOCAL_RANK", "0")))


def join(ranks: Ranks, device: torch.device) -> None:
    """Start the process group (once): NCCL between GPUs, gloo between CPU processes."""
    if not ranks.distributed or dist.is_initialized():
        return
    backend = "nccl" if device.type == "cuda" else "gloo"
    dist.init_process_group(backend, rank=ranks.rank, world_size=ranks.world_size)


def leave() -> None:
    if dist.is_initialized():
        dist.destroy_process_group()


_local = threading.local()


def active() -> bool:
    """Whether the losses reduce over ranks: under torchrun, outside ``this_rank_only``."""
    return (dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1
            and not getattr(_local, "alone", False))


@contextlib.contextmanager
def this_rank_only() -> Iterator[None]:
    """Losses computed by one rank alone (rank 0's validation): no collective may run, or the
    rank would wait for the others forever."""
    before = getattr(_local, "alone", False)
    _local.alone = True
    try:
        yield
    finally:
        _local.alone = before


def global_sum(value: torch.Tensor) -> torch.Tensor:
    """``value`` summed over all ranks, with gradients flowing back to each rank's part."""
    if not active():
        return value
    from torch.distributed.nn.functional import all_reduce

    with warnings.catch_warnings():  # its suggested successor is private and has no autograd
        warnings.filterwarnings("ignore", "torch.distributed.nn.functional.all_reduce",
                                FutureWarning)
        return all_reduce(value)


def summed(values: torch.Tensor) -> torch.Tensor:
    """A non-differentiable sum over ranks (flags and loss values for the log)."""
    if not active():
        return values
    device = values.device
    if dist.get_backend() == "nccl" and not values.is_cuda:  # NCCL reduces GPU memory only
        values = values.to(torch.device("cuda", torch.cuda.current_device()))
    values = values.clone()
    dist.all_reduce(values)
    return values.to(device)


def gathered(value: Any) -> list[Any]:
    """Every rank's ``value`` (picklable), in rank order."""
    if not active():
        return [value]
    everyone: list[Any] = [None] * dist.get_world_size()
    dist.all_gather_object(everyone, value)
    return everyone


def barrier() -> None:
    if active():
        dist.barrier()


def world_size() -> int:
    return dist.get_world_size() if dist.is_initialized() else 1

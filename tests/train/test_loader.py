"""Loader processes (``--workers``) read the crops the planner chose, and prefetching ahead of
the step does not move where a resumed run continues."""

import pytest
import torch

pytest.importorskip("soundfile", reason="soundfile is a train dependency")

from latentd.train.audio_cache import cached_split
from latentd.train.data import CropPlanner
from latentd.train.loader import CropDataset, PlannedBatches, crop_loader
from latentd.train.options import TrainOptions
from latentd.train.trainer import Trainer

from .conftest import RATE


def run(data, output, steps, workers, resume=False):
    options = TrainOptions(data=data, output=output, recipe="tiny", max_steps=steps, threads=1,
                           log_seconds=0.0, workers=workers, resume=resume, device="cpu")
    trainer = Trainer(options, log=lambda _: None)
    trainer.run()
    return trainer


def test_crops_are_the_planned_pieces_padded_past_the_end(note_dataset, tmp_path):
    split = cached_split(note_dataset, "train", RATE, tmp_path, log=lambda _: None)
    dataset = CropDataset(split, crop=20000)
    clip = split.clips()[0]
    crop = dataset[(0, len(clip) - 100)]
    assert crop.shape == (1, 20000)
    assert torch.equal(crop[0, :100], torch.from_numpy(clip[-100:].copy()))
    assert not crop[0, 100:].any()


def test_prefetching_workers_keep_the_resume_point(note_dataset, tmp_path):
    split = cached_split(note_dataset, "train", RATE, tmp_path, log=lambda _: None)
    planner = CropPlanner(list(split.lengths), crop=512, seed=1)
    batches = PlannedBatches(planner, batch_per_rank=2, rank=0, world_size=1, step=0)
    loader = iter(crop_loader(CropDataset(split, 512), batches, workers=2, pin_memory=False))
    first = next(loader)
    assert first.shape == (2, 1, 512) and batches.next_step > 1  # the workers ran ahead
    fresh = CropPlanner(list(split.lengths), crop=512, seed=1)
    fresh.plan(2)
    assert torch.equal(batches.state_before(1), fresh.state())


def test_a_run_with_workers_trains_and_resumes_like_one_without(note_dataset, tmp_path):
    straight = run(note_dataset, tmp_path / "a.ckpt", 3, workers=0)
    run(note_dataset, tmp_path / "b.ckpt", 1, workers=2)
    resumed = run(note_dataset, tmp_path / "b.ckpt", 3, workers=2, resume=True)
    for (name, a), (_, b) in zip(straight.model.state_dict().items(),
                                 resumed.model.state_dict().items(), strict=True):
        assert torch.equal(a, b), name

"""Split assignment and the manifest's checks."""

import json

import pytest

from latentd.train.errors import DatasetError
from latentd.train.manifest import assign_splits, prepare_output, read_manifest, write_manifest


def test_splits_hold_out_each_group_and_are_seeded():
    groups = ["a"] * 20 + ["b"] * 10 + ["c"] * 1
    splits = assign_splits(groups, 0.1, seed=3)
    assert splits == assign_splits(groups, 0.1, seed=3)
    assert sum(s == "test" for g, s in zip(groups, splits, strict=True) if g == "a") == 2
    assert sum(s == "test" for g, s in zip(groups, splits, strict=True) if g == "b") == 1
    assert splits[-1] == "train"  # a group of one stays in training
    assert splits != assign_splits(groups, 0.1, seed=4)


def test_no_test_split_when_fraction_is_zero():
    assert set(assign_splits(["a"] * 5, 0.0, seed=0)) == {"train"}
    with pytest.raises(DatasetError):
        assign_splits(["a"], 1.0, seed=0)


def test_manifest_round_trip_and_counts(tmp_path):
    clips = [{"path": "train/a.wav", "split": "train", "seconds": 1.5},
             {"path": "test/b.wav", "split": "test", "seconds": 0.5}]
    write_manifest(tmp_path, clips, source="test", sample_rate=44100)
    manifest = read_manifest(tmp_path)
    assert manifest["counts"] == {"train": 1, "test": 1}
    assert manifest["seconds"] == {"train": 1.5, "test": 0.5}
    assert manifest["sample_rate"] == 44100


def test_missing_or_foreign_manifest_is_an_error(tmp_path):
    with pytest.raises(DatasetError, match="latentd dataset"):
        read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"clips": []}))
    with pytest.raises(DatasetError, match="not a latentd dataset"):
        read_manifest(tmp_path)


def test_prepare_output_clears_only_clips(tmp_path):
    (tmp_path / "train").mkdir()
    (tmp_path / "train" / "old.wav").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("keep")
    prepare_output(tmp_path)
    assert not (tmp_path / "train" / "old.wav").exists()
    assert (tmp_path / "notes.txt").read_text() == "keep"

"""One reader for a dataset split: manifest order and metadata, the first N clips, and one
message for each refusal whichever command reads the split (train, evaluate, latent-stats)."""

import shutil

import numpy as np
import pytest

from latentd.__main__ import main
from latentd.train.audio_files import write_wav
from latentd.train.errors import DatasetError
from latentd.train.manifest import read_manifest, write_manifest
from latentd.train.splits import read_split

from .conftest import RATE, TEST_PITCHES, TRAIN_PITCHES


def test_a_split_keeps_the_manifest_order_and_what_it_says(note_dataset):
    clips = read_split(note_dataset, "test", RATE)
    assert [c.pitch for c in clips if c.harmonic] == list(TEST_PITCHES)
    assert [c.name for c in clips if not c.harmonic] == ["noise"]
    assert all(c.audio.dtype == np.float32 and c.audio.ndim == 1 for c in clips)
    assert [c.pitch for c in read_split(note_dataset, "train", RATE)][:-1] == list(TRAIN_PITCHES)
    assert [c.name for c in read_split(note_dataset, "test", RATE, limit=2)] == [
        c.name for c in clips[:2]]


def test_empty_clips_are_skipped_and_an_empty_split_is_an_error(tmp_path):
    write_wav(tmp_path / "train/silent.wav", np.zeros(0, np.float32), RATE)
    write_wav(tmp_path / "train/tone.wav", np.full(100, 0.1, np.float32), RATE)
    write_manifest(tmp_path, [{"path": "train/silent.wav", "split": "train", "seconds": 0.0},
                              {"path": "train/tone.wav", "split": "train", "seconds": 0.0}],
                   source="test", sample_rate=RATE)
    assert [c.name for c in read_split(tmp_path, "train", RATE)] == ["tone"]
    with pytest.raises(DatasetError, match="the test split has no clips"):
        read_split(tmp_path, "test", RATE)


def test_missing_clips_are_reported_before_any_is_read(note_dataset, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(note_dataset, copy)
    last = [c["path"] for c in read_manifest(copy)["clips"] if c["split"] == "test"][-1]
    (copy / last).unlink()
    with pytest.raises(DatasetError, match=r"1 clips in the manifest are missing, e\.g\. .*"
                       + last.split("/")[-1]):
        read_split(copy, "test", RATE, limit=1)  # even when the limit would not reach it


def test_a_clip_at_another_rate_is_refused(tmp_path):
    write_wav(tmp_path / "test/a.wav", np.full(100, 0.1, np.float32), 22050)
    write_manifest(tmp_path, [{"path": "test/a.wav", "split": "test", "seconds": 0.0}],
                   source="test", sample_rate=RATE)
    with pytest.raises(DatasetError, match=f"a.wav: 22050 Hz, expected {RATE} Hz"):
        read_split(tmp_path, "test", RATE)


def test_every_command_refuses_a_dataset_at_another_rate_with_one_message(
        tiny_checkpoint, tmp_path, capsys):
    """Training, evaluation and the latent stats read splits through read_split, so the same
    dataset gets the same line (training and evaluation used to word it differently)."""
    write_manifest(tmp_path, [], source="test", sample_rate=22050)
    expected = (f"{tmp_path}: dataset is 22050 Hz but the model runs at {RATE} Hz; rebuild it "
                f"with --sample-rate {RATE}")
    commands = [
        ["train", "--data", str(tmp_path), "-o", str(tmp_path / "t.ckpt"), "--config", "tiny",
         "--threads", "1"],
        ["evaluate", str(tiny_checkpoint), "--data", str(tmp_path)],
        ["latent-stats", "--model", str(tiny_checkpoint), "--data", str(tmp_path), "-o",
         str(tmp_path / "s.ckpt"), "--no-cache"],
    ]
    for argv in commands:
        assert main(argv) == 1
        assert capsys.readouterr().err.strip().endswith(expected), argv

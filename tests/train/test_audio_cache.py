"""The decoded dataset cache: reused while the dataset is unchanged, rebuilt when any file or
the manifest changes, never stale."""

import json
import os

import numpy as np
import pytest

pytest.importorskip("soundfile", reason="soundfile is a train dependency")

from latentd.train.audio_cache import cached_split
from latentd.train.audio_files import write_wav
from latentd.train.splits import read_split

from .conftest import RATE, harmonic_note


@pytest.fixture
def dataset(note_dataset, tmp_path):
    """A copy of the notes that the tests may change."""
    import shutil

    return shutil.copytree(note_dataset, tmp_path / "data")


def decode(data, root):
    return cached_split(data, "train", RATE, root, log=lambda _: None)


def test_the_cache_holds_the_decoded_clips_and_is_reused(dataset, tmp_path):
    first = decode(dataset, tmp_path / "cache")
    assert first.built
    clips = read_split(dataset, "train", RATE)
    assert [c.name for c in clips] == list(first.names)
    for clip, cached in zip(clips, first.clips(), strict=True):
        np.testing.assert_array_equal(clip.audio, cached)
    again = decode(dataset, tmp_path / "cache")
    assert not again.built and again.folder == first.folder


def test_a_changed_file_rebuilds_and_the_old_entry_goes(dataset, tmp_path):
    first = decode(dataset, tmp_path / "cache")
    write_wav(dataset / "train/n45.wav", harmonic_note(46), RATE)  # same length, new sound
    os.utime(dataset / "train/n45.wav", ns=(1, 1))  # even with an old modification time
    second = decode(dataset, tmp_path / "cache")
    assert second.built and second.folder != first.folder and not first.folder.exists()
    index = second.names.index("n45")
    np.testing.assert_array_equal(second.clips()[index],
                                  read_split(dataset, "train", RATE)[index].audio)


def test_a_changed_manifest_rebuilds(dataset, tmp_path):
    first = decode(dataset, tmp_path / "cache")
    manifest = dataset / "manifest.json"
    content = json.loads(manifest.read_text())
    for entry in content["clips"]:
        if entry["path"] == "train/n45.wav":
            entry["split"] = "test"
    manifest.write_text(json.dumps(content))
    second = decode(dataset, tmp_path / "cache")
    assert second.built and "n45" not in second.names and len(second.names) == \
        len(first.names) - 1


def test_a_killed_build_leaves_nothing_that_looks_done(dataset, tmp_path, monkeypatch):
    import latentd.train.audio_cache as module

    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(module.np.lib.format, "open_memmap", fail)
    with pytest.raises(KeyboardInterrupt):
        decode(dataset, tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []

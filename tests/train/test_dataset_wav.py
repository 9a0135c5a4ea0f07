"""``latentd dataset wav`` on a tiny synthetic folder: resampling, chunking, silence, splits."""

import numpy as np
import pytest

soundfile = pytest.importorskip("soundfile", reason="soundfile is a train dependency")

from latentd.__main__ import main  # noqa: E402
from latentd.train.dataset_wav import build, chunk  # noqa: E402
from latentd.train.manifest import read_manifest  # noqa: E402


def tone(rate: int, seconds: float, frequency: float) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (0.3 * np.sin(2 * np.pi * frequency * t)).astype(np.float32)


def make_folder(root, rate=22050):
    root.mkdir()
    (root / "sub").mkdir()
    soundfile.write(root / "a.wav", tone(rate, 2.5, 220), rate)
    stereo = np.stack([tone(rate, 1.2, 330), tone(rate, 1.2, 440)], axis=1)
    soundfile.write(root / "sub" / "b.flac", stereo, rate)
    soundfile.write(root / "silent.wav", np.zeros(rate, dtype=np.float32), rate)
    (root / "readme.txt").write_text("not audio")
    return root


def test_build_resamples_chunks_and_drops_silence(tmp_path):
    source = make_folder(tmp_path / "src")
    manifest_path = build(source, tmp_path / "out", seed=1, rate=44100, seconds=1.0,
                          min_seconds=0.5, test_fraction=0.25, log=lambda _: None)
    manifest = read_manifest(manifest_path.parent)
    clips = manifest["clips"]
    # a.wav: 2.5 s -> 1 + 1 + 0.5; b.flac: 1.2 s -> 1 (0.2 s too short); silent.wav: nothing
    assert len(clips) == 4
    assert {c["source"] for c in clips} == {"a.wav", "sub/b.flac"}
    assert manifest["counts"] == {"train": 3, "test": 1}
    for clip in clips:
        audio, rate = soundfile.read(manifest_path.parent / clip["path"])
        assert rate == 44100 and audio.ndim == 1
        assert abs(len(audio) / rate - clip["seconds"]) < 1e-3
        assert clip["path"].startswith(clip["split"] + "/")


def test_build_is_deterministic(tmp_path):
    source = make_folder(tmp_path / "src")
    first = build(source, tmp_path / "one", seed=5, seconds=1.0, log=lambda _: None)
    second = build(source, tmp_path / "two", seed=5, seconds=1.0, log=lambda _: None)
    assert first.read_text() == second.read_text()
    for clip in read_manifest(first.parent)["clips"]:
        assert ((first.parent / clip["path"]).read_bytes() ==
                (second.parent / clip["path"]).read_bytes())


def test_chunk_keeps_long_enough_pieces():
    audio = np.full(44100 * 3 + 100, 0.5, dtype=np.float32)
    pieces = chunk(audio, 44100, seconds=1.0, min_seconds=0.5, silence_db=-50)
    assert [len(p) for _, p in pieces] == [44100] * 3  # the 100-sample tail is dropped


def test_cli_builds_and_reports_errors(tmp_path, capsys):
    source = make_folder(tmp_path / "src")
    assert main(["dataset", "wav", str(source), "-o", str(tmp_path / "out"),
                 "--chunk-seconds", "1"]) == 0
    assert "manifest.json" in capsys.readouterr().out
    (tmp_path / "empty").mkdir()
    assert main(["dataset", "wav", str(tmp_path / "empty"), "-o", str(tmp_path / "x")]) == 1
    assert "no audio files" in capsys.readouterr().err

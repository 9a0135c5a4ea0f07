"""``latentd dataset wav``: a dataset from any folder of audio files, so users train on their
own sounds.

Files are mixed to mono, resampled to the model's rate, and cut into chunks; near-silent chunks
are dropped (they teach nothing but silence). The held-out split is drawn per source file when
there are enough files, so no test chunk shares a recording with a training chunk.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from latentd.train.audio_files import (
    AUDIO_SUFFIXES,
    active_range,
    db_to_amplitude,
    read_mono,
    resample,
    write_wav,
)
from latentd.train.errors import DatasetError
from latentd.train.manifest import assign_splits, prepare_output, write_manifest
from latentd.train.progress import Progress

MIN_FILES_FOR_FILE_SPLIT = 10


def find_audio(folder: Path) -> list[Path]:
    """Audio files under ``folder``, sorted, so the build does not depend on directory order."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in
                  AUDIO_SUFFIXES)


def chunk(audio: np.ndarray, rate: int, seconds: float, min_seconds: float,
          silence_db: float) -> list[tuple[int, np.ndarray]]:
    """(offset, samples) pieces of at most ``seconds``, the last kept if ``min_seconds`` long,
    and none whose peak is below ``silence_db``."""
    start, end = active_range(audio, rate, silence_db)
    size, least = int(seconds * rate), int(min_seconds * rate)
    pieces = []
    for offset in range(start, end, size):
        piece = audio[offset: min(end, offset + size)]
        if len(piece) >= least and np.abs(piece).max() > db_to_amplitude(silence_db):
            pieces.append((offset, piece))
    return pieces


def build(source: str | Path, output: str | Path, *, seed: int = 0, rate: int = 44100,
          seconds: float = 4.0, min_seconds: float = 1.0, test_fraction: float = 0.1,
          silence_db: float = -50.0, log: Callable[[str], None] = print) -> Path:
    """Read, resample, chunk and split; returns the manifest path."""
    source, output = Path(source), Path(output)
    if not source.is_dir():
        raise DatasetError(f"{source}: not a folder")
    files = find_audio(source)
    if output.resolve() != source.resolve():
        files = [f for f in files if output.resolve() not in f.resolve().parents]
    if not files:
        raise DatasetError(f"{source}: no audio files ({', '.join(AUDIO_SUFFIXES)})")
    prepare_output(output)
    log(f"reading {len(files)} audio files from {source}, {seconds:g} s chunks at {rate} Hz")
    progress = Progress(len(files), "read")
    pieces: list[dict[str, Any]] = []
    audio_of: list[np.ndarray] = []
    for number, path in enumerate(files):
        audio, got = read_mono(path)
        audio = resample(audio, got, rate)
        for offset, piece in chunk(audio, rate, seconds, min_seconds, silence_db):
            pieces.append({"source": str(path.relative_to(source)), "source_rate": got,
                           "offset_seconds": round(offset / rate, 4), "file_number": number})
            audio_of.append(piece)
        progress.advance(path.name)
    if not pieces:
        raise DatasetError(f"{source}: every file is shorter than {min_seconds} s or silent")
    if len(files) >= MIN_FILES_FOR_FILE_SPLIT:
        file_splits = assign_splits(["all"] * len(files), test_fraction, seed)
        splits = [file_splits[p["file_number"]] for p in pieces]
    else:
        splits = assign_splits(["all"] * len(pieces), test_fraction, seed)
    entries = []
    for index, (origin, audio, split) in enumerate(zip(pieces, audio_of, splits, strict=True)):
        stem = Path(origin["source"]).stem.replace(" ", "_")[:40]
        relative = f"{split}/{index:05d}_{stem}.wav"
        write_wav(output / relative, audio, rate)
        entries.append({"path": relative, "split": split, "kind": "chunk",
                        "seconds": round(len(audio) / rate, 4), "harmonic": False,
                        "pitch": None, "velocity": None, "instrument": None,
                        **{k: v for k, v in origin.items() if k != "file_number"}})
    return write_manifest(output, entries, source="wav", seed=seed, sample_rate=rate,
                          chunk_seconds=seconds, test_fraction=test_fraction,
                          split_by="file" if len(files) >= MIN_FILES_FOR_FILE_SPLIT else "chunk")

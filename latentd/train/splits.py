"""Reading one split (``train`` or ``test``) of a dataset: the one reader that training, the
latent stats, the prior, evaluation and the probe all use, so that a dataset they refuse is
refused with the same message whichever command read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from latentd.train.audio_files import read_mono
from latentd.train.errors import DatasetError
from latentd.train.manifest import read_manifest


@dataclass(frozen=True)
class DatasetClip:
    """A clip of a split and what the manifest says about it (evaluation picks the harmonic
    notes by it)."""

    name: str
    audio: np.ndarray
    harmonic: bool
    pitch: int | None


def read_split(directory: str | Path, split: str, sample_rate: int,
               limit: int | None = None) -> list[DatasetClip]:
    """The split's sounding clips in manifest order (the first ``limit`` of them), as mono
    float32 at ``sample_rate``.

    The dataset must be at the model's rate: resampling here would train or judge the model
    on audio the dataset's author never listened to. Missing files are reported before any
    clip is read, so a half-copied dataset fails at once rather than minutes into a run.
    Empty clips are skipped; a split with no clip left is an error.
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    if manifest.get("sample_rate") != sample_rate:
        raise DatasetError(f"{directory}: dataset is {manifest.get('sample_rate')} Hz but the "
                           f"model runs at {sample_rate} Hz; rebuild it with --sample-rate "
                           f"{sample_rate}")
    entries = [entry for entry in manifest["clips"] if entry["split"] == split]
    missing = [directory / e["path"] for e in entries if not (directory / e["path"]).is_file()]
    if missing:
        raise DatasetError(f"{directory}: {len(missing)} clips in the manifest are missing, "
                           f"e.g. {missing[0]}")
    clips: list[DatasetClip] = []
    for entry in entries:
        if limit is not None and len(clips) >= limit:
            break
        path = directory / entry["path"]
        audio, rate = read_mono(path)
        if rate != sample_rate:
            raise DatasetError(f"{path}: {rate} Hz, expected {sample_rate} Hz")
        if len(audio):
            clips.append(DatasetClip(Path(entry["path"]).stem, audio,
                                     bool(entry.get("harmonic")), entry.get("pitch")))
    if not clips:
        raise DatasetError(f"{directory}: the {split} split has no clips")
    return clips

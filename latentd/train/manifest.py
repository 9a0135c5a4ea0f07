"""The dataset folder's layout and its ``manifest.json``.

A dataset is ``train/*.wav``, ``test/*.wav`` and ``manifest.json``. The manifest lists every clip
with its split and what is known about it (instrument, pitch, velocity for rendered notes), so
that evaluation can pick the held-out harmonic notes without guessing from file names.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from latentd.train.errors import DatasetError

MANIFEST = "manifest.json"
FORMAT = "latentd-dataset"
VERSION = 1
SPLITS = ("train", "test")


def assign_splits(groups: Sequence[str], test_fraction: float, seed: int) -> list[str]:
    """'train' or 'test' for each item, holding out ``test_fraction`` of every group.

    Stratified by group (an instrument family, or a source file's folder) so the held-out split
    covers the same spread as training; deterministic for the seed. A group of fewer than
    ``1 / test_fraction`` items still gives one to the test split only if it has at least two.
    """
    if not 0.0 <= test_fraction < 1.0:
        raise DatasetError(f"test fraction must be in [0, 1), got {test_fraction}")
    rng = random.Random(seed)
    members: dict[str, list[int]] = defaultdict(list)
    for index, group in enumerate(groups):
        members[group].append(index)
    splits = ["train"] * len(groups)
    for group in sorted(members):
        indices = members[group][:]
        rng.shuffle(indices)
        count = round(len(indices) * test_fraction)
        if count == 0 and test_fraction > 0 and len(indices) >= 2:
            count = 1
        for index in indices[:count]:
            splits[index] = "test"
    return splits


def prepare_output(directory: Path) -> None:
    """Create the folder, and clear clips a previous build left, so no stale clip lingers.

    Only ``train/*.wav``, ``test/*.wav`` and the manifest are removed: pointing ``-o`` at a
    folder of other files never deletes them.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for split in SPLITS:
        for stale in (directory / split).glob("*.wav"):
            stale.unlink()
    (directory / MANIFEST).unlink(missing_ok=True)


def write_manifest(directory: Path, clips: Iterable[dict[str, Any]], **header: Any) -> Path:
    """Write ``manifest.json`` (sorted keys, so the same build gives the same bytes)."""
    clips = list(clips)
    payload = {"format": FORMAT, "version": VERSION, **header,
               "counts": {s: sum(c["split"] == s for c in clips) for s in SPLITS},
               "seconds": {s: round(sum(c["seconds"] for c in clips if c["split"] == s), 3)
                           for s in SPLITS},
               "clips": clips}
    path = directory / MANIFEST
    path.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n")
    return path


def read_manifest(directory: str | Path) -> dict[str, Any]:
    """The manifest, checked; a folder without one is an error that says how to build it."""
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise DatasetError(f"{directory}: no {MANIFEST}; build a dataset with "
                           "`latentd dataset gm` or `latentd dataset wav`")
    payload = json.loads(path.read_text())
    if payload.get("format") != FORMAT or not isinstance(payload.get("clips"), list):
        raise DatasetError(f"{path}: not a latentd dataset manifest")
    return payload

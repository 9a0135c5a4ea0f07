"""A dataset split decoded once into one memory-mapped float32 file, reused by later runs.

Decoding hundreds of WAV (or FLAC, MP3) files at every start, and holding every clip in each
process's memory, is what stops a multi-GPU run from starting fast: with the cache, the loader
processes of all ranks share the page cache of one file and read only the crops they need.

The cache is never silently stale: its key hashes the manifest's bytes and, for every clip
file, its path, size, modification time (ns) and inode, with the sample rate and this format's
version. A changed, added, removed or re-rendered file gives a new key, and so a rebuild; the
entries of the same dataset and split with an older key are deleted then. A build is written
to a temporary folder and renamed into place, so a killed build leaves nothing that looks done.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from latentd.train.manifest import MANIFEST, read_manifest
from latentd.train.splits import read_split

CACHE_VERSION = 1


@dataclass(frozen=True)
class CachedSplit:
    """One split's clips: offsets and lengths into one float32 ``.npy`` file."""

    folder: Path
    offsets: tuple[int, ...]
    lengths: tuple[int, ...]
    names: tuple[str, ...]
    built: bool  # decoded by this call (False: reused)

    @property
    def samples_path(self) -> Path:
        return self.folder / "samples.npy"

    def samples(self) -> np.ndarray:
        """The memory-mapped samples (opened read-only on each call: cheap, and a loader
        process opens its own map instead of receiving a copy)."""
        return np.load(self.samples_path, mmap_mode="r")

    def clips(self) -> list[np.ndarray]:
        """Every clip as a view into the map."""
        samples = self.samples()
        return [samples[o: o + n] for o, n in zip(self.offsets, self.lengths, strict=True)]


def default_cache_root() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "latentd" / "audio"


def dataset_key(data: Path, split: str, sample_rate: int) -> str:
    """What the decoded split depends on (see the module docstring)."""
    digest = hashlib.sha256(f"audio v{CACHE_VERSION} {split} {sample_rate}".encode())
    manifest = read_manifest(data)
    digest.update((data / MANIFEST).read_bytes())
    for entry in manifest["clips"]:
        if entry["split"] != split:
            continue
        path = data / entry["path"]
        try:
            stat = path.stat()
        except FileNotFoundError:
            digest.update(f"{entry['path']} missing".encode())
            continue
        digest.update(f"{entry['path']} {stat.st_size} {stat.st_mtime_ns} {stat.st_ino}"
                      .encode())
    return digest.hexdigest()[:24]


def dataset_prefix(data: Path, split: str) -> str:
    """Names the cache entries of one dataset folder and split, whatever their key."""
    return hashlib.sha256(str(data.resolve()).encode()).hexdigest()[:12] + f"-{split}-"


def cached_split(data: str | Path, split: str, sample_rate: int, root: Path | None = None,
                 log: Callable[[str], None] = print) -> CachedSplit:
    """The split from the cache under ``root``, decoding it first when the cache has no entry
    for the dataset as it is now."""
    data = Path(data)
    root = root or default_cache_root()
    prefix = dataset_prefix(data, split)
    folder = root / (prefix + dataset_key(data, split, sample_rate))
    index = folder / "index.json"
    if index.is_file():
        return _open(folder, built=False)
    clips = read_split(data, split, sample_rate)
    root.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    try:
        lengths = [len(c.audio) for c in clips]
        samples = np.lib.format.open_memmap(building / "samples.npy", mode="w+",
                                            dtype=np.float32, shape=(sum(lengths),))
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(int).tolist()
        for clip, offset in zip(clips, offsets, strict=True):
            samples[offset: offset + len(clip.audio)] = clip.audio
        samples.flush()
        del samples
        (building / "index.json").write_text(json.dumps(
            {"offsets": offsets, "lengths": lengths, "names": [c.name for c in clips],
             "dataset": str(data.resolve()), "split": split, "sample_rate": sample_rate}))
        try:
            building.rename(folder)
        except OSError:  # another process (a rank on this machine) finished first
            shutil.rmtree(building, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    for stale in root.glob(prefix + "*"):
        if stale != folder:
            shutil.rmtree(stale, ignore_errors=True)
    log(f"data cache: decoded {len(clips)} {split} clips ({sum(lengths) / sample_rate / 60:.1f} "
        f"min of audio) into {folder}")
    return _open(folder, built=True)


def _open(folder: Path, built: bool) -> CachedSplit:
    index = json.loads((folder / "index.json").read_text())
    return CachedSplit(folder, tuple(index["offsets"]), tuple(index["lengths"]),
                       tuple(index["names"]), built)

"""A tiny dataset of harmonic notes with a manifest that says so, and a tiny checkpoint."""

import numpy as np
import pytest
import torch

from latentd.models.checkpoint import save_checkpoint
from latentd.models.rave import RaveConfig, RaveModel
from latentd.train.audio_files import write_wav
from latentd.train.manifest import write_manifest
from latentd.train.pitch import midi_to_hz

RATE = 44100
TRAIN_PITCHES = (45, 52, 57, 60, 64, 69)
TEST_PITCHES = (55, 62, 67)


def harmonic_note(pitch: int, seconds: float = 0.4, rate: int = RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    f = midi_to_hz(pitch)
    tone = sum(np.sin(2 * np.pi * k * f * t) / k for k in range(1, 6))
    attack = np.minimum(t / 0.01, 1.0)
    return (0.3 * attack * np.exp(-4 * t) * tone).astype(np.float32)


@pytest.fixture(scope="session")
def note_dataset(tmp_path_factory):
    """train/ and test/ harmonic notes (manifest: kind note, harmonic, pitch) plus one noise
    burst per split that is not harmonic."""
    root = tmp_path_factory.mktemp("notes")
    rng = np.random.default_rng(0)
    entries = []
    for split, pitches in (("train", TRAIN_PITCHES), ("test", TEST_PITCHES)):
        for pitch in pitches:
            path = f"{split}/n{pitch}.wav"
            write_wav(root / path, harmonic_note(pitch), RATE)
            entries.append({"path": path, "split": split, "kind": "note", "harmonic": True,
                            "pitch": pitch, "seconds": 0.4})
        noise = (0.1 * rng.standard_normal(int(0.3 * RATE))).astype(np.float32)
        write_wav(root / f"{split}/noise.wav", noise, RATE)
        entries.append({"path": f"{split}/noise.wav", "split": split, "kind": "phrase",
                        "harmonic": False, "pitch": None, "seconds": 0.3})
    write_manifest(root, entries, source="test", sample_rate=RATE)
    return root


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory):
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("tiny") / "tiny.ckpt"
    save_checkpoint(path, RaveModel(RaveConfig.tiny(noise=False)), metadata={"steps": 0})
    return path


@pytest.fixture(scope="session")
def cache_home(tmp_path_factory):
    return tmp_path_factory.mktemp("cache-home")


@pytest.fixture(autouse=True)
def _caches_in_tmp(cache_home, monkeypatch):
    """The decoded-dataset and latent caches of these tests live in a temporary folder, never
    in the user's ~/.cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))


def train_tiny(data, output, steps=1, resume=False, **extra):
    """A run of the tiny recipe on one thread, quiet, to ``steps``; the trainer it used."""
    from latentd.train.options import TrainOptions
    from latentd.train.trainer import Trainer

    options = TrainOptions(data=data, output=output, recipe="tiny", max_steps=steps,
                           resume=resume, threads=1, log_seconds=0.0, **extra)
    trainer = Trainer(options, log=lambda _: None)
    trainer.run()
    return trainer


def crops(trainer, count):
    """The trainer's next ``count`` crops, as its loader would read them."""
    from latentd.train.loader import CropDataset

    dataset = CropDataset(trainer.train_split, trainer.recipe.crop)
    return torch.stack([dataset[crop] for crop in trainer.planner.plan(count)])

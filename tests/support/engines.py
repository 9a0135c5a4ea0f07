"""Small real models and engines for engine tests."""

from pathlib import Path

import torch

from latentd.audio.null import NullBackend
from latentd.audio.wavfile import WavBackend
from latentd.engine.engine import Engine, EngineSettings
from latentd.models.checkpoint_synth import LatentdSynth
from latentd.models.rave import RaveConfig, RaveModel


def tiny_model(seed: int = 0, **overrides) -> RaveModel:
    torch.manual_seed(seed)
    config = dict(noise=False, bands=4, ratios=(4, 4), capacity=4, latent_size=4)
    config.update(overrides)
    return RaveModel(RaveConfig.tiny(**config)).eval()


def tiny_synth(seed: int = 0, name: str = "tiny", **overrides) -> LatentdSynth:
    return LatentdSynth(tiny_model(seed, **overrides), name)


def wav_engine(tmp_path: Path, synth, block_frames: int = 2, **settings) -> Engine:
    backend = WavBackend(tmp_path / "out.wav", synth.sample_rate, synth.channels,
                         synth.ratio * block_frames)
    return Engine(synth, backend, EngineSettings(block_frames=block_frames,
                                                 presets_dir=tmp_path / "presets",
                                                 recordings_dir=tmp_path / "rec", **settings))


def null_engine(tmp_path: Path, synth, block_frames: int = 4, **settings) -> Engine:
    backend = NullBackend(synth.sample_rate, synth.channels, 256)
    return Engine(synth, backend, EngineSettings(block_frames=block_frames,
                                                 presets_dir=tmp_path / "presets",
                                                 recordings_dir=tmp_path / "rec", **settings))

"""``latentd probe``: a dimension that changes the sound is measured as audible, one that does
nothing is not."""

import math

import pytest
import torch
from torch import nn

from latentd.__main__ import main
from latentd.models.rave import RaveConfig
from latentd.train.probe import Sweep, format_sweeps, posterior_frames, sweep
from latentd.train.splits import read_split

from .conftest import RATE


class ToyDecoder(nn.Module):
    """Dimension 0 sets the level, dimension 1 the brightness, dimension 2 does nothing."""

    def __init__(self, ratio):
        super().__init__()
        self.ratio = ratio

    def forward(self, z):
        frames = z.shape[-1]
        t = torch.arange(frames * self.ratio) / RATE
        level = torch.sigmoid(z[:, 0:1]).repeat_interleave(self.ratio, -1)
        bright = torch.sigmoid(z[:, 1:2]).repeat_interleave(self.ratio, -1)
        tone = torch.sin(2 * math.pi * 220 * t) + bright * torch.sin(2 * math.pi * 4400 * t)
        return level * tone


class ToyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.config = RaveConfig.tiny(latent_size=3)
        self.decoder = ToyDecoder(self.config.ratio)


def test_sweep_finds_what_each_dimension_does():
    model = ToyModel()
    sweeps = sweep(model, torch.zeros(3), torch.ones(3), steps=5, width=2.0, frames=64)
    assert [s.dimension for s in sweeps] == [0, 1, 2]
    level, brightness, nothing = sweeps
    assert level.values == pytest.approx([-2, -1, 0, 1, 2])
    assert level.level_change_db > 6 and level.centroid_change_pct < 1
    assert brightness.centroid_change_pct > 50
    assert nothing.level_change_db < 0.01 and nothing.centroid_change_hz < 1
    assert [s.audible for s in sweeps] == [True, True, False]
    table = format_sweeps(sweeps, 2.0)
    assert "2/3 dimensions audible" in table and "NO" in table


def test_sweep_scales_with_the_spread_and_needs_an_odd_step_count():
    sweeps = sweep(ToyModel(), torch.tensor([1.0, 0.0, 0.0]), torch.tensor([0.5, 1.0, 1.0]),
                   steps=3, width=3.0, frames=32)
    assert sweeps[0].values == pytest.approx([-0.5, 1.0, 2.5])
    with pytest.raises(ValueError, match="odd"):
        sweep(ToyModel(), torch.zeros(3), torch.ones(3), steps=4)


def test_a_silent_step_has_no_centroid_but_counts_by_level():
    s = Sweep(0, [-1.0, 0.0, 1.0], [float("nan"), 1000.0, 1000.0], [-120.0, -20.0, -20.0])
    assert math.isnan(s.centroid_hz[0]) and s.centroid_change_hz == 0
    assert s.level_change_db == 100 and s.audible


def test_posterior_frames_keep_only_sounding_frames(note_dataset, tiny_checkpoint):
    from latentd.models.checkpoint import load_model

    model, _ = load_model(tiny_checkpoint)
    clips = read_split(note_dataset, "test", RATE)
    frames = posterior_frames(model, clips)
    total = sum(math.ceil(len(c.audio) / model.config.ratio) for c in clips)
    assert frames.shape[1] == model.config.latent_size
    assert 0 < len(frames) < total  # the notes' first milliseconds (the attack) are left out


def test_probe_command(note_dataset, tiny_checkpoint, tmp_path, capsys):
    out = tmp_path / "probe.json"
    assert main(["probe", str(tiny_checkpoint), "--data", str(note_dataset), "--steps", "3",
                 "--json", str(out)]) == 0
    assert "dimensions audible" in capsys.readouterr().out
    assert out.is_file()


def test_sweep_reports_user_units():
    from latentd.models.latents import LatentStats

    stats = LatentStats(torch.tensor([1.0, 0.0, 0.0]), torch.tensor([0.5, 1.0, 1.0]))
    sweeps = sweep(ToyModel(), stats.mean, stats.std, steps=3, width=3.0, frames=32,
                   units=stats)
    assert sweeps[0].values == pytest.approx([-3.0, 0.0, 3.0])  # user units
    raw = sweep(ToyModel(), stats.mean, stats.std, steps=3, width=3.0, frames=32)
    assert raw[0].values == pytest.approx([-0.5, 1.0, 2.5])
    assert [s.level_db for s in sweeps] == [s.level_db for s in raw]  # same sounds


def test_probe_sweeps_user_units_around_zero_when_the_checkpoint_has_stats(
        note_dataset, tiny_checkpoint, tmp_path, capsys):
    import json

    from latentd.models.checkpoint import update_checkpoint
    from latentd.models.latents import LatentStats

    path = tmp_path / "stats.ckpt"
    stats = LatentStats(torch.full((4,), 0.1), torch.full((4,), 0.2))
    update_checkpoint(tiny_checkpoint, path, latent_stats=stats.to_payload())
    out = tmp_path / "probe.json"
    assert main(["probe", str(path), "--data", str(note_dataset), "--steps", "3", "--width",
                 "2", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "±2 in user units" in printed and "user units" in printed
    dimensions = json.loads(out.read_text())["dimensions"]
    assert all(d["values"] == pytest.approx([-2.0, 0.0, 2.0]) for d in dimensions)
    assert main(["probe", str(path), "--data", str(note_dataset), "--steps", "3",
                 "--centre", "held-out", "--json", str(out)]) == 0
    assert "sounding held-out frames" in capsys.readouterr().out
    assert json.loads(out.read_text())["dimensions"][0]["values"] != pytest.approx(
        [-3.0, 0.0, 3.0])


def test_centre_on_stats_needs_stats(note_dataset, tiny_checkpoint, capsys):
    assert main(["probe", str(tiny_checkpoint), "--data", str(note_dataset), "--steps", "3",
                 "--centre", "stats"]) == 1
    assert "no latent stats" in capsys.readouterr().err

"""``latentd evaluate``: the metrics reward a perfect reconstruction, punish a bad one, and the
command prints the table and the JSON."""

import json

import numpy as np
import pytest
import torch
from torch import nn

from latentd.__main__ import main
from latentd.models.checkpoint import load_model
from latentd.models.rave import RaveConfig
from latentd.train.evaluate import (
    GOALS,
    compare_pitch,
    evaluate,
    format_report,
    on_frame_grid,
    passes,
    reconstruct,
)
from latentd.train.splits import read_split

from .conftest import RATE, TEST_PITCHES, harmonic_note


class IdentityModel(nn.Module):
    """A 'model' whose latent is the audio itself, cut into frames: a perfect reconstruction,
    which evaluation must score as such (no offset, no level change)."""

    def __init__(self):
        super().__init__()
        self.config = RaveConfig.tiny(latent_size=16)  # ratio 16: one sample per dimension

    def encode(self, audio):
        ratio = self.config.ratio
        frames = audio.reshape(audio.shape[0], -1, ratio).transpose(1, 2)
        return frames, torch.zeros_like(frames)

    def decoder(self, z):
        return z.transpose(1, 2).reshape(z.shape[0], 1, -1)


def test_a_perfect_reconstruction_passes_every_goal(note_dataset):
    clips = read_split(note_dataset, "test", RATE)
    result = evaluate(IdentityModel(), clips)
    summary = result.summary
    assert summary["stft_model"] == pytest.approx(0.0, abs=1e-4)
    assert summary["stft_untrained"] > 1.0
    assert summary["pitch_cents"] == pytest.approx(0.0, abs=0.01)
    assert summary["pitch_notes"] == len(TEST_PITCHES)
    assert summary["loudness_r"] == pytest.approx(1.0)
    assert summary["tracker_vs_midi_cents"] < 5
    assert all(result.verdicts().values())
    assert format_report(result).count("PASS") == 3


def test_the_untrained_model_fails_the_reconstruction_goal(note_dataset, tiny_checkpoint):
    model, _ = load_model(tiny_checkpoint)
    result = evaluate(model, read_split(note_dataset, "test", RATE), seed=0)
    summary = result.summary
    assert summary["stft_ratio"] == pytest.approx(1.0)  # the checkpoint is the seed-0 init
    assert not result.verdicts()["stft_ratio"]
    assert "FAIL" in format_report(result)


def test_reconstruct_keeps_the_length_and_repeats_exactly(tiny_checkpoint):
    model, _ = load_model(tiny_checkpoint)
    audio = harmonic_note(60, seconds=0.1)[:4001]  # not a whole number of frames
    first = reconstruct(model, audio, seed=3)
    assert first.shape == audio.shape
    assert np.array_equal(first, reconstruct(model, audio, seed=3))


def test_compare_pitch_measures_a_detuned_output():
    note = harmonic_note(60)
    sharp = harmonic_note(60.5)  # a quarter tone up
    result = compare_pitch(note, sharp, RATE)
    assert result.median_cents == pytest.approx(50, abs=3)
    assert result.both == len(result.reference_f0) > 0
    silent = compare_pitch(note, np.zeros_like(note), RATE)
    assert silent.median_cents is None and silent.both == 0 and len(silent.output_f0) == 0


def test_frame_rate_grid_counts_multiples_only():
    frame_rate = RATE / 1024
    f0 = np.array([frame_rate * 5, frame_rate * 5.5, frame_rate * 12.01, 440.0])
    assert on_frame_grid(f0, frame_rate) == 2


def test_a_frame_rate_comb_is_flagged():
    """What a decoder fed steady latents plays: a waveform that repeats every latent frame, so
    every partial is a multiple of the frame rate (43 Hz at 1024 samples). The tracker hears
    the 43 Hz period, and the grid count says why."""
    frame_rate = RATE / 1024
    t = np.arange(int(0.4 * RATE)) / RATE
    phases = np.random.default_rng(0).uniform(0, 2 * np.pi, 16)
    comb = sum(np.sin(2 * np.pi * k * frame_rate * t + phases[k]) for k in range(5, 16)) / 10
    result = compare_pitch(harmonic_note(62), comb, RATE)
    assert on_frame_grid(result.output_f0, frame_rate) == len(result.output_f0) > 0
    assert on_frame_grid(result.reference_f0, frame_rate) < 0.2 * len(result.reference_f0)
    assert result.median_cents > 1000


def test_goal_relations():
    assert passes("stft_ratio", 0.5) and not passes("stft_ratio", 0.51)
    assert passes("loudness_r", 0.9) and not passes("loudness_r", 0.89)
    assert not passes("pitch_cents", float("nan"))
    assert set(GOALS) == {"stft_ratio", "pitch_cents", "loudness_r"}


def test_evaluate_command_prints_the_table_and_writes_json(note_dataset, tiny_checkpoint,
                                                           tmp_path, capsys):
    out = tmp_path / "eval.json"
    code = main(["evaluate", str(tiny_checkpoint), "--data", str(note_dataset), "--json",
                 str(out), "--dimensions", "--steps", "3"])
    printed = capsys.readouterr().out
    assert code == 0
    for text in ("STFT distance ratio", "pitch error, cents", "loudness-envelope r", "goal",
                 "dimensions audible"):
        assert text in printed
    payload = json.loads(out.read_text())
    assert payload["summary"]["clips"] == len(TEST_PITCHES) + 1
    assert payload["pass"]["stft_ratio"] is False
    assert len(payload["per_clip"]) == len(TEST_PITCHES) + 1
    assert len(payload["dimensions"]) == 4 and len(payload["dimensions"][0]["values"]) == 3


def test_check_flag_turns_a_missed_goal_into_exit_1(note_dataset, tiny_checkpoint):
    assert main(["evaluate", str(tiny_checkpoint), "--data", str(note_dataset), "--limit", "1",
                 "--check"]) == 1


def test_bad_inputs_exit_1_with_a_message(tmp_path, tiny_checkpoint, note_dataset, capsys):
    assert main(["evaluate", str(tiny_checkpoint), "--data", str(tmp_path)]) == 1
    assert "no manifest.json" in capsys.readouterr().err
    assert main(["evaluate", str(tmp_path / "missing.ckpt"), "--data",
                 str(note_dataset)]) == 1
    assert "not found" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--steps", "4"], ["--limit", "0"], ["--width", "-1"]])
def test_bad_numbers_are_usage_errors(tiny_checkpoint, note_dataset, argv):
    with pytest.raises(SystemExit) as exit_info:
        main(["evaluate", str(tiny_checkpoint), "--data", str(note_dataset), *argv])
    assert exit_info.value.code == 2


def test_latent_stats_do_not_change_the_evaluation(note_dataset, tiny_checkpoint, tmp_path):
    """Evaluation encodes and decodes in the encoder's own units, so the user units (an
    affine the round trip cancels) leave every number as it was; ``--dimensions`` reports its
    sweep in user units."""
    from latentd.models.checkpoint import update_checkpoint
    from latentd.models.latents import LatentStats

    path = tmp_path / "stats.ckpt"
    update_checkpoint(tiny_checkpoint, path, latent_stats=LatentStats(
        torch.full((4,), 0.3), torch.full((4,), 0.7)).to_payload())
    summaries = []
    for model in (tiny_checkpoint, path):
        out = tmp_path / f"{model.stem}.json"
        assert main(["evaluate", str(model), "--data", str(note_dataset), "--limit", "2",
                     "--dimensions", "--steps", "3", "--json", str(out)]) == 0
        summaries.append(json.loads(out.read_text()))
    assert summaries[0]["summary"] == summaries[1]["summary"]
    assert summaries[1]["dimensions"][0]["values"] == pytest.approx([-3.0, 0.0, 3.0])

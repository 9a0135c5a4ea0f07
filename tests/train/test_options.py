"""Each training option is declared once (a ``TrainOptions`` field): every field is a
``latentd train`` flag, its value reaches ``TrainOptions`` unchanged, and the trainer reads it,
so no flag can silently do nothing."""

from dataclasses import fields
from pathlib import Path

import pytest

from latentd.cli.flags import flag_names, flag_of
from latentd.cli.main import main
from latentd.train import trainer as trainer_module
from latentd.train.options import TrainOptions, stft_window_sizes

# a value for every field, none of them the default, and the argv that asks for it
GIVEN = {
    "recipe": ("tiny", "tiny"), "max_minutes": ("1.5", 1.5), "max_steps": ("1", 1),
    "resume": (None, True), "threads": ("1", 1), "save_minutes": ("2.5", 2.5),
    "log_seconds": ("0", 0.0), "seed": ("7", 7), "adversarial": (None, True),
    "adversarial_start": ("3", 3), "batch_size": ("3", 3), "learning_rate": ("0.001", 0.001),
    "stft_sizes": ("128,64", (128, 64)), "phase_weight": ("0.5", 0.5),
    "kl_beta": ("0.001", 0.001), "latent_noise": ("0.5", 0.5), "harmonics": ("2", 2),
    "pitch_latent": (None, True), "oscillator_warmup": ("1", 1), "pitch_weight": ("2", 2.0),
    "pitch_encoder_start": ("9", 9), "causal": (None, True),
    "init_from": ("base.ckpt", Path("base.ckpt")),
    "device": ("cpu", "cpu"), "precision": ("bf16", "bf16"), "workers": ("2", 2),
    "data_cache": ("cache", Path("cache")), "log_dir": ("runs", Path("runs")),
    "audio_every": ("50", 50),
}


def test_every_option_is_a_flag_whose_value_reaches_the_options(monkeypatch, tmp_path):
    specs = [spec for spec in fields(TrainOptions) if spec.name not in ("data", "output")]
    assert all(flag_of(spec) is not None for spec in fields(TrainOptions))
    assert {spec.name for spec in specs} == set(GIVEN), "give the new option a value here"
    argv = ["train", "--data", str(tmp_path / "data"), "-o", str(tmp_path / "out.ckpt")]
    for spec in specs:
        text, _ = GIVEN[spec.name]
        argv += [flag_names(spec)[-1]] + ([] if text is None else [text])
    received = []
    monkeypatch.setattr(trainer_module, "train", lambda options: received.append(options))
    assert main(argv) == 0
    assert received == [TrainOptions(data=tmp_path / "data", output=tmp_path / "out.ckpt",
                                     **{name: value for name, (_, value) in GIVEN.items()})]


class ReadOptions(TrainOptions):
    """TrainOptions that note which fields were read."""

    def __getattribute__(self, name):
        if name in TrainOptions.__dataclass_fields__:
            object.__getattribute__(self, "__dict__").setdefault("_read", set()).add(name)
        return object.__getattribute__(self, name)


def test_the_trainer_reads_every_option(note_dataset, tmp_path):
    """A run that starts, trains a step and saves reads each field (the recipe overrides
    through resolve_recipe): a field added without being used fails here."""
    options = ReadOptions(data=note_dataset, output=tmp_path / "run.ckpt", recipe="tiny",
                          max_steps=1, threads=1, log_seconds=0.0)
    trainer_module.Trainer(options, log=lambda _: None).run()
    assert set(TrainOptions.__dataclass_fields__) - options.__dict__["_read"] == set()


@pytest.mark.parametrize("text", ["", "512,x", "8", "64,15"])
def test_loss_windows_must_be_sizes_of_at_least_16(text):
    import argparse

    with pytest.raises(argparse.ArgumentTypeError):
        stft_window_sizes(text)
    assert stft_window_sizes("2048,16") == (2048, 16)


@pytest.mark.parametrize("command", ["train", "properties"])
def test_the_recipe_flag_is_recipe_and_config_still_names_it(command, tmp_path):
    """``--config`` means a TOML file to ``serve`` and ``play``: ``train`` and ``properties``
    call their recipe ``--recipe``, and keep ``--config`` working as its older name."""
    from latentd.cli.main import build_parser

    parser = build_parser()
    base = [command] + (["--data", str(tmp_path), "-o", str(tmp_path / "o.ckpt")]
                        if command == "train" else [])
    for name in ("--recipe", "--config"):
        assert parser.parse_args([*base, name, "tiny"]).recipe == "tiny", name
    assert parser.parse_args(base).recipe == "default"
    sub = parser._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    [action] = [a for a in sub._actions if a.dest == "recipe"]
    assert action.option_strings == ["--recipe", "--config"]
    assert "recipe" in (action.help or "")

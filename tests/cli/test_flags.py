"""Flags declared on dataclass fields (``latentd.cli.flags``): one declaration gives the flag,
its default, its check and the field of the options built from the parsed arguments."""

import argparse
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from latentd.cli.argtypes import positive
from latentd.cli.flags import add_flags, flag, flag_names, from_flags


@dataclass
class Options:
    source: Path = field(metadata=flag("where from", parse=Path))
    output: Path = field(metadata=flag("where to", parse=Path, names=("-o", "--output")))
    mode: str = field(default="fast", metadata=flag("how", choices=("fast", "slow")))
    rate: float | None = field(default=None, metadata=flag("how often",
                                                                    parse=positive(float)))
    dry_run: bool = field(default=False, metadata=flag("only say what would happen"))
    internal: int = 0  # not a flag


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="t")
    add_flags(parser, Options)
    return parser


def test_defaults_come_from_the_fields():
    args = parser().parse_args(["--source", "a", "-o", "b"])
    assert from_flags(Options, args) == Options(source=Path("a"), output=Path("b"))
    assert not hasattr(args, "internal")


def test_given_flags_reach_their_fields():
    args = parser().parse_args(["--source", "a", "--output", "b", "--mode", "slow",
                                "--rate", "2.5", "--dry-run"])
    assert from_flags(Options, args) == Options(Path("a"), Path("b"), "slow", 2.5, True)


def test_a_field_without_a_default_is_required_and_values_are_checked(capsys):
    with pytest.raises(SystemExit) as exit_info:
        parser().parse_args(["--source", "a"])
    assert exit_info.value.code == 2 and "-o/--output" in capsys.readouterr().err
    for argv in (["--rate", "0"], ["--mode", "medium"]):
        with pytest.raises(SystemExit) as exit_info:
            parser().parse_args(["--source", "a", "-o", "b", *argv])
        assert exit_info.value.code == 2 and argv[0] in capsys.readouterr().err


def test_flag_names_default_to_the_field_name():
    from dataclasses import fields

    names = {spec.name: flag_names(spec) for spec in fields(Options) if spec.name != "internal"}
    assert names == {"source": ("--source",), "output": ("-o", "--output"), "mode": ("--mode",),
                     "rate": ("--rate",), "dry_run": ("--dry-run",)}
    with pytest.raises(ValueError, match="internal"):
        flag_names(fields(Options)[-1])

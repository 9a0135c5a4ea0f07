"""``--voices``, ``--max-voices`` and ``--voice-outputs`` (issue 20): ranges, their relation, and
``--channels`` following the voices with ``--voice-outputs``."""

import argparse

import pytest

from latentd.__main__ import main
from latentd.daemon.config import add_arguments, build


def config_of(*flags: str):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return build(parser.parse_args(list(flags)))


def test_defaults_and_flags():
    config = config_of()
    assert (config.voices, config.max_voices, config.voice_outputs) == (1, 8, False)
    config = config_of("--voices", "4", "--max-voices", "6", "--voice-outputs")
    assert (config.voices, config.max_voices, config.channels) == (4, 6, 6)


def test_the_config_file_keys(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("[serve]\nvoices = 2\nmax_voices = 4\nvoice_outputs = true\n")
    config = config_of("--config", str(path))
    assert (config.voices, config.max_voices, config.voice_outputs, config.channels) == \
        (2, 4, True, 4)


@pytest.mark.parametrize("flags,message", [
    (["--voices", "9"], "voices 9 is more than max_voices 8"),
    (["--max-voices", "17"], "max_voices must be an integer in 1..16"),
    (["--voices", "0"], "voices must be an integer in 1..16"),
    (["--voice-outputs", "--channels", "2"], "--channels 2 must be --max-voices (8)"),
])
def test_bad_voice_settings_exit_2_naming_them(flags, message, capsys):
    assert main(["serve", *flags]) == 2
    assert message in capsys.readouterr().err

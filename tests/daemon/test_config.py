"""Every ``latentd serve`` setting is checked for type and range, from a TOML file or a flag:
a bad value is a usage error (exit 2) naming the setting, the value and what is accepted."""

import argparse
import functools
import math
import os

import pytest

from latentd.__main__ import main
from latentd.daemon.config import ServeConfig, add_arguments, build, settings
from latentd.daemon.settings_schema import ConfigError, Flag, Float, Int, Text, rule_of

# values of every TOML type (and a few Python ones a flag could produce)
SAMPLES = ["abc", "", 3, -1, 0, 2.5, math.nan, math.inf, 1e9, True, ["x"], [], {"a": 1},
           "10.0.0.0/8"]


def toml_literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(toml_literal(v) for v in value) + "]"
    return repr(value)


@pytest.fixture(scope="module", autouse=True)
def one_parser():
    """``main`` builds the whole CLI's parser (every command's flags) on each call: most of a
    refused setting's time here, hundreds of times. The same parser serves every call in this
    module; ``main`` and its checks are otherwise unchanged."""
    from latentd.cli import main as cli

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli, "build_parser", functools.cache(cli.build_parser))
        yield


def accepted(spec, value) -> bool:
    try:
        rule_of(spec).check(spec.name, value)
    except ConfigError:
        return False
    return True


def test_every_setting_declares_a_rule():
    for spec in settings():
        assert spec.metadata.get("rule") is not None, f"{spec.name} has no declared rule"


@pytest.mark.parametrize("spec", settings(), ids=lambda spec: spec.name)
def test_every_setting_refuses_wrong_values_from_toml_with_exit_2(spec, tmp_path, capsys):
    default = getattr(ServeConfig(), spec.name)
    refused = 0
    for value in SAMPLES:
        if accepted(spec, value):
            continue
        refused += 1
        config = tmp_path / "latentd.toml"
        config.write_text(f"[serve]\n{spec.name} = {toml_literal(value)}\n")
        assert main(["serve", "--config", str(config)]) == 2, (spec.name, value)
        err = capsys.readouterr().err
        assert f"error: {spec.name} must be" in err, err
        assert "Traceback" not in err
    assert refused >= 5, f"{spec.name} accepts nearly anything"
    assert accepted(spec, default) or default is None


@pytest.mark.parametrize("content, message", [
    ('sample_rate = "abc"', "sample_rate must be an integer in 8000..384000 (or unset), "
     "got 'abc'"),
    ('channels = "2"', "channels must be an integer in 1..64 (or unset), got '2'"),
    ("channels = 0", "channels must be an integer in 1..64 (or unset), got 0"),
    ('allow = "10.0.0.0/8"', "allow must be a list of networks"),
    ('allow = ["x"]', "'x' is not a network"),
    ("latency_ms = 1e9", "latency_ms must be a number in 1..2000, got 1000000000.0"),
    ("block_frames = 100000", "block_frames must be an integer in 1..64, got 100000"),
    ("rate_limit = 0.1", "rate_limit must be a number in 10..1e+06, got 0.1"),
    ("blocksize = 0", "blocksize must be an integer in 16..8192"),
    ('output = "speakers"', "output must be auto, null, wav:PATH or portaudio[:DEVICE]"),
    ('listen = "nowhere"', "listen must be an IP address"),
    ("duration = -1", "duration must be a number in 0.001..86400"),
    ('log_level = "loud"', "log_level must be one of debug, info, warning, error"),
    ("serve = 3", "'serve' must be a table"),
])
def test_the_reported_bad_configs_exit_2_with_the_setting_and_range(tmp_path, content, message,
                                                                   capsys):
    config = tmp_path / "latentd.toml"
    config.write_text(content + "\n")
    assert main(["serve", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert message in err, err


@pytest.mark.parametrize("flags, message", [
    (["--allow", "bogus"], "'bogus' is not a network"),
    (["--latency-ms", "1e9"], "latency_ms must be a number in 1..2000"),
    (["--block-frames", "100000"], "block_frames must be an integer in 1..64"),
    (["--rate-limit", "0.1"], "rate_limit must be a number in 10..1e+06"),
    (["--channels", "0"], "channels must be an integer in 1..64"),
    (["--duration", "nan"], "duration must be a number"),
    (["--output", "wav:x.wav"], "needs --duration"),
])
def test_bad_flags_exit_2_naming_the_setting(flags, message, capsys):
    assert main(["serve", *flags]) == 2
    assert message in capsys.readouterr().err


def test_good_values_pass_and_are_normalised(tmp_path):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    config_file = tmp_path / "c.toml"
    config_file.write_text("[serve]\nallow = ['10.0.0.0/8', '192.168.1.7']\nlatency_ms = 120\n"
                           "presets_dir = '~/p'\nchannels = 2\nlisten = '::'\n")
    config = build(parser.parse_args(["--config", str(config_file), "--duration", "3"]))
    assert config.allow == ["10.0.0.0/8", "192.168.1.7"]
    assert config.latency_ms == 120.0 and isinstance(config.latency_ms, float)
    assert "~" not in str(config.presets_dir)
    assert config.given == {"allow", "latency_ms", "presets_dir", "channels", "listen",
                            "duration"}


def test_a_field_declared_without_a_rule_still_gets_one():
    from dataclasses import field, fields, make_dataclass

    plain = make_dataclass("Plain", [("trusted", bool, field(default=False)),
                                     ("count", int, field(default=3)),
                                     ("ratio", float, field(default=0.5)),
                                     ("name", str, field(default="x"))])
    kinds = [type(rule_of(spec)) for spec in fields(plain)]
    assert kinds == [Flag, Int, Float, Text]
    with pytest.raises(ConfigError, match="trusted must be true or false, got 'yes'"):
        rule_of(fields(plain)[0]).check("trusted", "yes")


@pytest.mark.parametrize("make, message", [
    (lambda p: p.mkdir(), "cannot read config"),
    (lambda p: os.mkfifo(p), "is not a regular file"),
    (lambda p: p.write_bytes(b"# " + b"x" * (1 << 20) + b"\n"), "is larger than 1048576 bytes"),
    (lambda p: p.write_bytes(b"port = 1\xff\n"), "is not UTF-8 text"),
])
def test_config_files_that_are_not_small_text_are_refused(tmp_path, make, message, capsys):
    path = tmp_path / "latentd.toml"
    make(path)
    assert main(["serve", "--config", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_the_watchdog_bounds_reach_the_engine(tmp_path):
    """--stall-seconds and --load-timeout-seconds are the engine's watchdog bounds
    (docs/osc.md model_state, load timeout); they are settings like any other."""
    from support.engines import tiny_synth

    from latentd.daemon.serve import build_engine

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    config = build(parser.parse_args(["--output", "null", "--stall-seconds", "0.5",
                                      "--load-timeout-seconds", "5",
                                      "--presets-dir", str(tmp_path / "p"),
                                      "--recordings-dir", str(tmp_path / "r")]))
    engine = build_engine(config, tiny_synth())  # the model is not the subject
    try:
        assert engine.settings.stall_seconds == 0.5
        assert engine.settings.load_timeout_seconds == 5.0
    finally:
        engine.stop(fade_seconds=0)
    assert main(["serve", "--stall-seconds", "0"]) == 2

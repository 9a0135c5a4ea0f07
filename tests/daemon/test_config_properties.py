"""Hypothesis over ``latentd serve``'s config files (latentd/daemon/config.py, TOML): whatever
a file holds, ``build`` gives a checked ServeConfig or refuses with a ConfigError (exit 2) that
names the setting; never another exception. Values inside a setting's declared range come
through unchanged, values outside it are refused, and a flag overrides the file."""

import argparse
import contextlib
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from latentd.daemon.config import ServeConfig, add_arguments, build
from latentd.daemon.config import settings as serve_settings
from latentd.daemon.settings_schema import ConfigError, Float, Int

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
RULES = {spec.name: spec.metadata["rule"] for spec in serve_settings()}
BOUNDED = sorted(name for name, rule in RULES.items()
                 if type(rule) in (Int, Float))  # plain numbers with a declared range


def toml_value(value):
    """One TOML value (the test writes the file itself: tomllib only reads)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") \
            if math.isinf(value) else repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


PARSER = argparse.ArgumentParser()
add_arguments(PARSER)


def parsed(path=None, argv=()):
    args = PARSER.parse_args([*argv, *([] if path is None else ["--config", str(path)])])
    return build(args)


scalars = st.one_of(st.booleans(), st.integers(-2**70, 2**70),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.text(max_size=20).filter(lambda t: "\x00" not in t))
values = st.one_of(scalars, st.lists(scalars, max_size=3))
keys = st.one_of(st.sampled_from(sorted(RULES)), st.from_regex(r"[a-z_]{1,12}", fullmatch=True))


@SETTINGS
@given(table=st.dictionaries(keys, values, max_size=6), top_level=st.booleans())
def test_any_config_file_is_checked_or_refused_with_a_config_error(tmp_path, table, top_level):
    lines = [] if top_level else ["[serve]"]
    lines += [f"{key} = {toml_value(value)}" for key, value in table.items()]
    path = tmp_path / "latentd.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        config = parsed(path)
    except ConfigError as error:
        assert str(error)  # a message that says what is wrong
        return
    assert isinstance(config, ServeConfig)
    for key in table:
        assert key in RULES  # an unknown key is never accepted silently


@SETTINGS
@given(data=st.data(), name=st.sampled_from(BOUNDED))
def test_a_value_inside_the_range_comes_through_and_one_outside_is_refused(tmp_path, data,
                                                                         name):
    rule = RULES[name]
    if isinstance(rule, Int):
        inside = data.draw(st.integers(rule.minimum, rule.maximum))
        outside = data.draw(st.one_of(st.integers(max_value=rule.minimum - 1),
                                      st.integers(min_value=rule.maximum + 1)))
    else:
        inside = data.draw(st.floats(rule.minimum, rule.maximum))
        outside = data.draw(st.one_of(
            st.floats(max_value=rule.minimum, exclude_max=True, allow_infinity=True),
            st.floats(min_value=rule.maximum, exclude_min=True, allow_infinity=True)))
    path = tmp_path / "latentd.toml"
    path.write_text(f"[serve]\n{name} = {toml_value(inside)}\n")
    try:
        config = parsed(path)
    except ConfigError as error:  # only a cross-setting rule may refuse a value in range
        assert "voices" in name and "max_voices" in str(error), error
        return
    assert getattr(config, name) == inside
    path.write_text(f"[serve]\n{name} = {toml_value(outside)}\n")
    try:
        parsed(path)
    except ConfigError as error:
        assert name in str(error)
    else:
        raise AssertionError(f"{name} = {outside} outside {rule.describe()} was accepted")


@SETTINGS
@given(file_value=st.integers(1, 65535), flag_value=st.integers(1, 65535))
def test_a_flag_overrides_the_file(tmp_path, file_value, flag_value):
    path = tmp_path / "latentd.toml"
    path.write_text(f"[serve]\nport = {file_value}\n")
    assert parsed(path).port == file_value
    assert parsed(path, ["--port", str(flag_value)]).port == flag_value


@SETTINGS
@given(content=st.binary(max_size=200))
def test_any_bytes_as_a_config_file_are_read_or_refused(tmp_path, content):
    path = tmp_path / "latentd.toml"
    path.write_bytes(content)
    with contextlib.suppress(ConfigError):
        parsed(path)

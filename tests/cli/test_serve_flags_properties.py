"""Hypothesis over ``latentd serve``'s command line (latentd/cli/serve.py, the flags of
latentd/daemon/config.py): any mix of its flags with any values either parses and builds a
checked config, or is refused as a usage error (argparse's exit 2, or a ConfigError, exit 2)
with a message; never a traceback."""

import argparse
import contextlib
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from latentd.cli.main import build_parser
from latentd.daemon.config import build
from latentd.daemon.settings_schema import ConfigError


def serve_options() -> dict[str, bool]:
    """Each ``latentd serve`` flag (but --help and --config, a file: the config tests' part)
    and whether it takes a value."""
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    serve = commands.choices["serve"]
    return {option: action.nargs != 0 for action in serve._actions
            for option in action.option_strings
            if option.startswith("--") and option not in ("--help", "--config")}


OPTIONS = serve_options()
PARSER = build_parser()
WORDS = st.one_of(st.integers(-10**6, 10**9).map(str),
                  st.floats(allow_nan=True, allow_infinity=True).map(repr),
                  st.sampled_from(["auto", "null", "none", "wav:x.wav", "portaudio", "::",
                                   "127.0.0.1", "10.0.0.0/8", "debug", "", "-1", "1e400"]),
                  st.text(max_size=12).filter(lambda t: "\x00" not in t))
ARGV = st.lists(st.tuples(st.sampled_from(sorted(OPTIONS)), WORDS), max_size=5)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(pairs=ARGV)
def test_any_serve_flags_build_a_checked_config_or_exit_2(pairs):
    argv = ["serve"]
    for option, word in pairs:
        argv += [f"{option}={word}"] if OPTIONS[option] else [option]
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            args = PARSER.parse_args(argv)
    except SystemExit as exit:
        assert exit.code == 2, argv
        return
    try:
        config = build(args)
    except ConfigError as error:
        assert error.exit_status == 2
        assert str(error)
        return
    assert config.port == args.port or args.port is None

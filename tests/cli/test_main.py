"""``latentd.cli.main``: every family registers its commands, and the one mapping from an error
to what the user sees: a ``LatentdError`` is one stderr line and its exit status, anything else
keeps its traceback."""

import argparse
import subprocess
import sys
from types import SimpleNamespace

import pytest

import latentd.cli.main as cli
from latentd.audio.backend import BackendError
from latentd.daemon.settings_schema import ConfigError
from latentd.errors import LatentdError, UsageError
from latentd.models.synth import ModelError
from latentd.render import RenderError

# the commands issue 16 found (and `properties`): a family that stops registering fails here
COMMANDS = ["demo", "models", "info", "properties", "export", "serve", "devices", "dataset",
            "train", "evaluate", "probe", "latent-stats", "train-prior", "render"]


def registered() -> list[str]:
    """Every command the parser has, in ``latentd --help``'s order."""
    parser = cli.build_parser()
    subparsers = next(action for action in parser._actions
                      if isinstance(action, argparse._SubParsersAction))
    return list(subparsers.choices)


class Unavailable(LatentdError):
    exit_status = 3


@pytest.fixture
def failing(monkeypatch):
    """A family whose one command, ``fail``, raises what the test gives it."""
    raised: list[BaseException] = []

    def fail(args: argparse.Namespace) -> int:
        raise raised[0]

    def register(commands: argparse._SubParsersAction) -> None:
        commands.add_parser("fail").set_defaults(run=fail)

    monkeypatch.setattr(cli, "FAMILIES", (*cli.FAMILIES, SimpleNamespace(register=register)))
    return raised


def test_help_lists_every_command():
    result = subprocess.run([sys.executable, "-m", "latentd", "--help"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    listed = result.stdout.split("{", 1)[1].split("}", 1)[0].split(",")
    assert listed == registered()
    assert [command for command in listed if command in COMMANDS] == COMMANDS


@pytest.mark.parametrize("command", registered())
def test_each_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main([command, "--help"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: latentd {command}")


def test_a_latentd_error_is_one_line_and_its_exit_status(failing, capsys):
    failing.append(Unavailable("the thing is missing\nbecause the other thing said so"))
    assert cli.main(["fail"]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "latentd fail: error: the thing is missing because the other thing said so\n"


@pytest.mark.parametrize(("error", "status"), [
    (LatentdError("refused"), 1), (ModelError("refused"), 1), (BackendError("refused"), 1),
    (UsageError("refused"), 2), (ConfigError("refused"), 2), (RenderError("refused"), 2)])
def test_each_packages_error_gives_its_status(failing, capsys, error, status):
    failing.append(error)
    assert cli.main(["fail"]) == status
    assert capsys.readouterr().err == "latentd fail: error: refused\n"


def test_package_errors_keep_their_builtin_base():
    """Callers that catch ValueError or RuntimeError still catch them."""
    assert issubclass(ModelError, ValueError) and issubclass(ConfigError, ValueError)
    assert issubclass(RenderError, ValueError) and issubclass(BackendError, RuntimeError)


@pytest.mark.parametrize("error", [RuntimeError("a bug"), KeyboardInterrupt()])
def test_anything_else_is_not_swallowed(failing, capsys, error):
    failing.append(error)
    with pytest.raises(type(error)):
        cli.main(["fail"])
    assert capsys.readouterr().err == ""


def test_a_bug_keeps_its_traceback_in_a_real_process(tmp_path):
    """The installed entry point as a user meets it: the traceback reaches stderr."""
    program = ("import sys, latentd.cli.main as cli\n"
               "from types import SimpleNamespace\n"
               "def boom(args): raise ZeroDivisionError('a bug')\n"
               "def register(commands): commands.add_parser('boom').set_defaults(run=boom)\n"
               "cli.FAMILIES += (SimpleNamespace(register=register),)\n"
               "sys.exit(cli.main(['boom']))\n")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "ZeroDivisionError: a bug" in result.stderr


def test_a_real_refusal_in_a_real_process(tmp_path):
    result = subprocess.run([sys.executable, "-m", "latentd", "info",
                             str(tmp_path / "nope.ckpt")], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith("latentd info: error: ")
    assert "not found" in result.stderr and result.stderr.count("\n") == 1


def test_argparse_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["no-such-command"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err

"""The ``latentd`` command: the parser built from every command family, and the one place where
an error becomes an exit status.

A family is a module of ``latentd.cli`` with ``register(subparsers) -> None``, which adds its
subcommands and gives each ``set_defaults(run=function)``; ``run`` takes the parsed arguments
and returns the exit status. To add a subcommand, add it to its family's ``register``; to add a
family, write its module and add it to ``FAMILIES`` (the order is ``latentd --help``'s).

Commands raise rather than print their refusals: a ``latentd.errors.LatentdError`` (every
package's errors derive from it) becomes one line on stderr, ``latentd COMMAND: error:
MESSAGE`` (the form argparse gives its own usage errors), and the error's ``exit_status`` (1,
or 2 for a ``UsageError``). Anything else is a bug and keeps its traceback; Ctrl-C
(``KeyboardInterrupt``) is not caught either, so it stops any command as Python does.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from latentd import __version__
from latentd.cli import bench, demo, devices, models, render, serve, train, tui
from latentd.errors import LatentdError

FAMILIES: tuple[ModuleType, ...] = (
    demo,  # demo
    models,  # models, info, properties, export
    serve,  # serve
    devices,  # devices
    train,  # dataset, train, evaluate, probe, latent-stats, train-prior
    render,  # render
    tui,  # tui, play
    bench,  # bench
)


def build_parser() -> argparse.ArgumentParser:
    """Every family's subcommands under one ``latentd`` parser."""
    parser = argparse.ArgumentParser(prog="latentd",
                                     description="latentd: a real-time neural audio synth.")
    parser.add_argument("--version", action="version", version=f"latentd {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for family in FAMILIES:
        family.register(commands)
    return parser


def report(error: LatentdError, command: str) -> int:
    """Say ``error`` on one line of stderr and give its exit status: the rule every command
    follows, here once (``latentd serve`` calls it too, as it leaves through ``exit_now``)."""
    message = " ".join(str(error).splitlines())  # one line, even when it quotes a library
    print(f"latentd {command}: error: {message}", file=sys.stderr)
    return error.exit_status


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: the process's arguments) and run the chosen command; the exit
    status. argparse's own usage errors exit 2 through ``SystemExit`` as usual."""
    args = build_parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except LatentdError as error:
        return report(error, args.command)
    return status

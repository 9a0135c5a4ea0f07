"""The one base for errors a user causes and can fix, and the exit status each one gives.

Every package's refusals (``ModelError``, ``BackendError``, ``ConfigError``, dataset and
training errors ...) derive from ``LatentdError``, so the command line maps errors to exit
codes in one place (``latentd.cli.main.report``): a ``LatentdError`` prints its message on one
line of stderr, ``latentd COMMAND: error: MESSAGE``, and exits with its ``exit_status``;
anything else is a bug and keeps its traceback. The message names the culprit and the remedy;
it is shown to the user as it is. A package's error keeps its builtin base too (``ModelError``
is also a ``ValueError``), so code that catches the builtin still catches it.
"""

from __future__ import annotations


class LatentdError(Exception):
    """A refusal the user can act on: exit status 1 unless a subclass says otherwise."""

    exit_status: int = 1


class UsageError(LatentdError):
    """The command was asked wrongly (a flag, an argument, a combination): exit status 2, as
    argparse gives for its own usage errors."""

    exit_status = 2

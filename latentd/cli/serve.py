"""``latentd serve``: its flags (``latentd.daemon.config``) and the command around the daemon's
run (``latentd.daemon.serve.run``).

A bad flag or setting is raised before anything starts (``ConfigError``, exit 2) and reported
by ``latentd.cli.main`` like any other command's. Once the daemon has begun (signal handlers,
logging, the first model load on a thread), the process must leave through ``exit_now``, not by
returning (``latentd.daemon.shutdown`` says why), so an error from then on is reported here,
with the same ``report``, before leaving.
"""

from __future__ import annotations

import argparse

from latentd.daemon.config import ConfigError, add_arguments, build
from latentd.errors import LatentdError


def serve_command(args: argparse.Namespace) -> int:
    from latentd.cli.main import report  # main imports this family
    from latentd.daemon.serve import configure_logging, run
    from latentd.daemon.shutdown import Shutdown, exit_now

    config = build(args)
    if config.output.startswith("wav:") and config.duration is None:
        raise ConfigError("--output wav:PATH renders offline and needs --duration SECONDS "
                          "(or duration = SECONDS in the config)")
    shutdown = Shutdown().install()  # before anything slow: a signal always stops in order
    configure_logging(config.log_level)
    try:
        status = run(config, shutdown)
    except LatentdError as error:
        status = report(error, "serve")
    exit_now(status)
    return status  # not reached


def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="run the synthesis daemon")
    add_arguments(serve)
    serve.set_defaults(run=serve_command)

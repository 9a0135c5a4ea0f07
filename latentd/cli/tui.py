"""``latentd tui`` (the TUI on a running daemon) and ``latentd play`` (a daemon as a child
process and the TUI on it: the one-command way to perform).

``play`` takes exactly ``serve``'s options (the same declaration, ``latentd.daemon.config``),
checks them before starting anything, and hands them to ``latentd serve`` in the child
unchanged; the TUI connects to the port they name.
"""

from __future__ import annotations

import argparse

from latentd.daemon.config import ServeConfig, add_arguments, build
from latentd.errors import LatentdError

DEFAULT_PORT: int = ServeConfig.port  # the daemon's own default, declared once there


def tui_command(args: argparse.Namespace) -> int:
    from latentd.tui.app import LatentdApp

    app = LatentdApp(args.host, args.port)
    app.run()
    return 0


def play_command(args: argparse.Namespace) -> int:
    from latentd.tui.app import LatentdApp
    from latentd.tui.child import ChildDaemon

    config = build(args)  # a bad option is refused here, before a daemon starts
    serve_args = serve_arguments(args.play_parser, args)
    host = "127.0.0.1" if config.listen in ("0.0.0.0", "::", "127.0.0.1", "") \
        else config.listen
    child = ChildDaemon(serve_args)
    app = LatentdApp(host, config.port, child=child)
    try:
        app.run()
    finally:  # whatever ended the app (q, SIGTERM, SIGHUP, an error), the daemon stops too
        status = child.stop()
    if app.child_status is not None and app.child_status != 0:
        raise LatentdError(f"the daemon exited with status {app.child_status}")
    return 0 if status in (0, None) else 1


def serve_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[str]:
    """The serve options given to ``play``, as ``latentd serve`` arguments for the child
    (only those given: the child applies its own defaults and config file the same way)."""
    out: list[str] = []
    for action in parser._actions:
        if not action.option_strings or action.dest in ("help",):
            continue
        value = getattr(args, action.dest, None)
        if value is None or value == action.default:
            continue
        flag = action.option_strings[-1]
        if isinstance(action, argparse.BooleanOptionalAction):  # --x / --no-x
            out.append(action.option_strings[0 if value else 1])
        elif isinstance(action, argparse._StoreConstAction):  # store_true / store_false
            out.append(flag)
        elif isinstance(value, list):
            for item in value:
                out += [flag, str(item)]
        else:
            out += [flag, str(value)]
    return out


def register(commands: argparse._SubParsersAction) -> None:
    tui = commands.add_parser("tui", help="monitor and perform on a running daemon")
    tui.add_argument("--host", default="127.0.0.1", help="the daemon's host (default 127.0.0.1)")
    tui.add_argument("--port", type=int, default=DEFAULT_PORT,
                     help=f"the daemon's OSC port (default {DEFAULT_PORT})")
    tui.set_defaults(run=tui_command)
    play = commands.add_parser("play", help="start a daemon (serve's options) and the TUI on it")
    add_arguments(play)
    play.set_defaults(run=play_command, play_parser=play)

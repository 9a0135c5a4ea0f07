"""The ``latentd`` command line."""

from __future__ import annotations

import argparse
import sys

from latentd import __version__


def _demo(args: argparse.Namespace) -> int:
    from latentd.demo import run_demo

    return run_demo(blocks=args.blocks, seconds=args.seconds)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="latentd", description=__doc__)
    parser.add_argument("--version", action="version", version=f"latentd {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo", help="stream a small random decoder and check it against its offline output")
    demo.add_argument("--blocks", type=int, default=1, help="latent frames per block")
    demo.add_argument("--seconds", type=float, default=5.0, help="seconds of audio to stream")
    demo.set_defaults(run=_demo)
    from latentd.models.cli import add_commands as add_model_commands

    add_model_commands(commands)
    from latentd.daemon.serve import add_commands as add_daemon_commands

    add_daemon_commands(commands)
    from latentd.cli.train import register as add_train_commands

    add_train_commands(commands)
    from latentd.render import add_commands as add_render_commands

    add_render_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    from latentd.models.synth import ModelError

    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ModelError as exc:
        print(f"latentd: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

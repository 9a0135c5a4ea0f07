"""``latentd demo``: the streaming core checked on a small random decoder (``latentd.demo``)."""

from __future__ import annotations

import argparse


def demo_command(args: argparse.Namespace) -> int:
    from latentd.demo import run_demo  # torch: imported when the command runs

    return run_demo(blocks=args.blocks, seconds=args.seconds)


def register(commands: argparse._SubParsersAction) -> None:
    demo = commands.add_parser(
        "demo", help="stream a small random decoder and check it against its offline output")
    demo.add_argument("--blocks", type=int, default=1, help="latent frames per block")
    demo.add_argument("--seconds", type=float, default=5.0, help="seconds of audio to stream")
    demo.set_defaults(run=demo_command)

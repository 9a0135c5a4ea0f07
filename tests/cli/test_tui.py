"""``latentd play`` hands its serve options to the child ``latentd serve`` unchanged: parsed by
serve's own parser they give the same configuration."""

from __future__ import annotations

import argparse

import pytest

from latentd.cli import serve, tui
from latentd.daemon.config import build


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser()
    commands = top.add_subparsers(dest="command")
    serve.register(commands)
    tui.register(commands)
    return top


@pytest.mark.parametrize("options", [
    [],
    ["--output", "null", "--port", "5999"],
    ["--output", "null", "--listen", "0.0.0.0", "--allow", "10.0.0.0/8", "--allow",
     "192.168.0.0/16", "--no-trusted-models", "--latency-ms", "80", "--block-frames", "2"],
    ["--model", "default", "--log-level", "debug", "--rate-limit", "500"],
])
def test_play_passes_serve_options_through(options: list[str]) -> None:
    top = parser()
    played = top.parse_args(["play", *options])
    handed = tui.serve_arguments(played.play_parser, played)
    served = top.parse_args(["serve", *handed])
    assert build(served) == build(played)


def test_tui_defaults() -> None:
    top = parser()
    args = top.parse_args(["tui"])
    assert (args.host, args.port) == ("127.0.0.1", 57130)
    assert args.run is tui.tui_command

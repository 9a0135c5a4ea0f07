"""Snapshots of the main and help screens, fed a recorded telemetry stream (stream.json, from
record_stream.py): no network, a fixed terminal size and a frozen clock, so the screen is the
same on every run. ``--snapshot-update`` rewrites them after a deliberate change (look at the
SVGs under __snapshots__ first)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from latentd.tui.app import LatentdApp

STREAM = Path(__file__).with_name("stream.json")
SIZE = (120, 40)


def replayed() -> LatentdApp:
    stream: list[tuple[str, list[Any]]] = [(a, v) for a, v in json.loads(STREAM.read_text())]
    return LatentdApp(connect=False, clock=lambda: 1000.0, feed=stream)


def test_main_screen(snap_compare: Any) -> None:
    assert snap_compare(replayed(), press=["down", "down"], terminal_size=SIZE)


def test_help_screen(snap_compare: Any) -> None:
    assert snap_compare(replayed(), press=["question_mark"], terminal_size=SIZE)


def test_main_screen_at_80x24(snap_compare: Any) -> None:
    """The compact layout (one border row per pane): every status line and the log fit."""
    assert snap_compare(replayed(), press=["down"], terminal_size=(80, 24))


def test_three_voices(snap_compare: Any, voices_stream: list[tuple[str, list[Any]]]) -> None:
    """The voices pane (levels, mute, source, pitch) and voice 1 selected: its latents."""
    app = LatentdApp(connect=False, clock=lambda: 1000.0, feed=voices_stream)
    assert snap_compare(app, press=["v"], terminal_size=SIZE)


def test_three_voices_at_80x24(snap_compare: Any,
                               voices_stream: list[tuple[str, list[Any]]]) -> None:
    app = LatentdApp(connect=False, clock=lambda: 1000.0, feed=voices_stream)
    assert snap_compare(app, press=["v", "v"], terminal_size=(80, 24))

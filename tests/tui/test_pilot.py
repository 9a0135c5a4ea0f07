"""Each key binding, pressed in the real app (Textual's Pilot) against a real daemon, changes
the daemon's state as the help screen says; the state is read back over OSC by a separate
subscriber, never from the app itself."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest
from support.osc import SubprocessDaemon
from support.tui import Observer
from textual import events

from latentd.tui.app import GLIDES, LatentdApp
from latentd.tui.screens.dialogs import ModelPicker
from latentd.tui.screens.help import HelpScreen
from latentd.tui.screens.main import MainScreen
from latentd.tui.widgets.event_log import EventLog

pytestmark = pytest.mark.slow


async def until(check: Callable[[], bool], observer: Observer, pilot: Any,
                timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        observer.poll()
        try:
            if check():
                return
        except (KeyError, IndexError) as error:  # that message has not come yet
            last = error
        await pilot.pause(0.05)
    raise AssertionError(f"not reached within {timeout} s ({last}); latest {observer.latest}")


def test_every_binding_changes_the_daemon(daemon: SubprocessDaemon) -> None:
    asyncio.run(_play_every_binding(daemon))


async def _play_every_binding(daemon: SubprocessDaemon) -> None:
    seen = Observer(daemon.port)
    app = LatentdApp("127.0.0.1", daemon.port)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(lambda: app.connection_text() == "connected" and len(app.state.names)
                        == 8 and "/latent.target" in seen.latest, seen, pilot, 15)
            # "0" first: the shared daemon's latent 1 is wherever an earlier test left it
            await pilot.press("down", "0", "right", "right")
            await until(lambda: abs(seen.target(1) - 0.10) < 1e-4, seen, pilot)
            await pilot.press("shift+right")
            await until(lambda: abs(seen.target(1) - 0.60) < 1e-4, seen, pilot)
            await pilot.press("shift+left", "left")
            await until(lambda: abs(seen.target(1) - 0.05) < 1e-4, seen, pilot)
            await pilot.press("0")
            await until(lambda: seen.target(1) == 0.0, seen, pilot)
            await pilot.press("enter", *"-1.25", "enter")
            await until(lambda: abs(seen.target(1) + 1.25) < 1e-4, seen, pilot)
            await pilot.press("2", *".5", "enter")  # a digit starts the value
            await until(lambda: abs(seen.target(1) - 2.5) < 1e-4, seen, pilot)
            await pilot.press("up", "r")
            await until(lambda: seen.target(0) != 0.0 and seen.target(1) == pytest.approx(2.5),
                        seen, pilot)
            before = list(seen.latest["/latent.target"])
            await pilot.press("R")
            await until(lambda: all(a != b for a, b in zip(seen.latest["/latent.target"],
                                                           before, strict=True)), seen, pilot)
            await pilot.press("b", "b", "B")
            await until(lambda: seen.latest["/bias.state"][0] == pytest.approx(0.1), seen, pilot)
            await pilot.press("k", "K", "K")
            await until(lambda: seen.latest["/scale.state"][0] == pytest.approx(0.9), seen,
                        pilot)
            glide = GLIDES.index(50.0)
            await pilot.press("g")
            await until(lambda: seen.control("glide_ms") == GLIDES[glide + 1], seen, pilot)
            await pilot.press("G", "G")
            await until(lambda: seen.control("glide_ms") == GLIDES[glide - 1], seen, pilot)
            await pilot.press("s")
            await until(lambda: seen.control("source") == "drift", seen, pilot)
            # input needs an open input (this daemon has none): refused, shown, then skipped
            log = app.screen.query_one(EventLog)
            await pilot.press("s")
            await until(lambda: any("FAIL /source" in line for line in log.lines), seen, pilot)
            assert seen.control("source") == "drift"
            await pilot.press("s")
            await until(lambda: seen.control("source") == "prior", seen, pilot)
            await pilot.press("s")
            await until(lambda: seen.control("source") == "manual", seen, pilot)
            await pilot.press("d")
            await until(lambda: seen.control("drift_mode") == "lfo", seen, pilot)
            await pilot.press("right_square_bracket", "right_square_bracket",
                              "left_square_bracket")
            await until(lambda: seen.control("drift_rate") == pytest.approx(0.25), seen, pilot)
            await pilot.press("right_curly_bracket", "left_curly_bracket", "left_curly_bracket")
            await until(lambda: seen.control("drift_depth") == pytest.approx(0.25), seen, pilot)
            await pilot.press("T", "T", "t")
            await until(lambda: seen.control("temperature") == pytest.approx(0.9), seen, pilot)
            await pilot.press("minus", "minus", "minus", "plus")
            await until(lambda: seen.control("gain_db") == pytest.approx(-2.0), seen, pilot)
            await pilot.press("m")
            await until(lambda: seen.control("mute") == 1, seen, pilot)
            await pilot.press("m")
            await until(lambda: seen.control("mute") == 0, seen, pilot)
            # presets: save slot 3, change, recall it (morph time 0.5 s with "o")
            saved = seen.target(0)
            await pilot.press("P", "3")
            await until(lambda: (daemon.presets_dir / "3.json").exists(), seen, pilot)
            await pilot.press("0")
            await until(lambda: seen.target(0) == 0.0, seen, pilot)
            await pilot.press("o", "p", "3")
            await until(lambda: seen.target(0) == pytest.approx(saved, abs=1e-4), seen, pilot)
            # recording start and stop, the file name from the daemon's status
            await pilot.press("ctrl+r")
            await until(lambda: seen.status("recording") != "none", seen, pilot)
            await until(lambda: app.state.status.get("recording") != "none", seen, pilot)
            await pilot.press("ctrl+r")
            await until(lambda: seen.status("recording") == "none", seen, pilot)
            assert list(daemon.recordings_dir.glob("*.wav"))
            # the model picker lists /model/list and loads the chosen one
            await pilot.press("l")
            await until(lambda: isinstance(app.screen, ModelPicker), seen, pilot)
            await pilot.press("enter")
            log = app.screen.query_one(EventLog)
            await until(lambda: any("ok /model/load" in line for line in log.lines), seen, pilot,
                        30)
            # a refused request is shown as it came: /fail in the event log
            await pilot.press("p", "9")  # slot 9 was never saved
            log = app.screen.query_one(EventLog)
            await until(lambda: any("FAIL /preset/load" in line for line in log.lines), seen,
                        pilot)
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            assert not isinstance(app.screen, HelpScreen)
            await pilot.press("q")
        assert app.return_code in (0, None)
    finally:
        seen.client.send("/notify", 0)
        seen.client.close()


def test_keys_typed_fast_reach_the_dialog_they_open(daemon: SubprocessDaemon) -> None:
    """A terminal delivers "2.5⏎" or "p3" typed quickly in one read; the keys after the one
    that opens a dialog must go to that dialog (they were dropped: 2.5 was sent as 2, and
    "p3" left the slot prompt open)."""
    asyncio.run(_type_fast(daemon))


def typed(app: LatentdApp, *keys: tuple[str, str]) -> None:
    """The keys as the terminal driver posts them: all at once, no waiting between them."""
    for key, character in keys:
        app.post_message(events.Key(key, character))


async def _type_fast(daemon: SubprocessDaemon) -> None:
    seen = Observer(daemon.port)
    app = LatentdApp("127.0.0.1", daemon.port)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await until(lambda: app.connection_text() == "connected" and len(app.state.names)
                        == 8 and "/latent.target" in seen.latest, seen, pilot, 15)
            await pilot.press("down")
            typed(app, ("2", "2"), ("full_stop", "."), ("5", "5"), ("enter", "\r"))
            await until(lambda: seen.target(1) == pytest.approx(2.5), seen, pilot)
            typed(app, ("P", "P"), ("4", "4"))
            await until(lambda: (daemon.presets_dir / "4.json").exists(), seen, pilot)
            await pilot.press("0")
            await until(lambda: seen.target(1) == 0.0, seen, pilot)
            typed(app, ("p", "p"), ("4", "4"))
            await until(lambda: seen.target(1) == pytest.approx(2.5), seen, pilot)
            assert isinstance(app.screen, MainScreen)
            await pilot.press("q")
    finally:
        seen.client.send("/notify", 0)
        seen.client.close()

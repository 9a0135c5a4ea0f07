"""The voice selector and the voices pane, fed a three-voice telemetry stream (conftest's
``voices_stream``; no daemon): v / V move the selection, the keys then address the selected
voice (``/voice/<n>/...``; voice 0 the plain addresses; drift and temperature stay global),
relative keys start from that voice's reported values, and the panes show that voice."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from latentd.tui.app import LatentdApp
from latentd.tui.widgets.event_log import EventLog
from latentd.tui.widgets.latents import Latents
from latentd.tui.widgets.status import Status
from latentd.tui.widgets.voices import Voices


def recording_app(stream: list[tuple[str, list[Any]]]) -> tuple[LatentdApp, list[tuple]]:
    """The app fed ``stream``, with what it sends kept instead of sent (no network)."""
    app = LatentdApp(connect=False, clock=lambda: 1000.0, feed=stream)
    sent: list[tuple] = []
    app.send = lambda address, *args: sent.append((address, *args))  # type: ignore[method-assign]
    return app, sent


def drawn(pane: Any) -> str:
    return pane.render().plain  # type: ignore[no-any-return]


def test_keys_address_the_selected_voice(voices_stream: list[tuple[str, list[Any]]]) -> None:
    asyncio.run(_keys(voices_stream))


async def _keys(stream: list[tuple[str, list[Any]]]) -> None:
    app, sent = recording_app(stream)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("right")
        assert sent[-1] == ("/latent", 0, pytest.approx(0.85))  # voice 0: recorded 0.8
        await pilot.press("v")
        assert app.voice == 1
        await pilot.press("right")  # voice 1's target of dimension 0 is 1.5
        assert sent[-1] == ("/voice/1/latent", 0, pytest.approx(1.55))
        await pilot.press("k")  # voice 1's scale of dimension 0 is 1.5
        assert sent[-1] == ("/voice/1/scale", 0, pytest.approx(1.6))
        await pilot.press("b")
        assert sent[-1] == ("/voice/1/bias", 0, pytest.approx(0.1))
        await pilot.press("plus")  # voice 1 plays at -6 dB
        assert sent[-1] == ("/voice/1/gain", pytest.approx(-5.0))
        await pilot.press("greater_than_sign")  # voice 1 is panned -0.5
        assert sent[-1] == ("/voice/1/pan", pytest.approx(-0.4))
        await pilot.press("g")  # voice 1 glides 100 ms: the next is 250
        assert sent[-1] == ("/voice/1/glide", pytest.approx(250.0))
        await pilot.press("m")
        assert sent[-1] == ("/voice/1/mute", 1)
        await pilot.press("s")  # voice 1 drifts: the next source is input
        assert sent[-1] == ("/voice/1/source", "input")
        await pilot.press("R")
        assert sent[-1][0] == "/voice/1/latents" and len(sent[-1]) == 9
        await pilot.press("right_square_bracket", "t")  # drift and temperature: global
        assert [s[0] for s in sent[-2:]] == ["/drift/rate", "/temperature"]
        await pilot.press("p", "3")
        assert sent[-1] == ("/voice/1/preset/load", "3", 0.0)
        await pilot.press("v")
        assert app.voice == 2
        await pilot.press("m")  # voice 2 is muted
        assert sent[-1] == ("/voice/2/mute", 0)
        await pilot.press("v")  # three voices: back to voice 0
        assert app.voice == 0
        await pilot.press("V")
        assert app.voice == 2
        await pilot.press("V", "V", "m")
        assert app.voice == 0 and sent[-1] == ("/mute", 1)
        await pilot.press("less_than_sign")
        assert sent[-1] == ("/pan", pytest.approx(-0.1))


def test_the_panes_show_the_selected_voice(voices_stream: list[tuple[str, list[Any]]]) -> None:
    asyncio.run(_panes(voices_stream))


async def until(pilot: Any, condition: Any, seconds: float = 5.0) -> None:
    """Pause until ``condition()`` holds, or ``seconds`` have passed (the asserts then say
    what was drawn)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)


async def _panes(stream: list[tuple[str, list[Any]]]) -> None:
    app, _ = recording_app(stream)
    async with app.run_test(size=(120, 40)) as pilot:
        voices = app.screen.query_one(Voices)
        # the panes redraw at 12 Hz: wait for the drawing that shows the stream (a loaded
        # machine missed it after a fixed 0.1 s)
        await until(pilot, lambda: "220 Hz" in drawn(voices))
        assert voices.display and app.screen.has_class("-voices")
        rows = drawn(voices).splitlines()
        assert len(rows) == 3, rows
        assert rows[0].startswith("▶0") and "A3" in rows[0] and "220 Hz" in rows[0]
        assert "-14.5" in rows[1] and "drift" in rows[1] and "C#4" in rows[1]
        assert " M " in rows[2] and "prior" in rows[2] and "E4" in rows[2]
        assert "+0.80" in drawn(app.screen.query_one(Latents))  # voice 0's recorded target
        await pilot.press("v")
        await until(pilot, lambda: drawn(app.screen.query_one(Latents)).startswith("voice 1"))
        latents = drawn(app.screen.query_one(Latents))
        assert latents.startswith("voice 1") and "+1.50" in latents and "scale 1.50" in latents
        status = drawn(app.screen.query_one(Status))
        assert "v1 source drift" in status and "gain -6.0 dB" in status and "pan -0.5" in status
        assert drawn(voices).splitlines()[1].startswith("▶1")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_every_voice_fits(voices_stream: list[tuple[str, list[Any]]],
                          size: tuple[int, int]) -> None:
    """With three voices, 80x24 still shows every voice's row, every latent, the status and
    the log's lines."""
    asyncio.run(_fits(voices_stream, size))


async def _fits(stream: list[tuple[str, list[Any]]], size: tuple[int, int]) -> None:
    app, _ = recording_app(stream)
    async with app.run_test(size=size) as pilot:
        voices = app.screen.query_one(Voices)
        for _ in range(50):  # laid out after the first messages: 0.2 s was not always enough
            await pilot.pause(0.1)  # on a loaded machine (content_size 0 x 0 in a full run)
            if voices.content_size.height:
                break
        assert voices.content_size.height >= 3 and voices.window(3) == (0, 3)
        for line in drawn(voices).splitlines():
            assert len(line) <= voices.content_size.width, line
        latents = app.screen.query_one(Latents)
        assert latents.window(8) == (0, 8)
        status = app.screen.query_one(Status)
        assert len(drawn(status).splitlines()) <= status.content_size.height
        assert app.screen.query_one(EventLog).content_size.height >= 3


def test_many_voices_show_a_window_that_follows_the_selection(
        voices_stream: list[tuple[str, list[Any]]]) -> None:
    asyncio.run(_window(voices_stream))


async def _window(stream: list[tuple[str, list[Any]]]) -> None:
    eight = [(a, list(v)) for a, v in stream]
    for address, args in eight:
        if address == "/status.reply":
            args[args.index("voices") + 1] = 8
    app, _ = recording_app(eight)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.1)
        await pilot.press(*["v"] * 7)
        await pilot.pause(0.2)
        voices = app.screen.query_one(Voices)
        first, shown = voices.window(8)
        assert shown < 8 and first + shown == 8  # the last voice selected: the window ends there
        assert "▶7" in drawn(voices) and voices.border_title.startswith(f"voices {first}-7 of 8")


def voice_1_drawn(stream: list[tuple[str, list[Any]]]) -> dict[str, str]:
    """The status, latents and voices panes as drawn with voice 1 selected."""
    async def draw() -> dict[str, str]:
        app, _ = recording_app(stream)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("v")
            await pilot.pause(0.2)
            return {name: drawn(app.screen.query_one(pane)) for name, pane in
                    (("status", Status), ("latents", Latents), ("voices", Voices))}
    return asyncio.run(draw())


def test_a_voice_without_controls_telemetry_shows_none(
        voices_stream: list[tuple[str, list[Any]]]) -> None:
    """A daemon that sends no /voice/<n>/controls.state: the status pane says so for that
    voice instead of showing a source and gain it was never told."""
    panes = voice_1_drawn([(a, v) for a, v in voices_stream if a != "/voice/1/controls.state"])
    assert "v1 source, gain, mute: not reported" in panes["status"]
    assert "gain +0.0" not in panes["status"]
    assert "drift" not in panes["voices"].splitlines()[1]


def test_a_voice_without_targets_shows_none(voices_stream: list[tuple[str, list[Any]]]) -> None:
    """No /voice/<n>/latent.target: its targets show as unknown, not as 0."""
    panes = voice_1_drawn([(a, v) for a, v in voices_stream if a != "/voice/1/latent.target"])
    pitch = next(row for row in panes["latents"].splitlines()
                 if "pitch (measured)" in row and "▶" in row)
    assert "+1.35" in pitch and "+1.50" not in pitch and "+0.00" not in pitch, pitch
    assert " - " in pitch

"""At 80x24 (the smallest usual terminal) and 100x32 nothing essential is cut: every status
line, meter and spectrum row fits its pane without wrapping, every latent dimension has its row,
and the event log keeps lines to show. Fed the recorded stream (no daemon needed)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from support.osc import free_port

from latentd.tui.app import LatentdApp
from latentd.tui.widgets.event_log import EventLog
from latentd.tui.widgets.latents import Latents
from latentd.tui.widgets.meters import Meters
from latentd.tui.widgets.pane import Pane
from latentd.tui.widgets.spectrum import Spectrum
from latentd.tui.widgets.status import Status


def replayed() -> LatentdApp:
    stream = json.loads(Path(__file__).with_name("stream.json").read_text())
    return LatentdApp(connect=False, clock=lambda: 1000.0, feed=[(a, v) for a, v in stream])


def lines(pane: Pane) -> list[str]:
    """The pane's text as drawn, one string per line, before any wrapping."""
    return [line.plain for line in pane.render().split("\n")]  # type: ignore[union-attr]


@pytest.mark.parametrize("size", [(80, 24), (100, 32), (120, 40)])
def test_nothing_essential_is_cut(size: tuple[int, int]) -> None:
    asyncio.run(_check(size))


async def _check(size: tuple[int, int]) -> None:
    app = replayed()
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.2)
        screen = app.screen
        status = screen.query_one(Status)
        drawn = lines(status)
        assert len(drawn) <= status.content_size.height, drawn
        assert all(len(line) <= status.content_size.width for line in drawn), drawn
        text = "\n".join(drawn)
        for needed in ("model ", "latency", "model 8", "load", "underruns", "ring", "clients",
                       "up ", "recording", "source", "gain", "glide", "drift", "temp",
                       "morph"):
            assert needed in text, (needed, text)
        for pane in (screen.query_one(Meters), screen.query_one(Spectrum)):
            drawn = lines(pane)
            assert len(drawn) <= pane.content_size.height, (pane, drawn)
            assert all(len(line) <= pane.content_size.width for line in drawn), (pane, drawn)
        latents = screen.query_one(Latents)
        assert latents.window(len(app.state.latents)) == (0, 8)
        drawn = lines(latents)
        assert len(drawn) <= latents.content_size.height, drawn
        assert "principal axis 6" in drawn[-1]
        assert screen.query_one(EventLog).content_size.height >= 3


def test_last_known_values_are_dimmed_when_the_daemon_is_gone() -> None:
    """Not connected, the panes still hold the daemon's last meters, spectrum and latents;
    they are dimmed so a performer does not take them for what plays now."""
    asyncio.run(_offline())


async def _offline() -> None:
    stream = json.loads(Path(__file__).with_name("stream.json").read_text())
    app = LatentdApp("127.0.0.1", free_port(), feed=[(a, v) for a, v in stream])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        assert app.connection_text().startswith("not connected")
        assert app.screen.has_class("-offline")
        status = app.screen.query_one(Status).render()
        model = status.plain.index("model ")  # type: ignore[union-attr]
        assert any(span.style == "dim" and span.start <= model < span.end
                   for span in status.spans), status.spans  # type: ignore[union-attr]
        assert app.screen.query_one(Latents).styles.text_opacity < 1


def test_the_log_shows_its_newest_line_after_the_panes_above_grew() -> None:
    """Lines logged while the log was tall (before the daemon's latents came, as under
    ``latentd play``), then the latents take the room: the newest line must still show (a
    killed daemon's "DAEMON EXITED" stayed below the view)."""
    asyncio.run(_log_follows())


async def _log_follows() -> None:
    stream = json.loads(Path(__file__).with_name("stream.json").read_text())
    app = LatentdApp(connect=False, clock=lambda: 1000.0)
    async with app.run_test(size=(100, 32)) as pilot:
        for i in range(8):
            app.log_line(f"daemon line {i} " + "x" * 150)
        await pilot.pause(0.3)
        for address, args in stream:
            app.received(address, args)
        await pilot.pause(0.3)
        app.log_line("DAEMON EXITED with status -9")
        await pilot.pause(0.3)
        log = app.screen.query_one(EventLog)
        assert log.max_scroll_y > 0
        assert log.scroll_offset.y == log.max_scroll_y

"""The main screen: status, meters, voices, spectrum, latents and the event log, with the
footer. The voices pane shows only while more than one voice plays (class ``-voices``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer

from latentd.tui.widgets.event_log import EventLog
from latentd.tui.widgets.latents import Latents
from latentd.tui.widgets.meters import Meters
from latentd.tui.widgets.spectrum import Spectrum
from latentd.tui.widgets.status import Status
from latentd.tui.widgets.voices import Voices

if TYPE_CHECKING:
    from latentd.tui.state import DaemonState


class MainScreen(Screen[None]):
    """Under 30 rows the screen has the class ``-short`` (latentd.tcss: one border row per
    pane instead of two, no latents column header), so 80x24 still shows the event log."""

    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012 (Textual reads it)

    def __init__(self, state: DaemonState):
        super().__init__()
        self.state = state

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Status(self.state, id="status")
            with Vertical(id="sound"):
                yield Meters(self.state, id="meters")
                yield Voices(self.state, id="voices")
                yield Spectrum(self.state, id="spectrum")
        yield Latents(self.state, id="latents")
        yield EventLog(id="log")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        titles = {"#status": "daemon", "#meters": "output dBFS: rms peak hold",
                  "#spectrum": "spectrum",
                  "#voices": "voices: level, source, pitch",
                  "#latents": "latents: target (cyan) / decoded (magenta)", "#log": "events"}
        for selector, title in titles.items():
            self.query_one(selector).border_title = title

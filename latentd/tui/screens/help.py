"""The help screen: every key and what it does (the app's bindings, so it cannot drift)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

INTRO = ("latentd: the latents steer the sound. Select a dimension with Up/Down and move it; "
         "the bars show the target you set (cyan) and the value decoded now (magenta). "
         "Everything shown is what the daemon reports.")


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1,q", "dismiss", "close help")]

    def __init__(self, keys: list[tuple[str, str]]):
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold")
        table.add_column("key", style="bold cyan", no_wrap=True)
        table.add_column("does")
        for key, what in self.keys:
            table.add_row(key, what)
        with VerticalScroll(id="help"):
            yield Static(INTRO, id="help-intro")
            yield Static(table)
            yield Static("Esc, ? or F1 closes this help.", id="help-close")

"""The base of every pane: redraw only when the daemon state moved (cheap idle screens)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget

if TYPE_CHECKING:
    from latentd.tui.state import DaemonState


class Pane(Widget):
    """A widget drawn from the shared DaemonState. ``update_from`` refreshes it only when its
    ``signature`` (what it shows, at the resolution it shows it) changed: telemetry arrives
    ~200 times a second, and redrawing panes whose text is the same was most of the TUI's CPU."""

    def __init__(self, state: DaemonState, **kwargs: object):
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.state = state
        self._drawn: object = None

    def signature(self) -> object:
        return self.state.version

    def update_from(self) -> None:
        now = self.signature()
        if now != self._drawn:
            self._drawn = now
            self.refresh()

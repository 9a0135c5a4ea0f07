"""The base of every pane: redraw only when the daemon state moved (cheap idle screens)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget

if TYPE_CHECKING:
    from latentd.tui.state import DaemonState


class Pane(Widget):
    """A widget drawn from the shared DaemonState; ``update_from`` refreshes it when the
    state's version moved since it last drew."""

    def __init__(self, state: DaemonState, **kwargs: object):
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.state = state
        self._drawn = -1

    def update_from(self) -> None:
        if self.state.version != self._drawn:
            self._drawn = self.state.version
            self.refresh()

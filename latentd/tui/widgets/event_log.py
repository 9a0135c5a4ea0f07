"""The event log: /fail, /late, model and preset loads, recordings, and (``latentd play``) the
daemon's own log lines. No timestamps: the daemon's lines carry their own."""

from __future__ import annotations

from textual.widgets import Log

MAX_LINES = 500


class EventLog(Log):
    can_focus = False  # the arrows belong to the latents, not to scrolling the log
    def __init__(self, **kwargs: object):
        super().__init__(max_lines=MAX_LINES, auto_scroll=True, **kwargs)  # type: ignore[arg-type]

    def add(self, line: str) -> None:
        self.write_line(line)
        # Log scrolls to the end at once, with the scrollbars of the last layout: after the
        # pane shrank (the latents came in below a log that had fit) that did not scroll at
        # all and the newest lines (a dead daemon's) stayed out of sight. After the refresh,
        # the layout is the current one.
        self.scroll_end(animate=False)

    def on_resize(self) -> None:
        self.scroll_end(animate=False)

"""Typed messages that reach the app from outside its loop (the child daemon's reader thread)."""

from __future__ import annotations

from textual.message import Message


class DaemonLine(Message):
    """One line of the child daemon's log (``latentd play``)."""

    def __init__(self, line: str):
        super().__init__()
        self.line = line


class DaemonExited(Message):
    """The child daemon ended; ``status`` is its exit status (negative: killed by a signal)."""

    def __init__(self, status: int):
        super().__init__()
        self.status = status

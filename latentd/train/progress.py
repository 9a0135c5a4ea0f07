"""Progress for long dataset builds and training runs, readable in a terminal and in a log.

Dataset builds: on a terminal one line is rewritten in place; in a file (``nohup ... > log``) a
line is printed every ``every`` items, so logs stay short but still show that work goes on.
Training: a rich progress bar on a terminal (``step_bar``), next to the periodic loss lines.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichProgress
from rich.text import Text


class Progress:
    def __init__(self, total: int, label: str, stream: TextIO | None = None, every: int = 25):
        self.total = total
        self.label = label
        self.stream = stream or sys.stdout
        self.every = every
        self.done = 0
        self.start = time.monotonic()
        self.tty = self.stream.isatty()

    def advance(self, note: str = "") -> None:
        self.done += 1
        if not self.tty and self.done % self.every and self.done != self.total:
            return
        elapsed = time.monotonic() - self.start
        eta = elapsed / self.done * (self.total - self.done)
        line = (f"{self.label} {self.done}/{self.total} "
                f"({elapsed:.0f}s elapsed, ~{eta:.0f}s left) {note}")
        if self.tty:
            self.stream.write("\r" + line[:120].ljust(120))
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


class _StepRate(ProgressColumn):
    """Steps per second, as rich measures them (over the last 30 s)."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0.0:.2f} step/s")


def step_bar(stream: TextIO | None = None) -> RichProgress:
    """``latentd train``'s progress bar: steps done of ``--max-steps``, steps/s, elapsed and ETA.
    Meant for a terminal only; log files get the periodic loss lines instead."""
    return RichProgress(TextColumn("step"), MofNCompleteColumn(), BarColumn(), _StepRate(),
                        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                        console=Console(file=stream or sys.stdout), transient=False)

"""Progress lines for long dataset builds, readable both in a terminal and in a log file.

On a terminal one line is rewritten in place; in a file (``nohup ... > log``) a line is printed
every ``every`` items, so logs stay short but still show that work goes on.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


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

"""``latentd play``'s daemon: ``latentd serve`` as a child process, its log lines handed to the
app, stopped with SIGTERM (its orderly shutdown path) when the app quits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence

STOP_SECONDS = 15.0


class ChildDaemon:
    def __init__(self, serve_args: Sequence[str]):
        self.command = [sys.executable, "-m", "latentd", "serve", *serve_args]
        self.process: subprocess.Popen[str] | None = None

    def start(self, on_line: Callable[[str], object], on_exit: Callable[[int], object]) -> None:
        """Start the daemon; ``on_line`` and ``on_exit`` are called on a reader thread."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, env=env, start_new_session=True)
        process = self.process

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                on_line(line.rstrip("\n"))
            on_exit(process.wait())

        threading.Thread(target=read, name="latentd-play-log", daemon=True).start()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> int | None:
        """SIGTERM, then wait; SIGKILL only if it has not stopped within STOP_SECONDS."""
        process = self.process
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                return process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
        return process.wait()

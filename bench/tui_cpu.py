"""The TUI's own CPU at 30 Hz telemetry, against an idle Textual app in the same terminal.

``latentd tui`` must not eat the CPU the synth needs (issue 17: goal <= 10% of one core). This
starts a real daemon (``latentd serve --output null``, the default model, which streams
telemetry at ~30 Hz to each subscriber), runs each case in a real terminal (tmux, 120x40) and
reads the case's process CPU time (utime + stime from /proc) over a window after a warm-up:

* ``idle textual app``: a Textual app with one static line and a footer (the baseline: what any
  Textual app costs doing nothing);
* ``latentd tui, not connected``: no daemon on its port (it retries every second);
* ``latentd tui, 30 Hz telemetry``: subscribed to the running daemon.

Run: ``.venv/bin/python bench/tui_cpu.py [--seconds 10] [--repeats 3]``. Prints a table of
percent of one core (median, min, max over the repeats); it passes or fails nothing.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PYTHON = sys.executable
RUNS = itertools.count()  # a fresh tmux server per run: a killed one takes a moment to go
TICKS = os.sysconf("SC_CLK_TCK")


def idle_app() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Static

    class Idle(App[None]):
        BINDINGS = [("q", "quit", "quit")]  # noqa: RUF012 (Textual's own idiom)

        def compose(self) -> ComposeResult:
            yield Static("idle")
            yield Footer()

    Idle().run()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.bind(("127.0.0.1", 0))
        return int(udp.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def measure(command: str, seconds: float, ready: str, warmup: float = 2.0) -> float:
    """Percent of one core the command's process used over ``seconds``, from ``warmup``
    seconds after ``ready`` shows on its screen (``latentd``'s command line imports torch:
    seconds of start-up CPU that are not the TUI's running cost)."""
    tmux, name = shutil.which("tmux"), f"latentd-bench-{os.getpid()}-{next(RUNS)}"
    assert tmux, "tmux is needed (Debian package tmux)"
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    subprocess.run([tmux, "-L", name, "new-session", "-d", "-s", "b", "-x", "120", "-y", "40",
                    f"exec {command}"], check=True, env=env)
    try:
        pid = int(subprocess.run([tmux, "-L", name, "display", "-p", "-t", "b",
                                  "#{pane_pid}"], capture_output=True, text=True).stdout)
        deadline = time.monotonic() + 120
        while ready not in subprocess.run([tmux, "-L", name, "capture-pane", "-p", "-t", "b"],
                                          capture_output=True, text=True).stdout:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{command!r} never showed {ready!r}")
            time.sleep(0.2)
        time.sleep(warmup)
        start, began = cpu_seconds(pid), time.monotonic()
        time.sleep(seconds)
        used, elapsed = cpu_seconds(pid) - start, time.monotonic() - began
        return 100.0 * used / elapsed
    finally:
        subprocess.run([tmux, "-L", name, "kill-server"], capture_output=True)


def start_daemon(port: int, root: Path) -> subprocess.Popen[str]:
    daemon = subprocess.Popen(
        [PYTHON, "-m", "latentd", "serve", "--output", "null", "--port", str(port),
         "--presets-dir", str(root / "presets"), "--recordings-dir", str(root / "rec")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert daemon.stderr is not None
    for line in daemon.stderr:
        if "playing" in line:  # then keep reading, so its log never fills the pipe
            threading.Thread(target=daemon.stderr.read, daemon=True).start()
            return daemon
    raise RuntimeError("latentd serve did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--idle-app", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.idle_app:
        idle_app()
        return
    port, silent = free_port(), free_port()
    cases = {  # name: (command, what its screen shows once it runs)
        "idle textual app": (f"{PYTHON} {Path(__file__).resolve()} --idle-app", "idle"),
        "latentd tui, not connected": (f"{PYTHON} -m latentd tui --port {silent}",
                                       "not connected"),
        "latentd tui, 30 Hz telemetry": (f"{PYTHON} -m latentd tui --port {port}",
                                         "● connected"),
    }
    with tempfile.TemporaryDirectory() as root:
        daemon = start_daemon(port, Path(root))
        try:
            results = {case: [measure(command, args.seconds, ready)
                              for _ in range(args.repeats)]
                       for case, (command, ready) in cases.items()}
        finally:
            daemon.terminate()
            daemon.wait(15)
    print(f"TUI CPU, % of one core ({args.repeats} x {args.seconds:g} s, 120x40 tmux, "
          f"{os.cpu_count()} CPUs)")
    print(f"{'case':<32}{'median':>8}{'min':>8}{'max':>8}")
    for case, values in results.items():
        print(f"{case:<32}{statistics.median(values):>8.1f}{min(values):>8.1f}"
              f"{max(values):>8.1f}")


if __name__ == "__main__":
    main()

"""``latentd tui`` and ``latentd play`` in a real terminal (tmux): keys with ``send-keys``, the
screen with ``capture-pane``, the daemon's state over OSC. Also: no daemon, then one, then
another with another model and latent size: the TUI says so and recovers by itself (small
models, so the daemons start fast)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.jack import stop_process
from support.osc import free_port, save_tiny_model
from support.tools import require_tool
from support.tui import Observer

pytestmark = [pytest.mark.tmux, pytest.mark.slow]
DIM_1 = "latent dimension 1"  # the small checkpoints' name for latent 1
STARTUP = 60.0  # `latentd` imports torch before the TUI starts: slow on a loaded machine


class Terminal:
    """One tmux server of its own (``-L``), one 120x40 window running ``command``."""

    def __init__(self, command: str, tag: str):
        self.tmux = require_tool("tmux", "tmux")
        self.socket = f"latentd-tui-{os.getpid()}-{tag}"
        # the window's size, not COLUMNS/LINES that a test run may have set (Textual reads them)
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        subprocess.run([self.tmux, "-L", self.socket, "new-session", "-d", "-s", "t", "-x",
                        "120", "-y", "40", command], check=True, env=env)

    def screen(self) -> str:
        done = subprocess.run([self.tmux, "-L", self.socket, "capture-pane", "-p", "-t", "t"],
                              capture_output=True, text=True)
        return done.stdout

    def keys(self, *keys: str) -> None:
        subprocess.run([self.tmux, "-L", self.socket, "send-keys", "-t", "t", *keys],
                       check=True)

    def wait(self, check: Callable[[str], bool], timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if check(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"screen never matched within {timeout} s:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run([self.tmux, "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.close()


def latentd(*args: str) -> str:
    return " ".join([sys.executable, "-m", "latentd", *args])


def row(screen: str, name: str) -> str:
    """The latents table's row for dimension ``name`` (not the "selected ..." line)."""
    return next((line for line in screen.splitlines()
                 if name in line and "│" in line and "selected" not in line), "")


def wait_value(seen: Observer, check: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen.poll()
        try:
            if check():
                return
        except (KeyError, IndexError):
            pass
        time.sleep(0.05)
    raise AssertionError(f"daemon state never matched: {seen.latest}")


class WarmDaemon:
    """``latentd serve`` (``latentd.cli.main.main``, as ``python -m latentd`` runs it) in a
    process that does its imports (torch: seconds) at once but starts serving only when
    ``start`` says so: the test needs no daemon on the port until then."""

    CODE = ("import sys; import latentd.cli.main, latentd.daemon.serve, latentd.models.rave; "
            "sys.stdin.readline(); sys.exit(latentd.cli.main.main(sys.argv[1:]))")

    def __init__(self, model: Path, root: Path, port: int):
        root.mkdir(parents=True)
        self.log: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-c", self.CODE, "serve", "--model", str(model), "--output",
             "null", "--port", str(port), "--block-frames", "4", "--presets-dir",
             str(root / "presets"), "--recordings-dir", str(root / "recordings")],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, cwd=root, env={**os.environ, "XDG_DATA_HOME": str(root / "xdg")})

    def start(self) -> None:
        assert self.process.stdin is not None and self.process.stderr is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        for line in self.process.stderr:  # until it plays (or exits: the loop ends)
            self.log.append(line)
            if "playing" in line:
                threading.Thread(target=self.process.stderr.read, daemon=True).start()
                return
        raise AssertionError("latentd serve did not start:\n" + "".join(self.log))

    def stop(self) -> None:
        stop_process(self.process, timeout=15)


@pytest.fixture
def warm(tmp_path: Path) -> Iterator[Callable[[Path, int], WarmDaemon]]:
    started: list[WarmDaemon] = []

    def launch(model: Path, port: int) -> WarmDaemon:
        started.append(WarmDaemon(model, tmp_path / f"daemon{len(started)}", port))
        return started[-1]

    yield launch
    for daemon in started:
        daemon.stop()


def test_no_daemon_then_one_then_another_model(tmp_path: Path, terminals: list[Terminal],
                                               warm: Callable[[Path, int], WarmDaemon]) -> None:
    """``latentd tui`` with no daemon, then one (the keys move it), then another with another
    model and latent size. One app for all three: each start of it costs seconds."""
    port = free_port()
    term = Terminal(latentd("tui", "--port", str(port)), "recover")
    terminals.append(term)
    # while the app starts: the models, and both daemons' imports
    first = warm(save_tiny_model(tmp_path / "tiny.ckpt"), port)
    second = warm(save_tiny_model(tmp_path / "other.ckpt", seed=1, latent_size=6), port)
    term.wait(lambda s: f"not connected to 127.0.0.1:{port}" in s, STARTUP)
    first.start()
    try:
        term.wait(lambda s: "● connected" in s and "4 latents" in s)
        # keys in a real terminal move the daemon: its state read back by a second subscriber
        seen = Observer(port)
        term.keys("Down", "0", "Right", "Right")
        screen = term.wait(lambda s: "+0.10" in row(s, DIM_1))
        assert f"▶ 1 {DIM_1}" in screen
        wait_value(seen, lambda: abs(seen.target(1) - 0.10) < 1e-4)
        seen.client.close()
    finally:
        first.stop()
    term.wait(lambda s: "not connected" in s)
    second.start()
    try:
        screen = term.wait(lambda s: "● connected" in s and "6 latents" in s)
        assert "model other" in screen
        assert row(screen, " 5 ")  # six rows now, not the four of the first daemon
        term.keys("q")
        term.wait(lambda s: "latent dimension" not in s)  # the app has left the screen
    finally:
        second.stop()


def _serve_processes(port: int) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            words = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in words and str(port).encode() in words:
            found.append(int(proc.name))
    return found


def test_play_starts_plays_and_stops_its_daemon(tmp_path: Path,
                                                terminals: list[Terminal]) -> None:
    """``latentd play --voices 2``: the daemon starts with the TUI, the keys reach it (voice
    0 on the plain addresses, voice 1 once selected with v), and q stops both."""
    port, status = free_port(), tmp_path / "status"
    # the model is not the subject: a small 8-latent checkpoint starts the child sooner
    model = save_tiny_model(tmp_path / "small.ckpt", latent_size=8)
    command = latentd("play", "--model", str(model), "--output", "null", "--port", str(port),
                      "--presets-dir", str(tmp_path / "presets"), "--recordings-dir",
                      str(tmp_path / "rec"), "--voices", "2")
    term = Terminal(f"{command}; echo $? > {status}; sleep 30", "play")
    terminals.append(term)
    screen = term.wait(lambda s: "● connected" in s and DIM_1 in s, STARTUP)
    assert "playing 'small'" in screen  # the daemon's own log line, in the log pane
    seen = Observer(port)
    term.keys("Down", "0", "Right")
    wait_value(seen, lambda: abs(seen.target(1) - 0.05) < 1e-4)
    # two voices: the voices pane lists both; v selects voice 1, whose latents the keys move
    screen = term.wait(lambda s: "voices (2)" in s)
    term.keys("v", "Right", "Right", "m")
    screen = term.wait(lambda s: "voice 1" in s and "+0.10" in row(s, DIM_1))
    assert "▶1" in screen and "v1 source" in screen
    wait_value(seen, lambda: abs(seen.latest["/voice/1/latent.state"][1] - 0.10) < 0.02)
    wait_value(seen, lambda: seen.latest["/voice/1/meter"][0] <= -119)  # voice 1 muted
    assert abs(seen.target(1) - 0.05) < 1e-4 and seen.control("mute") == 0  # voice 0 not
    assert _serve_processes(port)
    term.keys("q")
    deadline = time.monotonic() + 30
    while not status.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status.read_text().strip() == "0"
    assert _serve_processes(port) == []
    # the daemon's shutdown lines, read after the app had gone, once printed a traceback
    assert "Traceback" not in term.screen(), term.screen()

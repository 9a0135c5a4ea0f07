"""Running ``latentd serve`` as a process in tests: a free port, the process, its log lines, a
one-shot OSC request."""

import queue
import signal
import socket
import subprocess
import sys
import threading
import time

from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import OscMessageBuilder


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(*args, cwd=None):
    return subprocess.Popen([sys.executable, "-m", "latentd", "serve", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd)


_pumps: dict[int, "queue.Queue[str | None]"] = {}


def _lines(process) -> "queue.Queue[str | None]":
    """The process's stderr lines, read by a thread of their own (None at the end): a wait
    never blocks on a line that does not come, and a chatty daemon never blocks on a full
    pipe."""
    if process.pid not in _pumps:
        lines: queue.Queue[str | None] = queue.Queue()

        def pump() -> None:
            for line in process.stderr:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, daemon=True).start()
        _pumps[process.pid] = lines
    return _pumps[process.pid]


def wait_for_line(process, text, timeout=60):
    """The first stderr line containing ``text``; fails after ``timeout`` seconds or when the
    process ends without it."""
    deadline = time.monotonic() + timeout
    seen = []
    lines = _lines(process)
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            lines.put(None)  # the end stays visible to later readers
            break
        seen.append(line)
        if text in line:
            return line
    raise AssertionError(f"'{text}' not seen within {timeout} s; stderr: {''.join(seen)}")


def rest_of_stderr(process, timeout=30) -> str:
    """Everything the process writes to stderr from now until it closes it."""
    lines = _lines(process)
    rest = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            lines.put(None)
            break
        rest.append(line)
    return "".join(rest)


def stop_with(process, sig=signal.SIGTERM, timeout=30.0) -> tuple[int | None, float, str]:
    """Send ``sig`` and wait: the exit status (None when it did not exit within ``timeout``),
    the seconds the exit took, and the rest of the daemon's log."""
    started = time.monotonic()
    process.send_signal(sig)
    try:
        status = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        status = None
    seconds = time.monotonic() - started
    return status, seconds, rest_of_stderr(process)

def osc(port, address, *args, timeout=5.0):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        builder = OscMessageBuilder(address)
        for arg in args:
            builder.add_arg(arg)
        s.sendto(builder.build().dgram, ("127.0.0.1", port))
        message = OscMessage(s.recvfrom(65536)[0])
        return message.address, message.params

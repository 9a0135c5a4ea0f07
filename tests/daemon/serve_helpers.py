"""Running ``latentd serve`` as a process in tests: a free port, the process, its log lines, a
one-shot OSC request."""

import socket
import subprocess
import sys
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


def wait_for_line(process, text, timeout=60):
    deadline = time.time() + timeout
    lines = []
    while time.time() < deadline:
        line = process.stderr.readline()
        if not line and process.poll() is not None:
            break
        lines.append(line)
        if text in line:
            return line
    raise AssertionError(f"'{text}' not seen; stderr: {''.join(lines)}")


def osc(port, address, *args, timeout=5.0):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        builder = OscMessageBuilder(address)
        for arg in args:
            builder.add_arg(arg)
        s.sendto(builder.build().dgram, ("127.0.0.1", port))
        message = OscMessage(s.recvfrom(65536)[0])
        return message.address, message.params

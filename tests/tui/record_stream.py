"""Regenerate ``stream.json``, the recorded telemetry the snapshot tests replay:
``PYTHONPATH=tests .venv/bin/python tests/tui/record_stream.py`` (``tests/`` on the path, as
pytest's ``pythonpath`` puts it, for ``support``; a real daemon on the null output, a few
latents set, one second of what a subscriber receives; the last message of each kind is kept,
plus every /status.reply for the load history). Uptime and load are rounded so the file reads
well; the snapshot tests only replay it."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from support.osc import SubprocessDaemon

HERE = Path(__file__).resolve().parent


def record() -> list[tuple[str, list[object]]]:
    with tempfile.TemporaryDirectory() as root:
        daemon = SubprocessDaemon(Path("default"), Path(root))
        try:
            client = daemon.udp()
            client.send("/notify", 1)
            client.send("/latents", 0.8, -1.2, 0.3, 2.0, -0.5, 0.0, 1.1, -2.4)
            client.send("/bias", 2, 0.5)
            client.send("/gain", -3.0)
            time.sleep(1.5)
            client.drain()
            replies = client.replies(1.2)
            client.send("/notify", 0)
        finally:
            daemon.stop()
    last: dict[str, list[object]] = {}
    stream: list[tuple[str, list[object]]] = []
    for reply in replies:
        if reply.address == "/status.reply":
            stream.append((reply.address, reply.args))
        else:
            last[reply.address] = reply.args
    return stream + sorted(last.items())


if __name__ == "__main__":
    (HERE / "stream.json").write_text(json.dumps(record(), indent=0) + "\n")

"""``latentd play``'s child daemon as the app sees it: its log lines reach the log pane, and a
daemon that dies is reported on screen, not hidden."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import pytest
from support.osc import free_port, save_tiny_model

from latentd.tui.app import LatentdApp
from latentd.tui.child import ChildDaemon
from latentd.tui.widgets.event_log import EventLog
from latentd.tui.widgets.status import Status

pytestmark = pytest.mark.slow


def test_a_dying_daemon_is_reported(tmp_path: Path) -> None:
    port = free_port()
    # the model is not the subject: a small checkpoint starts the child seconds sooner
    model = save_tiny_model(tmp_path / "small.ckpt")
    child = ChildDaemon(["--model", str(model), "--output", "null", "--port", str(port),
                         "--presets-dir", str(tmp_path / "presets"), "--recordings-dir",
                         str(tmp_path / "rec")])
    asyncio.run(_kill_and_watch(LatentdApp("127.0.0.1", port, child=child), child))
    assert not child.running


async def _kill_and_watch(app: LatentdApp, child: ChildDaemon) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        async def until(check: object, timeout: float = 60.0) -> None:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if callable(check) and check():
                    return
                await pilot.pause(0.05)
            raise AssertionError(f"not within {timeout} s: {app.connection_text()}")

        log = app.screen.query_one(EventLog)
        await until(lambda: app.connection_text() == "connected"
                    and any("playing 'small'" in line for line in log.lines))
        assert child.process is not None
        os.kill(child.process.pid, signal.SIGKILL)
        await until(lambda: app.child_status == -signal.SIGKILL, 10)
        await pilot.pause(0.2)
        assert any("DAEMON EXITED with status -9" in line for line in log.lines)
        status = app.screen.query_one(Status)
        assert "daemon exited (status -9)" in status.connection
        assert "daemon exited" in str(status.render())

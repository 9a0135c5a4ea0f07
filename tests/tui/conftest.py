"""One real daemon (``latentd serve --output null``, the default model, a free port) shared by
the TUI's tests (each sets what it checks first): they read its state back over OSC."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.osc import SubprocessDaemon


@pytest.fixture(scope="session")
def daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SubprocessDaemon]:
    running = SubprocessDaemon(Path("default"), tmp_path_factory.mktemp("daemon"))
    try:
        yield running
    finally:
        running.stop()

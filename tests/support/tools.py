"""System tools a test needs (jackd, pd, oscsend, tmux, fluidsynth ...): skipped when missing,
failed under CI.

On a developer machine without the tool a test skips with the reason; with
``LATENTD_REQUIRE_TOOLS=1`` (set by ``.ci/run`` after installing the tools) a missing tool is a
failure, so no skip can hide one. Every test folder uses these two functions:

    from support.tools import require_tool
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REQUIRE_TOOLS_VARIABLE = "LATENTD_REQUIRE_TOOLS"


def require(condition: bool, message: str) -> None:
    """Go on when ``condition`` holds; otherwise skip with ``message``, or fail when
    ``LATENTD_REQUIRE_TOOLS=1`` (for what is not a program on PATH: a SoundFont, a device)."""
    if condition:
        return
    if os.environ.get(REQUIRE_TOOLS_VARIABLE) == "1":
        pytest.fail(f"{message}, and {REQUIRE_TOOLS_VARIABLE}=1 requires it")
    pytest.skip(message)


def require_tool(name: str, package: str) -> str:
    """The path of program ``name`` on PATH; skip (or fail under CI) naming the Debian
    ``package`` that provides it when it is missing."""
    path = shutil.which(name)
    require(path is not None, f"{name} not found (Debian package {package})")
    assert path is not None
    return path


def real_rave_export() -> Path:
    """The real RAVE export in shared/ (acids-rave 2.3.1; shared/fixtures/rave/README.md),
    beside the repository as on the build machines and in CI, or at ``LATENTD_RAVE_FIXTURE``;
    skip (or fail under CI) when it is missing."""
    default = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "rave" \
        / "rave_raspberry_streaming.ts"
    path = Path(os.environ.get("LATENTD_RAVE_FIXTURE", default))
    require(path.is_file(), f"RAVE export fixture not found at {path} (set LATENTD_RAVE_FIXTURE)")
    return path

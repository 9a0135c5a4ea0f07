"""Shared test plumbing: system tools are skipped when missing, or fail under CI.

Tests that need a system tool (jackd, pd, oscsend, tmux) call ``require_tool``. On a developer
machine without the tool they skip with the reason; with ``LATENTD_REQUIRE_TOOLS=1`` (set by
``.ci/run`` after installing the tools) a missing tool is a failure, so no skip can hide one.
"""

import os
import shutil

import pytest


def require_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} not found (Debian package {package})"
    if os.environ.get("LATENTD_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{message}, and LATENTD_REQUIRE_TOOLS=1 requires it")
    pytest.skip(message)

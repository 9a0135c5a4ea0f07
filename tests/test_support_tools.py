"""tests/support/tools.py, the one tool check every folder imports: a missing tool skips a test
on a developer machine and fails it under LATENTD_REQUIRE_TOOLS=1 (CI)."""

import shutil

import pytest
from support.tools import require, require_tool

MISSING = "latentd-no-such-tool-4f1c"


def test_a_tool_on_path_is_found():
    assert require_tool("sh", "dash") == shutil.which("sh")


def test_a_missing_tool_skips_naming_its_package(monkeypatch):
    monkeypatch.delenv("LATENTD_REQUIRE_TOOLS", raising=False)
    with pytest.raises(pytest.skip.Exception, match=f"{MISSING} not found .*package pkg-x"):
        require_tool(MISSING, "pkg-x")


def test_a_missing_tool_fails_under_ci(monkeypatch):
    monkeypatch.setenv("LATENTD_REQUIRE_TOOLS", "1")
    with pytest.raises(pytest.fail.Exception, match="LATENTD_REQUIRE_TOOLS=1 requires it"):
        require_tool(MISSING, "pkg-x")
    with pytest.raises(pytest.fail.Exception, match=r"soundfont\.sf2 not found"):
        require(False, "soundfont.sf2 not found")
    require(True, "never said")

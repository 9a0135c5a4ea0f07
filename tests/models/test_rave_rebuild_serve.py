"""The daemon plays a rebuilt RAVE export end to end (issue 21): ``latentd serve --model x.ts``
takes the rebuilt path, says so in its log, keeps playing, and ``/attr/set`` still works."""

import os
from pathlib import Path

import pytest

from latentd.cli.main import main as cli_main
from latentd.models.rave_rebuild.policy import TIMING_VARIABLE
from tests.support.serve import free_port, osc, serve, stop_with, wait_for_line

EXPORT = Path(__file__).resolve().parents[1] / "support" / "rave_exports" \
    / "rave_v1_tiny_streaming.ts"


@pytest.fixture
def untimed(monkeypatch):
    """The rebuilt path whatever the load-time timing says on a loaded machine."""
    monkeypatch.setenv(TIMING_VARIABLE, "0")


def test_serve_plays_the_rebuilt_export_and_attributes_work(untimed):
    port = free_port()
    process = serve("--model", str(EXPORT), "--output", "null", "--port", str(port))
    try:
        wait_for_line(process, "playing through latentd's rebuild of the export", 120)
        wait_for_line(process, str(port), 120)
        assert osc(port, "/attr/set", "learn_target", 1)[1] == ["/attr/set", "learn_target"]
        assert osc(port, "/attr/get", "learn_target")[1] == ["learn_target", 1]
        assert osc(port, "/status")[0] == "/status.reply"
    finally:
        code, _, rest = stop_with(process)
    assert code == 0, rest
    assert "switching to the export's own methods" not in rest


def test_info_names_the_path(untimed, capsys):
    assert cli_main(["info", str(EXPORT)]) in (0, None)
    out = capsys.readouterr().out
    assert "rebuilt (latentd streaming core)" in out


def test_exact_export_flag_is_a_setting():
    from latentd.daemon.config import ServeConfig

    assert ServeConfig().exact_export is False
    assert os.environ.get(TIMING_VARIABLE) != "0"  # the default times the choice

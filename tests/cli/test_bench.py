"""``latentd bench`` (latentd/cli/bench.py, latentd/benchmarks.py): it finds the checkout's
bench/ folder, runs the tables asked for with their baselines and the machine summary, says
"not available" for a table not written yet, and refuses clearly without a checkout."""

import json
from pathlib import Path

import pytest

import latentd
from latentd import benchmarks
from latentd.cli.main import main
from latentd.errors import UsageError

ROOT = Path(__file__).resolve().parents[2]


def test_quick_rtf_table_prints_machine_table_and_baseline_and_writes_json(tmp_path, capsys,
                                                                           monkeypatch):
    """The command in this process (the table still runs in its own process, as the runner
    always starts it), from a directory outside the checkout."""
    out = tmp_path / "bench.json"
    monkeypatch.chdir(tmp_path)
    status = main(["bench", "--quick", "--only", "rtf", "--json", str(out)])
    captured = capsys.readouterr()
    assert status == 0, captured.out + captured.err
    text = captured.out
    assert "machine: " in text and "torch " in text and "logical cores" in text
    assert "baseline: offline decode" in text
    assert "offline (baseline)" in text  # the baseline row, measured in the same run
    report = json.loads(out.read_text())
    assert report["machine"]["torch"] and report["machine"]["logical_cores"] >= 1
    (table,) = report["tables"]
    assert table["name"] == "rtf" and table["status"] == "ok"
    rows = table["rows"]
    for model in ("default", "rave_v2_scale"):
        blocks = {r["frames_per_block"] for r in rows
                  if r["model"] == model and r["method"] == "streaming"}
        assert blocks == {1, 2, 4, 8}, rows
        assert all(r["rtf"] > 0 for r in rows if r["model"] == model)


def test_unknown_table_is_a_usage_error_naming_the_tables():
    with pytest.raises(UsageError, match=r"no table named nope .*stream, engine"):
        benchmarks.select("nope")
    assert [t.name for t in benchmarks.select("osc,rtf")] == ["rtf", "osc"]


def test_a_table_not_written_yet_is_not_available(tmp_path):
    (tmp_path / "bench").mkdir()
    exports = next(t for t in benchmarks.TABLES if t.name == "exports")
    outcome = benchmarks.run_table(tmp_path, exports, quick=True)
    assert outcome.status == "not available"
    assert "bench/exports.py" in outcome.problem


def test_without_a_checkout_it_refuses_saying_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.setattr(latentd, "__file__", str(tmp_path / "site" / "latentd" / "__init__.py"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(benchmarks.BenchError, match="clone the repository"):
        benchmarks.checkout()


def test_the_checkout_is_found_from_the_installed_package():
    assert benchmarks.checkout() == ROOT

"""``latentd bench``: run every benchmark table of the checkout's ``bench/`` folder in one go.

Why the tables stay in ``bench/`` and are run from the checkout, not moved into the package:
the benchmarks build scratch models, start ``jackd`` and ``latentd serve`` processes and need the
``bench`` extra (cached_conv) and the test plumbing (``tests/support/jack.py``); none of that
belongs in what ``pip install latentd`` ships. So this module is only the runner: it finds the
source checkout the package was installed from (an editable install, or the current directory),
runs each table's script there as its own process (``python bench/NAME.py``: a crash or a leak
in one table cannot touch the next, and each script still runs by hand exactly as the runner
runs it), shows its output as it comes, and gathers it. From a package installed without its
checkout it refuses with a message that says how to get one.

Every table measures its baseline in the same run (its ``baseline`` names it): ratios against a
baseline are what a rerun on another machine reproduces, absolute numbers are not. Scripts
that accept ``--json PATH`` (the ones written for this command) also give their rows as data,
which ``--json`` puts in the report beside each table's text.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from latentd.errors import LatentdError, UsageError


class BenchError(LatentdError):
    """``latentd bench`` cannot run here (no checkout) or a table failed."""


@dataclass(frozen=True)
class Table:
    """One benchmark table: the script in ``bench/`` that prints it and what it is compared to."""

    name: str
    script: str
    title: str
    baseline: str
    structured: bool = False  # the script takes --json PATH and writes its rows there
    optional: bool = False  # another issue may not have written it yet: "not available"
    full: tuple[str, ...] = ()
    quick: tuple[str, ...] = ("--quick",)


TABLES: tuple[Table, ...] = (
    Table("stream", "stream.py", "streaming vs offline vs overlap-add vs cached_conv",
          "offline decode of the same decoder"),
    Table("engine", "engine.py", "engine overhead per block size, input path, voices",
          "the model's raw decode"),
    Table("exports", "exports.py", "RAVE exports: raw export call vs latentd's path",
          "the export's own decode call", optional=True),
    Table("rtf", "realtime_factor.py",
          "real-time factor at 1, 2, 4, 8 latent frames per block",
          "offline decode of the same model", structured=True),
    Table("osc", "osc_throughput.py", "OSC messages per second the daemon sustains",
          "python-osc's own UDP server with a handler that does nothing", structured=True),
    Table("latency", "control_latency.py", "control-to-sound latency through JACK",
          "the latency the daemon reports", structured=True),
    Table("startup", "startup.py", "time from `latentd serve` to first sound; memory",
          "a Python process that only imports torch and latentd", structured=True),
)


def checkout() -> Path:
    """The source checkout holding ``bench/``: the one this package was installed from
    (``pip install -e``), else the current directory."""
    import latentd

    candidates = [Path(latentd.__file__).resolve().parents[1], Path.cwd()]
    for root in candidates:
        if (root / "bench" / "stream.py").is_file() and (root / "latentd").is_dir():
            return root
    raise BenchError(
        "the benchmarks live in bench/ of latentd's source checkout, which is not here "
        f"(looked in {', '.join(str(c) for c in candidates)}): clone the repository, "
        "`pip install -e .[bench]` in it and run `latentd bench` there")


def select(only: str | None) -> list[Table]:
    """The tables ``--only`` names (comma-separated), in the order of ``TABLES``."""
    if not only:
        return list(TABLES)
    names = [n.strip() for n in only.split(",") if n.strip()]
    known = {table.name for table in TABLES}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UsageError(f"--only: no table named {', '.join(unknown)} "
                         f"(tables: {', '.join(t.name for t in TABLES)})")
    return [table for table in TABLES if table.name in names]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    """What the numbers came from: CPU, cores this process may use, torch and its threads."""
    import torch

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {"cpu": cpu_model(), "logical_cores": os.cpu_count(), "usable_cores": usable,
            "torch": torch.__version__, "torch_default_threads": torch.get_num_threads(),
            "bench_threads": 1, "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}"}


def describe(info: dict[str, Any]) -> str:
    return (f"machine: {info['cpu']}, {info['logical_cores']} logical cores "
            f"({info['usable_cores']} usable); torch {info['torch']} "
            f"(default {info['torch_default_threads']} threads; the tables time one thread, "
            f"a render thread's, unless they say otherwise); Python {info['python']}, "
            f"{info['system']}")


@dataclass
class Outcome:
    table: Table
    status: str  # "ok", "failed", "not available"
    seconds: float = 0.0
    output: str = ""
    rows: Any = None
    problem: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.table.name, "title": self.table.title,
                "baseline": self.table.baseline, "status": self.status,
                "seconds": round(self.seconds, 1), "problem": self.problem,
                "rows": self.rows, "output": self.output}


def run_table(root: Path, table: Table, quick: bool) -> Outcome:
    """Run one table's script in its own process, echoing its output line by line."""
    script = root / "bench" / table.script
    if not script.is_file():
        if table.optional:
            return Outcome(table, "not available", problem=f"bench/{table.script} not present")
        raise BenchError(f"bench/{table.script} is missing from the checkout at {root}")
    args = [sys.executable, str(script), *(table.quick if quick else table.full)]
    with tempfile.TemporaryDirectory() as scratch:
        rows_file = Path(scratch) / "rows.json"
        if table.structured:
            args += ["--json", str(rows_file)]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(root), os.environ.get("PYTHONPATH")])), "PYTHONUNBUFFERED": "1"}
        started = time.monotonic()
        lines: list[str] = []
        with subprocess.Popen(args, cwd=root, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) as process:
            assert process.stdout is not None
            try:
                for line in process.stdout:
                    print(f"  {line}", end="", flush=True)
                    lines.append(line)
            except BaseException:  # Ctrl-C or a closed stdout: the table's process ends too
                process.kill()
                raise
        seconds = time.monotonic() - started
        rows = json.loads(rows_file.read_text()) if rows_file.is_file() else None
    output = "".join(lines)
    if process.returncode != 0:
        last = next((line.strip() for line in reversed(lines) if line.strip()), "no output")
        return Outcome(table, "failed", seconds, output, rows,
                       f"exit status {process.returncode}: {last}")
    return Outcome(table, "ok", seconds, output, rows)


@dataclass
class Report:
    machine: dict[str, Any]
    command: str
    quick: bool
    outcomes: list[Outcome] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"machine": self.machine, "command": self.command, "quick": self.quick,
                "tables": [o.as_dict() for o in self.outcomes]}


def run(only: str | None, quick: bool, json_path: Path | None,
        command: str = "latentd bench") -> Report:
    """Every selected table, in order; the report (written to ``json_path`` when given)."""
    tables = select(only)
    root = checkout()
    report = Report(machine(), command, quick)
    print(describe(report.machine))
    print(f"checkout: {root}; {'quick' if quick else 'full'} run of "
          f"{', '.join(t.name for t in tables)}", flush=True)
    for table in tables:
        print(f"\n## {table.name}: {table.title} (baseline: {table.baseline})", flush=True)
        outcome = run_table(root, table, quick)
        if outcome.status != "ok":
            print(f"  {outcome.status}: {outcome.problem}", flush=True)
        else:
            print(f"  ({outcome.seconds:.0f} s)", flush=True)
        report.outcomes.append(outcome)
        if json_path is not None:  # written after each table: a long run keeps what it has
            json_path.write_text(json.dumps(report.as_dict(), indent=1) + "\n")
    print("\nsummary: " + "; ".join(f"{o.table.name} {o.status}" for o in report.outcomes))
    return report

"""``latentd bench``: every benchmark table with its baseline, and the machine they ran on.

The runner is ``latentd.benchmarks`` (it explains why the tables stay in the checkout's
``bench/`` folder). A table that fails does not stop the others; the command then exits 1
naming it, so a CI job or a script notices.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from latentd.benchmarks import TABLES, BenchError, run


def bench_command(args: argparse.Namespace) -> int:
    command = " ".join(["latentd bench", *(["--quick"] if args.quick else []),
                        *(["--only", args.only] if args.only else [])])
    report = run(args.only, args.quick, args.json, command)
    failed = [o.table.name for o in report.outcomes if o.status == "failed"]
    if failed:
        raise BenchError(f"table(s) failed: {', '.join(failed)} (their output is above)")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    bench = commands.add_parser(
        "bench", help="run the benchmark tables (needs a source checkout)",
        description="Run every benchmark table of the checkout's bench/ folder, each against "
                    "a baseline measured in the same run, and print the machine they ran on.")
    bench.add_argument("--quick", action="store_true",
                       help="fewer, shorter repeats (minutes instead of tens of minutes)")
    bench.add_argument("--only", metavar="NAME[,NAME]",
                       help=f"only these tables ({', '.join(t.name for t in TABLES)})")
    bench.add_argument("--json", type=Path, metavar="PATH",
                       help="also write the machine, each table's output and rows to PATH")
    bench.set_defaults(run=bench_command)

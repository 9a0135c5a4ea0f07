"""Hypervisor steal: the share of this virtual machine's CPU time the host gave to others.

A real-time test on a shared VM can see its daemon run dry because the host paused the VM's
CPUs, not because the daemon was slow. ``/proc/stat`` counts that time (``steal``), so a test can
say, beside an underrun, how much of the machine it really had. Read the whole machine's line:
the render thread and whatever holds the interpreter lock may sit on any of the CPUs.
"""

from __future__ import annotations

from pathlib import Path

STAT = Path("/proc/stat")


def cpu_ticks() -> tuple[int, int]:
    """(steal, total) clock ticks of all CPUs since boot; (0, 0) where /proc/stat has no
    steal column (not Linux, or a kernel too old to count it)."""
    try:
        fields = STAT.read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return 0, 0
    if fields[0] != "cpu" or len(fields) < 9:
        return 0, 0
    counts = [int(v) for v in fields[1:9]]  # user nice system idle iowait irq softirq steal
    return counts[7], sum(counts)


def steal_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The share (0-1) of CPU time between two ``cpu_ticks`` readings that the host took."""
    total = after[1] - before[1]
    return (after[0] - before[0]) / total if total > 0 else 0.0

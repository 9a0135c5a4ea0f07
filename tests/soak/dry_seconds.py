"""The soak's judge of underruns on a virtual machine: each second the ring ran dry, weighed
against the share of the CPUs the host took (``steal``) over the seconds before it.

A render that falls short of real time drains the ring over seconds, not in an instant, so
the window looks back STEAL_WINDOW_SECONDS. With STARVED_STEAL or more of the machine taken
there, the dry second is the host's doing and is said, not failed (test_soak.py); below it,
the daemon was slow on a machine that had its CPUs.
"""

from __future__ import annotations

import dataclasses

from support.steal import steal_share

STEAL_WINDOW_SECONDS = 10
STARVED_STEAL = 0.10


@dataclasses.dataclass(frozen=True)
class Second:
    """One tick of the soak's clock: when, the machine's CPU counters, the daemon's underruns."""
    elapsed: float
    ticks: tuple[int, int]
    underruns: int


@dataclasses.dataclass(frozen=True)
class DrySecond:
    """A second in which the ring ran dry, and the host's steal over the window before it."""
    elapsed: float
    underruns: int
    steal: float

    @property
    def starved(self) -> bool:
        return self.steal >= STARVED_STEAL

    def __str__(self) -> str:
        return f"{self.elapsed:.0f} s: {self.underruns} ({100 * self.steal:.0f}% steal)"


def dry_seconds(seen: list[Second], window: int = STEAL_WINDOW_SECONDS) -> list[DrySecond]:
    """Each second in which underruns grew, with the steal of the ``window`` seconds before
    it (the ring drains over seconds when the render falls short, not in one instant)."""
    return [DrySecond(seen[k].elapsed, seen[k].underruns - seen[k - 1].underruns,
                      steal_share(seen[max(0, k - window)].ticks, seen[k].ticks))
            for k in range(1, len(seen)) if seen[k].underruns != seen[k - 1].underruns]

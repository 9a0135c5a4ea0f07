"""The soak's judge of underruns: each dry second is weighed against the host's steal before it
(test_soak.py, dry_seconds.py), so it must name the right seconds and the right steal."""

from __future__ import annotations

from soak.dry_seconds import STARVED_STEAL, STEAL_WINDOW_SECONDS, Second, dry_seconds
from support.steal import cpu_ticks, steal_share


def test_steal_share_is_the_stolen_part_of_the_ticks_between_readings():
    assert steal_share((10, 100), (30, 300)) == 0.1
    assert steal_share((10, 100), (10, 100)) == 0.0  # no time passed: nothing was taken


def test_this_machine_counts_its_ticks():
    steal, total = cpu_ticks()
    assert total > 0 and 0 <= steal <= total


def seconds_with_steal(stolen_per_second: dict[int, int], dry_from: int) -> list[Second]:
    """20 seconds of 100 ticks each; the host takes ``stolen_per_second[k]`` of second k; the
    ring runs dry 5 times in second ``dry_from``."""
    seen, stolen = [], 0
    for k in range(20):
        stolen += stolen_per_second.get(k, 0)
        seen.append(Second(float(k), (stolen, 100 * k), 5 if k >= dry_from else 0))
    return seen


def test_a_dry_second_is_weighed_against_the_steal_of_the_window_before_it():
    dry = dry_seconds(seconds_with_steal({11: 30, 12: 30}, dry_from=12))
    assert [(d.elapsed, d.underruns) for d in dry] == [(12.0, 5)]
    assert dry[0].steal == 60 / (100 * STEAL_WINDOW_SECONDS)
    assert not dry[0].starved  # 6% of the window: the machine had its CPUs


def test_a_dry_second_after_heavy_steal_is_starved():
    dry = dry_seconds(seconds_with_steal({k: 40 for k in range(8, 13)}, dry_from=12))
    assert dry[0].steal == 200 / (100 * STEAL_WINDOW_SECONDS) >= STARVED_STEAL
    assert dry[0].starved


def test_steal_long_before_a_dry_second_does_not_excuse_it():
    dry = dry_seconds(seconds_with_steal({k: 90 for k in range(0, 4)}, dry_from=18))
    assert dry[0].steal == 0.0 and not dry[0].starved


def test_underruns_on_a_machine_that_had_its_cpus_are_not_starved():
    seen = [Second(float(k), (0, 100 * k), k // 3) for k in range(12)]
    dry = dry_seconds(seen)
    assert [d.elapsed for d in dry] == [3.0, 6.0, 9.0]
    assert not any(d.starved for d in dry)

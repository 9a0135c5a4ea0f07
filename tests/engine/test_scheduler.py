"""What timed events a client can make the engine hold is bounded: how many wait at once and
how far ahead they may be stamped. Beyond, they are refused to the sender, never queued."""

import resource
import time

from support.engines import tiny_synth, wav_engine

from latentd.engine.controls import Event
from latentd.engine.scheduler import MAX_AHEAD_SECONDS, MAX_EVENTS, Scheduler


def test_admit_refuses_events_stamped_too_far_ahead_or_beyond_the_count():
    scheduler = Scheduler(max_events=3, max_ahead_seconds=10.0)
    now = 1000.0
    assert "ahead" in scheduler.admit(Event("gain", (0.0,), at=now + 11), now)
    assert "ahead" in scheduler.admit(Event("gain", (0.0,), at=float("nan")), now)
    for _ in range(3):
        assert scheduler.admit(Event("gain", (0.0,), at=now + 5), now) is None
    assert "already waiting" in scheduler.admit(Event("gain", (0.0,), at=now + 5), now)
    for i in range(3):
        scheduler.add(Event("gain", (0.0,), at=now + i))
    assert len(scheduler.due(now + 1)) == 2  # applied events free their places
    assert scheduler.admit(Event("gain", (0.0,), at=now + 5), now) is None


def test_a_flood_of_events_years_ahead_is_refused_without_growing_or_stalling(tmp_path):
    engine = wav_engine(tmp_path, tiny_synth())
    refused = []
    engine.listeners.append(lambda n: refused.append(n) if n.kind == "fail" else None)
    engine.start()
    years = time.time() + 3 * 365 * 86400
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for i in range(200_000):
        engine.post(Event("latent", (1.0,), index=0, at=years + i, reply="flood"))
    near = time.time() + 600
    accepted = sum(engine.post(Event("gain", (-1.0,), at=near + i * 1e-3))
                   for i in range(MAX_EVENTS + 500))
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    started = time.perf_counter()
    engine.render_offline(0.01)  # takes the accepted events into the schedule
    block_seconds = time.perf_counter() - started
    engine.stop(fade_seconds=0)
    assert accepted == MAX_EVENTS and len(engine.pipe.renderer.scheduler) == MAX_EVENTS
    assert len(refused) == 200_000 + 500
    assert refused[0].reply == "flood" and f"{MAX_AHEAD_SECONDS:g} s" in refused[0].args[0]
    assert grown_kb < 100_000  # the notices themselves; 1.35 M queued events took 674 MB
    assert block_seconds < 0.5

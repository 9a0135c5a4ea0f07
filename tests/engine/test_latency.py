"""``--latency-ms auto`` as logic: measured block times -> ring target (engine/latency.py), and
the engine sizing its ring with it before the device plays."""

import math
import time

import pytest
import torch

from latentd.audio.null import NullBackend
from latentd.engine import latency
from latentd.engine.engine import Engine, EngineSettings
from latentd.engine.latency import (
    AUTO,
    JITTER_NORMAL_SECONDS,
    JITTER_REALTIME_SECONDS,
    MAX_STALLS,
    MIN_PERIODS,
    MIN_SECONDS,
    SAFETY,
    STALL_FACTOR,
    choose,
    measure_blocks,
    model_worst,
    parse_latency,
    poll_seconds,
    target_frames,
)
from latentd.models.checkpoint_synth import LatentdSynth
from latentd.models.rave import RaveConfig, RaveModel
from latentd.models.synth import NoAttributes, Synth

RATE, PERIOD = 48000, 256


def test_target_is_safety_times_worst_plus_poll_and_jitter_in_whole_periods_plus_one():
    worst = 0.004
    frames = target_frames([0.001, worst, 0.002], PERIOD, RATE, realtime=True)
    seconds = SAFETY * worst + poll_seconds(PERIOD, RATE) + JITTER_REALTIME_SECONDS
    assert frames == (math.ceil(seconds * RATE / PERIOD) + 1) * PERIOD
    assert frames % PERIOD == 0
    # what the ring must cover: a late step and the callback's one-period bite, no more than a
    # period beyond it
    assert seconds * RATE + PERIOD <= frames < seconds * RATE + 2 * PERIOD


def test_only_the_worst_block_counts():
    many_fast = target_frames([0.004] * 99 + [0.010], PERIOD, RATE, realtime=True)
    one = target_frames([0.010], PERIOD, RATE, realtime=True)
    assert many_fast == one


def test_a_lone_stall_of_the_machine_does_not_size_the_ring():
    """One or two blocks far over the median are another process holding the core, not the
    model (latency.py): they are set aside, and the ring is the steady blocks' one."""
    stalled = [0.003] * 22 + [0.150, 0.004]
    assert model_worst(stalled) == (0.004, 1)
    assert target_frames(stalled, PERIOD, RATE, realtime=True) \
        == target_frames([0.004], PERIOD, RATE, realtime=True)
    # never more than MAX_STALLS: a model slow that often is slow
    three = [0.003] * 21 + [0.150] * (MAX_STALLS + 1)
    assert model_worst(three) == (0.150, MAX_STALLS)
    assert target_frames(three, PERIOD, RATE, realtime=True) \
        == target_frames([0.150], PERIOD, RATE, realtime=True)
    # a model whose blocks vary by less than STALL_FACTOR keeps its worst
    uneven = [0.003] * 20 + [0.003 * STALL_FACTOR] * 2
    assert model_worst(uneven) == (0.003 * STALL_FACTOR, 0)


def test_slower_model_gets_a_larger_ring_and_faster_never_a_larger_one():
    sizes = [target_frames([t], PERIOD, RATE, realtime=True)
             for t in (0.0, 0.001, 0.003, 0.010, 0.030, 0.100)]
    assert sizes == sorted(sizes)
    assert sizes[-1] > sizes[0]


def test_normal_priority_keeps_room_for_the_scheduler():
    fast = [0.001]
    realtime = target_frames(fast, PERIOD, RATE, realtime=True)
    normal = target_frames(fast, PERIOD, RATE, realtime=False)
    gap = (JITTER_NORMAL_SECONDS - JITTER_REALTIME_SECONDS) * RATE
    assert normal - realtime >= gap - PERIOD


def test_a_free_model_still_gets_the_minimum_and_a_hopeless_one_is_capped():
    assert target_frames([0.0], 4096, RATE, realtime=True) == MIN_PERIODS * 4096
    # at small periods, MIN_SECONDS before the last period (the smallest ring that held)
    free = target_frames([0.0], PERIOD, RATE, realtime=True)
    assert free == (math.ceil(MIN_SECONDS * RATE / PERIOD) + 1) * PERIOD
    capped = target_frames([30.0], PERIOD, RATE, realtime=True)
    assert capped <= (latency.MAX_SECONDS * RATE // PERIOD + 2) * PERIOD


def test_several_decodes_per_step_count_together():
    one = target_frames([0.004], PERIOD, RATE, realtime=True)
    four = target_frames([0.004], PERIOD, RATE, realtime=True, blocks_per_step=4)
    assert four - one >= SAFETY * 3 * 0.004 * RATE - PERIOD


@pytest.mark.parametrize("bad", [[], [math.nan], [-1.0]])
def test_nonsense_measurements_are_refused(bad):
    with pytest.raises(ValueError):
        target_frames(bad, PERIOD, RATE, realtime=True)


@pytest.mark.parametrize(("given", "expected"), [("auto", AUTO), ("AUTO", AUTO), (" auto ", AUTO),
                                                 ("80", 80.0), (12, 12.0), (7.5, 7.5)])
def test_parse_latency(given, expected):
    assert parse_latency(given) == expected


@pytest.mark.parametrize("bad", ["fast", True, None, [80]])
def test_parse_latency_refuses(bad):
    with pytest.raises(ValueError):
        parse_latency(bad)


class SleepySynth(Synth):
    """Decodes silence after sleeping ``seconds``: a model of known cost."""

    fresh_output = True

    def __init__(self, seconds: float, ratio: int = 64, rate: int = RATE):
        self.name, self.sample_rate, self.latent_size = "sleepy", rate, 2
        self.ratio, self.channels, self.latency = ratio, 1, 0
        self.methods, self.attributes = ["decode"], NoAttributes()
        self.seconds = seconds
        self.resets = 0
        self.hang = False

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        time.sleep(self.seconds if not self.hang else 60.0)
        return torch.zeros(z.shape[0], 1, z.shape[-1] * self.ratio)

    def reset(self) -> None:
        self.resets += 1


def test_measurement_sees_the_model_cost_and_resets_it():
    synth = SleepySynth(0.003)
    measured = measure_blocks(synth, 1, 1, 1, priority=0, timeout=10.0, count=5)
    assert measured is not None
    times, realtime = measured
    assert len(times) == 5 and min(times) >= 0.003
    assert realtime is False  # priority 0 asks for none
    assert synth.resets == 1


def test_with_an_input_open_each_timed_block_also_encodes():
    """The render step of ``/source input`` encodes a block and decodes one: auto times both
    (default-causal's encode costs about what its decode does)."""

    class EncodingSynth(SleepySynth):
        def encode(self, audio: torch.Tensor) -> torch.Tensor:
            assert audio.shape == (1, 1, self.ratio)  # one block of input
            time.sleep(self.seconds)
            return torch.zeros(1, self.latent_size, audio.shape[-1] // self.ratio)

    synth = EncodingSynth(0.003)
    chosen = choose(synth, 1, 1, 1, 0, PERIOD, RATE, timeout=10.0, encode=True)
    assert chosen.encoded and chosen.worst_seconds >= 0.006  # encode + decode
    assert "worst block encode + decode" in chosen.describe(RATE)
    assert not choose(synth, 1, 1, 1, 0, PERIOD, RATE, timeout=10.0).encoded


def test_a_hung_model_falls_back_to_a_fixed_ring():
    synth = SleepySynth(0.0)
    synth.hang = True
    started = time.monotonic()
    chosen = choose(synth, 1, 1, 1, 0, PERIOD, RATE, timeout=0.3)
    assert time.monotonic() - started < 5.0
    assert not chosen.measured
    assert chosen.target_frames == int(latency.FALLBACK_MS / 1000 * RATE)
    assert "fallback" in chosen.describe(RATE)


def test_engine_sizes_its_ring_from_the_model_before_the_device_plays(tmp_path):
    """A real checkpoint on the null output: the ring target is auto's choice for the measured
    decode, the reported ring latency is that target plus one chunk, and audio flows."""
    torch.manual_seed(0)
    synth = LatentdSynth(RaveModel(RaveConfig.tiny(sample_rate=RATE, noise=False, bands=4,
                                                   ratios=(4, 4), capacity=4, latent_size=4)),
                         "tiny")
    backend = NullBackend(RATE, 1, PERIOD)
    engine = Engine(synth, backend, EngineSettings(latency_ms=AUTO, block_frames=4,
                                                   presets_dir=tmp_path / "p",
                                                   recordings_dir=tmp_path / "r"))
    engine.start()
    try:
        chosen = engine.auto_ring
        assert chosen is not None and chosen.measured
        assert engine.target_frames == chosen.target_frames
        assert engine.target_frames >= MIN_PERIODS * PERIOD
        growth = engine.ring_growth  # room to grow into after underruns (ring_growth.py)
        assert growth is not None and growth.target_frames == engine.target_frames
        assert engine.ring.capacity == growth.ceiling_frames + engine.chunk_frames + PERIOD
        telemetry = engine.snapshot()
        assert telemetry.latency_ring_ms == pytest.approx(
            1000 * (engine.target_frames + engine.chunk_frames) / RATE)
        time.sleep(0.3)
        assert engine.ring.frames_read > 0
    finally:
        engine.stop()


def test_a_number_keeps_the_ring_it_asks_for(tmp_path):
    synth = SleepySynth(0.0)
    engine = Engine(synth, NullBackend(RATE, 1, PERIOD),
                    EngineSettings(latency_ms=50.0, presets_dir=tmp_path / "p",
                                   recordings_dir=tmp_path / "r"))
    assert engine.target_frames == int(0.05 * RATE)
    assert engine.auto_ring is None

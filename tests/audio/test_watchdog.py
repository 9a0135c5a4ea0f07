"""The device watchdog's states, driven by a fake device and a fake clock, and the counting of
PortAudio's status flags."""

import itertools
import threading
from dataclasses import dataclass

import pytest

from latentd.audio.watchdog import (
    BACKOFF_SECONDS,
    LOST,
    OK,
    STALLED,
    CallbackCounters,
    DeviceWatchdog,
)


class FakeDevice:
    def __init__(self):
        self.calls = 0
        self.active = True
        self.abandoned = []
        self.reopen_error: Exception | None = RuntimeError("server gone")
        self.reopen_hangs = False
        self.reopens = 0

    def heartbeat(self):
        return self.calls

    def stream_active(self):
        return self.active

    def abandon(self, reason):
        self.abandoned.append(reason)

    def reopen(self):
        self.reopens += 1
        if self.reopen_hangs:
            threading.Event().wait(10)
        if self.reopen_error is not None:
            raise self.reopen_error
        self.active = True


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def walk(watchdog, clock, device, seconds, calls_per_poll=0, step=0.1):
    """Poll every ``step`` for ``seconds``, the callback running ``calls_per_poll`` times
    between polls; returns the states seen, in order, without repeats."""
    seen = []
    for _ in range(round(seconds / step)):
        clock.now += step
        device.calls += calls_per_poll
        state = watchdog.poll()
        if not seen or seen[-1] != state:
            seen.append(state)
    return seen


@pytest.fixture
def rig():
    device, clock = FakeDevice(), Clock()
    changes = []
    watchdog = DeviceWatchdog(device, 256 / 48000, clock=clock,
                              on_state=lambda state, reason: changes.append(state),
                              reopen_timeout_seconds=0.5)
    return device, clock, watchdog, changes


def test_callbacks_arriving_is_ok(rig):
    device, clock, watchdog, changes = rig
    assert walk(watchdog, clock, device, 10.0, calls_per_poll=19) == [OK]
    assert changes == [] and device.abandoned == []


def test_silence_is_a_stall_then_a_loss_and_resuming_is_ok(rig):
    device, clock, watchdog, changes = rig
    assert watchdog.stall_seconds == 0.5 and watchdog.lost_seconds == 3.0
    assert walk(watchdog, clock, device, 1.0) == [OK, STALLED]
    assert walk(watchdog, clock, device, 0.5, calls_per_poll=5) == [OK]
    assert walk(watchdog, clock, device, 3.5) == [OK, STALLED, LOST]
    assert changes == [STALLED, OK, STALLED, LOST]
    assert len(device.abandoned) == 1 and "no audio callback" in device.abandoned[0]


def test_a_stream_that_says_it_stopped_is_lost_at_once(rig):
    device, clock, watchdog, _ = rig
    device.active = False
    assert walk(watchdog, clock, device, 0.1) == [LOST]
    assert "stream stopped" in device.abandoned[0]


def test_reopen_is_tried_with_backoff_and_success_is_ok(rig):
    device, clock, watchdog, changes = rig
    device.active = False
    walk(watchdog, clock, device, 0.1)
    attempts = []
    for _ in range(int(40 / 0.1)):
        clock.now += 0.1
        before = device.reopens
        watchdog.poll()
        if device.reopens != before:
            attempts.append(round(clock.now - 100.0, 1))
    gaps = [round(b - a, 1) for a, b in itertools.pairwise(attempts)]
    expected = BACKOFF_SECONDS[:len(gaps)]
    # each attempt at the first poll after its time
    assert len(gaps) >= 4, attempts
    assert all(abs(g - e) <= 0.15 for g, e in zip(gaps, expected, strict=True)), attempts
    assert watchdog.state == LOST
    device.reopen_error = None
    clock.now += 31
    assert watchdog.poll() == OK and watchdog.reopens == 1
    assert changes[-1] == OK


def test_a_reopen_that_hangs_is_given_up_not_retried(rig):
    device, clock, watchdog, _ = rig
    device.active = False
    device.reopen_hangs = True
    walk(watchdog, clock, device, 0.1)
    clock.now += 2
    watchdog.poll()
    assert device.reopens == 1 and watchdog.state == LOST
    clock.now += 100
    watchdog.poll()
    assert device.reopens == 1


def test_a_paused_daemon_is_not_blamed_on_the_device(rig):
    device, clock, watchdog, changes = rig
    walk(watchdog, clock, device, 1.0, calls_per_poll=19)
    clock.now += 10.0  # SIGSTOP: nothing ran, the watchdog included
    device.calls += 19  # the first callback after SIGCONT came before our first poll...
    assert watchdog.poll() == OK
    clock.now += 10.0
    assert watchdog.poll() == OK  # ...or not yet: the pause itself is not silence
    assert walk(watchdog, clock, device, 0.4, calls_per_poll=19) == [OK]
    assert changes == []


@dataclass
class Flags:  # what sounddevice's CallbackFlags offers the callback
    output_underflow: bool = False
    output_overflow: bool = False

    def __bool__(self):
        return self.output_underflow or self.output_overflow


def test_status_flags_are_counted():
    counters = CallbackCounters()
    for flags in (Flags(), Flags(output_underflow=True), Flags(output_overflow=True),
                  Flags(output_underflow=True)):
        counters.count(flags)
    assert (counters.output_underflows, counters.flagged) == (2, 3)


def test_sounddevice_flags_are_counted():
    sd = pytest.importorskip("sounddevice")
    counters = CallbackCounters()
    counters.count(sd.CallbackFlags(0))
    counters.count(sd.CallbackFlags(4))  # paOutputUnderflow
    assert counters.output_underflows == 1

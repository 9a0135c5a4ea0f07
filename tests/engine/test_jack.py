"""``latentd serve`` on a real JACK server (``jackd -d dummy``), heard by a second JACK client.

The daemon plays through PortAudio's JACK host API; a capture client (sounddevice in a
subprocess, see support/jack.py) records the daemon's JACK port and notes the wall time of every
callback, so a captured sample can be put on the same clock as the OSC messages the test sends.

The model is a tiny random-weight decoder at 48 kHz (JACK's rate, so nothing is resampled) with
4 latent frames (256 samples, one JACK period) per decode: cheap enough to keep the render load
low on a busy CI machine. With constant latents its output repeats exactly every latent frame
(64 samples), which makes a control change visible to the sample: the first sample that breaks
the repetition.

The daemon keeps 200 ms queued (``--latency-ms 200``) instead of its default 80. The ring is all
that stands between a render thread the OS does not run and an underrun, and shared CI machines
sometimes leave every ordinary process without a CPU for 30-80 ms and more (measured on a loaded
2-core runner: the daemon's render thread and an unrelated sleeping process stalled at the same
moments, the daemon using almost no CPU meanwhile; with the default ring, 2 runs in 16 of the
30 s test underran). 200 ms rides through such stalls; latentd being slow for real (rendering
behind real time, or control traffic starving the render thread) still drains any ring.
"""

import math
import time

import numpy as np
import pytest
import torch
from support.jack import (
    Capture,
    Osc,
    StallProbe,
    jack_output_device,
    longest_zero_run,
    onset,
    rms,
    running_jack,
    spectral_distance_db,
    start_daemon,
    stop_process,
)

from latentd.models.checkpoint import save_checkpoint
from latentd.models.rave import RaveConfig, RaveModel

pytestmark = pytest.mark.jack

RATE = 48000
LATENT_FRAME = 64  # samples per latent frame: bands (4) x prod(ratios) (4 x 4)
BLOCK_FRAMES = 4  # latent frames per decode: 256 samples, 5.3 ms
BLOCK_MS = 1000 * BLOCK_FRAMES * LATENT_FRAME / RATE
LATENCY_MS = 200.0  # the daemon's ring: see above
A = (3.0, 3.0, -3.0, -3.0)  # two latent points whose spectra differ by ~6 dB on average
B = (-3.0, -3.0, 3.0, 3.0)
# Allowance around "the reported latency plus one block", for the CI machine, not for latentd:
# - above: what the test's timing cannot see. Between the test's sendto() and the render thread
#   taking the event, the daemon's OSC thread has to wake and take the GIL (measured under load:
#   one change in ~60 heard 7.6 ms later than reported, the rest at or below it). A stall of the
#   whole daemon process right then can add its length (30-80 ms, see above), so the bound
#   applies to the median of several changes, which one stall cannot move.
# - below: a change is queued wherever the ring's fill is, up to one block under the most it
#   holds (which is what is reported), and the decoder's lookahead shows it a few samples early.
#   A stall cannot make it sooner: a render thread that wakes late writes the change into a
#   lower ring, and it is heard at the same moment.
# The capture's clock is good to well under 1 ms (the earliest of ~90 callbacks near the sample).
CI_MARGIN_MS = 30.0


@pytest.fixture(scope="module")
def jack(tmp_path_factory):
    with running_jack(tmp_path_factory.mktemp("jack")) as server:
        yield server


@pytest.fixture(scope="module")
def device(jack):
    return jack_output_device(jack.env)


@pytest.fixture(scope="module")
def daemon(jack, device, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("latentd")
    torch.manual_seed(0)
    model = RaveModel(RaveConfig.tiny(sample_rate=RATE, noise=False, bands=4, ratios=(4, 4),
                                      capacity=4, latent_size=4))
    assert model.config.bands * math.prod(model.config.ratios) == LATENT_FRAME
    save_checkpoint(workdir / "jacktest.ckpt", model)
    running = start_daemon(jack, workdir / "jacktest.ckpt", device, workdir, BLOCK_FRAMES,
                           LATENCY_MS)
    try:
        yield running
    finally:
        stop_process(running.process)


@pytest.fixture
def osc(daemon):
    with Osc(daemon.port) as client:
        yield client


def hold(osc, latents, settle=0.3):
    """Instant changes, then constant latents long enough for the output to be periodic."""
    osc.send("/glide", 0.0)
    osc.send("/latents", *latents)
    time.sleep(settle)


def sleep_until(wall):
    time.sleep(max(0.0, wall - time.time()))


def test_audio_flows_through_jack(jack, device, daemon, osc, tmp_path):
    hold(osc, A)
    capture = Capture(jack, device, daemon.ports[0], 2.5, tmp_path).start()
    recording = capture.finish()
    begin = recording.frame_at(capture.connected_at + 0.2)
    audio = recording.audio[begin:]
    assert len(audio) > RATE, f"only {len(audio)} frames captured after connecting"
    assert rms(audio) > 0.05, f"captured RMS {rms(audio):.4f}: the daemon is not heard"
    assert longest_zero_run(audio) <= 2, "the capture has gaps of silence"
    # bit-exact: what JACK delivered is the decoder's own periodic output, untouched
    assert onset(audio, 0, LATENT_FRAME) is None, "the steady output does not repeat per frame"
    assert daemon.alive()


CHANGES = 5  # an odd number: the median is one of them
SPACING = 0.4 + LATENCY_MS / 1000  # each change heard, then 0.35 s of it, before the next


@pytest.fixture(scope="module")
def changes(jack, device, daemon, tmp_path_factory):
    """One capture with big latent jumps (A -> B -> A ...), one every SPACING seconds."""
    with Osc(daemon.port) as client:
        status = client.status()
        hold(client, A)
        capture = Capture(jack, device, daemon.ports[0], 1.0 + CHANGES * SPACING,
                          tmp_path_factory.mktemp("changes")).start()
        sent = []
        for k in range(CHANGES):
            sleep_until(capture.connected_at + 0.5 + SPACING * k)
            sent.append(client.send("/latents", *(B if k % 2 == 0 else A)))
        recording = capture.finish()
    return status, sent, recording


def find_onset(recording, sent):
    """(frame the change was sent at, first frame it altered)."""
    at = recording.frame_at(sent)
    start = at - int(0.1 * RATE)  # 100 ms of steady output before the send...
    first = onset(recording.audio, start, LATENT_FRAME)
    assert first is not None, "the latent change never showed in the capture"
    assert first >= at, (f"the output changed {1000 * (at - first) / RATE:.1f} ms before the "
                         "change was sent")  # ...that must still be steady when it leaves
    return at, first


MIN_JUDGED = 3  # of CHANGES: changes whose windows played without a dropout


def test_latent_change_is_audible(changes):
    """Around each change, the output was steady before it and different after it. A window
    with a run of exact zeros held a dropout (the ring ran dry while the host took the VM's
    CPUs: CI, 6% steal over its run, a half-window of silence read as a 47 dB wander): its
    spectrum says nothing about the change, so it is set aside, and dropouts are judged by
    the underrun tests with their stall probe. Most changes must still be judged."""
    _, sent, recording = changes
    audio = recording.audio
    judged, set_aside = 0, []
    for t in sent:
        at, first = find_onset(recording, t)
        before = audio[at - int(0.35 * RATE):at - int(0.05 * RATE)]
        after = audio[first + int(0.05 * RATE):first + int(0.35 * RATE)]
        gap = max(longest_zero_run(before), longest_zero_run(after))
        if gap > 2:
            set_aside.append(f"{1000 * gap / RATE:.1f} ms of silence around the change at "
                             f"{t - sent[0]:.2f} s")
            continue
        same = spectral_distance_db(before[: len(before) // 2], before[len(before) // 2:])
        changed = spectral_distance_db(before, after)
        assert rms(after) > 0.05
        assert same < 0.5, f"the steady output's spectrum wanders by {same:.2f} dB"
        assert changed > 3.0, f"the latent jump changed the spectrum by only {changed:.2f} dB"
        judged += 1
    assert judged >= MIN_JUDGED, (f"only {judged} of {len(sent)} changes had windows without a "
                                  f"dropout: {set_aside}")


def test_control_to_sound_latency_is_within_the_reported_latency(changes):
    status, sent, recording = changes
    reported = float(status["latency_ms"])
    assert float(status["latency_ring_ms"]) > 0
    measured = []
    for t in sent:
        _, first = find_onset(recording, t)
        # the capture hears a sample as it enters the JACK graph; a DAC would play it one device
        # latency later, and the reported latency runs to the DAC
        entered = 1000 * (recording.wall_of(first) - t)
        measured.append(entered + float(status["latency_device_ms"]))
    median = float(np.median(measured))
    upper = reported + BLOCK_MS + CI_MARGIN_MS
    lower = reported - 2 * BLOCK_MS - 10.0
    summary = (f"measured {[round(m, 1) for m in measured]} ms, median {median:.1f} ms; "
               f"reported {reported:.1f} ms; allowed {lower:.1f}..{upper:.1f} ms (one block "
               f"{BLOCK_MS:.1f} ms, CI margin {CI_MARGIN_MS:.0f} ms)")
    print(summary)
    assert median <= upper, summary
    assert median >= lower, summary
    assert all(0 < m < upper + 250 for m in measured), summary  # no change lost or misplaced


@pytest.mark.slow
def test_no_underruns_in_30_s_of_controls_at_200_hz(jack, device, daemon, osc, tmp_path):
    seconds, rate = 30.0, 200
    hold(osc, A)
    before = osc.status()
    capture = Capture(jack, device, daemon.ports[0], seconds + 3.0, tmp_path).start()
    probe = StallProbe(tmp_path)
    start = time.time()
    count = int(seconds * rate)
    for k in range(count):
        sleep_until(start + k / rate)  # after a stall, catch up: the count stays exact
        osc.send("/latent", k % 4, 3.0 * math.sin(0.05 * k + k % 4))
    elapsed = time.time() - start
    after = osc.status()
    stall = probe.finish()
    recording = capture.finish()
    summary = (f"{count} controls in {elapsed:.1f} s; underruns {before['underruns']} -> "
               f"{after['underruns']}; load {after['load']}, peak {after['load_peak']}; "
               f"ring {LATENCY_MS:.0f} ms; longest stall of an unrelated process {stall} ms")
    print(summary)
    assert count / elapsed >= 0.95 * rate, summary
    assert after["underruns"] == before["underruns"] == 0, summary
    begin = recording.frame_at(capture.connected_at + 0.2)
    end = recording.frame_at(start + seconds)
    heard = recording.audio[begin:end]
    # the capture spans the run; jackd's dummy driver paces its cycles with a timer that skips
    # time when the machine stalls (CI: 28.6 s of frames in 30 s of wall clock, with latentd
    # at 0 underruns), so the bound leaves JACK's own clock 10% of slack
    assert len(heard) > 0.9 * seconds * RATE, f"the capture holds {len(heard) / RATE:.1f} s"
    assert longest_zero_run(heard) <= 2, "the capture has gaps of silence"
    assert rms(heard) > 0.05
    seconds_changing = [onset(heard[i:i + RATE], 0, LATENT_FRAME) is not None
                        for i in range(0, len(heard) - RATE + 1, RATE)]
    assert all(seconds_changing), "the controls did not keep changing the sound"

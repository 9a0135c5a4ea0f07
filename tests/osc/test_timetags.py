"""docs/osc.md "Timetags": control changes in a bundle land on the first latent frame heard at
or after the bundle's time, on the audio clock; late bundles are applied at once and answered
with ``/late <seconds>``; timetag 1 means now; other commands run when the bundle arrives.

The render thread's latent frames are recorded with the time each is heard (the frame clock the
renderer itself schedules with), so where an event landed is read exactly, not guessed from
wall-clock sleeps.
"""

import threading
import time

import pytest
from support.osc import bundle, immediate_bundle, message, wait_until


class FrameRecorder:
    """Wraps the playing renderer's ``latent_frames``: for every block, when it was rendered,
    when each of its frames is heard, and the decoded latents of each frame."""

    def __init__(self, daemon):
        self.renderer = daemon.engine.pipe.renderer
        self.frames: list[tuple[float, float, list[float]]] = []  # (rendered, heard, z)
        self.lock = threading.Lock()
        original = self.renderer.latent_frames

        def recording(frame_clock):
            used = {}

            def clock(j):  # the same answer every time it is asked within this block
                if j not in used:
                    used[j] = frame_clock(j)
                return used[j]

            z = original(clock)
            rendered = time.time()
            with self.lock:
                for j in range(z.shape[-1]):
                    self.frames.append((rendered, clock(j), z[0, :, j].tolist()))
            return z

        self.renderer.latent_frames = recording

    def snapshot(self):
        with self.lock:
            return list(self.frames)

    def first(self, condition):
        """Index of the first recorded frame whose latents satisfy ``condition``."""
        for i, (_, _, z) in enumerate(self.snapshot()):
            if condition(z):
                return i
        return None


def ok(client, address, *args):
    assert client.request(address, *args) == []


@pytest.fixture
def recorder(daemon, udp):
    ok(udp, "/glide", 0)  # jumps: the frame an event lands on is exact
    wait_until(lambda: daemon.controls.glide_ms == 0.0, message="/glide 0")
    return FrameRecorder(daemon)


def check_landing(recorder, at, condition):
    wait_until(lambda: recorder.first(condition) is not None, timeout=15,
               message="the scheduled change to be decoded")
    index = recorder.first(condition)
    frames = recorder.snapshot()
    rendered, heard, _ = frames[index]
    assert index > 0, "the change was on the first recorded frame: nothing to compare with"
    previous_heard = frames[index - 1][1]
    assert heard >= at, f"landed {at - heard:.4f} s early"
    assert previous_heard < at, "the frame before was also at or after the time: landed late"
    assert heard - at < 0.05  # no later than the next frame, give or take clock jitter
    assert rendered < heard, "rendered after it was heard"
    return index


@pytest.mark.parametrize("ahead", [0.3, 0.75])
def test_bundle_lands_on_the_first_frame_heard_at_or_after_its_time(daemon, client, recorder,
                                                                    ahead):
    at = time.time() + ahead
    client.send_bundle(at, ("/latent", 0, 3.0), ("/bias", 1, 1.0), ("/scale", 2, 0.0))
    assert client.sync() == []  # no /late: it came in time
    index = check_landing(recorder, at, lambda z: z[0] == 3.0)
    z = recorder.snapshot()[index][2]
    assert z[:3] == [3.0, 1.0, 0.0], "messages of one bundle land on the same frame"
    assert recorder.snapshot()[index - 1][2][:3] == [0.0, 0.0, 0.0]


def test_bundles_land_in_time_order_whatever_order_they_arrive_in(daemon, udp, recorder):
    now = time.time()
    second, first = now + 0.6, now + 0.35
    udp.send_bundle(second, ("/latent", 0, 2.0))
    udp.send_bundle(first, ("/latent", 0, 1.0))
    assert udp.sync() == []
    check_landing(recorder, first, lambda z: z[0] == 1.0)
    check_landing(recorder, second, lambda z: z[0] == 2.0)


def test_nested_bundle_uses_its_own_time(daemon, udp, recorder):
    now = time.time()
    inner = bundle(now + 0.6, ("/latent", 1, -1.0))
    udp.send_bundle(now + 0.3, ("/latent", 0, 1.0), inner)
    assert udp.sync() == []
    check_landing(recorder, now + 0.3, lambda z: z[0] == 1.0)
    check_landing(recorder, now + 0.6, lambda z: z[1] == -1.0)


def test_frames_are_heard_after_the_queued_audio_and_the_model_latency(daemon, recorder):
    """The audio clock includes device latency, queued audio and the model's own latency."""
    time.sleep(0.5)
    frames = recorder.snapshot()[-100:]
    ahead = sorted(heard - rendered for rendered, heard, _ in frames)
    median = ahead[len(ahead) // 2]
    model_latency = daemon.engine.synth.latency / daemon.engine.synth.sample_rate
    # about ring (80 ms) + device block (5.8 ms) + model (4.4 ms) ahead of the render
    assert model_latency < median < 0.3, ahead


# docs: "Only control changes (latents, bias, scale, glide, gain, mute, source, drift,
# temperature) are scheduled". One bundle holds them all; in bundle order, so the vector forms
# come first and the single-dimension forms then change dimensions 0 and 1.
SCHEDULED = [
    ("/latents", (5.0, 5.0, 5.0), lambda c: c.voices[0].latent[2] == 5.0),
    ("/latent", (0, 2.0), lambda c: c.voices[0].latent[0] == 2.0),
    ("/latent/1", (3.0,), lambda c: c.voices[0].latent[1] == 3.0),
    ("/biases", (5.0, 5.0, 5.0), lambda c: c.voices[0].bias[2] == 5.0),
    ("/bias", (0, 2.0), lambda c: c.voices[0].bias[0] == 2.0),
    ("/bias/1", (3.0,), lambda c: c.voices[0].bias[1] == 3.0),
    ("/scales", (5.0, 5.0, 5.0), lambda c: c.voices[0].scale[2] == 5.0),
    ("/scale", (0, 2.0), lambda c: c.voices[0].scale[0] == 2.0),
    ("/scale/1", (3.0,), lambda c: c.voices[0].scale[1] == 3.0),
    ("/glide", (1234,), lambda c: c.glide_ms == 1234.0),
    ("/gain", (-12,), lambda c: c.gain_db == -12.0),
    ("/mute", (1,), lambda c: c.muted),
    ("/source", ("drift",), lambda c: c.source == "drift"),
    ("/drift/mode", ("lfo",), lambda c: c.drift_mode == "lfo"),
    ("/drift/rate", (7,), lambda c: c.drift_rate == 7.0),
    ("/drift/depth", (3,), lambda c: c.drift_depth == 3.0),
    ("/temperature", (0.25,), lambda c: c.temperature == 0.25),
]


def test_every_control_change_is_scheduled(daemon, client):
    ahead = 1.0
    at = time.time() + ahead
    client.send_bundle(at, *[(address, *args) for address, args, _ in SCHEDULED])
    assert client.sync() == []

    def applied():
        return [address for address, _, test in SCHEDULED if test(daemon.controls)]

    if time.time() < at - 0.4:  # the machine was not too slow to look in time
        time.sleep(0.05)
        assert applied() == [], "applied before their time"
    wait_until(lambda: len(applied()) == len(SCHEDULED), timeout=15,
               message=lambda: f"all to be applied; applied: {applied()}")
    # applied when the frame heard at `at` is rendered: about the latency (~90 ms) before it
    assert time.time() > at - 0.4, "applied well before their time"


@pytest.mark.parametrize("address, args, reply", [
    ("/status", (), "/status.reply"), ("/version", (), "/version.reply"),
    ("/preset/list", (), "/preset/list.reply"), ("/preset/save", ("later",), "/done"),
    ("/sync", (5,), "/synced"),
])
def test_other_commands_run_when_the_bundle_arrives(daemon, udp, address, args, reply):
    sent = time.monotonic()
    udp.send_bundle(time.time() + 5.0, (address, *args))
    assert udp.wait_for(reply, timeout=4.0)
    assert time.monotonic() - sent < 4.0


def test_late_bundle_is_applied_at_once_and_reported(daemon, client):
    client.send_bundle(time.time() - 1.0, ("/latent", 0, 2.5))
    late = client.wait_for("/late", timeout=10)
    assert late.types == "f"
    assert 0.9 < late.args[0] < 5.0, late  # a second late, plus the latency it is heard after
    wait_until(lambda: daemon.controls.voices[0].latent[0] == 2.5, message="the late change")


def test_late_reply_goes_to_the_named_port(daemon):
    sender, listener = daemon.udp(), daemon.udp()
    sender.send("/notify", 1, listener.port)
    listener.wait_for("/done")
    sender.send("/notify", 0)
    listener.wait_for("/done")
    sender.send_bundle(time.time() - 0.5, ("/gain", -3))
    assert listener.wait_for("/late", timeout=10).args[0] > 0.4


def test_timetag_one_means_now(daemon, client):
    client.send_raw(immediate_bundle(("/latent", 3, -2.0), ("/mute", 1)))
    assert client.sync() == []  # no /late
    wait_until(lambda: daemon.controls.voices[0].latent[3] == -2.0 and daemon.controls.muted,
               message="the immediate bundle")
    assert [r.address for r in client.replies(0.3)] == []


def test_refusal_inside_a_bundle_goes_to_the_sender(daemon, client):
    client.send_bundle(time.time() + 0.2, ("/latent", 0, 99.0), ("/latent", 1, 1.0))
    replies = client.sync()
    assert [(r.address, r.args[0]) for r in replies] == [("/fail", "/latent")]
    wait_until(lambda: daemon.controls.voices[0].latent[1] == 1.0, message="the good message")
    assert daemon.controls.voices[0].latent[0] == 0.0


def test_far_future_bundle_does_not_disturb_the_sound(daemon, udp):
    udp.send_raw(bundle(time.time() + 3600, ("/mute", 1)))
    udp.send_raw(message("/latent", 0, 1.0))
    wait_until(lambda: daemon.controls.voices[0].latent[0] == 1.0, message="a plain message")
    assert not daemon.controls.muted
    daemon.assert_audio_flows()


def test_a_bundle_stamped_now_is_late_by_about_the_latency(daemon, client):
    """docs/osc.md: ``/late`` is measured against when the sound is heard, so a bundle stamped
    with the current time is late by about the output latency (stamp bundles at least
    ``latency_ms`` ahead to be on time); timetag 1 asks for no time and is never late."""
    latency_seconds = client.status()["latency_ms"] / 1000.0
    client.send_bundle(time.time(), ("/latent", 0, 1.5))
    late = client.wait_for("/late", timeout=10)
    assert 0.5 * latency_seconds <= late.args[0] <= latency_seconds + 0.3, \
        (late.args[0], latency_seconds)
    client.send_raw(immediate_bundle(("/latent", 1, 1.5)))
    assert [r.address for r in client.sync()] == []
    ahead = time.time() + latency_seconds + 0.2
    client.send_bundle(ahead, ("/latent", 2, 1.5))
    assert [r.address for r in client.sync()] == []  # stamped ahead by the latency: on time


def test_now_and_immediately_land_on_the_same_frame(daemon, udp, recorder):
    """Both are applied on the first frame rendered after they arrive; only "now" says /late."""
    packet = immediate_bundle(bundle(time.time(), ("/latent", 0, 2.0)), ("/latent", 1, 2.0))
    udp.send_raw(packet)
    wait_until(lambda: recorder.first(lambda z: z[0] == 2.0 and z[1] == 2.0) is not None,
               message="both changes decoded")
    assert recorder.first(lambda z: z[0] == 2.0) == recorder.first(lambda z: z[1] == 2.0)
    assert [r.address for r in udp.sync()] == ["/late"]

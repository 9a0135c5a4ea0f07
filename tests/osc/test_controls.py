"""docs/osc.md "Controls" and "Arguments": every control address, its effect on the engine, its
(absent) reply and its /fail cases, over UDP and over TCP with SLIP framing (python-osc).

The model has latent size N = 4. Control changes are applied by the render thread a block after
they are taken, so effects are polled for rather than read right after ``/synced``.
"""


import numpy as np
import pytest
from support.osc import wait_until

N = 4
INF, NAN = float("inf"), float("nan")


def ok(client, address, *args):
    """A control change: accepted without any reply (docs: 'no reply on success')."""
    replies = client.request(address, *args)
    assert replies == [], f"{address} {args}: expected no reply, got {replies}"


def voice(daemon):
    return daemon.controls.voices[0]


def controls_state(daemon):
    """Everything a performer can change, as comparable plain values."""
    c = daemon.controls
    v = c.voices[0]
    return (v.latent.tolist(), v.bias.tolist(), v.scale.tolist(), c.glide_ms, c.gain_db,
            c.muted, c.source, c.drift_mode, c.drift_rate, c.drift_depth, c.temperature)


# --------------------------------------------------------------------------- latents, bias, scale
@pytest.mark.parametrize("name", ["latent", "bias", "scale"])
def test_pair_form_sets_one_dimension(daemon, client, name):
    before = getattr(voice(daemon), name).copy()
    ok(client, f"/{name}", 2, 1.5)
    wait_until(lambda: getattr(voice(daemon), name)[2] == 1.5, message=f"/{name} 2 1.5")
    after = getattr(voice(daemon), name)
    assert after[[0, 1, 3]].tolist() == before[[0, 1, 3]].tolist()


@pytest.mark.parametrize("name", ["latent", "bias", "scale"])
def test_fader_form_sets_one_dimension(daemon, client, name):
    for i in range(N):
        ok(client, f"/{name}/{i}", -1.0 - i)
    wait_until(lambda: getattr(voice(daemon), name).tolist() == [-1.0, -2.0, -3.0, -4.0],
               message=f"/{name}/0 ... /{name}/3")


@pytest.mark.parametrize("name, plural", [("latent", "latents"), ("bias", "biases"),
                                          ("scale", "scales")])
def test_vector_form_sets_the_leading_dimensions(daemon, client, name, plural):
    ok(client, f"/{plural}", 0.25, -0.5, 1.25, 2.0)
    wait_until(lambda: getattr(voice(daemon), name).tolist() == [0.25, -0.5, 1.25, 2.0],
               message=f"/{plural} with N values")
    ok(client, f"/{plural}", 3.0)  # one value: only dimension 0
    wait_until(lambda: getattr(voice(daemon), name).tolist() == [3.0, -0.5, 1.25, 2.0],
               message=f"/{plural} with one value")


@pytest.mark.parametrize("value", [-16.0, 16.0, -16, 16, 0])
def test_latent_range_is_inclusive(daemon, client, value):
    for name in ("latent", "bias", "scale"):
        ok(client, f"/{name}", 1, value)
    wait_until(lambda: all(getattr(voice(daemon), n)[1] == value
                           for n in ("latent", "bias", "scale")), message="range ends")


def test_decoded_value_is_source_times_scale_plus_bias(daemon, client):
    ok(client, "/glide", 0)
    ok(client, "/latents", 1.0, 2.0, 3.0, -4.0)
    ok(client, "/scales", 2.0, 0.5, -1.0, 1.0)
    ok(client, "/biases", 0.5, 0.0, 1.0, -2.0)
    expected = [1.0 * 2.0 + 0.5, 2.0 * 0.5 + 0.0, 3.0 * -1.0 + 1.0, -4.0 * 1.0 - 2.0]
    wait_until(lambda: np.allclose(daemon.latents(), expected, atol=1e-5),
               message=lambda: f"decoded latents {daemon.latents()} == {expected}")


# --------------------------------------------------------------------------- glide
def test_glide_zero_jumps(daemon, client):
    ok(client, "/glide", 0)
    wait_until(lambda: daemon.controls.glide_ms == 0.0, message="/glide 0")
    ok(client, "/latent", 0, 10.0)
    # with glide 0 the very first frame carrying the change is already at the target
    wait_until(lambda: daemon.latents()[0] != 0.0, message="the jump to be decoded")
    assert daemon.latents()[0] == pytest.approx(10.0)


def test_glide_smooths_latent_changes(daemon, client):
    ok(client, "/glide", 60000)  # the top of the range: a minute to get ~63% of the way
    wait_until(lambda: daemon.controls.glide_ms == 60000.0, message="/glide 60000")
    ok(client, "/latent", 0, 10.0)
    wait_until(lambda: voice(daemon).latent[0] == 10.0, message="/latent 0 10")
    wait_until(lambda: daemon.latents()[0] > 0.0, message="the glide to start moving")
    assert 0.0 < daemon.latents()[0] < 5.0  # moving, but far from there
    ok(client, "/glide", 200)
    wait_until(lambda: daemon.latents()[0] > 9.9, timeout=20, message="a 200 ms glide to end")


# --------------------------------------------------------------------------- source and drift
def open_an_input(daemon):
    """``/source input`` needs an open input (issue 19): a looping file, as --input wav: opens."""
    import numpy as np
    import soundfile

    from latentd.audio.wav_input import WavInput

    path = daemon.root / "input.wav"
    daemon.root.mkdir(parents=True, exist_ok=True)
    soundfile.write(path, 0.3 * np.sin(np.arange(4410) * 0.0627), 44100)
    daemon.engine.set_input(WavInput(path))


def test_source_names(daemon, client):
    open_an_input(daemon)
    for name in ("drift", "input", "manual"):  # the tiny model can encode: input is allowed
        ok(client, "/source", name)
        wait_until(lambda n=name: daemon.controls.source == n, message=f"/source {name}")
    assert client.status()["source"] == "manual"


def test_source_prior_needs_a_model_with_a_prior(daemon, client):
    fail = client.fails("/source", "prior")
    assert "prior" in fail.args[1]
    assert daemon.controls.source == "manual"


def test_source_prior_and_input_with_a_model_that_has_them(make_daemon, nn_synth):
    daemon = make_daemon(nn_synth)
    open_an_input(daemon)
    client = daemon.udp()
    for name in ("prior", "input", "drift", "manual", "prior"):
        ok(client, "/source", name)
        wait_until(lambda n=name: daemon.controls.source == n, message=f"/source {name}")
    ok(client, "/temperature", 0.0)
    wait_until(lambda: daemon.controls.temperature == 0.0, message="/temperature 0")
    daemon.assert_audio_flows()


@pytest.mark.parametrize("mode", ["lfo", "walk"])
def test_drift_moves_the_latents_around_the_manual_values(daemon, client, mode):
    ok(client, "/glide", 0)
    ok(client, "/latents", 1.0, 1.0, 1.0, 1.0)
    ok(client, "/drift/mode", mode)
    ok(client, "/drift/rate", 20)
    ok(client, "/drift/depth", 2.0)
    ok(client, "/source", "drift")
    wait_until(lambda: (daemon.controls.drift_mode, daemon.controls.drift_rate,
                        daemon.controls.drift_depth, daemon.controls.source)
               == (mode, 20.0, 2.0, "drift"), message="the drift settings")
    seen = set()

    def moved():
        seen.add(tuple(round(v, 4) for v in daemon.latents()))
        return len(seen) > 5

    wait_until(moved, message="the drift to move the decoded latents")
    # depth 0: back to the manual values exactly
    ok(client, "/drift/depth", 0)
    wait_until(lambda: np.allclose(daemon.latents(), 1.0, atol=1e-6),
               message=lambda: f"depth 0 to give the manual values, got {daemon.latents()}")


def test_drift_rate_depth_and_temperature_ranges(daemon, client):
    for address, value, attribute in [("/drift/rate", 0, "drift_rate"),
                                      ("/drift/rate", 20, "drift_rate"),
                                      ("/drift/depth", 16, "drift_depth"),
                                      ("/drift/depth", 0.0, "drift_depth"),
                                      ("/temperature", 5, "temperature"),
                                      ("/temperature", 0, "temperature")]:
        ok(client, address, value)
        wait_until(lambda a=attribute, v=value: getattr(daemon.controls, a) == v,
                   message=f"{address} {value}")


# --------------------------------------------------------------------------- gain and mute
def peak(daemon):
    return daemon.engine.snapshot().peak_db[0]


def test_gain_changes_the_output_level_and_the_limiter_holds(daemon, client):
    ok(client, "/glide", 0)
    ok(client, "/latents", 3.0, -3.0, 2.0, 1.0)
    wait_until(lambda: peak(daemon) > -40, message="sound")
    ok(client, "/gain", 0)
    wait_until(lambda: daemon.controls.gain_db == 0.0, message="/gain 0")
    import time

    time.sleep(0.3)
    reference = peak(daemon)
    ok(client, "/gain", -20)
    wait_until(lambda: abs(peak(daemon) - (reference - 20)) < 3, timeout=15,
               message=lambda: f"-20 dB: peak {peak(daemon)} vs {reference}")
    ok(client, "/gain", 24)
    wait_until(lambda: peak(daemon) > reference + 3, timeout=15, message="+24 dB to be louder")
    time.sleep(0.3)
    assert peak(daemon) <= 0.0  # the limiter keeps the output inside [-1, 1]
    ok(client, "/gain", -120)
    wait_until(lambda: peak(daemon) < -100, timeout=15, message="-120 dB to be (nearly) silent")


def test_mute_fades_to_silence_and_back(daemon, client):
    wait_until(lambda: peak(daemon) > -60, message="sound before muting")
    ok(client, "/mute", 1)
    wait_until(lambda: daemon.controls.muted, message="/mute 1")
    # peak and RMS of one snapshot: two snapshots a stall apart read different moments (CI:
    # peak -120 dB, then RMS -19.9 dB in the next one)
    def silent() -> bool:
        heard = daemon.engine.snapshot()
        return heard.peak_db == [-120.0] and heard.rms_db == [-120.0]

    wait_until(silent, message="silence in peak and RMS")
    ok(client, "/mute", 0)
    wait_until(lambda: peak(daemon) > -60, message="sound after unmuting")
    assert not daemon.controls.muted
    ok(client, "/mute", True)  # T/F are numbers too
    wait_until(lambda: daemon.controls.muted, message="/mute T")
    ok(client, "/mute", ("f", 0.0))
    wait_until(lambda: not daemon.controls.muted, message="/mute 0.0")


# --------------------------------------------------------------------------- argument types
ONE = [("i", 1), ("f", 1.0), ("d", 1.0), ("h", 1), True]


@pytest.mark.parametrize("value", ONE, ids=["i", "f", "d", "h", "T"])
def test_numbers_may_be_i_f_d_h_or_true(daemon, client, value):
    ok(client, "/latent", 0, value)
    ok(client, "/bias/1", value)
    ok(client, "/scales", 0.5, value)
    ok(client, "/gain", value)
    ok(client, "/glide", value)
    ok(client, "/drift/rate", value)
    ok(client, "/drift/depth", value)
    ok(client, "/mute", value)
    wait_until(lambda: (voice(daemon).latent[0], voice(daemon).bias[1], voice(daemon).scale[1],
                        daemon.controls.gain_db, daemon.controls.glide_ms,
                        daemon.controls.drift_rate, daemon.controls.drift_depth,
                        daemon.controls.muted) == (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, True),
               message="every control at 1")


def test_false_is_zero(daemon, client):
    ok(client, "/latent", 1, 2.0)
    wait_until(lambda: voice(daemon).latent[1] == 2.0, message="/latent 1 2")
    ok(client, "/latent", 1, False)
    ok(client, "/latent", False, 3.0)  # index F = 0
    wait_until(lambda: voice(daemon).latent[:2].tolist() == [3.0, 0.0], message="F as 0")


@pytest.mark.parametrize("index", [("f", 2.0), ("d", 2.0), ("h", 2), ("i", 2)],
                         ids=["f", "d", "h", "i"])
def test_index_may_be_a_whole_float_as_pd_sends(daemon, client, index):
    for name in ("latent", "bias", "scale"):
        ok(client, f"/{name}", index, 0.75)
    wait_until(lambda: [getattr(voice(daemon), n)[2] for n in ("latent", "bias", "scale")]
               == [0.75] * 3, message="float index 2.0")


# --------------------------------------------------------------------------- refusals
BAD_NUMBERS = [NAN, INF, -INF, ("d", NAN), ("d", INF), ("d", -INF), "1.0", b"\x01", None]
RANGES = {  # address -> (low, high) of its single number argument
    "/glide": (0, 60000), "/gain": (-120, 24), "/drift/rate": (0, 20),
    "/drift/depth": (0, 16), "/temperature": (0, 5),
}

FAIL_CASES = [
    # counts
    *[(a, ()) for a in ["/latent", "/bias", "/scale", "/latents", "/biases", "/scales",
                        "/latent/0", "/bias/0", "/scale/0", "/glide", "/gain", "/mute",
                        "/source", "/drift/mode", "/drift/rate", "/drift/depth",
                        "/temperature"]],
    *[(a, (0,)) for a in ["/latent", "/bias", "/scale"]],
    *[(a, (0, 1.0, 2.0)) for a in ["/latent", "/bias", "/scale"]],
    *[(a, (1.0, 2.0)) for a in ["/latent/0", "/bias/3", "/scale/1"]],
    *[(a, (1.0,) * (N + 1)) for a in ["/latents", "/biases", "/scales"]],
    *[(a, (1.0, 2.0)) for a in ["/glide", "/gain", "/drift/rate", "/drift/depth",
                                "/temperature"]],
    ("/mute", (1, 1)), ("/source", ("manual", "drift")), ("/drift/mode", ("walk", "lfo")),
    # indices
    *[(f"/{n}", (i, 0.5)) for n in ("latent", "bias", "scale") for i in (-1, N, 99, 2.5,
                                                                         ("d", 0.5), NAN, INF,
                                                                         "1", None)],
    *[(f"/{n}/{i}", (0.5,)) for n in ("latent", "bias", "scale") for i in (N, 99, -1, "x")],
    # latent values out of [-16, 16] and non-numbers
    *[(f"/{n}", (0, v)) for n in ("latent", "bias", "scale")
      for v in (16.001, -16.5, 1e9, *BAD_NUMBERS)],
    *[(f"/{n}/0", (v,)) for n in ("latent", "bias", "scale") for v in (17.0, *BAD_NUMBERS)],
    *[(f"/{p}", (0.0, v)) for p in ("latents", "biases", "scales")
      for v in (-17.0, *BAD_NUMBERS)],
    # single numbers out of range
    *[(a, (v,)) for a, (low, high) in RANGES.items()
      for v in (low - 0.5, high + 0.5, *BAD_NUMBERS)],
    # mute is 0 or 1
    *[("/mute", (v,)) for v in (2, -1, 0.5, NAN, "1", None)],
    # names
    ("/source", ("granular",)), ("/source", ("",)), ("/source", (1,)), ("/source", ("MANUAL",)),
    ("/drift/mode", ("brownian",)), ("/drift/mode", (0,)), ("/drift/mode", ("",)),
]


def case_id(case):
    address, args = case
    return f"{address}{list(args)}"


@pytest.fixture(scope="module")
def refusing(tmp_path_factory, own_synth):
    """One daemon and one client per transport for the whole table of refusals (each refusal
    must leave everything as it was, so they can share)."""
    from support.osc import InProcessDaemon

    daemon = InProcessDaemon(own_synth(), tmp_path_factory.mktemp("refusing"))
    clients = {"udp": daemon.udp(), "tcp": daemon.tcp()}
    # every event the address space hands to the engine, so a refusal that still posted
    # something is caught at once, before the render thread would apply it
    daemon.posted = []
    post = daemon.engine.post

    def counting(event):
        daemon.posted.append(event)
        post(event)

    daemon.engine.post = counting
    yield daemon, clients
    daemon.stop()


def one_per_address(cases):
    seen, picked = set(), []
    for address, args in cases:
        if address not in seen:
            seen.add(address)
            picked.append((address, args))
    return picked


# the whole table over UDP; over TCP (the same handlers behind another transport) the first
# refusal of each address
TRANSPORT_CASES = [("udp", c) for c in FAIL_CASES] + [("tcp", c)
                                                      for c in one_per_address(FAIL_CASES)]


@pytest.mark.parametrize("transport, case", TRANSPORT_CASES,
                         ids=[f"{t}-{case_id(c)}" for t, c in TRANSPORT_CASES])
def test_refused_with_fail_and_nothing_changes(refusing, transport, case):
    daemon, clients = refusing
    client = clients[transport]
    address, args = case
    before = controls_state(daemon)
    daemon.posted.clear()
    client.fails(address, *args)
    assert daemon.posted == [], f"{address} {args} was refused but still posted an event"
    assert controls_state(daemon) == before, f"{address} {args} changed the controls"
    assert daemon.render_alive()


def test_refusals_leave_the_sound_playing(refusing):
    daemon, _ = refusing
    daemon.assert_audio_flows()
    assert daemon.engine.ring.underruns == 0 or daemon.render_alive()


def test_unknown_addresses(client):
    for address in ["/nope", "/latent/0/1", "/latentz", "/Latent", "/status/", "/model",
                    "/preset", "/record", "/attr", "/drift", "/", "//latent"]:
        fail = client.fails(address, 1.0)
        assert fail.args[1] == "unknown address" or "index" in fail.args[1], fail


def test_address_without_leading_slash_gets_fail(client):
    # python-osc cannot build such a message: write it by hand ("latent", ",if", 0, 1.0)
    raw = b"latent\x00\x00,if\x00" + (0).to_bytes(4, "big") + b"\x3f\x80\x00\x00"
    client.send_raw(raw)
    replies = client.sync()
    # an address that does not start with "/" is either not OSC (no reply) or refused
    assert all(r.address == "/fail" for r in replies), replies

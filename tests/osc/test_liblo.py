"""Every address of docs/osc.md driven by liblo, an OSC implementation independent of the
daemon's python-osc: ``oscsend`` sends, ``oscdump`` receives.

``oscsend`` sends each message from a fresh ephemeral port and exits, so it cannot read
replies. Two ways around that, both used here:

* effects: ``oscsend`` itself, with the engine's state checked directly;
* replies: liblo-encoded messages (``oscsend -`` writes the bytes) sent from one socket that
  first sent ``/notify 1 <oscdump's port>``, so that every reply lands in ``oscdump``, which
  decodes it with liblo and prints its type tags.
"""

import time

import numpy as np
import pytest
from support.osc import LibloSession, join_model_loaders, oscsend, wait_until

from latentd import __version__

pytestmark = pytest.mark.liblo


def v(daemon):
    return daemon.controls.voices[0]


# --------------------------------------------------------------------------- effects (oscsend)
OSCSEND_CONTROLS = [
    # (address, types, values, the engine state it must lead to)
    ("/latent", "if", (0, 1.5), lambda d: v(d).latent[0] == 1.5),
    ("/latent", "ff", (2, 0.75), lambda d: v(d).latent[2] == 0.75),  # Pd: a float index
    ("/latent", "hd", (3, -2.5), lambda d: v(d).latent[3] == -2.5),
    ("/latent/1", "f", (-2.5,), lambda d: v(d).latent[1] == -2.5),
    ("/latents", "ffff", (0.1, -0.4, 1.2, 0), lambda d: np.allclose(v(d).latent,
                                                                    [0.1, -0.4, 1.2, 0])),
    ("/bias", "if", (2, 0.5), lambda d: v(d).bias[2] == 0.5),
    ("/bias/3", "d", (0.25,), lambda d: v(d).bias[3] == 0.25),
    ("/biases", "hi", (1, 2), lambda d: v(d).bias[:2].tolist() == [1.0, 2.0]),
    ("/scale", "iT", (1,), lambda d: v(d).scale[1] == 1.0),
    ("/scale", "ii", (1, 3), lambda d: v(d).scale[1] == 3.0),
    ("/scale/0", "f", (0.5,), lambda d: v(d).scale[0] == 0.5),
    ("/scales", "ff", (1.5, 1.5), lambda d: v(d).scale[:2].tolist() == [1.5, 1.5]),
    ("/glide", "f", (200,), lambda d: d.controls.glide_ms == 200.0),
    ("/glide", "i", (0,), lambda d: d.controls.glide_ms == 0.0),
    ("/source", "s", ("drift",), lambda d: d.controls.source == "drift"),
    # /source input needs an open input (issue 19: tests/osc/test_input.py); its trim instead
    ("/input/gain", "f", (-6,), lambda d: d.engine.live_input.levels["input_gain"] == -6.0),
    ("/drift/mode", "s", ("lfo",), lambda d: d.controls.drift_mode == "lfo"),
    ("/drift/rate", "f", (5,), lambda d: d.controls.drift_rate == 5.0),
    ("/drift/depth", "d", (2,), lambda d: d.controls.drift_depth == 2.0),
    ("/temperature", "f", (0.5,), lambda d: d.controls.temperature == 0.5),
    ("/gain", "f", (-6,), lambda d: d.controls.gain_db == -6.0),
    ("/gain", "h", (24,), lambda d: d.controls.gain_db == 24.0),
    ("/mute", "T", (), lambda d: d.controls.muted),
    ("/mute", "i", (1,), lambda d: d.controls.muted),
    ("/latent/*", "f", (0.5,), lambda d: v(d).latent.tolist() == [0.5] * 4),
    ("/latent/[0-1]", "i", (1,), lambda d: v(d).latent.tolist() == [1.0, 1.0, 0.0, 0.0]),
    ("/{bias,scale}/2", "f", (0.25,), lambda d: (v(d).bias[2], v(d).scale[2]) == (0.25, 0.25)),
]


@pytest.mark.parametrize("address, types, values, reached", OSCSEND_CONTROLS,
                         ids=[f"{a} {t}" for a, t, *_ in OSCSEND_CONTROLS])
def test_oscsend_controls(daemon, address, types, values, reached):
    oscsend(daemon.port, address, types, *values)
    wait_until(lambda: reached(daemon), message=f"oscsend {address} {types} {values}")


def test_oscsend_refusals_change_nothing(daemon):
    for address, types, values in [("/latent", "if", (4, 1)), ("/latent", "ff", (0.5, 1)),
                                   ("/latent", "if", (0, 17)), ("/latent", "if", (0, "nan")),
                                   ("/latent", "id", (0, "inf")), ("/glide", "f", (-1,)),
                                   ("/gain", "f", (25,)), ("/mute", "i", (2,)),
                                   ("/source", "s", ("prior",)), ("/latent", "iI", (0,)),
                                   ("/latents", "s", ("x",)), ("/drift/mode", "s", ("x",))]:
        oscsend(daemon.port, address, types, *values)
    oscsend(daemon.port, "/temperature", "f", 2.5)  # a marker, sent last
    wait_until(lambda: daemon.controls.temperature == 2.5, message="the marker")
    c = daemon.controls
    assert v(daemon).latent.tolist() == [0.0] * 4
    assert (c.glide_ms, c.gain_db, c.muted, c.source, c.drift_mode) == (50.0, 0.0, False,
                                                                        "manual", "walk")
    daemon.assert_audio_flows()


def test_oscsend_docs_preset_example(daemon):
    """docs: ``oscsend localhost 57130 /preset/load sf warm 4``."""
    oscsend(daemon.port, "/glide", "i", 0)
    oscsend(daemon.port, "/latent", "if", 0, 4)
    wait_until(lambda: v(daemon).latent[0] == 4.0, message="latent 0 = 4")
    oscsend(daemon.port, "/preset/save", "s", "warm")
    wait_until(lambda: (daemon.presets_dir / "warm.json").is_file(), message="warm.json")
    oscsend(daemon.port, "/latent", "if", 0, 0)
    wait_until(lambda: v(daemon).latent[0] == 0.0, message="latent 0 = 0")
    oscsend(daemon.port, "/preset/load", "sf", "warm", 4)
    wait_until(lambda: 0.0 < v(daemon).latent[0] < 4.0, message="the 4 s morph to be under way")


def test_oscsend_record(daemon):
    oscsend(daemon.port, "/record/start", "s", "liblo take")
    wait_until(lambda: daemon.engine.recorder is not None, message="recording")
    time.sleep(0.3)
    oscsend(daemon.port, "/record/stop")
    wait_until(lambda: daemon.engine.recorder is None, message="stopped")
    assert (daemon.recordings_dir / "liblo take.wav").stat().st_size > 1000


def test_oscsend_model_load(daemon):
    oscsend(daemon.port, "/model/load", "s", "ravev2")
    wait_until(lambda: daemon.engine.model_name == "ravev2", timeout=60, message="the swap")
    join_model_loaders()
    daemon.assert_audio_flows()


def test_oscsend_attr_set(make_daemon, nn_synth):
    daemon = make_daemon(nn_synth)
    oscsend(daemon.port, "/attr/set", "sT", "learn_target")
    wait_until(lambda: daemon.engine.synth.attributes.get("learn_target") == (True,),
               message="learn_target = true")


# --------------------------------------------------------------------------- telemetry (oscdump)
def test_docs_notify_example_streams_telemetry_to_oscdump(daemon, dump):
    """docs: ``oscdump 9000 & oscsend localhost 57130 /notify ii 1 9000``."""
    oscsend(daemon.port, "/glide", "i", 0)
    oscsend(daemon.port, "/latents", "ffff", 0.5, -1, 2, 0.25)
    wait_until(lambda: np.allclose(daemon.latents(), [0.5, -1, 2, 0.25]), message="latents")
    oscsend(daemon.port, "/notify", "ii", 1, dump.port)
    done = dump.wait_for("/done")
    assert (done.types, done.args) == ("si", ["/notify", 1])
    time.sleep(0.2)
    seconds = 3.0
    lines = dump.collect(seconds)
    by = {a: [x for x in lines if x.address == a]
          for a in ("/meter", "/latent.state", "/status.reply")}
    rates = {a: len(x) / seconds for a, x in by.items()}
    assert 10 <= rates["/meter"] <= 40 and 10 <= rates["/latent.state"] <= 40, rates
    assert 0.6 <= rates["/status.reply"] <= 4, rates
    for line in lines:
        assert set(line.types) <= set("ifsb"), line.line
    assert all(m.types == "ff" and m.args[1] <= m.args[0] for m in by["/meter"])
    assert all(np.allclose(s.args, [0.5, -1, 2, 0.25], atol=1e-4) for s in by["/latent.state"])
    fields = dict(zip(by["/status.reply"][0].args[::2], by["/status.reply"][0].args[1::2],
                      strict=True))
    assert fields["clients"] == 1 and fields["model"] == "tiny"


def test_notify_0_stops_telemetry_to_oscdump(daemon, dump):
    session = LibloSession(daemon.port, dump)  # subscribes, then /notify 0
    session.send("/notify", "i", 1)
    assert dump.wait_for("/done").args == ["/notify", 1]
    dump.wait_for("/meter")
    session.send("/notify", "i", 0)
    dump.wait_for(lambda d: d.address == "/done" and d.args == ["/notify", 0])
    time.sleep(0.2)
    assert [x for x in dump.collect(1.0) if x.address in ("/meter", "/latent.state")] == []
    session.close()


def test_oscsend_notify_0_with_the_port_stops_telemetry(daemon, dump):
    """docs: ``oscsend localhost 57130 /notify ii 0 9000`` ends what ``/notify ii 1 9000``
    began, although each oscsend sends from a port of its own."""
    oscsend(daemon.port, "/notify", "ii", 1, dump.port)
    assert dump.wait_for("/done").args == ["/notify", 1]
    dump.wait_for("/meter")
    oscsend(daemon.port, "/notify", "ii", 1, dump.port)  # renewing keeps one stream
    assert dump.wait_for("/done").args == ["/notify", 1]
    oscsend(daemon.port, "/notify", "ii", 0, dump.port)
    assert dump.wait_for(lambda d: d.address == "/done" and d.args == ["/notify", 0]).types \
        == "si"
    time.sleep(0.2)
    assert [x for x in dump.collect(1.0) if x.address in ("/meter", "/latent.state")] == []


# --------------------------------------------------------------------------- replies (oscdump)
@pytest.fixture
def session(daemon, dump):
    s = LibloSession(daemon.port, dump)
    yield s
    s.close()


def test_status_version_and_sync_replies(daemon, session):
    [status] = session.request("/status")
    assert status.address == "/status.reply"
    fields = dict(zip(status.args[::2], status.args[1::2], strict=True))
    types = dict(zip(status.args[::2], status.types[1::2], strict=True))
    # docs/osc.md: fields may be added; these must be there, with these types
    assert types.items() >= {"underruns": "i", "load": "f", "load_peak": "f", "model": "s",
                     "latent_size": "i", "model_rate": "i", "device_rate": "i", "block": "i",
                     "latency_ms": "f", "latency_device_ms": "f", "latency_ring_ms": "f",
                     "latency_model_ms": "f", "ring_fill": "f", "source": "s", "clients": "i",
                     "uptime": "f", "recording": "s", "version": "s", "udp_drops": "i",
                     "rate_limited": "i", "malformed": "i"}.items()
    assert (fields["model"], fields["latent_size"], fields["block"]) == ("tiny", 4, 4)
    [version] = session.request("/version")
    assert (version.address, version.types, version.args) == ("/version.reply", "ss",
                                                              ["latentd", __version__])
    session.send("/sync", "s", "abc")
    assert session.dump.wait_for("/synced").args == ["abc"]
    session.send("/sync", "h", 12)
    synced = session.dump.wait_for("/synced")
    assert (synced.types, synced.args) == ("i", [12])  # h goes back as i: only i f s b
    session.send("/sync", "d", 0.5)
    synced = session.dump.wait_for("/synced")
    assert (synced.types, synced.args) == ("f", [0.5])


def test_lists(session):
    [models] = session.request("/model/list")
    assert models.address == "/model/list.reply" and set(models.types) <= {"s"}
    assert {"tiny", "other", "ravev2"} <= set(models.args)
    assert [(r.address, r.args) for r in session.request("/preset/save", "s", "b")] == [
        ("/done", ["/preset/save", "b"])]
    session.request("/preset/save", "s", "a")
    [presets] = session.request("/preset/list")
    assert (presets.address, presets.types, presets.args) == ("/preset/list.reply", "ss",
                                                              ["a", "b"])
    [loaded] = session.request("/preset/load", "sf", "a", 0.5)
    assert (loaded.address, loaded.types, loaded.args) == ("/done", "ss", ["/preset/load", "a"])


def test_record_replies(daemon, session):
    [start] = session.request("/record/start", "s", "rec")
    assert (start.address, start.types, start.args) == ("/done", "ss",
                                                       ["/record/start", "rec.wav"])
    time.sleep(0.5)
    [stop] = session.request("/record/stop")
    assert (stop.address, stop.types) == ("/done", "ssf")
    assert stop.args[:2] == ["/record/stop", "rec.wav"] and 0.2 < stop.args[2] < 20


def test_model_load_done_reaches_oscdump(daemon, session):
    assert session.request("/model/load", "s", "ravev2") == []
    wait_until(lambda: daemon.engine.model_name == "ravev2", timeout=60, message="the swap")
    join_model_loaders()
    done = session.dump.wait_for(lambda d: d.address in ("/done", "/fail"), timeout=3)
    assert (done.address, done.types, done.args) == ("/done", "ss", ["/model/load", "ravev2"])


def test_attr_replies(make_daemon, nn_synth, dump):
    daemon = make_daemon(nn_synth)
    session = LibloSession(daemon.port, dump)
    [got] = session.request("/attr/get", "s", "learn_target")
    assert (got.address, got.types, got.args) == ("/attr.reply", "si", ["learn_target", 0])
    [done] = session.request("/attr/set", "sT", "learn_target")
    assert (done.address, done.args) == ("/done", ["/attr/set", "learn_target"])
    [got] = session.request("/attr/get", "s", "learn_target")
    assert got.args == ["learn_target", 1]
    session.fails("/attr/get", "s", "nope")
    session.fails("/attr/set", "si", "nope", 1)
    session.close()


LIBLO_FAILS = [
    ("/latent", "if", (4, 1)), ("/latent", "ff", (1.5, 1)), ("/latent", "if", (0, 16.5)),
    ("/latent", "if", (0, "nan")), ("/latent", "id", (0, "-inf")), ("/latent", "i", (0,)),
    ("/latent", "is", (0, "x")), ("/latent/4", "f", (1,)), ("/latent/0", "ff", (1, 2)),
    ("/latents", "fffff", (1, 2, 3, 4, 5)), ("/latents", "", ()), ("/biases", "fN", (1,)),
    ("/bias", "if", (-1, 0)), ("/bias/0", "f", ("inf",)), ("/scale", "if", (0, -17)),
    ("/scales", "fs", (1, "y")), ("/scale/9", "f", (1,)), ("/glide", "f", (60001,)),
    ("/glide", "s", ("fast",)), ("/source", "s", ("prior",)), ("/source", "s", ("x",)),
    ("/source", "i", (1,)), ("/drift/mode", "s", ("x",)), ("/drift/rate", "f", (21,)),
    ("/drift/depth", "f", (-1,)), ("/temperature", "f", (5.5,)), ("/gain", "d", (100,)),
    ("/gain", "f", ("nan",)), ("/mute", "i", (2,)), ("/mute", "", ()),
    ("/model/load", "s", ("../models/tiny",)), ("/model/load", "s", ("/etc/passwd",)),
    ("/model/load", "f", (1.5,)), ("/model/list", "i", (1,)), ("/preset/save", "s", ("a/b",)),
    ("/preset/save", "", ()), ("/preset/load", "s", ("missing",)),
    ("/preset/load", "sf", ("x", -1)), ("/preset/list", "s", ("x",)),
    ("/record/start", "s", ("../x",)), ("/record/start", "f", (1.5,)), ("/record/stop", "", ()),
    ("/attr/set", "si", ("learn_target", 1)), ("/attr/get", "s", ("learn_target",)),
    ("/status", "i", (1,)), ("/version", "s", ("x",)), ("/sync", "", ()),
    ("/sync", "ii", (1, 2)), ("/notify", "i", (5,)), ("/notify", "ii", (1, 0)),
    ("/nope", "", ()), ("/latent/[5-9]", "f", (1,)),
]


@pytest.mark.parametrize("address, types, values", LIBLO_FAILS,
                         ids=[f"{a} {t} {list(v)}" for a, t, v in LIBLO_FAILS])
def test_liblo_refusals(daemon, session, address, types, values):
    before = (v(daemon).latent.tolist(), daemon.controls.gain_db, daemon.controls.muted)
    session.fails(address, types, *values)  # /fail ss <address> <reason>, as liblo reads it
    assert (v(daemon).latent.tolist(), daemon.controls.gain_db, daemon.controls.muted) == before


def test_mute_false_is_not_refused(daemon, session):
    """``/mute F`` is a number (0): unmute. Listed here because liblo sends it as a type with
    no data."""
    assert session.request("/mute", "T") == []
    wait_until(lambda: daemon.controls.muted, message="muted")
    assert session.request("/mute", "F") == []
    wait_until(lambda: not daemon.controls.muted, message="unmuted")


@pytest.mark.parametrize("address, types, values", [
    ("/latents", "fcf", (1, "x", 2)),  # c: a char
    ("/latents", "fSf", (1, "sym", 2)),  # S: a symbol
    ("/latents", "ffI", (1, 2)),  # I: infinitum
    ("/latent", "imf", (0, "00904060", 1)),  # m: MIDI
    ("/latents", "fNf", (1, 2)),  # N: nil
], ids=["c", "S", "I", "m", "N"])
def test_types_outside_the_docs_are_refused_not_misread(daemon, session, address, types,
                                                        values):
    """Only i f d h T F (numbers), s (names) and b (a /sync id) are documented; a char,
    symbol, infinitum, MIDI or nil argument is a wrong type: /fail naming it, and nothing
    changes (never a value read from the wrong bytes)."""
    fail = session.fails(address, types, *values)
    assert f"'{types.strip('fi')}'" in fail.args[1], fail  # the reason names the tag
    time.sleep(0.1)
    assert v(daemon).latent.tolist() == [0.0] * 4

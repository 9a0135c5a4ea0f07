"""docs/osc.md "Models, presets, recordings": /model/load, /model/list, /preset/save,
/preset/load, /preset/list, /record/start, /record/stop, /attr/set, /attr/get; their replies,
their effect and their refusals, names confined to their directories.

The model directory (LATENTD_MODEL_PATH) holds ``tiny`` (the playing model), ``other`` (latent
size 6), ``ravev2`` (an nn~ TorchScript export look-alike) and ``escape``, a link to a model
outside the directory.
"""

import json
import re
import threading
import time

import numpy as np
import pytest
import soundfile
from support.osc import join_model_loaders, wait_until

BAD_NAMES = ["../tiny", "../models/tiny", "/etc/passwd", "a/b", "sub\\name", ".hidden", "..",
             "a..b", "", "x" * 65, "name\n", "~root", "*", "tiny?"]


def ok(client, address, *args):
    replies = client.request(address, *args)
    assert replies == [], f"{address} {args}: expected no reply, got {replies}"


def done(client, address, *args):
    """A command answered with ``/done <address> ...``; returns the reply's arguments."""
    replies = client.request(address, *args)
    assert [r.address for r in replies] == ["/done"], f"{address} {args}: {replies}"
    assert replies[0].args[0] == address, replies
    return replies[0]


# --------------------------------------------------------------------------- models
def test_model_list(udp):
    reply = udp.ask("/model/list")
    assert reply.address == "/model/list.reply"
    assert set(reply.types) <= {"s"}
    assert {"tiny", "other", "ravev2"} <= set(reply.args)
    assert "notes" not in reply.args
    udp.fails("/model/list", "extra")


def test_model_list_leaves_out_links_leading_outside(udp):
    """``escape`` links outside the model directory, so /model/load refuses it; listing it
    offers a model that cannot be loaded."""
    assert "escape" not in udp.ask("/model/list").args


def load_answer(client, name, timeout=60.0):
    """Send /model/load and return its answer: a /fail before /synced (name refused at once)
    or the /done or /fail that comes when the load ends."""
    try:
        replies = client.request("/model/load", name)
        assert len(replies) <= 1, replies
        if replies:
            return replies[0]
        return client.wait_for(lambda r: r.address in ("/done", "/fail"), timeout=timeout)
    finally:
        join_model_loaders()


def load(daemon, client, name, timeout=60.0):
    """Send /model/load and wait until it ends one way or another: its /done, a /fail, or the
    render thread's death. Returns the replies seen meanwhile. (The engine shows the new
    model a moment before the /done goes out, so the swap alone would leave that /done to
    be taken for the answer to whatever is sent next.)"""
    client.send("/model/load", name)
    seen = []

    def ended():
        seen.extend(r for r in client.drain() if r.address in ("/done", "/fail", "/synced"))
        return (not daemon.render_alive()
                or any(r.address == "/fail" or r.args == ["/model/load", name] for r in seen))

    try:
        wait_until(ended, timeout=timeout, message=f"the load of {name} to end")
    finally:
        join_model_loaders()
    return seen


def test_model_load_answers_done(daemon, client):
    """``ravev2`` is a TorchScript export: its load traces nothing (see the next test)."""
    seen = load(daemon, client, "ravev2")
    assert daemon.engine.model_name == "ravev2", seen
    if not seen:
        seen = [client.wait_for(lambda r: r.address in ("/done", "/fail"), timeout=3)]
    assert [(r.address, r.types, r.args) for r in seen] == [("/done", "ss",
                                                             ["/model/load", "ravev2"])]
    daemon.assert_audio_flows()
    assert client.status()["model"] == "ravev2"


@pytest.fixture
def fresh_daemon(make_daemon, own_synth):
    """A daemon with a synth of its own: a render thread killed mid-decode would leave the
    shared synth's streaming state broken for the tests after."""
    return make_daemon(own_synth())


@pytest.fixture
def fresh_export_daemon(make_daemon, model_dir):
    """A daemon with a synth of its own that starts at once: ``ravev2`` (an export loads in
    ~0.3 s; a checkpoint's synth is scripted, ~1-2 s), for tests where the first model is not
    the subject."""
    from latentd.models.registry import load_synth

    return make_daemon(load_synth(model_dir / "ravev2.ts"))


def test_model_load_keeps_the_render_thread_alive_and_swaps_the_latent_size(
        fresh_export_daemon):
    """Loading a latentd checkpoint while playing must not disturb the render thread (its load
    runs torch.fx.symbolic_trace, which patches torch.nn.Module.__call__ for every thread,
    and TorchScript compilation). Three loads, since a collision is a matter of timing.

    The first load is ``other`` (latent size 6, from ravev2's 4): the controls follow, and the
    new dimensions answer. (One daemon for both facts: each load of a checkpoint scripts a
    model, ~1-2 s apiece.)"""
    daemon, udp = fresh_export_daemon, fresh_export_daemon.udp()
    assert daemon.synth.latent_size == 4
    ok(udp, "/latents", 1.0, 2.0, 3.0, 4.0)
    wait_until(lambda: daemon.controls.voices[0].latent[3] == 4.0, message="the latents")
    for step, name in enumerate(("other", "tiny", "other")):
        seen = load(daemon, udp, name)
        assert daemon.render_alive(), f"the render thread died while loading {name}"
        assert daemon.engine.model_name == name, f"the load of {name} failed: {seen}"
        if step == 0:  # the swap to another latent size
            assert udp.status()["latent_size"] == 6
            assert daemon.controls.voices[0].latent.tolist() == [1.0, 2.0, 3.0, 4.0, 0.0, 0.0]
            ok(udp, "/latent/5", 1.0)  # the new dimensions are addressable
            wait_until(lambda: daemon.controls.voices[0].latent[5] == 1.0, message="/latent/5")
            udp.fails("/latent/6", 1.0)
            daemon.assert_audio_flows()
    daemon.assert_audio_flows()


def test_model_loads_run_one_at_a_time_in_the_order_asked(fresh_daemon):
    """Loading compiles TorchScript, which is not thread-safe: a second /model/load sent while
    one runs waits for it (docs/osc.md). Both answer, in the order asked, and the last one
    asked ends up playing."""
    daemon, udp = fresh_daemon, fresh_daemon.udp()
    udp.send("/model/load", "other")
    udp.send("/model/load", "ravev2")
    try:
        answers = [udp.wait_for(lambda r: r.address in ("/done", "/fail"), timeout=120)
                   for _ in range(2)]
    finally:
        join_model_loaders()
    assert [(r.address, r.args) for r in answers] == [("/done", ["/model/load", "other"]),
                                                      ("/done", ["/model/load", "ravev2"])]
    wait_until(lambda: daemon.engine.model_name == "ravev2", message="the second swap")
    daemon.assert_audio_flows()


def test_model_load_queue_is_bounded(daemon, udp):
    """A flood of /model/load cannot queue hours of loading: past MAX_QUEUED_LOADS waiting, a
    request gets /fail at once; the queued ones still answer."""
    from latentd.engine.engine import MAX_QUEUED_LOADS

    started, release = threading.Event(), threading.Event()
    loader = daemon.engine.loader

    def held(name):
        started.set()
        release.wait(60)
        return loader(name)

    daemon.engine.loader = held
    try:
        udp.send("/model/load", "nope")
        assert started.wait(30), "the first load did not start"
        for _ in range(MAX_QUEUED_LOADS):
            udp.send("/model/load", "nope")
        assert "already waiting" in udp.fails("/model/load", "nope").args[1]
    finally:
        release.set()
    try:
        answers = [udp.wait_for("/fail", timeout=60) for _ in range(MAX_QUEUED_LOADS + 1)]
    finally:
        join_model_loaders()
    assert all(r.args[0] == "/model/load" and "not found" in r.args[1] for r in answers)
    assert udp.drain() == []
    assert daemon.engine.model_name == "tiny"


def test_loads_in_two_engines_never_overlap(make_daemon, synth, fresh_export_daemon):
    """The serialisation is process-wide: two daemons in one process load one at a time.
    (The session's synth plays in one of them, an export in the other, and they load
    ``ravev2``, a TorchScript export: the lock is around the loader whatever it loads, and a
    checkpoint's load scripts the model, ~1-2 s more each.)"""
    daemons = [make_daemon(synth), fresh_export_daemon]
    guard, running, most = threading.Lock(), [0], [0]

    def counted(loader):
        def load(name):
            with guard:
                running[0] += 1
                most[0] = max(most[0], running[0])
            try:
                time.sleep(0.2)  # widen the window a collision needs
                return loader(name)
            finally:
                with guard:
                    running[0] -= 1
        return load

    clients = []
    for daemon in daemons:
        daemon.engine.loader = counted(daemon.engine.loader)
        clients.append(daemon.udp())
    for client in clients:
        client.send("/model/load", "ravev2")
    try:
        for client in clients:
            reply = client.wait_for(lambda r: r.address in ("/done", "/fail"), timeout=120)
            assert (reply.address, reply.args) == ("/done", ["/model/load", "ravev2"]), reply
    finally:
        join_model_loaders()
    assert most[0] == 1, "two model loads ran at once"


def test_model_load_default(daemon, udp):
    """``default`` is the bundled model, shipped in the package: it loads by name."""
    from latentd.models.registry import bundled_default

    assert bundled_default() is not None, "the default model's weights are not in the package"
    reply = load_answer(udp, "default")
    assert (reply.address, reply.args) == ("/done", ["/model/load", "default"])


@pytest.mark.parametrize("name", ["nope", "escape", "notes.txt", "notes"])
def test_model_load_failure_keeps_the_old_model(daemon, client, name):
    """Names that pass the name check but find nothing loadable: /fail comes from the loader."""
    reply = load_answer(client, name)
    assert (reply.address, reply.types, reply.args[0]) == ("/fail", "ss", "/model/load"), reply
    assert "internal error" not in reply.args[1]
    assert daemon.engine.synth.name == "tiny"
    daemon.assert_audio_flows()
    assert client.status()["model"] == "tiny"


@pytest.mark.parametrize("name", BAD_NAMES)
def test_model_load_refuses_paths_and_bad_names(daemon, udp, model_dir, name):
    reply = load_answer(udp, name)
    assert (reply.address, reply.args[0]) == ("/fail", "/model/load"), reply
    assert daemon.engine.synth.name == "tiny"


def test_model_load_refuses_an_absolute_path_to_a_real_model(daemon, udp, model_dir):
    for path in (model_dir / "tiny.ckpt", model_dir / "other.ckpt", model_dir / "ravev2.ts"):
        reply = load_answer(udp, str(path))
        assert (reply.address, reply.args[0]) == ("/fail", "/model/load"), reply
    assert daemon.engine.model_name == "tiny"


def test_model_load_argument_errors(udp):
    udp.fails("/model/load")
    udp.fails("/model/load", 3)
    udp.fails("/model/load", "tiny", "other")


# --------------------------------------------------------------------------- presets
def test_preset_save_list_and_load(daemon, client):
    ok(client, "/glide", 0)
    ok(client, "/latents", 1.0, -2.0, 3.0, 0.5)
    ok(client, "/bias", 1, 0.25)
    ok(client, "/scale", 2, 2.0)
    ok(client, "/gain", -6)
    wait_until(lambda: daemon.controls.gain_db == -6.0, message="the settings")
    assert done(client, "/preset/save", "warm").args == ["/preset/save", "warm"]
    stored = json.loads((daemon.presets_dir / "warm.json").read_text())
    assert stored["voices"][0]["latent"] == [1.0, -2.0, 3.0, 0.5]
    assert stored["gain_db"] == -6.0
    assert done(client, "/preset/save", "cold 2").args == ["/preset/save", "cold 2"]
    reply = client.ask("/preset/list")
    assert reply.address == "/preset/list.reply" and set(reply.types) <= {"s"}
    assert reply.args == ["cold 2", "warm"]

    ok(client, "/latents", 0.0, 0.0, 0.0, 0.0)
    ok(client, "/gain", 0)
    wait_until(lambda: daemon.controls.gain_db == 0.0, message="the reset")
    assert done(client, "/preset/load", "warm").args == ["/preset/load", "warm"]
    v = daemon.controls.voices
    wait_until(lambda: (v[0].latent.tolist(), v[0].bias[1], v[0].scale[2],
                        daemon.controls.gain_db) == ([1.0, -2.0, 3.0, 0.5], 0.25, 2.0, -6.0),
               message="the preset to be applied")


def test_preset_load_morphs_over_seconds(daemon, udp):
    ok(udp, "/glide", 0)
    ok(udp, "/latent", 0, 4.0)
    ok(udp, "/source", "manual")
    wait_until(lambda: daemon.controls.voices[0].latent[0] == 4.0, message="latent 0 = 4")
    done(udp, "/preset/save", "four")
    ok(udp, "/latent", 0, 0.0)
    ok(udp, "/glide", 500)
    wait_until(lambda: daemon.controls.voices[0].latent[0] == 0.0, message="latent 0 = 0")
    started = time.monotonic()
    done(udp, "/preset/load", "four", 2.0)
    # glide switches at once (to the preset's 0 ms), latents morph over 2 s
    wait_until(lambda: daemon.controls.glide_ms == 0.0, message="the glide to switch")
    seen = []
    while time.monotonic() - started < 6.0:
        seen.append(float(daemon.controls.voices[0].latent[0]))
        if seen[-1] == 4.0:
            break
        time.sleep(0.02)
    assert seen[-1] == 4.0, "the morph did not end"
    assert time.monotonic() - started > 1.0, "the morph was much faster than 2 s"
    assert any(0.5 < s < 3.5 for s in seen), f"no intermediate values: {seen[:5]}..."


def test_preset_load_seconds_accepts_any_number_type(daemon, udp):
    done(udp, "/preset/save", "p")
    for seconds in [0, 0.0, ("d", 0.0), ("h", 0), False, 600, ("f", 0.5)]:
        assert done(udp, "/preset/load", "p", seconds).args == ["/preset/load", "p"]


@pytest.mark.parametrize("seconds", [-1, 601, float("nan"), float("inf"), ("d", float("inf")),
                                     "2", None])
def test_preset_load_refuses_bad_seconds(daemon, udp, seconds):
    done(udp, "/preset/save", "p")
    ok(udp, "/latent", 0, 1.0)
    wait_until(lambda: daemon.controls.voices[0].latent[0] == 1.0, message="latent 0 = 1")
    udp.fails("/preset/load", "p", seconds)
    time.sleep(0.1)
    assert daemon.controls.voices[0].latent[0] == 1.0


def test_preset_refusals(daemon, udp):
    udp.fails("/preset/load", "missing")
    udp.fails("/preset/save")
    udp.fails("/preset/save", 1.5)  # a fraction: Pd's float would not name the file as typed
    udp.fails("/preset/save", True)
    udp.fails("/preset/save", b"blob")
    udp.fails("/preset/save", -1)  # "-1": a name starts with a letter or a digit
    udp.fails("/preset/save", "a", "b")
    udp.fails("/preset/load")
    udp.fails("/preset/load", 2)  # a valid name ("2"), but no such preset
    udp.fails("/preset/load", "a", 1, 2)
    udp.fails("/preset/list", "x")


@pytest.mark.parametrize("name", BAD_NAMES)
def test_preset_names_are_confined(daemon, udp, name):
    udp.fails("/preset/save", name)
    udp.fails("/preset/load", name)
    saved = list(daemon.presets_dir.iterdir()) if daemon.presets_dir.exists() else []
    assert saved == []


def test_preset_link_leading_outside_is_refused(daemon, udp, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.json"
    secret.write_text(json.dumps({"version": 1, "voices": [{"latent": [9, 9, 9, 9],
                                  "bias": [0] * 4, "scale": [1] * 4}]}))
    daemon.presets_dir.mkdir(parents=True, exist_ok=True)
    (daemon.presets_dir / "link.json").symlink_to(secret)
    udp.fails("/preset/load", "link")
    time.sleep(0.2)
    assert daemon.controls.voices[0].latent.tolist() == [0.0] * 4
    # saving over the link must not write through it
    udp.request("/preset/save", "link")
    assert json.loads(secret.read_text())["voices"][0]["latent"] == [9, 9, 9, 9]


# --------------------------------------------------------------------------- recordings
def test_record_start_and_stop(daemon, client):
    assert done(client, "/record/start", "take").args == ["/record/start", "take.wav"]
    assert client.status()["recording"] != "none"
    time.sleep(1.0)
    reply = done(client, "/record/stop")
    assert reply.types == "ssf"
    assert reply.args[:2] == ["/record/stop", "take.wav"]
    seconds = reply.args[2]
    assert 0.5 < seconds < 30
    audio, rate = soundfile.read(daemon.recordings_dir / "take.wav", dtype="float32")
    assert len(audio) / rate == pytest.approx(seconds, abs=0.05)
    assert np.abs(audio).max() > 0.01
    assert client.status()["recording"] == "none"


def test_record_start_without_a_name_uses_a_timestamp(daemon, udp):
    reply = done(udp, "/record/start")
    assert re.fullmatch(r"latentd-\d{8}-\d{6}\.wav", reply.args[1]), reply
    time.sleep(0.2)
    stop = done(udp, "/record/stop")
    assert stop.args[1] == reply.args[1]
    assert (daemon.recordings_dir / reply.args[1]).is_file()


def test_record_refusals(daemon, udp):
    udp.fails("/record/stop")  # not recording
    done(udp, "/record/start", "one")
    udp.fails("/record/start", "two")  # already recording
    udp.fails("/record/stop", "extra")
    done(udp, "/record/stop")
    udp.fails("/record/start", 5.5)
    udp.fails("/record/start", "a", "b")
    assert not (daemon.recordings_dir / "two.wav").exists()


@pytest.mark.parametrize("name", BAD_NAMES)
def test_record_names_are_confined(daemon, udp, name):
    udp.fails("/record/start", name)
    assert daemon.engine.recorder is None


def test_record_link_leading_outside_is_never_written_through(daemon, udp, tmp_path):
    """A link at the name counts as a taken name: the take goes to the next free name."""
    outside = tmp_path / "outside"
    outside.mkdir()
    daemon.recordings_dir.mkdir(parents=True, exist_ok=True)
    (daemon.recordings_dir / "link.wav").symlink_to(outside / "target.wav")
    assert done(udp, "/record/start", "link").args == ["/record/start", "link-2.wav"]
    time.sleep(0.3)
    done(udp, "/record/stop")
    assert not (outside / "target.wav").exists(), "the recording was written outside"
    assert (daemon.recordings_dir / "link.wav").is_symlink()


# --------------------------------------------------------------------------- nn~ attributes
@pytest.fixture
def nn_daemon(make_daemon, nn_synth):
    return make_daemon(nn_synth)


def test_attr_get_and_set(nn_daemon):
    client = nn_daemon.udp()
    reply = client.ask("/attr/get", "learn_target")
    assert (reply.address, reply.types, reply.args) == ("/attr.reply", "si",
                                                        ["learn_target", 0])
    assert done(client, "/attr/set", "learn_target", True).args == ["/attr/set",
                                                                     "learn_target"]
    assert client.ask("/attr/get", "learn_target").args == ["learn_target", 1]
    assert nn_daemon.engine.synth.attributes.get("learn_target") == (True,)
    done(client, "/attr/set", "learn_target", False)
    assert client.ask("/attr/get", "learn_target").args == ["learn_target", 0]
    nn_daemon.assert_audio_flows()


@pytest.mark.parametrize("value", [("i", 1), ("f", 1.0)], ids=["i", "f"])
def test_attr_set_bool_from_a_number_as_pd_and_max_send(nn_daemon, value):
    client = nn_daemon.udp()
    done(client, "/attr/set", "reset_source", value)
    assert client.ask("/attr/get", "reset_source").args == ["reset_source", 1]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), ("d", float("-inf"))],
                         ids=["nan", "inf", "-inf"])
def test_attr_set_refuses_nan_and_infinity(nn_daemon, value):
    client = nn_daemon.udp()
    client.fails("/attr/set", "learn_target", value)
    assert client.ask("/attr/get", "learn_target").args == ["learn_target", 0]


def test_attr_refusals(nn_daemon):
    client = nn_daemon.udp()
    client.fails("/attr/set")
    client.fails("/attr/set", "learn_target")  # no value
    client.fails("/attr/set", "learn_target", True, True)
    client.fails("/attr/set", "nonsense", 1)
    client.fails("/attr/set", "none", 1)  # nn_tilde's placeholder is no attribute
    client.fails("/attr/set", 3, 1)
    client.fails("/attr/get")
    client.fails("/attr/get", "nonsense")
    client.fails("/attr/get", "learn_target", "x")
    client.fails("/attr/get", 1)
    assert client.ask("/attr/get", "learn_target").args == ["learn_target", 0]


def test_attr_on_a_model_without_attributes(udp):
    udp.fails("/attr/get", "learn_target")
    udp.fails("/attr/set", "learn_target", 1)


# --------------------------------------------------------------------------- hostile presets
def preset_file(**changes):
    preset = {"version": 1, "voices": [{"latent": [1.0, 1.0, 1.0, 1.0], "bias": [0.0] * 4,
                                        "scale": [1.0] * 4}], "glide_ms": 0.0, "gain_db": -3.0,
              "source": "manual"}
    preset.update(changes)
    return json.dumps(preset)


NAN_LATENT = '{"version": 1, "voices": [{"latent": [NaN, 0, 0, 0], "bias": [0, 0, 0, 0], ' \
    '"scale": [1, 1, 1, 1]}]}'
# each of these killed the render thread, after a /done (issue 14)
RENDER_KILLERS = {
    "version only": ('{"version": 1}', "voices"),
    "voices 5": (preset_file(voices=5), "voices"),
    "voice without bias": (preset_file(voices=[{"latent": [0] * 4, "scale": [1] * 4}]),
                           "bias"),
    "gain 1e308": (preset_file(gain_db=1e308), "gain_db"),
    "glide null": (preset_file(glide_ms=None), "glide_ms"),
    "NaN latent": (NAN_LATENT, "NaN"),
    "NaN gain": (preset_file().replace('"gain_db": -3.0', '"gain_db": NaN'), "NaN"),
}


@pytest.mark.parametrize("text,field", RENDER_KILLERS.values(), ids=RENDER_KILLERS.keys())
def test_malformed_presets_answer_fail_and_never_reach_the_render_thread(daemon, udp, text,
                                                                          field):
    daemon.presets_dir.mkdir(parents=True, exist_ok=True)
    (daemon.presets_dir / "bad.json").write_text(text)
    ok(udp, "/latent", 0, 0.5)
    wait_until(lambda: daemon.controls.voices[0].latent[0] == 0.5, message="latent 0")
    fail = udp.fails("/preset/load", "bad")
    assert field in fail.args[1] and "bad" in fail.args[1], fail
    time.sleep(0.2)
    assert [r for r in udp.drain() if r.address in ("/done", "/fail")] == []
    daemon.assert_audio_flows()
    assert daemon.controls.voices[0].latent[0] == 0.5
    assert np.isfinite(daemon.engine.snapshot().latents).all()


def test_preset_save_does_not_write_through_a_link_at_its_temporary_name(daemon, udp,
                                                                          tmp_path):
    outside = tmp_path / "victim.txt"
    outside.write_text("keep me")
    daemon.presets_dir.mkdir(parents=True, exist_ok=True)
    (daemon.presets_dir / ".warm.json.tmp").symlink_to(outside)
    (daemon.presets_dir / "cold.json").symlink_to(outside)
    done(udp, "/preset/save", "warm")
    done(udp, "/preset/save", "cold")
    assert outside.read_text() == "keep me"
    for name in ("warm", "cold"):
        path = daemon.presets_dir / f"{name}.json"
        assert not path.is_symlink() and json.loads(path.read_text())["version"] == 1


# --------------------------------------------------------------------------- names Pd can send
@pytest.mark.parametrize("number", [1, 1.0, ("d", 1.0), ("h", 1)], ids=["i", "f", "d", "h"])
def test_whole_numbers_are_names(daemon, udp, number):
    """Pd sends every number as a float: ``/preset/save 1`` is ``f 1.0``."""
    assert done(udp, "/preset/save", number).args == ["/preset/save", "1"]
    assert (daemon.presets_dir / "1.json").is_file()
    assert done(udp, "/preset/load", number).args == ["/preset/load", "1"]
    assert done(udp, "/record/start", number).args[1] in ("1.wav", "1-2.wav", "1-3.wav",
                                                          "1-4.wav")
    done(udp, "/record/stop")
    assert "1" in udp.ask("/preset/list").args


def test_whole_floats_past_float32_precision_are_not_names(daemon, udp):
    """Pd's 32-bit float cannot hold every whole number past 2**24: ``1e20`` named a recording
    '100000002004087734272.wav', 16777217 arrives as 16777216. Such a name must come as a
    string; whole numbers up to 2**24, and any ``i``, still are names."""
    for number in (1e20, ("d", 16777218.0), -1e9):
        assert "send it as a string" in udp.fails("/record/start", number).args[1]
        assert "send it as a string" in udp.fails("/preset/save", number).args[1]
    assert done(udp, "/preset/save", 16777216.0).args == ["/preset/save", "16777216"]
    assert done(udp, "/preset/save", 123456789).args == ["/preset/save", "123456789"]
    assert sorted(p.name for p in daemon.recordings_dir.glob("*")) == []


def test_unicode_letters_are_names_in_their_composed_form(daemon, udp):
    decomposed, composed = "nai\u0308ve", "na\u00efve"
    assert done(udp, "/preset/save", decomposed).args == ["/preset/save", decomposed]
    assert (daemon.presets_dir / f"{composed}.json").is_file()
    assert udp.ask("/preset/list").args == [composed]
    done(udp, "/preset/load", composed)
    done(udp, "/preset/load", decomposed)
    assert done(udp, "/record/start", "тейк 1").args == ["/record/start", "тейк 1.wav"]
    done(udp, "/record/stop")
    for name in ("a\u202eb", "a\u200bb", "a\u2215b", "a\uff0fb", "a\tb", "\u0308a"):
        udp.fails("/preset/save", name)
        udp.fails("/record/start", name)
    assert sorted(p.name for p in daemon.presets_dir.iterdir()) == [f"{composed}.json"]


# --------------------------------------------------------------------------- recordings
def test_record_start_never_overwrites_a_take(daemon, udp):
    first = done(udp, "/record/start", "take1").args[1]
    time.sleep(0.3)
    done(udp, "/record/stop")
    before = (daemon.recordings_dir / "take1.wav").read_bytes()
    assert first == "take1.wav"
    assert done(udp, "/record/start", "take1").args == ["/record/start", "take1-2.wav"]
    assert udp.status()["recording"].endswith("take1-2.wav")
    time.sleep(0.1)
    assert done(udp, "/record/stop").args[1] == "take1-2.wav"
    assert (daemon.recordings_dir / "take1.wav").read_bytes() == before


def test_a_failing_recording_tells_its_client_and_stops_claiming(daemon, udp):
    import soundfile

    done(udp, "/record/start", "full")
    recorder = daemon.engine.recorder

    class Full:
        def __getattr__(self, name):
            return getattr(inner, name)

        def write(self, block):
            raise soundfile.LibsndfileError(0, "System error : No space left on device.")

    inner = recorder._file
    recorder._file = Full()
    fail = udp.wait_for("/fail", timeout=10)
    assert fail.args[0] == "/record/start" and "full.wav" in fail.args[1], fail
    assert udp.status()["recording"] == "none"
    reason = udp.fails("/record/stop").args[1]
    assert "No space left" in reason, reason
    assert done(udp, "/record/start", "again").args[1] == "again.wav"
    done(udp, "/record/stop")
    daemon.assert_audio_flows()


def test_a_start_on_a_nearly_full_disk_fails_and_leaves_no_file(daemon, udp, monkeypatch):
    monkeypatch.setattr("latentd.engine.recorder.free_bytes", lambda descriptor: 10 * 2 ** 20)
    reason = udp.fails("/record/start", "late").args[1]
    assert "10 MiB free" in reason and "256 MiB" in reason, reason
    assert list(daemon.recordings_dir.iterdir()) == []
    assert udp.status()["recording"] == "none"

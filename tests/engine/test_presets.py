import json
import math
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from support.engines import tiny_synth, wav_engine

from latentd.engine.control_names import DRIFT_MODES, SOURCES
from latentd.engine.controls import Controls, Event
from latentd.engine.preset_schema import MAX_VOICES, validate
from latentd.engine.presets import (
    MAX_PRESET_BYTES,
    Morph,
    PresetError,
    PresetStore,
    check_name,
    snapshot,
)
from latentd.engine.renderer import Renderer
from latentd.engine.safe_files import UnsafePath, confined


def test_save_is_atomic_json_and_loads_back(tmp_path):
    store = PresetStore(tmp_path)
    controls = Controls(4, gain_db=-3.0, glide_ms=10.0, source="drift")
    controls.voices[0].latent[:] = [1, 2, 3, 4]
    path = store.save("pad one", controls)
    assert json.loads(path.read_text())["voices"][0]["latent"] == [1, 2, 3, 4]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    data = store.load("pad one", 4)
    assert data["gain_db"] == -3.0 and data["source"] == "drift"
    assert data["voices"][0]["latent"].tolist() == [1, 2, 3, 4]
    assert store.names() == ["pad one"]


@pytest.mark.parametrize("name", ["../escape", "/abs", "a/b", "..", ".hidden", "", "name\n",
                                  "name\r", "x" * 65, "a..b"])
def test_names_cannot_leave_the_directory(tmp_path, name):
    with pytest.raises(PresetError):
        PresetStore(tmp_path).save(name, Controls(2))
    assert list(tmp_path.iterdir()) == []


def test_links_out_of_the_directory_are_refused(tmp_path):
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps(snapshot(Controls(2))))
    store = PresetStore(tmp_path / "presets")
    store.directory.mkdir()
    (store.directory / "sneaky.json").symlink_to(outside)
    with pytest.raises(PresetError, match="links outside"):
        store.load("sneaky", 2)


def test_check_name_needs_the_whole_name_to_match():
    """``$`` matches before a trailing newline; the rule must cover the whole name."""
    assert check_name("pad one.v2") == "pad one.v2"
    for name in ("pad\n", "pad\n\n", "\npad"):
        with pytest.raises(PresetError):
            check_name(name)


@pytest.mark.parametrize("existing", [False, True], ids=["dangling", "existing"])
def test_confined_refuses_links_leading_out_and_keeps_links_inside(tmp_path, existing):
    inside, outside = tmp_path / "in", tmp_path / "out"
    inside.mkdir()
    outside.mkdir()
    if existing:
        (outside / "target.wav").write_bytes(b"x")
    (inside / "out.wav").symlink_to(outside / "target.wav")
    (inside / "in.wav").symlink_to(inside / "real.wav")
    with pytest.raises(UnsafePath, match="links outside"):
        confined(inside, "out.wav")
    assert confined(inside, "in.wav") == inside / "in.wav"
    assert confined(inside, "plain.wav") == inside / "plain.wav"


def test_morph_interpolates_linearly():
    controls = Controls(2)
    preset = {"voices": [{"latent": [2.0, -2.0], "bias": [1.0, 0.0], "scale": [1.0, 3.0]}],
              "gain_db": -12.0}
    morph = Morph.towards(controls, preset, frames=4)
    morph.step(controls)
    morph.step(controls)
    np.testing.assert_allclose(controls.voices[0].latent, [1.0, -1.0])
    np.testing.assert_allclose(controls.voices[0].scale, [1.0, 2.0])
    assert controls.gain_db == -6.0
    while morph.step(controls):
        pass
    np.testing.assert_allclose(controls.voices[0].latent, [2.0, -2.0])


def test_engine_preset_load_morphs_over_the_given_time(tmp_path):
    synth = tiny_synth()
    engine = wav_engine(tmp_path, synth, block_frames=1)
    engine.start()
    engine.post(Event("latent", (2.0, 2.0, 2.0, 2.0)))
    engine.render_offline(0.01)
    engine.save_preset("bright")
    engine.post(Event("latent", (0.0, 0.0, 0.0, 0.0)))
    engine.render_offline(0.01)
    frame = synth.ratio / synth.sample_rate
    engine.load_preset("bright", seconds=10 * frame)
    engine.render_offline(5 * frame)
    assert engine.controls.voices[0].latent[0] == pytest.approx(1.0, abs=0.25)
    engine.render_offline(6 * frame)
    assert engine.controls.voices[0].latent[0] == pytest.approx(2.0)
    engine.stop(fade_seconds=0)


def test_missing_preset_is_reported(tmp_path):
    with pytest.raises(PresetError, match="no preset named 'nope'"):
        PresetStore(tmp_path).load("nope", 4)


# --------------------------------------------------------------------------- validation
def good(**changes):
    preset = {"version": 1, "voices": [{"latent": [0.5, -1.0, 2.0, 0.0], "bias": [0.0] * 4,
                                        "scale": [1.0] * 4}],
              "glide_ms": 20.0, "gain_db": -6.0, "source": "manual"}
    preset.update(changes)
    return preset


def voice(**changes):
    stored = {"latent": [0.0] * 4, "bias": [0.0] * 4, "scale": [1.0] * 4}
    stored.update(changes)
    return {k: v for k, v in stored.items() if v is not None}


# each of these killed the render thread (issue 14): the file got /done, the thread died
KILLERS = {
    "version only": ({"version": 1}, "voices"),
    "voices a number": (good(voices=5), "voices"),
    "voice without bias": (good(voices=[voice(bias=None)]), "bias"),
    "gain 1e308": (good(gain_db=1e308), "gain_db"),
    "glide null": (good(glide_ms=None), "glide_ms"),
    "NaN latent": (good(voices=[voice(latent=[float("nan")] * 4)]), r"latent\[0\]"),
    "NaN gain": (good(gain_db=float("nan")), "gain_db"),
    "infinite glide": (good(glide_ms=float("inf")), "glide_ms"),
    "latent beyond 16": (good(voices=[voice(latent=[0, 17, 0, 0])]), r"latent\[1\]"),
    "huge integer scale": (good(voices=[voice(scale=[10 ** 400, 1, 1, 1])]), r"scale\[0\]"),
    "boolean latent": (good(voices=[voice(latent=[True, 0, 0, 0])]), r"latent\[0\]"),
    "string latent": (good(voices=[voice(latent=["1", 0, 0, 0])]), r"latent\[0\]"),
    "empty latent": (good(voices=[voice(latent=[])]), "latent"),
    "latent a dict": (good(voices=[voice(latent={"0": 1})]), "latent"),
    "voices empty": (good(voices=[]), "voices"),
    "too many voices": (good(voices=[voice()] * (MAX_VOICES + 1)), "voices"),
    "voice a list": (good(voices=[[0, 0, 0, 0]]), r"voices\[0\]"),
    "gain a string": (good(gain_db="-6"), "gain_db"),
    "gain too loud": (good(gain_db=30), "gain_db"),
    "negative glide": (good(glide_ms=-1), "glide_ms"),
    "unknown source": (good(source="radio"), "source"),
    "source a list": (good(source=["manual"]), "source"),
    "version 2": (good(version=2), "version"),
    "version true": (good(version=True), "version"),
    "version a string": (good(version="1"), "version"),
    "misspelt field": (good(gain=-6), "gain"),
    "unknown voice field": (good(voices=[dict(voice(), wobble=0)]), "wobble"),
    "voice pan outside": (good(voices=[dict(voice(), pan=2)]), "pan"),
    "not an object": ([1, 2, 3], "object"),
    "drift rate 21 Hz": (good(drift_rate=21), "drift_rate"),
    "drift mode unknown": (good(drift_mode="spin"), "drift_mode"),
    "negative drift depth": (good(drift_depth=-0.1), "drift_depth"),
    "NaN temperature": (good(temperature=float("nan")), "temperature"),
}


@pytest.mark.parametrize("data,field", KILLERS.values(), ids=KILLERS.keys())
def test_validation_refuses_and_names_the_field(data, field):
    with pytest.raises(PresetError, match=field):
        validate(data, 4)


@pytest.mark.parametrize("text,field", [
    ('{"version": 1, "voices": [{"latent": [NaN], "bias": [0], "scale": [1]}]}', "NaN"),
    ('{"version": 1, "voices": [{"latent": [Infinity], "bias": [0], "scale": [1]}]}',
     "Infinity"),
    ('{"version": 1, "voices": [{"latent": [1e999], "bias": [0], "scale": [1]}]}',
     r"latent\[0\]"),
    ('{"version": 1, "voices": [{"latent": [' + "9" * 5000 + '], "bias": [0], "scale": [1]}]}',
     "JSON"),
    ("[" * 100000, "JSON"),
    ('{"version": 1,', "JSON"),
    ("\xff\xfe", "JSON"),
], ids=["NaN", "Infinity", "1e999", "5000 digits", "deep nesting", "truncated", "not UTF-8"])
def test_unreadable_files_are_refused_by_name(tmp_path, text, field):
    (tmp_path / "bad.json").write_bytes(text.encode("latin-1"))
    with pytest.raises(PresetError, match=f"preset 'bad'.*{field}|{field}.*"):
        PresetStore(tmp_path).load("bad", 4)


def test_drift_settings_and_temperature_come_back_at_once(tmp_path):
    store = PresetStore(tmp_path)
    store.save("wander", Controls(2, source="drift", drift_mode="lfo", drift_rate=3.0,
                                  drift_depth=1.5, temperature=0.7))
    controls = Controls(2)
    morph = Morph.towards(controls, store.load("wander", 2), frames=100)
    assert (controls.drift_mode, controls.drift_rate, controls.drift_depth,
            controls.temperature) == ("lfo", 3.0, 1.5, 0.7)
    assert morph.step(controls)  # the latents still morph
    older = good()  # a preset without them leaves them as they are
    Morph.towards(controls, validate(older, 4), frames=1)
    assert controls.drift_rate == 3.0


def test_vectors_are_fitted_to_the_model(tmp_path):
    """Longer vectors are cut to the model's latent size; shorter ones set the leading
    dimensions and leave the others as they are (docs/osc.md)."""
    preset = validate(good(voices=[voice(latent=[1, 2, 3, 4, 5, 6], scale=[2])]), 4)
    assert preset["voices"][0]["latent"].tolist() == [1, 2, 3, 4]
    controls = Controls(4)
    controls.voices[0].scale[:] = [1, 3, 3, 3]
    morph = Morph.towards(controls, preset, 1)
    morph.step(controls)
    assert controls.voices[0].scale.tolist() == [2, 3, 3, 3]
    assert controls.voices[0].latent.tolist() == [1, 2, 3, 4]


def test_a_large_file_and_a_fifo_are_refused_without_reading_them_whole(tmp_path):
    (tmp_path / "big.json").write_bytes(b" " * (MAX_PRESET_BYTES + 1))
    with pytest.raises(PresetError, match="bytes"):
        PresetStore(tmp_path).load("big", 4)
    os.mkfifo(tmp_path / "pipe.json")  # opening it for reading would wait for a writer
    with pytest.raises(PresetError, match="regular file"):
        PresetStore(tmp_path).load("pipe", 4)


def test_listing_offers_only_names_a_load_accepts(tmp_path):
    store = PresetStore(tmp_path)
    store.save("ok", Controls(2))
    (tmp_path / "-dash.json").write_text("{}")
    (tmp_path / ".ok.json.x1.tmp").write_text("{}")
    assert store.names() == ["ok"]


def test_a_preset_file_named_in_nfd_is_listed_and_loaded_by_its_nfc_name(tmp_path):
    """A preset copied from macOS is named in NFD ('nai' + U+0308 + 've.json'): /preset/list
    left it out and /preset/load 'naïve' (NFC, as names are normalised) did not find it."""
    store = PresetStore(tmp_path)
    store.save("naïve", Controls(2, gain_db=-3.0))
    (tmp_path / "naïve.json").rename(tmp_path / "nai\u0308ve.json")
    assert store.names() == ["naïve"]
    assert store.load("naïve", 2)["gain_db"] == -3.0
    assert store.load("nai\u0308ve", 2)["gain_db"] == -3.0
    store.save("naïve", Controls(2, gain_db=-6.0))  # saved in NFC beside it: one name still
    assert store.names() == ["naïve"] and store.load("naïve", 2)["gain_db"] == -6.0


def test_listing_leaves_out_what_a_load_refuses_unread(tmp_path):
    """/preset/list offered a link leading out of the directory, a FIFO, a directory and an
    oversized file, each of which /preset/load then refused."""
    store = PresetStore(tmp_path / "presets")
    store.save("ok", Controls(2))
    store.save("inside", Controls(2))
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    directory = store.directory
    (directory / "out.json").symlink_to(outside)
    (directory / "dangling.json").symlink_to(tmp_path / "missing.json")
    (directory / "link.json").symlink_to("inside.json")  # stays inside: loads
    os.mkfifo(directory / "fifo.json")
    (directory / "dir.json").mkdir()
    (directory / "big.json").write_bytes(b" " * (MAX_PRESET_BYTES + 1))
    assert store.names() == ["inside", "link", "ok"]
    for name in store.names():
        store.load(name, 2)


def test_link_loops_are_refused_not_an_internal_error(tmp_path):
    """Path.resolve() raises RuntimeError on a link loop (Python < 3.13): /preset/load of
    'a.json -> b.json -> a.json' answered '/fail ... internal error', and /preset/list too."""
    store = PresetStore(tmp_path)
    store.save("ok", Controls(2))
    (tmp_path / "loopa.json").symlink_to("loopb.json")
    (tmp_path / "loopb.json").symlink_to("loopa.json")
    (tmp_path / "self.json").symlink_to("self.json")
    assert store.names() == ["ok"]
    for name in ("loopa", "self"):
        with pytest.raises(PresetError, match="leads nowhere"):
            store.load(name, 2)
    store.save("self", Controls(2))  # the rename replaces the link itself
    assert store.names() == ["ok", "self"]


def test_preset_count_is_bounded(tmp_path):
    store = PresetStore(tmp_path, max_presets=3)
    for name in ("a", "b", "c"):
        store.save(name, Controls(2))
    with pytest.raises(PresetError, match="3 presets are stored already"):
        store.save("d", Controls(2))
    store.save("b", Controls(2, gain_db=-1.0))  # over an existing name: always allowed
    assert store.load("b", 2)["gain_db"] == -1.0
    assert store.names() == ["a", "b", "c"]


# --------------------------------------------------------------------------- saving safely
@pytest.mark.parametrize("planted", [".warm.json.tmp", "warm.json"])
def test_save_never_writes_through_a_planted_link(tmp_path, planted):
    """A link at the old fixed temporary name, or at the final name, pointing outside: the
    outside file keeps its bytes; the preset ends up a regular file in the directory."""
    presets = tmp_path / "presets"
    presets.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    (presets / planted).symlink_to(outside)
    path = PresetStore(presets).save("warm", Controls(2, gain_db=-4.0))
    assert outside.read_text() == "keep me"
    assert path == presets / "warm.json" and not path.is_symlink()
    assert PresetStore(presets).load("warm", 2)["gain_db"] == -4.0


def test_a_saved_preset_gets_the_mode_of_any_new_file(tmp_path):
    """mkstemp makes its file 0600: presets became unreadable to the group and others (a
    recording of the same daemon is 0644 under umask 022)."""
    old = os.umask(0o022)
    try:
        path = PresetStore(tmp_path).save("shared", Controls(2))
        assert path.stat().st_mode & 0o777 == 0o644
        os.umask(0o077)
        assert PresetStore(tmp_path).save("private", Controls(2)).stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)


def test_a_failed_save_leaves_the_old_preset_and_no_temporary(tmp_path):
    store = PresetStore(tmp_path)
    store.save("p", Controls(2, gain_db=-2.0))
    controls = Controls(2)
    controls.gain_db = float("nan")  # no file can hold it
    with pytest.raises(PresetError):
        store.save("p", controls)
    assert store.load("p", 2)["gain_db"] == -2.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.json"]


# --------------------------------------------------------------------------- fuzzing
JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10 ** 30, max_value=10 ** 30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
    st.sampled_from(SOURCES))
JSON = st.recursive(JSON_LEAVES, lambda children: st.one_of(
    st.lists(children, max_size=6),
    st.dictionaries(st.sampled_from(["version", "voices", "latent", "bias", "scale",
                                     "glide_ms", "gain_db", "source", "x"]), children,
                    max_size=6)), max_leaves=40)
NUMBER = st.one_of(st.floats(-20, 20), st.integers(-20, 20), st.sampled_from(
    [float("nan"), float("inf"), 1e308, -1e308, True, None, "1"]))


def within(low, high):
    """Valid numbers, edges included, as JSON gives them (floats and integers)."""
    return st.one_of(st.floats(low, high), st.integers(int(low), int(high)),
                     st.sampled_from([low, high, 0]))


VALID_VOICE = st.fixed_dictionaries({name: st.lists(within(-16, 16), min_size=1, max_size=9)
                                     for name in ("latent", "bias", "scale")})
VALID = st.fixed_dictionaries(
    {"version": st.just(1), "voices": st.lists(VALID_VOICE, min_size=1, max_size=3)},
    optional={"glide_ms": within(0, 60000), "gain_db": within(-120, 24),
              "source": st.sampled_from(SOURCES), "drift_mode": st.sampled_from(DRIFT_MODES),
              "drift_rate": within(0, 20), "drift_depth": within(0, 16),
              "temperature": within(0, 5)})
FIELDS = ["version", "voices", "glide_ms", "gain_db", "source", "drift_mode", "drift_rate",
          "drift_depth", "temperature", "extra", "latent", "bias", "scale", "item"]


def mutated(case):
    """A valid preset with one field (top level, in a voice, or one vector item) replaced."""
    preset, field, value = case
    preset = json.loads(json.dumps(preset))
    if field in ("latent", "bias", "scale"):
        preset["voices"][0][field] = value
    elif field == "item":
        preset["voices"][-1]["latent"][0] = value
    else:
        preset[field] = value
    return preset


PRESETS = st.one_of(JSON, VALID, st.tuples(VALID, st.sampled_from(FIELDS),
                                          st.one_of(NUMBER, JSON)).map(mutated))


@pytest.fixture(scope="module")
def renderer():
    return Renderer(tiny_synth(), block_frames=2)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=PRESETS, model_size=st.sampled_from([2, 4, 6]), seconds=st.sampled_from([0, 0.01]))
def test_no_json_gets_past_validation_into_a_failure_on_the_render_thread(
        renderer, data, model_size, seconds):
    """Whatever a file holds, it is refused by validate() or applies on the render thread
    without error, leaving finite controls inside the documented ranges. The preset is
    validated for a model of ``model_size`` and applied to the tiny model (size 4): a model
    swap between the load and the render thread must not break it either."""
    note(repr(data))
    try:
        preset = validate(data, model_size)
    except PresetError:
        return
    event("valid")
    failures = []
    renderer.on_error = lambda event, reason: failures.append(reason)
    renderer.controls = Controls(4)
    renderer.morph = None
    renderer.bus.post(Event("preset", (preset, float(seconds))))
    for _ in range(4):
        frames = renderer.latent_frames(lambda frame: 0.0)
        assert np.isfinite(frames).all()
    assert failures == []
    controls = renderer.controls
    for stored in controls.voices:
        for values in (stored.latent, stored.bias, stored.scale):
            assert np.isfinite(values).all() and np.abs(values).max() <= 16
    assert math.isfinite(controls.gain_db) and -120 <= controls.gain_db <= 24
    assert 0 <= controls.glide_ms <= 60000
    assert controls.source in SOURCES and controls.drift_mode in DRIFT_MODES
    assert 0 <= controls.drift_rate <= 20 and 0 <= controls.drift_depth <= 16
    assert 0 <= controls.temperature <= 5
    json.dumps(snapshot(controls), allow_nan=False)  # and it saves again


def test_a_link_swapped_in_after_the_check_is_caught_once_open(tmp_path, monkeypatch):
    """The race between confined()'s check and the open: the descriptor's real path decides."""
    from latentd.engine import safe_files

    presets, outside = tmp_path / "presets", tmp_path / "outside.json"
    presets.mkdir()
    outside.write_text(json.dumps(snapshot(Controls(2))))
    (presets / "p.json").write_text("{}")

    def check_then_swap(directory, filename):
        path = directory / filename
        path.unlink()
        path.symlink_to(outside)  # the attacker wins the race
        return path

    monkeypatch.setattr(safe_files, "confined", check_then_swap)
    with pytest.raises(PresetError, match="links outside"):
        PresetStore(presets).load("p", 2)

import json

import numpy as np
import pytest
from helpers import tiny_synth, wav_engine

from latentd.engine.controls import Controls, Event
from latentd.engine.presets import Morph, PresetError, PresetStore, check_name, confined


def test_save_is_atomic_json_and_loads_back(tmp_path):
    store = PresetStore(tmp_path)
    controls = Controls(4, gain_db=-3.0, glide_ms=10.0, source="drift")
    controls.voices[0].latent[:] = [1, 2, 3, 4]
    path = store.save("pad one", controls)
    assert json.loads(path.read_text())["voices"][0]["latent"] == [1, 2, 3, 4]
    assert not list(tmp_path.glob(".*.tmp"))
    data = store.load("pad one")
    assert data["gain_db"] == -3.0 and data["source"] == "drift"
    assert store.names() == ["pad one"]


@pytest.mark.parametrize("name", ["../escape", "/abs", "a/b", "..", ".hidden", "", "name\n",
                                  "name\r", "x" * 65, "a..b"])
def test_names_cannot_leave_the_directory(tmp_path, name):
    with pytest.raises(PresetError):
        PresetStore(tmp_path).save(name, Controls(2))


def test_links_out_of_the_directory_are_refused(tmp_path):
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    store = PresetStore(tmp_path / "presets")
    store.directory.mkdir()
    (store.directory / "sneaky.json").symlink_to(outside)
    with pytest.raises(PresetError, match="links outside"):
        store.load("sneaky")


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
    with pytest.raises(PresetError, match="links outside"):
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
        PresetStore(tmp_path).load("nope")

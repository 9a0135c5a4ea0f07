"""Hypothesis over the preset format (latentd/engine/preset_schema.py, presets.py): whatever
controls a performer set, the preset ``/preset/save`` writes (``snapshot``, as JSON) is one
``/preset/load`` accepts, with the same values; and one field pushed out of its range is
refused naming that field. (tests/engine/test_presets.py has the hostile files.)"""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from latentd.engine import control_names as names
from latentd.engine.controls import Controls, Event
from latentd.engine.preset_schema import PresetError, validate
from latentd.engine.presets import snapshot

SETTINGS = settings(max_examples=80, deadline=None, derandomize=True, database=None)
LATENT = names.LATENT_RANGE


def events(latent_size: int):
    vector = st.builds(lambda name, index, value: Event(name, (value,), index=index),
                       st.sampled_from(names.VECTORS), st.integers(0, latent_size - 1),
                       st.floats(-LATENT, LATENT))
    number = st.sampled_from(sorted(names.NUMBER_RANGES)).flatmap(
        lambda name: st.floats(*names.NUMBER_RANGES[name]).map(
            lambda value: Event(name, (value,))))
    choice = st.sampled_from(sorted(names.CHOICE_OPTIONS)).flatmap(
        lambda name: st.sampled_from(names.CHOICE_OPTIONS[name]).map(
            lambda value: Event(name, (value,))))
    return st.lists(st.one_of(vector, number, choice), max_size=30)


@SETTINGS
@given(data=st.data(), latent_size=st.integers(1, 16))
def test_every_saved_preset_loads_back_with_the_same_values(data, latent_size):
    controls = Controls(latent_size)
    for event in data.draw(events(latent_size)):
        controls.apply(event)
    saved = json.loads(json.dumps(snapshot(controls), allow_nan=False))
    loaded = validate(saved, latent_size)
    for key, value in saved.items():
        if key == "voices":
            for got, want in zip(loaded["voices"], value, strict=True):
                for vector in names.VECTORS:
                    assert list(got[vector]) == pytest.approx(want[vector], abs=1e-6)
        else:
            assert loaded[key] == pytest.approx(value) if isinstance(value, float) \
                else loaded[key] == value


@SETTINGS
@given(data=st.data())
def test_a_number_out_of_its_range_is_refused_naming_its_field(data):
    controls = Controls(4)
    saved = json.loads(json.dumps(snapshot(controls)))
    numeric = [key for key, value in saved.items()
               if isinstance(value, float | int) and not isinstance(value, bool)
               and key != "version"]
    key = data.draw(st.sampled_from(["latent", *numeric]))
    beyond = data.draw(st.sampled_from([1e9, -1e9]))
    if key == "latent":
        saved["voices"][0]["latent"][data.draw(st.integers(0, 3))] = beyond
    else:
        saved[key] = beyond
    with pytest.raises(PresetError, match=key):
        validate(saved, 4)

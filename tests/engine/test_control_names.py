"""The control names are declared once (control_names.py), and the places a control passes
through agree on them: the OSC routes post only declared names and reach every control, the
controls apply every one of them to the field declared for it, and the preset schema keeps
exactly the declared number and choice controls, with the same ranges as OSC."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from support.engines import null_engine, tiny_synth

from latentd.engine import control_names as names
from latentd.engine.controls import Controls, Event
from latentd.engine.preset_schema import FIELDS as PRESET_FIELDS
from latentd.engine.preset_schema import PresetError, validate
from latentd.engine.presets import snapshot
from latentd.osc.args import Fail
from latentd.osc.clients import Client
from latentd.osc.routes import AddressSpace, Request

# one valid message for each control address of docs/osc.md
CONTROL_MESSAGES: dict[str, list[object]] = {
    "/latent": [1, 0.5], "/latents": [0.25, -0.5], "/bias": [0, 0.25], "/biases": [0.5],
    "/scale": [1, 2.0], "/scales": [1.5], "/glide": [10.0], "/gain": [-6.0], "/mute": [1],
    "/source": ["drift"], "/drift/mode": ["lfo"], "/drift/rate": [1.0],
    "/drift/depth": [0.5], "/temperature": [0.7], "/latent/2": [0.75], "/pan": [-0.5],
}
OTHER_ADDRESSES = {"/model/load", "/model/list", "/preset/save", "/preset/load",
                   "/preset/list", "/record/start", "/record/stop", "/attr/set", "/attr/get",
                   "/status", "/sync", "/version", "/notify",
                   # the input's own levels and file (issue 19): set on the engine, no control
                   "/input/gain", "/input/dry", "/input/file",
                   # voices (issue 20): voice events, not controls (tests/osc/test_voices.py)
                   "/voices", "/note", "/note/off", "/pitch"}
NUMBER_ADDRESSES = {"glide": "/glide", "gain": "/gain", "pan": "/pan",
                    "drift_rate": "/drift/rate",
                    "drift_depth": "/drift/depth", "temperature": "/temperature"}


@pytest.fixture
def space(tmp_path):
    return AddressSpace(null_engine(tmp_path, tiny_synth()))  # not started: events wait


def posted(space: AddressSpace, address: str, args: list[object]) -> list[Event]:
    assert space.handle(Request(address, args, None, Client("127.0.0.1", 9))) == []
    return space.engine.bus.drain()


def test_the_names_are_declared_once_and_fit_together():
    assert set(names.CONTROLS) == {*names.VECTORS, *names.NUMBERS, *names.CHOICES,
                                   *names.FLAGS}
    assert len(names.CONTROLS) == len(set(names.CONTROLS))
    assert set(names.FIELDS) == set(names.CONTROLS) - set(names.VECTORS)
    assert set(names.NUMBER_RANGES) == set(names.NUMBERS)
    assert set(names.CHOICE_OPTIONS) == set(names.CHOICES)
    assert set(names.EVENTS) == {*names.CONTROLS, "preset", *names.VOICE_EVENTS}
    controls = Controls(4)
    for field in names.FIELDS.values():
        assert hasattr(controls, field), field


def test_every_address_of_the_space_is_known_to_this_test(space):
    """A new address must be added here: as a control (and so checked below) or not."""
    assert set(space.fixed) == set(CONTROL_MESSAGES) - {"/latent/2"} | OTHER_ADDRESSES


def test_the_routes_post_declared_names_and_reach_every_control(space):
    reached = set()
    for address, args in CONTROL_MESSAGES.items():
        events = posted(space, address, args)
        assert len(events) == 1, address
        assert events[0].name in names.CONTROLS, (address, events[0].name)
        reached.add(events[0].name)
    assert reached == set(names.CONTROLS)


def test_the_controls_apply_every_posted_event_to_its_declared_field(space):
    controls = Controls(space.engine.synth.latent_size)
    for address, args in CONTROL_MESSAGES.items():
        [event] = posted(space, address, args)
        before = snapshot(controls) | {"muted": controls.muted}
        controls.apply(event)
        after = snapshot(controls) | {"muted": controls.muted}
        if names.is_scalar(event.name):
            field = names.FIELDS[event.name]
            assert after[field] != before[field], address
            # a voice's own scalar is stored in its voice too (preset files keep both)
            expected = {field, "voices"} if event.name in names.PER_VOICE \
                and event.name != "mute" else {field}
            assert {k for k in after if after[k] != before[k]} == expected, address
        else:
            assert [k for k in after if after[k] != before[k]] == ["voices"], address
    assert controls.voices[0].latent[2] == np.float32(0.75)


def test_the_preset_schema_keeps_the_number_and_choice_controls():
    kept = {names.FIELDS[name] for name in (*names.NUMBERS, *names.CHOICES)}
    assert set(PRESET_FIELDS) == {"version", "voices"} | kept
    data = snapshot(Controls(4))
    assert set(data) == set(PRESET_FIELDS)
    # a voice holds its vectors and its own scalars but mute (a preset never silences)
    assert set(data["voices"][0]) == {*names.VECTORS, *(
        names.FIELDS[name] for name in names.PER_VOICE if name not in names.FLAGS)}
    assert validate(data, 4)["drift_mode"] == "walk"


@pytest.mark.parametrize("name", names.NUMBERS)
def test_osc_and_presets_share_each_number_range(space, name):
    low, high = names.NUMBER_RANGES[name]
    field = names.FIELDS[name]
    address = NUMBER_ADDRESSES[name]
    for inside in (low, high):
        assert len(posted(space, address, [inside])) == 1
        validate({**snapshot(Controls(4)), field: inside}, 4)
    for outside in (low - 1.0, high + 1.0):
        with pytest.raises(Fail):
            posted(space, address, [outside])
        with pytest.raises(PresetError, match=field):
            validate({**snapshot(Controls(4)), field: outside}, 4)


def test_an_event_with_an_unknown_name_is_refused_where_it_is_made():
    with pytest.raises(ValueError, match="unknown control 'latents'"):
        Event("latents", (0.5,))  # type: ignore[arg-type]  # the misspelling mypy refuses


OSC_DOC = Path(__file__).resolve().parents[2] / "docs" / "osc.md"
TAGS = {"f": float, "s": str, "i": int}


def documented_state() -> list[tuple[str, type]]:
    """docs/osc.md's ``/controls.state`` row: its name/type pairs, in order."""
    [row] = [line for line in OSC_DOC.read_text().splitlines()
             if line.startswith("| `/controls.state` |")]
    return [(name, TAGS[tag]) for name, tag in re.findall(r"`(\w+) ([fsi])`", row)]


def documented_preset_fields() -> list[str]:
    """The fields of docs/osc.md's example preset file, in order."""
    text = OSC_DOC.read_text()
    start = text.index('`{"version"')
    example = text[start + 1:text.index("}`", start) + 1].replace("[...]", "[]")
    return list(json.loads(example))


def test_every_scalar_has_a_field_of_its_kinds_type_on_the_controls():
    """A control declared in control_names with no field on Controls, or a field of another
    type than its kind says, fails here (Controls.apply converts with stored_as)."""
    controls = Controls(4)
    kinds = {**dict.fromkeys(names.NUMBERS, float), **dict.fromkeys(names.CHOICES, str),
             **dict.fromkeys(names.FLAGS, bool)}
    for name, field in names.FIELDS.items():
        assert names.stored_as(name) is kinds[name], name
        assert type(getattr(controls, field)) is kinds[name], (name, field)


def test_every_number_control_has_its_fail_label(space):
    assert set(names.NUMBER_LABELS) == set(names.NUMBERS)
    for name, label in names.NUMBER_LABELS.items():
        high = names.NUMBER_RANGES[name][1]
        with pytest.raises(Fail, match=f"^{label} "):
            posted(space, NUMBER_ADDRESSES[name], [high + 1.0])


def test_controls_state_sends_every_scalar_as_docs_osc_md_lists_it(tmp_path):
    """The telemetry of /controls.state is built from control_names: a control missing from
    the docs' row (or documented in another order or type) fails here."""
    state = null_engine(tmp_path, tiny_synth()).snapshot().controls
    assert [(name, type(value)) for name, value in state.items()] == documented_state()
    assert len(state) == len(names.FIELDS)
    assert list(state) == [names.state_name(name) for name in names.STATE_ORDER]
    controls = Controls(4)
    controls.apply(Event("mute", (1,)))
    assert controls.state()["mute"] == 1 and controls.state()["source"] == "manual"


def test_a_preset_file_holds_the_fields_in_the_order_docs_osc_md_shows():
    """presets.snapshot is built from control_names.FIELDS: a number or choice control missing
    from the docs' example preset, or the file's fields in another order, fails here."""
    data = snapshot(Controls(4))
    assert list(data) == documented_preset_fields()
    assert list(data) == ["version", "voices", *(
        field for name, field in names.FIELDS.items() if name not in names.FLAGS)]
    assert json.dumps(data, indent=1, allow_nan=False).startswith('{\n "version": 1,')


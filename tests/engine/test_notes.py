"""Notes (engine/notes.py): the default model's measured pitch map, allocation and stealing."""

import math

import pytest
from support.engines import tiny_synth

from latentd.engine.controls import VoiceState
from latentd.engine.notes import PitchMap, allocate, midi_to_hz, note_name, velocity_gate
from latentd.models.registry import load_synth


@pytest.fixture(scope="module")
def default_map():
    pitch_map = PitchMap.of(load_synth("default", script=False))
    assert pitch_map is not None
    return pitch_map


def test_the_default_models_latent_0_is_about_16_7_semitones_per_unit(default_map):
    low, high = default_map.hz(-0.5), default_map.hz(0.5)
    assert math.isclose(12 * math.log2(high / low), 16.7, abs_tol=0.1)
    for note in (36, 60, 69, 96):
        assert math.isclose(default_map.hz(default_map.check_note(note)), midi_to_hz(note),
                            rel_tol=1e-6)
    assert math.isclose(default_map.hz(16.0), 4000.0)  # saturates


def test_notes_outside_the_range_are_refused_naming_it(default_map):
    with pytest.raises(ValueError, match=r"notes 22\.51 to 107\.21 \(30 to 4000 Hz\)"):
        default_map.check_note(120)
    with pytest.raises(ValueError, match="5000 Hz is outside"):
        default_map.value(5000.0)


def test_a_model_without_a_pitch_dimension_has_no_map():
    assert PitchMap.of(tiny_synth()) is None


def test_allocation_takes_released_voices_then_free_ones_then_steals_the_oldest():
    voices = [VoiceState.neutral(2) for _ in range(3)]
    assert allocate(voices) == 0
    voices[0].note, voices[0].note_order = 60.0, 1
    voices[2].gate = 0.0  # released earlier
    assert allocate(voices) == 2
    voices[2].note, voices[2].note_order, voices[2].gate = 62.0, 2, 1.0
    voices[1].note, voices[1].note_order = 64.0, 3
    assert allocate(voices) == 0  # all hold notes: the oldest


def test_note_names_and_velocity():
    assert note_name(440.0) == "A4" and note_name(261.63) == "C4" and note_name(0) == "none"
    assert velocity_gate(127) == 1.0 and velocity_gate(0) == 0.0

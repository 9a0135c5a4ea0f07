"""``latentd dataset gm``: the clip plan and MIDI writing always; rendering when fluidsynth
and the GM SoundFont are installed (skipped with the reason otherwise, failed under
LATENTD_REQUIRE_TOOLS=1: tests/support/tools.py)."""

import shutil
from pathlib import Path

import pytest
from support.tools import require

from latentd.train.dataset_gm import (
    DEFAULT_SOUNDFONT,
    FAMILIES,
    INSTRUMENTS,
    build,
    plan,
    write_midi,
)


def test_plan_is_seeded_and_covers_every_family():
    clips = plan(2 * len(INSTRUMENTS), seed=7)
    assert [c.entry() for c in clips] == [c.entry() for c in plan(2 * len(INSTRUMENTS), seed=7)]
    assert [c.entry() for c in clips] != [c.entry() for c in plan(2 * len(INSTRUMENTS), seed=8)]
    assert {c.instrument.family for c in clips} == set(FAMILIES)
    assert {"keys", "strings", "brass", "reeds", "pipes", "organ", "guitar", "mallets",
            "pads"} <= set(FAMILIES)
    kinds = {c.kind for c in clips}
    assert kinds == {"note", "phrase"}
    for clip in clips:
        for note in clip.notes:
            assert clip.instrument.low <= note.pitch <= clip.instrument.high
            assert 1 <= note.velocity <= 127 and note.duration > 0
        assert len({c.name for c in clips}) == len(clips)


def test_note_entries_say_what_evaluation_needs():
    note = next(c for c in plan(40, seed=0) if c.kind == "note")
    entry = note.entry()
    assert entry["pitch"] == note.notes[0].pitch and entry["velocity"] == note.notes[0].velocity
    assert entry["harmonic"] == note.instrument.harmonic
    phrase = next(c for c in plan(40, seed=0) if c.kind == "phrase")
    assert phrase.entry()["pitch"] is None and not phrase.entry()["harmonic"]


def test_midi_file_holds_the_notes_and_a_release_tail(tmp_path):
    mido = pytest.importorskip("mido", reason="mido is a train dependency")
    clip = next(c for c in plan(40, seed=1) if c.kind == "phrase")
    path = tmp_path / "clip.mid"
    write_midi(clip, path)
    midi = mido.MidiFile(str(path))
    messages = list(midi)
    ons = [m for m in messages if m.type == "note_on" and m.velocity > 0]
    assert [m.note for m in ons] == [n.pitch for n in sorted(clip.notes, key=lambda n: n.start)]
    assert all(m.channel == 0 for m in ons)
    programs = [m.program for m in messages if m.type == "program_change"]
    assert programs == [clip.instrument.program]
    last_off = max(n.start + n.duration for n in clip.notes)
    assert midi.length > last_off + 1.0


def test_render_a_few_clips(tmp_path):
    pytest.importorskip("soundfile", reason="soundfile is a train dependency")
    pytest.importorskip("mido", reason="mido is a train dependency")
    require(shutil.which("fluidsynth") is not None,
            "fluidsynth not found (Debian package fluidsynth)")
    require(Path(DEFAULT_SOUNDFONT).is_file(),
            f"{DEFAULT_SOUNDFONT} not found (Debian package fluid-soundfont-gm)")
    import soundfile

    from latentd.train.manifest import read_manifest

    build(DEFAULT_SOUNDFONT, tmp_path / "gm", seed=0, count=3, test_fraction=0.0,
          log=lambda _: None)
    manifest = read_manifest(tmp_path / "gm")
    assert manifest["counts"] == {"train": 3, "test": 0}
    for clip in manifest["clips"]:
        audio, rate = soundfile.read(tmp_path / "gm" / clip["path"])
        assert rate == 44100 and audio.ndim == 1
        assert 0.01 < abs(audio).max() <= 0.99  # audible, never clipped
        assert len(audio) / rate <= 4.0
    build(DEFAULT_SOUNDFONT, tmp_path / "again", seed=0, count=3, test_fraction=0.0,
          log=lambda _: None)
    for clip in manifest["clips"]:  # the same seed renders the same bytes
        assert ((tmp_path / "gm" / clip["path"]).read_bytes() ==
                (tmp_path / "again" / clip["path"]).read_bytes())

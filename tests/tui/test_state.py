"""DaemonState: telemetry parsed as the panes need it (no network: messages fed by hand)."""

from __future__ import annotations

from latentd.tui.state import PEAK_HOLD, DaemonState, event_line, pairs


def status(**fields: object) -> list[object]:
    return [x for kv in fields.items() for x in kv]


def test_name_value_pairs() -> None:
    assert pairs(["model", "default", "latent_size", 8]) == {"model": "default",
                                                            "latent_size": 8}


def test_the_peak_is_held_then_falls_back() -> None:
    state = DaemonState()
    state.feed("/meter", [-6.0, -12.0, -10.0, -20.0])
    assert state.peak_db == [-6.0, -10.0] and state.rms_db == [-12.0, -20.0]
    for _ in range(PEAK_HOLD):
        state.feed("/meter", [-30.0, -40.0, -30.0, -40.0])
    assert state.held_db == [-6.0, -10.0]  # held for PEAK_HOLD frames
    state.feed("/meter", [-30.0, -40.0, -30.0, -40.0])
    assert state.held_db == [-30.0, -30.0]
    state.feed("/meter", [-3.0, -9.0, -40.0, -50.0])
    assert state.held_db == [-3.0, -30.0]  # a louder peak takes over at once


def test_underruns_turn_red_only_when_they_grow() -> None:
    state = DaemonState()
    state.feed("/status.reply", status(underruns=5, load=0.1, model="a", latent_size=4))
    assert not state.underruns_grew  # a daemon that had some before we came is not news
    state.feed("/status.reply", status(underruns=5, load=0.2, model="a", latent_size=4))
    assert not state.underruns_grew
    state.feed("/status.reply", status(underruns=6, load=0.3, model="a", latent_size=4))
    assert state.underruns_grew
    assert list(state.loads) == [0.1, 0.2, 0.3]


def test_a_restarted_daemon_starts_with_no_red() -> None:
    state = DaemonState()
    for underruns, uptime in ((0, 10.0), (3, 10.5), (0, 1.0)):  # grew, then a new daemon
        state.feed("/status.reply", status(underruns=underruns, uptime=uptime, model="a",
                                           latent_size=4))
    assert not state.underruns_grew


def test_another_model_forgets_the_old_names() -> None:
    state = DaemonState()
    state.feed("/status.reply", status(model="default", latent_size=8))
    state.feed("/latent.names", ["pitch (measured)"] + [f"principal axis {i}" for i in range(7)])
    assert state.name(0) == "pitch (measured)"
    state.feed("/status.reply", status(model="tiny", latent_size=4))
    assert state.name(0) == "0"  # until the new model's /latent.names comes


def test_event_lines() -> None:
    assert event_line("/fail", ["/preset/load", "no preset '9'"]) == \
        "FAIL /preset/load no preset '9'"
    assert event_line("/done", ["/record/stop", "take.wav", 2.5]) == \
        "ok /record/stop take.wav 2.5"
    assert event_line("/late", [0.25]) == "late by 0.250 s"
    assert event_line("/done", ["/record/stop", "t.wav", 3.2740135192871094]) == \
        "ok /record/stop t.wav 3.274"
    assert event_line("/done", ["/notify", 1]) is None  # the renewals are not news


def test_model_and_recording_changes_are_events() -> None:
    """Whoever changed them (another client, a restarted daemon), the log says so."""
    state = DaemonState()
    line = state.feed("/status.reply", status(model="a", latent_size=4, recording="none"))
    assert line == "model a plays (4 latents)"
    assert state.feed("/status.reply", status(model="a", latent_size=4, recording="none")) \
        is None
    assert state.feed("/status.reply", status(model="a", latent_size=4, recording="/r/t.wav")) \
        == "recording /r/t.wav"
    assert state.feed("/status.reply", status(model="b", latent_size=6, recording="none")) \
        == "model b plays (6 latents); recording stopped: /r/t.wav"


def test_each_voice_keeps_its_own_telemetry() -> None:
    """/voice/<n>/... fills voice n's view; voice 0 stays the plain addresses' lists."""
    state = DaemonState()
    state.feed("/status.reply", status(model="a", latent_size=2, voices=3,
                                       **{"voice.1.pitch_hz": 440.0, "voice.1.note": "A4"}))
    state.feed("/latent.state", [0.1, 0.2])
    state.feed("/voice/1/latent.state", [1.0, 2.0])
    state.feed("/voice/1/meter", [-6.0, -12.0, -3.0, -9.0])
    state.feed("/voice/2/controls.state", ["source", "drift", "mute", 1])
    state.feed("/voice/1/spectrum", [0.0])  # not per-voice telemetry: ignored
    assert state.voice_count == 3
    assert state.voice(0).latents == [0.1, 0.2] and state.voice(1).latents == [1.0, 2.0]
    assert state.voice(1).level_db == -9.0 and state.voice(2).level_db is None
    assert state.voice(2).controls == {"source": "drift", "mute": 1}
    assert state.pitch(1) == (440.0, "A4") and state.pitch(2) == (None, None)
    state.feed("/status.reply", status(model="a", latent_size=2, voices=2))
    assert 2 not in state.others and state.voice(2).controls == {}  # voice 2 was removed
    assert state.voice(1).latents == [1.0, 2.0]


def test_a_daemon_without_voices_has_one() -> None:
    state = DaemonState()
    state.feed("/status.reply", status(model="a", latent_size=2))
    assert state.voice_count == 1 and state.others == {}


def test_voice_0s_level_is_never_the_mix() -> None:
    """The plain /meter is the output's: voice 0's level alone, the mix with several voices
    (then /voice/0/meter's, or unknown)."""
    state = DaemonState()
    state.feed("/status.reply", status(model="a", latent_size=2))
    state.feed("/meter", [-6.0, -12.0])
    assert state.voice(0).level_db == -12.0
    state.feed("/status.reply", status(model="a", latent_size=2, voices=2))
    assert state.voice(0).level_db is None
    state.feed("/voice/0/meter", [-20.0, -30.0])
    assert state.voice(0).level_db == -30.0
    state.feed("/status.reply", status(model="a", latent_size=2, voices=1))
    state.feed("/meter", [-3.0, -9.0])  # alone again: no more /voice/0/meter, the last is stale
    assert state.voice(0).level_db == -9.0

"""Voices over OSC (issue 20, docs/osc.md "Voices"): ``/voice/<n>/...`` addressing with patterns
across voices, ``/fail`` for voices out of range, notes, and a chord of four voices on the
default model checked by a pitch tracker on each voice's own output channel."""

from __future__ import annotations

import time

import numpy as np
import pytest
import soundfile
from support.engines import null_engine, tiny_synth
from support.osc import wait_until

from latentd.audio.wavfile import WavBackend
from latentd.engine.controls import ANY_VOICE
from latentd.engine.engine import Engine, EngineSettings
from latentd.engine.notes import midi_to_hz
from latentd.engine.telemetry import SILENCE_DB
from latentd.models.registry import load_synth
from latentd.osc.args import Fail
from latentd.osc.clients import Client
from latentd.osc.routes import AddressSpace, Request
from latentd.osc.voices import is_voice_telemetry, voice_telemetry
from latentd.train.pitch import cents, yin

CLIENT = Client("127.0.0.1", 9)


def send(space: AddressSpace, address: str, *args: object) -> list:
    """What the server does with a message: resolve the pattern, handle each address."""
    replies = []
    for concrete in space.resolve(address):
        replies += space.handle(Request(concrete, list(args), None, CLIENT))
    return replies


@pytest.fixture(scope="module")
def tiny():
    return tiny_synth()


@pytest.fixture
def space(tmp_path, tiny):
    tiny.reset()
    engine = null_engine(tmp_path, tiny, voices=3, max_voices=4)
    return AddressSpace(engine)


def render(space: AddressSpace) -> None:
    """Apply what was posted (the engine is not started: one block on this thread)."""
    space.engine.pipe.renderer.render(lambda frame: 0.0)


def test_patterns_reach_across_voices(space):
    send(space, "/voice/*/gain", -6.0)
    send(space, "/voice/{0,2}/mute", 1)
    send(space, "/voice/[1-2]/source", "drift")
    send(space, "/voice/1/latent", 0, 1.5)
    send(space, "/voice/2/latent/3", -0.5)
    send(space, "/pan", -1.0)  # plain addresses are voice 0's
    render(space)
    voices = space.engine.controls.voices
    assert [v.gain_db for v in voices] == [-6.0] * 3
    assert [v.muted for v in voices] == [True, False, True]
    assert [v.source for v in voices] == ["manual", "drift", "drift"]
    assert voices[1].latent[0] == 1.5 and voices[2].latent[3] == -0.5
    assert [v.pan for v in voices] == [-1.0, 0.0, 0.0]
    assert len(space.resolve("/voice/*/gain")) == 3  # the voices playing now


def test_voices_out_of_range_fail_naming_the_range(space):
    with pytest.raises(Fail, match=r"voice 4 is outside \[0, 3\]"):
        send(space, "/voice/4/gain", -6.0)
    with pytest.raises(Fail, match="not an address of a voice"):
        send(space, "/voice/1/model/load", "x")
    with pytest.raises(Fail, match=r"outside \[1, 4\]"):
        send(space, "/voices", 5)
    failures = []
    space.engine.listeners.append(lambda notice: failures.append(notice.args))
    send(space, "/voice/3/gain", -6.0)  # under --max-voices, beyond the 3 voices playing
    render(space)
    assert failures == [("voice 3 is outside [0, 2] (3 voices play: /voices sets how many)",)]
    send(space, "/voices", 4)
    send(space, "/voice/3/gain", -6.0)  # applied after /voices: accepted
    render(space)
    assert space.engine.controls.voices[3].gain_db == -6.0 and len(failures) == 1


def test_status_counts_voices_and_telemetry_addresses_are_never_answered(space):
    status = send(space, "/status")[0][1]
    assert status[status.index("voices") + 1] == 3
    assert "voice.0.pitch_hz" not in status  # the tiny model has no pitch dimension
    assert is_voice_telemetry("/voice/2/meter") and is_voice_telemetry("/voice/1/latent.state")
    assert not is_voice_telemetry("/voice/1/gain")


def telemetry(space: AddressSpace) -> dict[str, tuple]:
    """The ``/voice/...`` messages the server would send a subscriber now."""
    return dict(voice_telemetry(space.engine.snapshot()))


def test_each_voice_tells_its_own_state_while_it_plays(space):
    send(space, "/voice/2/gain", -6.0)
    send(space, "/voice/1/mute", 1)
    send(space, "/voice/2/bias", 0, 0.5)
    send(space, "/voice/1/latent", 1, -0.25)
    send(space, "/voice/2/scale/3", 2.0)
    for _ in range(8):
        render(space)
    sent = telemetry(space)
    for n in (1, 2):
        for suffix in ("latent.state", "meter", "latent.target", "bias.state", "scale.state",
                       "controls.state"):
            assert f"/voice/{n}/{suffix}" in sent, f"/voice/{n}/{suffix} not sent"
        assert is_voice_telemetry(f"/voice/{n}/controls.state")
    assert sent["/voice/1/controls.state"] == (
        "source", "manual", "glide_ms", 50.0, "gain_db", 0.0, "mute", 1, "pan", 0.0)
    assert sent["/voice/2/controls.state"] == (
        "source", "manual", "glide_ms", 50.0, "gain_db", -6.0, "mute", 0, "pan", 0.0)
    # the plain /controls.state's pairs for these names, in its order and forms
    plain = space.engine.snapshot().controls
    assert [k for k in plain if k in sent["/voice/1/controls.state"]] == list(
        sent["/voice/1/controls.state"][::2])
    assert sent["/voice/2/bias.state"] == (0.5, 0.0, 0.0, 0.0)  # /bias i f: dimension 0
    assert sent["/voice/1/bias.state"] == (0.0,) * 4
    assert sent["/voice/1/latent.target"] == (0.0, -0.25, 0.0, 0.0)
    assert sent["/voice/2/scale.state"] == (1.0, 1.0, 1.0, 2.0)
    assert len(sent["/voice/1/latent.state"]) == 4
    peak_1, peak_2 = sent["/voice/1/meter"][0::2], sent["/voice/2/meter"][0::2]
    assert max(peak_1) == SILENCE_DB  # muted: adds nothing to the output
    assert max(peak_2) > SILENCE_DB
    assert "/voice/0/meter" in sent  # several voices: the plain /meter is the mix's
    assert not any(a.startswith("/voice/0/") and not a.endswith("/meter") for a in sent)
    assert len(voice_telemetry(space.engine.snapshot())) == 6 * 2 + 1  # the documented bound

    send(space, "/voices", 1)
    render(space)
    assert telemetry(space) == {}  # voices 1 and 2 are gone; voice 0 alone: /meter is its own


def latest(client, seconds: float) -> dict[str, list]:
    """The last args of each address a subscriber heard over ``seconds``."""
    return {r.address: r.args for r in client.replies(seconds)}


def test_a_daemon_with_three_voices_streams_them_to_subscribers(make_daemon, synth):
    daemon = make_daemon(synth, engine_settings={"voices": 3})
    client = daemon.udp()
    client.ask("/notify", 1)
    client.request("/voice/2/gain", -6.0)
    client.request("/voice/1/mute", 1)
    client.request("/voice/2/bias", 0, 0.5)
    wait_until(lambda: latest(client, 0.2).get("/voice/2/bias.state", [0])[0] == 0.5,
               message="/voice/2/bias.state to show the bias")
    heard = latest(client, 0.5)
    for n in (1, 2):
        for suffix in ("latent.state", "meter", "latent.target", "bias.state", "scale.state",
                       "controls.state"):
            assert f"/voice/{n}/{suffix}" in heard, f"/voice/{n}/{suffix} not streamed"
    assert heard["/voice/2/controls.state"][4:6] == ["gain_db", -6.0]
    assert heard["/voice/1/controls.state"][6:8] == ["mute", 1]
    assert "/voice/0/meter" in heard and "/voice/3/meter" not in heard
    client.request("/voices", 1)
    time.sleep(0.3)  # what was sent before /voices applied
    client.drain()
    heard = latest(client, 0.5)
    assert "/meter" in heard and not [a for a in heard if a.startswith("/voice/")], heard


def test_notes_need_a_pitch_dimension(space):
    with pytest.raises(Fail, match="has no measured pitch dimension"):
        send(space, "/note", 60)
    with pytest.raises(Fail, match="has no measured pitch dimension"):
        send(space, "/voice/1/pitch", 440.0)


CHORD = (48, 52, 55, 60)  # C3 E3 G3 C4


@pytest.fixture(scope="module")
def default_model():
    return load_synth("default", script=False)  # scripting costs more than it saves here


def test_a_chord_of_four_notes_plays_four_pitches_on_the_default_model(tmp_path,
                                                                        default_model):
    """/note x 4 on the default model with one output channel per voice: status reports the
    four pitches, and a pitch tracker (YIN) on each voice's channel hears its note."""
    synth = default_model
    synth.reset()
    backend = WavBackend(tmp_path / "chord.wav", synth.sample_rate, 4, synth.ratio)
    engine = Engine(synth, backend, EngineSettings(
        voices=4, max_voices=4, voice_outputs=True, presets_dir=tmp_path / "p",
        recordings_dir=tmp_path / "r"))
    space = AddressSpace(engine)
    with pytest.raises(Fail, match=r"note 110 is outside the model's pitch range: "
                                   r"notes 22\.51 to 107\.21 \(30 to 4000 Hz\)"):
        send(space, "/note", 110)
    for note in CHORD:
        send(space, "/note", float(note), 100.0)
    engine.start()
    engine.render_offline(1.2)
    status = space.status_args()
    engine.stop(fade_seconds=0)
    heard = [status[status.index(f"voice.{n}.pitch_hz") + 1] for n in range(4)]
    names = [status[status.index(f"voice.{n}.note") + 1] for n in range(4)]
    assert names == ["C3", "E3", "G3", "C4"]
    assert np.abs(cents(np.array(heard), np.array([midi_to_hz(n) for n in CHORD]))).max() < 5
    audio, rate = soundfile.read(tmp_path / "chord.wav", dtype="float32")
    for n, note in enumerate(CHORD):
        track = yin(audio[int(0.5 * rate):, n], rate)
        f0 = np.nanmedian(track.f0[track.voiced])
        assert track.voiced.mean() > 0.5, n
        assert abs(float(cents(f0, midi_to_hz(note)))) < 50, (n, f0)
    # released: the voice fades out; another note takes the released voice first
    send(space, "/note/off", 52.0)
    render(space)
    voices = engine.controls.voices
    assert voices[1].note is None and voices[1].gate == 0.0
    send(space, "/note", 64.0)
    render(space)
    assert voices[1].note == 64.0
    send(space, "/note", 67.0)  # all four hold notes: the oldest (C3 on voice 0) is stolen
    render(space)
    assert [v.note for v in voices] == [67.0, 64.0, 55.0, 60.0]
    assert ANY_VOICE < 0

"""docs/osc.md, issue 19: the audio input over OSC. ``/source input`` with and without an open
input, ``/input/gain``, ``/input/dry``, ``/input/file`` (confined to --inputs-dir like presets),
the ``/meter.input`` telemetry and the fields appended to ``/status.reply``."""

import numpy as np
import pytest
import soundfile
from support.osc import wait_until

from latentd.audio.wav_input import WavInput

RATE = 44100


def _write_tone(path, seconds=1.0, rate=RATE, amplitude=0.5, channels=1):
    t = np.arange(int(seconds * rate)) / rate
    tone = (amplitude * np.sin(2 * np.pi * 330 * t)).astype(np.float32)
    soundfile.write(path, np.repeat(tone[:, None], channels, axis=1), rate, subtype="FLOAT")
    return path


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "inputs"
    folder.mkdir()
    _write_tone(folder / "loud.wav", amplitude=0.5)
    _write_tone(folder / "quiet.wav", amplitude=0.05, rate=48000, channels=2)
    (folder / "notes.wav").write_bytes(b"not audio at all")
    outside = _write_tone(tmp_path / "secret.wav")
    (folder / "escape.wav").symlink_to(outside)
    return folder


@pytest.fixture
def input_daemon(make_daemon, synth, inputs):
    return make_daemon(synth, engine_settings={"inputs_dir": inputs})


def test_source_input_without_an_input_fails_saying_so(daemon):
    with daemon.udp() as client:
        fail = client.fails("/source", "input")
        assert "no input is open" in fail.args[1]
        assert client.status()["source"] == "manual"
        assert client.status()["input"] == "none"


def test_input_file_opens_a_file_and_the_input_source_follows_it(input_daemon, inputs):
    with input_daemon.udp() as client:
        before = client.status()
        assert client.ask("/input/file", "loud.wav").args == ["/input/file", "loud.wav"]
        status = client.status()
        assert status["input"] == str(inputs / "loud.wav")
        assert status["latency_input_ms"] > 0 and status["latency_encoder_ms"] >= 0
        # the fields before stay, in their order; the input's are appended at the end
        names = list(status)
        assert names[: len(before) - 3] == list(before)[: len(before) - 3]
        assert names[-3:] == ["latency_input_ms", "latency_encoder_ms", "input"]
        manual = list(input_daemon.latents())
        assert client.request("/source", "input") == []
        wait_until(lambda: np.abs(np.subtract(input_daemon.latents(), manual)).max() > 1e-3,
                   timeout=10, message="the heard latents to follow the encoded input")
        assert client.status()["source"] == "input"
        input_daemon.assert_audio_flows()


@pytest.mark.parametrize("name, reason", [("nope.wav", "no input file"),
                                          ("notes.wav", "cannot read"),
                                          ("escape.wav", "outside"),
                                          ("../secret.wav", "")])
def test_input_file_refusals(input_daemon, name, reason):
    with input_daemon.udp() as client:
        fail = client.fails("/input/file", name)
        assert reason in fail.args[1]
        assert client.status()["input"] == "none"


def test_input_file_needs_an_inputs_dir(daemon):
    with daemon.udp() as client:
        assert "--inputs-dir" in client.fails("/input/file", "loud.wav").args[1]


@pytest.mark.parametrize("address", ["/input/gain", "/input/dry"])
def test_input_levels_take_decibels_in_range(input_daemon, address):
    with input_daemon.udp() as client:
        for bad in (-121.0, 25.0, "loud"):
            client.fails(address, bad)
        assert client.request(address, -6.0) == []
        client.ask("/input/file", "loud.wav")
        stage = input_daemon.engine.input
        level = stage.gain_db if address == "/input/gain" else stage.dry_db
        assert level == -6.0  # kept for an input opened after it was set


def test_meter_input_reports_the_input_level_and_its_gain(input_daemon):
    with input_daemon.udp() as client:
        client.request("/notify", 1)
        client.ask("/input/file", "loud.wav")

        def peak() -> float:
            reply = client.wait_for("/meter.input", keep_others=False)
            assert reply.types == "ff"  # one channel, as the model takes it
            return reply.args[0]

        wait_until(lambda: abs(peak() - 20 * np.log10(0.5)) < 0.5, timeout=10,
                   message="/meter.input to read the file's -6 dBFS peak")
        client.send("/input/gain", -20.0)
        wait_until(lambda: abs(peak() - (20 * np.log10(0.5) - 20)) < 0.5, timeout=10,
                   message="/meter.input to follow /input/gain")


def test_dry_monitor_mixes_the_input_into_the_output(input_daemon):
    with input_daemon.udp() as client:
        client.ask("/input/file", "loud.wav")
        client.send("/mute", 1)  # the model silent: what is heard is the dry input alone
        client.send("/input/dry", 0.0)
        wait_until(lambda: input_daemon.engine.snapshot().peak_db[0] > -8.0, timeout=10,
                   message="the dry input (-6 dBFS) in the output")
        client.send("/input/dry", -120.0)  # off again
        wait_until(lambda: input_daemon.engine.snapshot().peak_db[0] < -100.0, timeout=10,
                   message="the output silent with the dry monitor off")


def test_a_lost_input_is_dropped_and_the_output_plays_on(input_daemon, inputs):
    with input_daemon.udp() as client:
        client.request("/notify", 1)
        client.ask("/input/file", "loud.wav")
        client.request("/source", "input")
        stage = input_daemon.engine.input
        stage.source.lost_reason = "input file vanished (test)"  # as its reader thread says
        notice = client.wait_for(lambda r: r.address == "/fail" and r.args[:2] == ["/input",
                                                                                  "lost"])
        assert "vanished" in notice.args[2]
        wait_until(lambda: client.status()["input"] == "none", timeout=5)
        assert "lost" in client.fails("/source", "input").args[1]
        input_daemon.assert_audio_flows()


def test_wav_input_object_can_be_set_directly(input_daemon, inputs):
    """Engine.set_input (what serve --input does) swaps a running input without a gap."""
    input_daemon.engine.set_input(WavInput(inputs / "quiet.wav"), [2])
    with input_daemon.udp() as client:
        assert client.status()["input"] == str(inputs / "quiet.wav")
        input_daemon.assert_audio_flows()

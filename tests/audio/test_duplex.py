"""``open_audio`` (input_factory.py): the same PortAudio device for input and output opens one
duplex stream whose one callback plays the output ring and fills the input ring; a device that
cannot capture at the output's rate falls back to two streams (the input resampled); two
devices get two streams. PortAudio is faked here (its streams are called by the test); the
duplex path on a real JACK server is tests/engine/test_input_jack.py."""

import types

import numpy as np
import pytest

import latentd.audio.input_factory as input_factory
import latentd.audio.portaudio as portaudio
import latentd.audio.portaudio_input as portaudio_input
from latentd.audio.clock import AudioClock
from latentd.audio.duplex import DuplexBackend
from latentd.audio.input_factory import open_audio
from latentd.audio.portaudio_input import PortAudioInput
from latentd.audio.ring import RingBuffer

sd = pytest.importorskip("sounddevice")


class FakeStream:
    """A started PortAudio stream of ``kind`` whose callback the test calls itself."""

    def __init__(self, kind, callback, channels, **_):
        self.kind, self.callback, self.channels = kind, callback, channels
        self.active = False
        self.latency = (0.004, 0.006) if kind == "duplex" else 0.005

    def start(self):
        self.active = True

    def abort(self):
        self.active = False

    def close(self):
        pass


@pytest.fixture
def device(monkeypatch):
    """A fake PortAudio whose devices play at 48 kHz and capture at ``capture_rates``
    (set by the test; the first is the device's default)."""
    streams: list[FakeStream] = []
    state = {"capture_rates": [48000]}

    def query_devices(device=None, kind=None):
        rate = state["capture_rates"][0] if kind == "input" else 48000
        return {"name": f"card {device}", "index": device, "default_samplerate": float(rate),
                "max_input_channels": 2, "max_output_channels": 2}

    def check_input_settings(device, channels, samplerate, dtype):
        if samplerate not in state["capture_rates"]:
            raise sd.PortAudioError("Invalid sample rate")

    def stream(kind):
        return lambda **kw: streams.append(FakeStream(kind, **kw)) or streams[-1]

    fake = types.SimpleNamespace(
        PortAudioError=sd.PortAudioError, query_devices=query_devices,
        query_hostapis=lambda *a: [], check_output_settings=lambda *a, **k: None,
        check_input_settings=check_input_settings,
        default=types.SimpleNamespace(device=[None, None]),
        Stream=stream("duplex"), InputStream=stream("input"), OutputStream=stream("output"))
    for module in (portaudio, portaudio_input, input_factory):
        monkeypatch.setattr(module, "import_sounddevice", lambda: fake)
    return state, streams


def start(backend, audio_input):
    """Start both as the engine does (the input first); returns (output ring, input ring)."""
    out_ring, in_ring = RingBuffer(4096, 1), RingBuffer(4096, 1)
    out_ring.write(np.full((1024, 1), 0.25, np.float32))
    audio_input.start(in_ring)
    backend.start(out_ring, AudioClock(48000))
    backend.watchdog.stop()  # the test calls the callbacks itself
    return out_ring, in_ring


def test_the_same_device_opens_one_duplex_stream_feeding_both_rings(device):
    _state, streams = device
    backend, audio_input = open_audio("portaudio:3", "portaudio:3", 48000, 1, 256, 48000, 1)
    assert isinstance(backend, DuplexBackend) and audio_input is backend.input
    out_ring, in_ring = start(backend, audio_input)
    try:
        assert [s.kind for s in streams] == ["duplex"] and streams[0].channels == (1, 1)
        captured = np.full((256, 1), 0.5, np.float32)
        played = np.zeros((256, 1), np.float32)
        times = types.SimpleNamespace(outputBufferDacTime=1.0, currentTime=0.99)
        streams[0].callback(captured, played, 256, times, sd.CallbackFlags(0))
        assert (played == 0.25).all() and out_ring.frames_read == 256  # the output played
        assert in_ring.fill == 256  # and the capture went to the input, in the same callback
        assert "duplex" in backend.describe()
        assert (backend.device_latency, audio_input.latency) == (0.006, 0.004)
    finally:
        backend.stop()


def test_a_device_that_cannot_capture_at_the_output_rate_gets_two_streams(device):
    state, streams = device
    state["capture_rates"] = [44100]  # captures at 44.1 kHz only; plays at 48 kHz
    backend, audio_input = open_audio("portaudio:3", "portaudio:3", 48000, 1, 256, 48000, 1)
    assert not isinstance(backend, DuplexBackend)
    assert isinstance(audio_input, PortAudioInput) and audio_input.sample_rate == 44100
    start(backend, audio_input)
    try:
        assert sorted(s.kind for s in streams) == ["input", "output"]
    finally:
        audio_input.stop()
        backend.stop()


def test_two_devices_get_two_streams(device):
    _state, streams = device
    backend, audio_input = open_audio("portaudio:3", "portaudio:2", 48000, 1, 256, 48000, 1)
    assert not isinstance(backend, DuplexBackend) and isinstance(audio_input, PortAudioInput)
    start(backend, audio_input)
    try:
        assert sorted(s.kind for s in streams) == ["input", "output"]
        assert audio_input.device == 2 and backend.device == 3
    finally:
        audio_input.stop()
        backend.stop()

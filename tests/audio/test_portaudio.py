"""``portaudio:DEVICE`` names: sounddevice's own matching, then a host API's default device
(``portaudio:JACK``). PortAudio's device list is faked here; tests/daemon/test_jack_faults.py
plays through ``portaudio:JACK`` on a real JACK server."""

import time

import pytest

from latentd.audio.backend import BackendError
from latentd.audio.portaudio import find_device

sd = pytest.importorskip("sounddevice")

APIS = [
    {"name": "ALSA", "devices": [0, 1, 2], "default_input_device": 0,
     "default_output_device": 1},
    {"name": "JACK Audio Connection Kit", "devices": [3], "default_input_device": 3,
     "default_output_device": 3},
    {"name": "OSS", "devices": [], "default_input_device": -1, "default_output_device": -1},
]
DEVICES = [
    {"name": "HDA Intel PCH: ALC (hw:0,0)", "hostapi": 0, "max_output_channels": 2,
     "max_input_channels": 2},
    {"name": "default", "hostapi": 0, "max_output_channels": 32, "max_input_channels": 32},
    {"name": "USB Audio (hw:1,0)", "hostapi": 0, "max_output_channels": 2,
     "max_input_channels": 0},
    {"name": "system", "hostapi": 1, "max_output_channels": 2, "max_input_channels": 2},
]


@pytest.fixture
def fake(monkeypatch):
    def query_devices(device=None, kind=None):
        if device is None:
            return [dict(d, index=i) for i, d in enumerate(DEVICES)]
        index = sd._get_device_id(device, kind, raise_on_error=True)
        return dict(DEVICES[index], index=index)

    def query_hostapis(index=None):
        return APIS if index is None else APIS[index]

    monkeypatch.setattr(sd, "query_devices", query_devices)
    monkeypatch.setattr(sd, "query_hostapis", query_hostapis)
    return sd


@pytest.mark.parametrize("name, index", [
    ("JACK", 3),  # matches "system, JACK Audio Connection Kit"
    ("jack", 3),
    ("system", 3),
    ("usb", 2),
    ("3", 3),
    ("ALSA", 1),  # several ALSA devices: the host API's default
    ("default", 1),
    (None, None),
])
def test_names_numbers_and_host_apis_select_a_device(fake, name, index):
    assert find_device(fake, name) == index


@pytest.mark.parametrize("name, message", [
    ("nothing-like-it", "No output device matching 'nothing-like-it'"),
    ("OSS", "host API 'OSS' has no output device"),
    ("hw", "Multiple output devices found for 'hw'"),
])
def test_unknown_or_ambiguous_names_are_refused_with_the_reason(fake, name, message):
    with pytest.raises(BackendError, match="see `latentd devices`") as caught:
        find_device(fake, name)
    assert message in str(caught.value)


class FakeStream:
    """A started PortAudio stream whose callback the test calls itself."""

    def __init__(self, callback, blocksize, channels, **_):
        self.callback, self.blocksize, self.channels = callback, blocksize, channels
        self.active = False
        self.latency = 0.005
        self.closed = False

    def start(self):
        self.active = True

    def abort(self):
        self.active = False

    def close(self):
        self.closed = True

    def pull(self, status=0):
        import numpy as np

        out = np.full((self.blocksize, self.channels), 7.0, np.float32)
        times = type("T", (), {"outputBufferDacTime": 1.0, "currentTime": 0.99})()
        self.callback(out, self.blocksize, times, sd.CallbackFlags(status))
        return out


@pytest.fixture
def backend(monkeypatch):
    import types

    import latentd.audio.portaudio as portaudio

    streams = []
    fake = types.SimpleNamespace(
        PortAudioError=sd.PortAudioError,
        query_devices=lambda device=None, kind=None: {"name": "fake", "index": 0,
                                                      "default_samplerate": 48000.0},
        query_hostapis=lambda: [],
        check_output_settings=lambda *a, **k: None,
        OutputStream=lambda **kw: streams.append(FakeStream(**kw)) or streams[-1])
    monkeypatch.setattr(portaudio, "import_sounddevice", lambda: fake)
    return portaudio.PortAudioBackend(None, 48000, 2, 64), streams


def test_a_lost_stream_is_replaced_by_a_fallback_clock_and_then_by_a_reopened_stream(backend):
    import numpy as np

    from latentd.audio.clock import AudioClock
    from latentd.audio.ring import RingBuffer

    device, streams = backend
    ring, clock = RingBuffer(48000, 2), AudioClock(48000)
    ring.write(np.ones((48000, 2), np.float32))
    device.start(ring, clock)
    device.watchdog.stop()  # the test plays the watchdog's part itself
    try:
        first = streams[0]
        assert (first.pull() == 1.0).all() and ring.frames_read == 64
        first.pull(status=4)  # output underflow flagged by PortAudio
        assert device.device_underflows == 1 and device.heartbeat() == 2
        device.abandon("test")  # the watchdog's move when the device is lost
        read = ring.frames_read
        assert (first.pull() == 0.0).all(), "an abandoned stream must not read the ring"
        assert device.heartbeat() == 2
        time.sleep(0.1)
        assert ring.frames_read >= read + 48000 * 0.05, "the fallback clock does not run"
        device.reopen()
        assert len(streams) == 2 and not first.closed  # never closed: that can block
        time.sleep(0.05)
        read = ring.frames_read
        time.sleep(0.05)
        assert ring.frames_read == read, "the fallback still reads after the reopen"
        assert (streams[1].pull() == 1.0).all() and ring.frames_read == read + 64
    finally:
        device.stop()
    assert streams[1].closed and not first.closed

"""``portaudio:DEVICE`` names: sounddevice's own matching, then a host API's default device
(``portaudio:JACK``). PortAudio's device list is faked here; tests/daemon/test_jack_faults.py
plays through ``portaudio:JACK`` on a real JACK server."""

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

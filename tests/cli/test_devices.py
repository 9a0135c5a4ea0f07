"""``latentd devices`` (``latentd.cli.devices``): the list, or a plain "no audio devices found"
and exit 1."""

from types import SimpleNamespace

import pytest

import latentd.audio.portaudio as portaudio
from latentd.cli.main import main


class DeviceList(list):
    def __str__(self):
        return "\n".join(f"  {i} {d['name']}" for i, d in enumerate(self))


@pytest.fixture
def fake_sd(monkeypatch):
    sd = SimpleNamespace(devices=DeviceList(), apis=[{"name": "ALSA"}, {"name": "OSS"}])
    sd.query_devices = lambda: sd.devices
    sd.query_hostapis = lambda: sd.apis
    monkeypatch.setattr(portaudio, "import_sounddevice", lambda: sd)
    return sd


def test_no_device_says_so_and_exits_1(fake_sd, capsys):
    assert main(["devices"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "no audio devices found (PortAudio host APIs: ALSA, OSS;" in err


def test_devices_are_listed(fake_sd, capsys):
    fake_sd.devices.append({"name": "system"})
    assert main(["devices"]) == 0
    assert "0 system" in capsys.readouterr().out

"""``latentd devices``: PortAudio's device list, or a refusal (exit 1) that says there is none
and which host APIs PortAudio found, so the user knows what to start or plug in."""

from __future__ import annotations

import argparse

from latentd.errors import LatentdError


def devices_command(args: argparse.Namespace) -> int:
    from latentd.audio.portaudio import import_sounddevice  # BackendError when it is missing

    sd = import_sounddevice()
    devices = sd.query_devices()
    if len(devices) == 0:
        apis = ", ".join(api["name"] for api in sd.query_hostapis()) or "none"
        raise LatentdError(f"no audio devices found (PortAudio host APIs: {apis}; is a sound "
                           "server such as JACK running, or a sound card present?)")
    print(devices)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    devices = commands.add_parser(
        "devices", help="list audio devices (PortAudio); exit 1 when there are none")
    devices.set_defaults(run=devices_command)

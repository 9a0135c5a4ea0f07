"""How ``--output`` picks a backend: ``open_output``.

It lives apart from ``backend.py`` because it imports every backend, and every backend imports
``backend.py`` for the interface: kept there, the two would import each other.
"""

from __future__ import annotations

import logging

from latentd.audio.backend import Backend, BackendError
from latentd.audio.null import NullBackend
from latentd.audio.portaudio import PortAudioBackend
from latentd.audio.wavfile import WavBackend

log = logging.getLogger("latentd.audio")


def open_output(spec: str, sample_rate: int, channels: int, blocksize: int) -> Backend:
    """``auto``, ``null``, ``wav:PATH`` or ``portaudio[:DEVICE]``.

    ``auto`` tries the default PortAudio device and falls back to null with a warning, so the
    daemon still runs (silently) on a machine without PortAudio or without any device.
    """
    kind, _, argument = spec.partition(":")
    if kind == "null":
        return NullBackend(sample_rate, channels, blocksize)
    if kind == "wav":
        if not argument:
            raise BackendError("--output wav needs a path: wav:PATH")
        return WavBackend(argument, sample_rate, channels, blocksize)
    if kind in ("portaudio", "auto"):
        try:
            return PortAudioBackend(argument or None, sample_rate, channels, blocksize)
        except BackendError as exc:
            if kind == "portaudio":
                raise
            log.warning("no PortAudio output (%s); playing on the null output instead: "
                        "nothing will be heard", exc)
            return NullBackend(sample_rate, channels, blocksize)
    raise BackendError(f"unknown output '{spec}' (use auto, null, wav:PATH or "
                       "portaudio[:DEVICE])")

"""How ``--input`` picks an input, and when it shares the output's device: ``open_audio``.

``none`` (no input), ``wav:PATH`` (a looping file) or ``portaudio[:DEVICE]``. When the input
and the output are the same PortAudio device, one duplex stream serves both (``duplex.py``);
otherwise each has its own stream. Every refusal is an ``InputError`` (exit status 2 at
start) naming the input and why.
"""

from __future__ import annotations

from typing import Any

from latentd.audio.backend import Backend, BackendError
from latentd.audio.duplex import DuplexBackend
from latentd.audio.factory import open_output
from latentd.audio.input import AudioInput, InputError
from latentd.audio.portaudio import find_device, import_sounddevice
from latentd.audio.portaudio_input import PortAudioInput
from latentd.audio.wav_input import WavInput

INPUT_KINDS = ("none", "wav", "portaudio")


def check_input_spec(spec: str) -> str:
    """``none``, ``wav:PATH`` or ``portaudio[:DEVICE]``; raises ValueError otherwise."""
    kind, colon, argument = spec.partition(":")
    if (kind == "none" and not colon) or (kind == "wav" and argument) or kind == "portaudio":
        return spec
    raise ValueError("")


def _device_index(sd: Any, name: str, kind: str) -> int:
    index = find_device(sd, name or None, kind)
    if index is not None:
        return index
    default = sd.default.device[0 if kind == "input" else 1]
    return int(default) if default is not None else -1


def same_device(output: str, input_device: str) -> bool:
    """Whether ``--output`` (``auto`` or ``portaudio[:DEVICE]``) and the input device name the
    same PortAudio device (so one duplex stream serves both)."""
    kind, _, out_device = output.partition(":")
    if kind not in ("auto", "portaudio"):
        return False
    try:
        sd = import_sounddevice()
        return _device_index(sd, out_device, "output") == _device_index(sd, input_device,
                                                                         "input")
    except (BackendError, ValueError, Exception):
        return False


def open_input(spec: str, model_rate: int, model_channels: int, blocksize: int,
               selected: list[int] | None = None) -> AudioInput | None:
    """An input of its own (not sharing the output's stream); None for ``none``."""
    kind, _, argument = spec.partition(":")
    if kind == "none":
        return None
    if kind == "wav":
        if not argument:
            raise InputError("--input wav needs a path: wav:PATH")
        return WavInput(argument, selected=selected)
    if kind == "portaudio":
        return PortAudioInput(argument or None, model_rate, model_channels, selected, blocksize)
    raise InputError(f"unknown input '{spec}' (use none, wav:PATH or portaudio[:DEVICE])")


def open_audio(output: str, input_spec: str, sample_rate: int, channels: int, blocksize: int,
               model_rate: int, model_channels: int, selected: list[int] | None = None
               ) -> tuple[Backend, AudioInput | None]:
    """The output backend and the input (None for ``none``); one duplex stream when both are
    the same PortAudio device."""
    kind, _, device = input_spec.partition(":")
    if kind == "portaudio" and same_device(output, device):
        try:
            backend = DuplexBackend(output.partition(":")[2] or None, sample_rate, channels,
                                    blocksize, selected, model_channels)
        except InputError:
            pass  # the device cannot capture at the output's rate: two streams, resampled
        else:
            return backend, backend.input
    audio_input = open_input(input_spec, model_rate, model_channels, blocksize, selected)
    try:
        return open_output(output, sample_rate, channels, blocksize), audio_input
    except BaseException:
        if audio_input is not None:
            audio_input.close()
        raise

"""Audio backends: PortAudio through sounddevice, WAV file, and null."""

from latentd.audio.backend import Backend, BackendError
from latentd.audio.factory import open_output

__all__ = ["Backend", "BackendError", "open_output"]

"""What clients are told about the engine: levels, latents, load, latency, counters."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from latentd.engine.control_names import (
    FIELDS,
    FLAGS,
    PER_VOICE,
    STATE_ORDER,
    state_name,
    stored_as,
)

if TYPE_CHECKING:  # for types only: reading telemetry needs no torch (models.synth imports it)
    from latentd.engine.controls import Controls, VoiceState
    from latentd.engine.renderer import Renderer
    from latentd.models.synth import Synth

SILENCE_DB = -120.0
# per voice: peak and RMS (dBFS) per channel of what it adds to the output (voice_mix.py)
VoiceLevels = tuple[list[list[float]], list[list[float]]]


def to_db(value: float) -> float:
    return 20 * math.log10(value) if value > 1e-6 else SILENCE_DB


class Meter:
    """Peak and RMS per channel over a ``window`` of seconds of output, ending where asked.

    The render thread only keeps references to the chunks it produced (it never mutates them
    afterwards), each with the device frame it starts at; the levels are computed when a client
    asks, at telemetry rate, so metering costs the render thread almost nothing. Readers pass
    the frame being heard now (``until``) and get the levels of what is heard, not of what was
    rendered last (see heard.py); ``history`` seconds of chunks are kept for that. The chunks
    live in a bounded deque that the render thread appends to and readers copy in one call,
    so no lock is taken.
    """

    def __init__(self, channels: int, sample_rate: int, window: float = 0.05,
                 history: float = 0.0):
        self.channels = channels
        self.window_frames = max(1, int(window * sample_rate))
        self.keep_frames = self.window_frames + int(history * sample_rate)
        self._chunks: deque[tuple[int, np.ndarray]] = deque()
        self._kept = 0
        self._next = 0  # the frame after the last chunk

    def add(self, chunk: np.ndarray, start_frame: int | None = None) -> None:
        start = self._next if start_frame is None else start_frame
        self._chunks.append((start, chunk))
        self._kept += len(chunk)
        self._next = start + len(chunk)
        while len(self._chunks) > 1 and self._kept - len(self._chunks[0][1]) >= self.keep_frames:
            self._kept -= len(self._chunks.popleft()[1])

    def _window(self, until: float | None, frames: int | None = None) -> np.ndarray | None:
        chunks = tuple(self._chunks)
        if not chunks:
            return None
        end = chunks[-1][0] + len(chunks[-1][1]) if until is None else int(until)
        begin = end - (frames or self.window_frames)
        parts = []
        for start, chunk in chunks:
            lo, hi = max(begin - start, 0), min(end - start, len(chunk))
            if lo < hi:
                parts.append(chunk[lo:hi])
        if not parts:  # nothing of the window was rendered: the nearest chunk stands for it
            parts = [chunks[0][1] if end <= chunks[0][0] else chunks[-1][1]]
        parts = [p for p in parts if len(p)]
        return np.concatenate(parts) if parts else None

    def peak_db(self, until: float | None = None) -> list[float]:
        window = self._window(until)
        if window is None:
            return [SILENCE_DB] * self.channels
        return [to_db(float(p)) for p in np.max(np.abs(window), axis=0)]

    def heard(self, frames: int, until: float | None = None) -> np.ndarray | None:
        """The last ``frames`` (at most what is kept) heard before ``until``, for the spectrum
        (spectrum.py): (frames, channels), or None before anything was rendered."""
        return self._window(until, min(frames, self.keep_frames))

    def rms_db(self, until: float | None = None) -> list[float]:
        window = self._window(until)
        if window is None:
            return [SILENCE_DB] * self.channels
        energy = np.mean(np.square(window, dtype=np.float64), axis=0)
        return [to_db(math.sqrt(float(e))) for e in energy]


@dataclass(frozen=True)
class Telemetry:
    peak_db: list[float]
    rms_db: list[float]
    latents: list[float]
    underruns: int
    load_mean: float  # render time / block time, mean over recent blocks
    load_peak: float  # the largest over the last LOAD_PEAK_SECONDS of blocks: it decays
    ring_fill: float  # fraction of the ring's capacity
    latency_device_ms: float
    latency_ring_ms: float
    latency_model_ms: float
    model_rate: int
    device_rate: int
    block_frames: int
    model: str
    latent_size: int
    source: str
    model_state: str  # ok, failing or stalled (latentd.engine.health)
    model_errors: int  # blocks a model failed to decode, played as silence
    nonfinite_samples: int  # NaN/inf samples from a model, played as silence
    uptime: float
    recording: str
    recording_error: str  # why the last recording ended by itself; '' when none did
    # for subscribers (/spectrum, /latent.target, /bias.state, /scale.state, /controls.state,
    # /latent.names in docs/osc.md): what a performer's display needs beyond /status.reply
    spectrum_db: list[float] = field(default_factory=list)
    targets: list[float] = field(default_factory=list)
    biases: list[float] = field(default_factory=list)
    scales: list[float] = field(default_factory=list)
    controls: dict[str, str | float | int] = field(default_factory=dict)
    latent_names: list[str] = field(default_factory=list)
    # the audio input (engine/input_stage.py): '' for none; /meter.input; the input's and the
    # encoder's parts of the input-to-output delay
    input: str = ""
    input_peak_db: list[float] = field(default_factory=list)
    input_rms_db: list[float] = field(default_factory=list)
    latency_input_ms: float = 0.0
    latency_encoder_ms: float = 0.0
    # voices (issue 20): how many play, and per voice what is heard now: its decoded latents,
    # its levels (/voice/<n>/latent.state, /voice/<n>/meter), its pitch in Hz when the model
    # has a pitch dimension (empty when not) and the MIDI note it holds (-1: none)
    voices: int = 1
    voice_latents: list[list[float]] = field(default_factory=list)
    voice_peak_db: list[list[float]] = field(default_factory=list)
    voice_rms_db: list[list[float]] = field(default_factory=list)
    voice_pitch_hz: list[float] = field(default_factory=list)
    voice_notes: list[float] = field(default_factory=list)
    # per voice, what the render thread last applied (/voice/<n>/latent.target, bias.state,
    # scale.state and controls.state: the voice's own controls only, voice_controls())
    voice_targets: list[list[float]] = field(default_factory=list)
    voice_biases: list[list[float]] = field(default_factory=list)
    voice_scales: list[list[float]] = field(default_factory=list)
    voice_controls: list[dict[str, str | float | int]] = field(default_factory=list)

    @property
    def latency_ms(self) -> float:
        return self.latency_device_ms + self.latency_ring_ms + self.latency_model_ms

    def as_dict(self) -> dict[str, object]:
        values = asdict(self)
        values["latency_ms"] = self.latency_ms
        return values


def performer_view(synth: Synth, controls: Controls, spectrum: list[float]) -> dict[str, Any]:
    """The snapshot's fields for a performer's display: the spectrum heard now (computed by
    the caller, at telemetry rate, from the meter's chunks: spectrum.py), the controls as the
    render thread last applied them and the dimensions' names (the model's, else numbers)."""
    voice = controls.voices[0]
    names = synth.describe().get("latent_names")
    if not isinstance(names, list) or len(names) != synth.latent_size:
        names = [str(i) for i in range(synth.latent_size)]
    return {
        "spectrum_db": spectrum,
        "targets": voice.latent.tolist(), "biases": voice.bias.tolist(),
        "scales": voice.scale.tolist(), "latent_names": [str(n) for n in names],
        "controls": controls.state(),
    }


def voice_controls(voice: VoiceState) -> dict[str, str | float | int]:
    """A voice's own controls as ``/voice/<n>/controls.state`` sends them: the pairs of
    ``/controls.state`` (its order and forms) that each voice holds on its own (source,
    glide_ms, gain_db, mute, pan). The shared ones (drift, temperature) are left to the plain
    ``/controls.state``, so a client never reads a shared value as one voice's."""
    return {state_name(name): int(getattr(voice, FIELDS[name])) if name in FLAGS
            else stored_as(name)(getattr(voice, FIELDS[name]))
            for name in STATE_ORDER if name in PER_VOICE}


def voices_view(renderer: Renderer, latents: np.ndarray, levels: VoiceLevels | None
                ) -> dict[str, Any]:
    """The snapshot's per-voice fields from the latents heard now (rows, latent) and the
    voices' levels heard now (the last block's when none is recorded yet)."""
    voices = list(renderer.controls.voices)  # the render thread may resize it meanwhile
    count = len(voices)
    peaks, rms = levels if levels is not None else (renderer.mix.voice_peaks,
                                                   renderer.mix.voice_rms)
    silent = [SILENCE_DB] * renderer.mix.channels

    def level(values: list[list[float]], i: int) -> list[float]:
        return values[i] if i < len(values) else silent

    pitch_map = renderer.pitch_map
    heard = [[float(v) for v in latents[i]] if i < len(latents) else [] for i in range(count)]
    return {
        "voices": count, "voice_latents": heard,
        "voice_peak_db": [level(peaks, i) for i in range(count)],
        "voice_rms_db": [level(rms, i) for i in range(count)],
        "voice_pitch_hz": [] if pitch_map is None else [
            pitch_map.hz(row[pitch_map.dimension]) if row else 0.0 for row in heard],
        "voice_notes": [-1.0 if v.note is None else float(v.note) for v in voices],
        "voice_targets": [v.latent.tolist() for v in voices],
        "voice_biases": [v.bias.tolist() for v in voices],
        "voice_scales": [v.scale.tolist() for v in voices],
        "voice_controls": [voice_controls(v) for v in voices],
    }

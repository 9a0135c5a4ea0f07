"""The voices' audio to the output's channels: per-voice level, equal-power pan, and the mix.

The model decodes every voice in one batched call (renderer.py); this turns its rows into the
channels the device plays, before the output stage's limiter (output_stage.py), which keeps the
sum inside [-1, 1]. Two layouts:

* mixed (default): each voice panned to the first two output channels with an equal-power law
  scaled so that a centred voice keeps its level (gains ``sqrt(2) cos`` and ``sqrt(2) sin`` of
  ``(pan + 1) pi / 4``: 1 and 1 at the centre, sqrt(2) and 0 hard left), so one voice plays
  exactly as it did before voices existed; on a one-channel output the voices are summed;
* one channel per voice (``--voice-outputs``): channel i is voice i (its channels averaged),
  for a multichannel interface or JACK routing; pan does not apply.

A voice's level is its gain, its note gate and its mute together. It moves towards its target
in a straight line that takes VOICE_FADE_MS from unity to silence (from any level to any other
within that long), ramped sample by sample across the blocks, so a note's release, a mute or
a voice coming or going never clicks. A voice that starts (a new voice, or ``/voices`` raised)
fades in from silence; the first block of a renderer starts at the targets.
"""

from __future__ import annotations

import math

import numpy as np

from latentd.engine.controls import VoiceState
from latentd.engine.telemetry import to_db

VOICE_FADE_MS = 10.0  # a voice's level reaches its target within this long (as /mute did)


def pan_gains(pan: float) -> tuple[float, float]:
    """Left and right gains of the equal-power law above: L^2 + R^2 = 2 for every pan."""
    angle = (min(max(pan, -1.0), 1.0) + 1.0) * math.pi / 4
    return (float(np.float32(math.sqrt(2) * math.cos(angle))),
            float(np.float32(math.sqrt(2) * math.sin(angle))))


def voice_level(voice: VoiceState) -> float:
    """Linear level a voice is heading for: gain, note gate and mute."""
    if voice.muted or not math.isfinite(voice.gain_db):
        return 0.0
    return 10.0 ** (min(max(voice.gain_db, -120.0), 24.0) / 20.0) * voice.gate


class VoiceMix:
    """Per renderer: the voices' levels so far, and the mix of each block."""

    def __init__(self, sample_rate: int, channels: int, voice_outputs: bool = False,
                 max_voices: int = 1):
        self.sample_rate = sample_rate
        self.voice_outputs = voice_outputs
        # mixed: mono or stereo (the pipe fits it to the device); per voice: one channel each
        self.channels = max_voices if voice_outputs else min(channels, 2)
        self.levels: list[float] = []  # reached at the end of the last block, per voice
        # per voice: peak and RMS (dBFS) of what it adds to each channel in the last block
        self.voice_peaks: list[list[float]] = []
        self.voice_rms: list[list[float]] = []

    def _ramps(self, voices: list[VoiceState], samples: int) -> list[tuple[float, float]]:
        """(start, end) level per voice for this block, and the levels kept for the next."""
        slope = samples / (self.sample_rate * VOICE_FADE_MS / 1000.0)
        fresh = not self.levels
        ramps = []
        for i, voice in enumerate(voices):
            target = voice_level(voice)
            start = target if fresh else (self.levels[i] if i < len(self.levels) else 0.0)
            step = slope * max(1.0, start, target)
            end = start + min(max(target - start, -step), step)
            ramps.append((start, end))
        self.levels = [end for _, end in ramps]
        return ramps

    def mix(self, audio: np.ndarray, voices: list[VoiceState]) -> np.ndarray:
        """``audio`` (rows, model channels, samples), rows >= len(voices) (rows beyond are idle
        and not heard) -> (samples, self.channels) float32. Never writes into ``audio``."""
        samples = audio.shape[-1]
        ramps = self._ramps(voices, samples)
        if self._plain(audio, voices, ramps):
            # one voice, centred, at unity and not fading: the mix is the model's mono output
            # on every channel. At one frame a block the general path below (level ramps and
            # the per-voice meters, which only several voices send) cost 10% of the default
            # model's decode; a lone voice's level is the output's own /meter anyway.
            out = np.empty((samples, self.channels), np.float32)
            out[:] = audio[0, 0][:, None]
            self.voice_peaks, self.voice_rms = [], []
            return out
        out = np.zeros((samples, self.channels), np.float32)
        peaks: list[list[float]] = []
        rms: list[list[float]] = []
        with np.errstate(over="ignore", invalid="ignore"):  # a model's inf/NaN: silenced later
            for i, (voice, (start, end)) in enumerate(zip(voices, ramps, strict=False)):
                self._add(out, audio[i], voice, start, end, peaks, rms)
        self.voice_peaks, self.voice_rms = peaks, rms
        return out

    def _plain(self, audio: np.ndarray, voices: list[VoiceState],
               ramps: list[tuple[float, float]]) -> bool:
        return (len(voices) == 1 and audio.shape[1] == 1 and not self.voice_outputs
                and ramps[0] == (1.0, 1.0) and voices[0].pan == 0.0)

    def _add(self, out: np.ndarray, row: np.ndarray, voice: VoiceState, start: float,
             end: float, peaks: list[list[float]], rms: list[list[float]]) -> None:
        """Voice row ``row`` (channels, samples) at its level ramp into ``out``; its levels
        appended to ``peaks`` and ``rms``."""
        samples = row.shape[-1]
        i = len(peaks)
        mono = row[0] if len(row) == 1 else row.mean(axis=0)
        if start == end:
            level: float | np.ndarray = start
        else:
            ramp = np.linspace(0.0, 1.0, samples + 1, dtype=np.float32)[1:]
            level = np.float32(start) + np.float32(end - start) * ramp
        peak = float(np.abs(mono).max()) * max(start, end) if samples else 0.0
        energy = float(np.mean(np.square(mono, dtype=np.float64))) * end * end \
            if samples else 0.0
        if self.voice_outputs:
            out[:, i] = mono * level
            gains: tuple[float, ...] = (1.0,)
        elif self.channels == 1:
            out[:, 0] += mono * level
            gains = (1.0,)
        else:
            gains = pan_gains(voice.pan)
            if len(row) == 1:  # a mono model: the voice is placed between the two
                voiced = mono * level
                out[:, 0] += voiced * np.float32(gains[0])
                out[:, 1] += voiced * np.float32(gains[1])
            else:  # a stereo model: its two sides balanced
                out[:, 0] += row[0] * level * np.float32(gains[0])
                out[:, 1] += row[1] * level * np.float32(gains[1])
        peaks.append([to_db(peak * g) for g in gains])
        rms.append([to_db(math.sqrt(max(energy, 0.0)) * g) for g in gains])

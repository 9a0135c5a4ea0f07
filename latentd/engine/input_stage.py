"""The render thread's side of an audio input: the ring drained, channels picked and mixed
down, the input gain, resampling to the model's rate (and to the device's, for the dry
monitor), the input meter.

The input's producer (a device callback, a file's pacing thread: ``audio/input.py``) only
copies into ``ring``; everything here runs on the render thread, once per chunk (``poll``) and
when the input source asks for audio (``take``). An offline input is read here directly, as
fast as the render asks (``latentd render --input``), through the same conversion.

Buffers are bounded: while the source is not ``input`` the converted audio is kept only for
BUFFER_SECONDS, so switching to ``input`` starts from what is being played now.

Live, the encoder is handed whole blocks only, the newest complete one (``take``), so no frame
waits in the input source and the delay cannot grow after a late render step (before, up to
four frames, 93 ms at 44.1 kHz with 1024-sample frames, could pile up and stay: measured 158 ms
against 108 ms reported on JACK, bench/input_latency.py). The audio left over after a block is
captured audio the render step did not use yet; its smallest amount over ALIGN_STEPS takes is
dropped once (``align``), so that a block completes just before the render step that takes it,
and the largest left over since is reported as the input's wait (``wait_seconds``). Aligned so
closely, a block is often still one device period short when its step comes: it is waited for
(``_await_block``, up to WAIT_SECONDS, out of the ring's margin) rather than missed, since a
missed block is heard a frame (23.2 ms) late and the frame before it twice. On JACK at a
256-frame period that took a burst's delay from 45-72 ms to 37-50 ms (bench/input_latency.py).

A wait is paid out of the output ring, so the engine grants it per chunk (``allow_wait``: only
the ring's fill above its usual low point). Without that bound a render thread that always got
its block by waiting followed the input's clock, not the output's: an input running slower
(a file paced by the system clock against JACK's, a busy machine dropping capture time) drained
the output ring into hundreds of underruns in the 60 s soak. Time waited is not render work,
so it is reported apart (``waited_seconds``) and taken out of the render load (which times
only a chunk's last block, so the load still reads high while an input plays).

A producer that writes more than a block at a time (``AudioInput.period_frames``: a 1024-frame
device period and a 256-sample block) leaves several complete blocks at once that are not
late: only blocks beyond that delivery count as behind and are dropped.
"""

from __future__ import annotations

import time
from collections import deque

import numpy as np
import soxr

from latentd.audio.input import AudioInput
from latentd.audio.ring import RingBuffer
from latentd.engine.telemetry import Meter

RING_SECONDS = 1.0  # the input ring: room for a render thread late by this much
BUFFER_SECONDS = 0.25  # converted audio kept while nobody takes it
OFFLINE_READ = 4096  # input frames read per step offline
DRY_OFF_DB = -120.0  # /input/dry at this level (the default) is off
HELD_CONVERSIONS = 64  # conversions over which the resampler's most held back is reported
ALIGN_STEPS = 32  # live takes over which the smallest leftover is judged (and then dropped)
ALMOST_SECONDS = 0.006  # a block missing at most this (one 256-frame period at 44.1 kHz) ...
WAIT_SECONDS = 0.008  # ... is waited for, up to this long, polling every WAIT_POLL_SECONDS
WAIT_POLL_SECONDS = 0.0005


def db_to_gain(db: float) -> float:
    return 0.0 if db <= DRY_OFF_DB else 10 ** (db / 20)


def mix_down(block: np.ndarray, channels: int) -> np.ndarray:
    """(frames, k) -> (frames, channels): as is, one channel copied, or channel i of k summed
    into i % channels and averaged."""
    have = block.shape[1]
    if have == channels:
        return block
    if have == 1:
        return np.repeat(block, channels, axis=1)
    out = np.zeros((len(block), channels), np.float32)
    counts = np.zeros(channels, np.float32)
    for i in range(have):
        out[:, i % channels] += block[:, i]
        counts[i % channels] += 1
    return out / np.maximum(counts, 1)


class InputStage:
    def __init__(self, source: AudioInput, model_rate: int, model_channels: int,
                 device_rate: int, device_channels: int, selected: list[int] | None = None):
        self.source = source
        self.model_rate = model_rate
        self.model_channels = model_channels
        self.device_channels = device_channels
        rate = source.sample_rate
        self.ring = RingBuffer(max(4096, round(RING_SECONDS * rate)), source.channels)
        self.picked = [n - 1 for n in selected] if selected else list(range(source.channels))
        self.gain_db = 0.0
        self.dry_db = DRY_OFF_DB
        self._gain = 1.0  # the gain applied at the end of the last block (ramped to gain_db)
        self._to_model = self._resampler(model_rate, model_channels)
        self._to_device_rate = device_rate
        self._to_device = self._resampler(device_rate, model_channels)
        self.meter = Meter(model_channels, rate)
        self._model = np.zeros((0, model_channels), np.float32)
        self._dry = np.zeros((0, model_channels), np.float32)
        self._keep_model = round(BUFFER_SECONDS * model_rate)
        self._keep_dry = round(BUFFER_SECONDS * device_rate)
        self._ended = False  # offline: the file is done and the resampler flushed
        self.lost_reported = False
        self._leftovers: list[int] = []  # live: model samples left after each block taken
        self.skipped = 0  # live: model samples dropped to keep the delay short
        self.misses = 0  # live: render steps that found no complete block (_await_block)
        self._waited = False  # live: a step found its block incomplete since the last alignment
        self.wait_samples = 0  # live: the most audio left waiting after a take, since aligned
        self._fed = self._made = 0  # frames into the resampler, samples out of it
        self._held: deque[float] = deque(maxlen=HELD_CONVERSIONS)  # model samples held back
        self.wait_budget_seconds = 0.0  # live: how long this chunk's steps may still wait
        self.waited_seconds = 0.0  # live: waited in _await_block, in all (not render work)

    def _resampler(self, rate: int, channels: int) -> soxr.ResampleStream | None:
        """From the input's rate to ``rate`` (None when they are equal). Live, soxr's
        variable-rate engine (``vr``): it holds back a constant 5.0 ms from 48 to 44.1 kHz,
        where the fixed-rate one holds 2.4 to 19 ms by where its blocks fall (measured), which
        would also make the blocks arrive unevenly. Offline, the fixed-rate one, which
        ``latentd render``'s exactness against the model's own encode rests on."""
        source = self.source.sample_rate
        return None if source == rate else soxr.ResampleStream(
            source, rate, channels, dtype="float32", quality="HQ", vr=self.source.realtime)

    def retarget(self, model_rate: int, model_channels: int) -> None:
        """A model of another rate or channel count now plays: convert to it from here on
        (what was buffered for the old one is dropped)."""
        rate = self.source.sample_rate
        self.model_rate, self.model_channels = model_rate, model_channels
        self._to_model = self._resampler(model_rate, model_channels)
        self._to_device = self._resampler(self._to_device_rate, model_channels)
        self.meter = Meter(model_channels, rate)
        self._model = np.zeros((0, model_channels), np.float32)
        self._dry = np.zeros((0, model_channels), np.float32)
        self._keep_model = round(BUFFER_SECONDS * model_rate)
        self._leftovers, self.wait_samples = [], 0
        self._fed = self._made = 0
        self._held.clear()

    # ----------------------------------------------------------------- state
    @property
    def ok(self) -> bool:
        return self.source.state == "ok"

    def describe(self) -> str:
        return self.source.describe()

    def start(self) -> None:
        if self.source.realtime:
            self.source.start(self.ring)

    def stop(self) -> None:
        self.source.close()

    def latency_seconds(self) -> float:
        """The input's own part of the input-to-output delay: the device's capture latency,
        the resampler's (measured) and the longest a completed block waited for its render step
        (the block the encoder fills and the encoder's own frames are counted elsewhere)."""
        resampler = max(self._held, default=0.0) / self.model_rate  # measured: soxr HQ holds
        # back 2.5 to 19 ms from 48 to 44.1 kHz in streaming mode, by where its blocks fall
        return self.source.latency + resampler + self.wait_samples / self.model_rate

    # ----------------------------------------------------------------- conversion
    def _convert(self, block: np.ndarray, last: bool = False) -> None:
        picked = block if len(self.picked) == block.shape[1] and \
            self.picked == list(range(block.shape[1])) else block[:, self.picked]
        audio = mix_down(np.ascontiguousarray(picked, dtype=np.float32), self.model_channels)
        target = db_to_gain(self.gain_db) if self.gain_db > DRY_OFF_DB else 0.0
        if len(audio):
            if target == self._gain:
                audio = audio * np.float32(target)
            else:  # a gain change ramps over the block: no click
                ramp = np.linspace(self._gain, target, len(audio), dtype=np.float32)
                audio = audio * ramp[:, None]
                self._gain = target
            self.meter.add(audio)
        resampled = audio if self._to_model is None else \
            self._to_model.resample_chunk(audio, last=last)
        self._fed += len(audio)
        self._made += len(resampled)
        self._held.append(self._fed * self.model_rate / self.source.sample_rate - self._made)
        self._model = np.concatenate([self._model, resampled]) if len(self._model) \
            else resampled
        if self.dry_db > DRY_OFF_DB and self.source.realtime:
            dry = audio if self._to_device is None else self._to_device.resample_chunk(audio)
            self._dry = np.concatenate([self._dry, dry])[-self._keep_dry:]
        else:
            self._dry = self._dry[:0]

    def poll(self) -> None:
        """Render thread, once per chunk: move what the input captured into the buffers
        (so the meter and the dry monitor follow it even while another source plays)."""
        if not self.source.realtime:
            return
        count = self.ring.fill
        if count:
            block = np.empty((count, self.ring.channels), np.float32)
            self.ring.read_into(block)
            self._convert(block)
        if len(self._model) > self._keep_model:
            self._model = self._model[-self._keep_model:]

    def take(self, samples: int) -> np.ndarray:
        """Model-rate audio (samples, model channels) for the encoder: live, the newest
        complete block of ``samples`` (older complete blocks dropped: a render step fell
        behind) or nothing when none is complete yet; offline, exactly ``samples`` (silence
        after the end of the file)."""
        if self.source.realtime:
            self.poll()
            self._await_block(samples)
            return self._newest_block(samples)
        else:
            while len(self._model) < samples and not self._ended:
                block = self.source.read(OFFLINE_READ)
                self._ended = len(block) == 0
                self._convert(block, last=self._ended)
            if len(self._model) < samples:
                pad = np.zeros((samples - len(self._model), self.model_channels), np.float32)
                self._model = np.concatenate([self._model, pad])
            out, self._model = self._model[:samples], self._model[samples:]
            return out

    def _await_block(self, samples: int) -> None:
        """Live: a block short by at most ALMOST_SECONDS (its last device period is due) is
        waited for, up to WAIT_SECONDS and what is left of ``wait_budget_seconds``, polling;
        a block that misses its render step is played one frame late and the frame before it
        twice. Counted in ``misses``."""
        missing = samples - len(self._model)
        if missing <= 0:
            return
        self._waited = True
        allowed = min(WAIT_SECONDS, self.wait_budget_seconds)
        if missing <= ALMOST_SECONDS * self.model_rate and allowed > 0:
            started = time.monotonic()
            deadline = started + allowed
            while missing > 0 and self.ok and time.monotonic() < deadline:
                time.sleep(WAIT_POLL_SECONDS)
                self.poll()
                missing = samples - len(self._model)
            waited = time.monotonic() - started
            self.waited_seconds += waited
            self.wait_budget_seconds = max(0.0, self.wait_budget_seconds - waited)
        if missing > 0:
            self.misses += 1

    def _newest_block(self, samples: int) -> np.ndarray:
        """Live: the newest complete block of ``samples`` from the buffer, and the alignment
        (module docstring)."""
        have = len(self._model)
        if samples <= 0 or have < samples:
            return self._model[:0]
        arriving = self.source.period_frames * self.model_rate // self.source.sample_rate
        on_time = max(0, arriving - samples)  # more than a block may come at once, not late
        behind = max(0, have - samples - on_time) // samples * samples  # a late step's blocks
        out = self._model[behind: behind + samples]
        self._model = self._model[behind + samples:]
        self.skipped += behind
        self._align(len(self._model))
        return out

    def _align(self, leftover: int) -> None:
        """Once per ALIGN_STEPS takes: drop the smallest leftover seen (that much of every
        take's audio waited for nothing), and remember the largest as the input's wait.
        Nothing is dropped when a step of those found its block incomplete (``_await_block``):
        its block already completes after its step comes, and dropping more would only make the
        steps wait longer, out of the ring's margin, until one misses (measured: the delay
        crept down 39, 37 ... 32 ms, then jumped to 74)."""
        self._leftovers.append(leftover)
        if len(self._leftovers) < ALIGN_STEPS:
            self.wait_samples = max(self.wait_samples, leftover)
            return
        slack = 0 if self._waited else min(self._leftovers)
        self.wait_samples = max(self._leftovers) - min(self._leftovers)
        self._leftovers, self._waited = [], False
        if slack:
            self._model = self._model[slack:]
            self.skipped += slack

    def mix_dry(self, chunk: np.ndarray) -> np.ndarray:
        """``chunk`` (frames, device channels) with the dry input added at ``dry_db`` (a new
        array; ``chunk`` itself when the monitor is off or has nothing yet), kept in [-1, 1].
        More than a chunk left waiting after it (a render step fell behind: capture went on)
        is dropped down to half a chunk, oldest first, so the monitor's delay cannot stay
        raised: it kept 0.25 s after a burst of underruns (bench/input_latency.py's dry pass)."""
        if self.dry_db <= DRY_OFF_DB or not len(self._dry):
            return chunk
        count = min(len(chunk), len(self._dry))
        dry, self._dry = self._dry[:count], self._dry[count:]
        if len(self._dry) > len(chunk):  # half a chunk stays: capture comes a period at a time
            self._dry = self._dry[-(len(chunk) // 2):]
        if dry.shape[1] != chunk.shape[1]:
            dry = np.repeat(dry.mean(axis=1, keepdims=True), chunk.shape[1], axis=1)
        out = chunk.copy()
        out[:count] += np.float32(db_to_gain(self.dry_db)) * dry
        np.clip(out, -1.0, 1.0, out=out)
        return out

    def levels(self) -> tuple[list[float], list[float]]:
        """``/meter.input``: peak and RMS dBFS per channel over the last 50 ms captured."""
        return self.meter.peak_db(), self.meter.rms_db()

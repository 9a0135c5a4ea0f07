"""``latentd dataset gm``: notes and short phrases rendered from a General MIDI SoundFont.

FluidR3_GM (Debian's fluid-soundfont-gm) holds real recorded instrument samples, so a model
trained on its renders learns real timbres without any download. Each clip is one small MIDI file
(written with mido) rendered by the fluidsynth command line, dry (reverb and chorus off) so that
note ends are the instrument's own release. The plan of clips comes from one seeded RNG, so the
same seed, SoundFont and fluidsynth give the same dataset.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from latentd.train.audio_files import (
    active_range,
    fade_out,
    import_or_explain,
    read_mono,
    resample,
    write_wav,
)
from latentd.train.errors import DatasetError
from latentd.train.manifest import assign_splits, prepare_output, write_manifest
from latentd.train.progress import Progress

DEFAULT_SOUNDFONT = "/usr/share/sounds/sf2/FluidR3_GM.sf2"
TICKS_PER_BEAT = 480
TEMPO = 500_000  # microseconds per beat: 120 bpm, so one second is 960 ticks
TICKS_PER_SECOND = TICKS_PER_BEAT * 1_000_000 // TEMPO
LEAD_IN_S = 0.02
RELEASE_S = 1.5  # rendered after the last note off, then trimmed at the fade to silence
MAX_CLIP_S = 4.0
SILENCE_DB = -60.0
PEAK_LIMIT = 0.98


@dataclass(frozen=True)
class Instrument:
    """A GM program (0-based) with the pitch range where the SoundFont sounds like it."""

    family: str
    program: int
    name: str
    low: int
    high: int
    harmonic: bool = True  # False for bells, whose partials have no single pitch


INSTRUMENTS: tuple[Instrument, ...] = (
    Instrument("keys", 0, "Acoustic Grand Piano", 33, 96),
    Instrument("keys", 4, "Electric Piano 1", 36, 96),
    Instrument("keys", 6, "Harpsichord", 41, 89),
    Instrument("mallets", 11, "Vibraphone", 53, 89),
    Instrument("mallets", 12, "Marimba", 45, 96),
    Instrument("mallets", 13, "Xylophone", 65, 100),
    Instrument("mallets", 14, "Tubular Bells", 60, 77, harmonic=False),
    Instrument("organ", 16, "Drawbar Organ", 36, 96),
    Instrument("organ", 19, "Church Organ", 36, 96),
    Instrument("organ", 21, "Accordion", 53, 89),
    Instrument("guitar", 24, "Acoustic Guitar (nylon)", 40, 84),
    Instrument("guitar", 25, "Acoustic Guitar (steel)", 40, 84),
    Instrument("guitar", 27, "Electric Guitar (clean)", 40, 86),
    Instrument("bass", 32, "Acoustic Bass", 28, 55),
    Instrument("bass", 33, "Electric Bass (finger)", 28, 60),
    Instrument("strings", 40, "Violin", 55, 100),
    Instrument("strings", 41, "Viola", 48, 88),
    Instrument("strings", 42, "Cello", 36, 76),
    Instrument("strings", 45, "Pizzicato Strings", 36, 84),
    Instrument("strings", 46, "Orchestral Harp", 36, 96),
    Instrument("strings", 48, "String Ensemble 1", 36, 96),
    Instrument("voice", 52, "Choir Aahs", 48, 79),
    Instrument("voice", 53, "Voice Oohs", 48, 79),
    Instrument("brass", 56, "Trumpet", 55, 84),
    Instrument("brass", 57, "Trombone", 40, 72),
    Instrument("brass", 60, "French Horn", 41, 77),
    Instrument("brass", 61, "Brass Section", 40, 84),
    Instrument("reeds", 65, "Alto Sax", 49, 81),
    Instrument("reeds", 68, "Oboe", 58, 91),
    Instrument("reeds", 70, "Bassoon", 34, 72),
    Instrument("reeds", 71, "Clarinet", 50, 91),
    Instrument("pipes", 72, "Piccolo", 74, 102),
    Instrument("pipes", 73, "Flute", 60, 96),
    Instrument("pipes", 74, "Recorder", 60, 91),
    Instrument("pipes", 75, "Pan Flute", 60, 96),
    Instrument("pads", 88, "Pad 1 (new age)", 36, 84),
    Instrument("pads", 89, "Pad 2 (warm)", 36, 84),
    Instrument("pads", 91, "Pad 4 (choir)", 36, 84),
    Instrument("pads", 94, "Pad 7 (halo)", 36, 84),
)

FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(i.family for i in INSTRUMENTS))
NOTE_SECONDS = (0.12, 1.8)  # log-uniform, from staccato to held
SCALES = {"major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 10),
          "pentatonic": (0, 2, 4, 7, 9)}


@dataclass(frozen=True)
class Note:
    start: float
    duration: float
    pitch: int
    velocity: int


@dataclass
class PlannedClip:
    """One planned clip: what to play, and the manifest entry it will produce."""

    index: int
    kind: str  # "note" or "phrase"
    instrument: Instrument
    notes: list[Note] = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.kind == "note":
            n = self.notes[0]
            tail = f"n{n.pitch}_v{n.velocity}"
        else:
            tail = "phrase"
        return f"{self.index:04d}_{self.instrument.family}_p{self.instrument.program}_{tail}"

    def entry(self) -> dict[str, Any]:
        single = self.notes[0] if self.kind == "note" else None
        return {
            "kind": self.kind,
            "family": self.instrument.family,
            "program": self.instrument.program,
            "instrument": self.instrument.name,
            "pitch": single.pitch if single else None,
            "velocity": single.velocity if single else None,
            "note_seconds": round(single.duration, 4) if single else None,
            "harmonic": bool(single and self.instrument.harmonic),
            "notes": [[round(n.start, 4), round(n.duration, 4), n.pitch, n.velocity]
                      for n in self.notes],
        }


def _velocity(rng: random.Random) -> int:
    return rng.randint(36, 127)


def _note_clip(index: int, instrument: Instrument, rng: random.Random) -> PlannedClip:
    low, high = NOTE_SECONDS
    duration = float(np.exp(rng.uniform(np.log(low), np.log(high))))
    pitch = rng.randint(instrument.low, instrument.high)
    notes = [Note(LEAD_IN_S, duration, pitch, _velocity(rng))]
    return PlannedClip(index, "note", instrument, notes)


def _phrase_clip(index: int, instrument: Instrument, rng: random.Random) -> PlannedClip:
    """A few notes of a scale: steps and leaps, legato or detached, now and then a dyad."""
    scale = SCALES[rng.choice(sorted(SCALES))]
    root = rng.randint(instrument.low, max(instrument.low, instrument.high - 12))
    pool = [p for octave in range(-2, 4) for p in (root + 12 * octave + s for s in scale)
            if instrument.low <= p <= instrument.high]
    position = rng.randrange(len(pool))
    beat = rng.choice((0.18, 0.25, 0.33))
    legato = rng.random() < 0.5
    velocity = _velocity(rng)
    time, notes = LEAD_IN_S, []
    for _ in range(rng.randint(3, 8)):
        length = beat * rng.choice((1, 1, 2, 3))
        held = length * (1.0 if legato else rng.uniform(0.4, 0.8))
        notes.append(Note(time, held, pool[position], velocity))
        if rng.random() < 0.15:
            above = min(len(pool) - 1, position + 2)
            if above != position:
                notes.append(Note(time, held, pool[above], velocity))
        time += length
        position = min(len(pool) - 1, max(0, position + rng.choice((-2, -1, -1, 1, 1, 2, 3))))
        velocity = min(127, max(30, velocity + rng.randint(-12, 12)))
    return PlannedClip(index, "phrase", instrument, notes)


def plan(count: int, seed: int, phrase_fraction: float = 0.3) -> list[PlannedClip]:
    """``count`` clips spread evenly over families, then over each family's programs."""
    rng = random.Random(seed)
    by_family = {f: [i for i in INSTRUMENTS if i.family == f] for f in FAMILIES}
    clips = []
    for index in range(count):
        family = FAMILIES[index % len(FAMILIES)]
        programs = by_family[family]
        instrument = programs[(index // len(FAMILIES)) % len(programs)]
        if rng.random() < phrase_fraction:
            clips.append(_phrase_clip(index, instrument, rng))
        else:
            clips.append(_note_clip(index, instrument, rng))
    return clips


def write_midi(clip: PlannedClip, path: Path) -> None:
    """A type-0 MIDI file on channel 0 (never 9, the drum channel).

    A harmless controller event sits ``RELEASE_S`` after the last note off: fluidsynth stops
    rendering when the file ends, and this keeps the release tail in the render.
    """
    mido = import_or_explain("mido", "mido")
    events: list[tuple[int, int, Any]] = []  # (tick, order, message); note offs sort first
    for note in clip.notes:
        on = round(note.start * TICKS_PER_SECOND)
        off = max(on + 1, round((note.start + note.duration) * TICKS_PER_SECOND))
        events.append((on, 1, mido.Message("note_on", note=note.pitch, velocity=note.velocity)))
        events.append((off, 0, mido.Message("note_off", note=note.pitch, velocity=64)))
    end = max(t for t, _, _ in events) + round(RELEASE_S * TICKS_PER_SECOND)
    events.append((end, 2, mido.Message("control_change", control=110, value=0)))
    events.sort(key=lambda e: (e[0], e[1]))
    midi = mido.MidiFile(type=0, ticks_per_beat=TICKS_PER_BEAT)
    track = mido.MidiTrack()
    midi.tracks.append(track)
    track.append(mido.MetaMessage("set_tempo", tempo=TEMPO, time=0))
    track.append(mido.Message("program_change", program=clip.instrument.program, time=0))
    now = 0
    for tick, _, message in events:
        track.append(message.copy(time=tick - now))
        now = tick
    midi.save(str(path))


def fluidsynth_path() -> str:
    path = shutil.which("fluidsynth")
    if path is None:
        raise DatasetError("fluidsynth not found (Debian: apt-get install fluidsynth "
                           "fluid-soundfont-gm)")
    return path


def render(clip: PlannedClip, soundfont: Path, rate: int, gain: float, workdir: Path) -> np.ndarray:
    """Render one clip to mono float32 at ``rate``, trimmed where it fades below -60 dBFS."""
    midi = workdir / f"{clip.name}.mid"
    wav = workdir / f"{clip.name}.wav"
    write_midi(clip, midi)
    command = [fluidsynth_path(), "-ni", "-q", "-R", "0", "-C", "0", "-g", str(gain),
               "-r", str(rate), "-O", "float", "-T", "wav", "-F", str(wav),
               str(soundfont), str(midi)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0 or not wav.is_file():
        raise DatasetError(f"fluidsynth failed on {clip.name} ({done.returncode}): "
                           f"{(done.stderr or done.stdout).strip()[-400:]}")
    audio, got = read_mono(wav)
    audio = resample(audio, got, rate)  # fluidsynth honours -r; this only guards a mismatch
    midi.unlink()
    wav.unlink()
    _, end = active_range(audio, rate, SILENCE_DB)
    end = min(max(end, int(rate * (clip.notes[-1].start + 0.05))), int(rate * MAX_CLIP_S))
    return fade_out(audio[:end], rate)


def build(soundfont: str | Path, output: str | Path, *, seed: int = 0, count: int = 720,
          rate: int = 44100, test_fraction: float = 0.1, gain: float = 2.0, jobs: int = 2,
          log: Callable[[str], None] = print) -> Path:
    """Plan, render and split; returns the manifest path. Existing clips are overwritten."""
    soundfont = Path(soundfont)
    if not soundfont.is_file():
        raise DatasetError(f"{soundfont}: SoundFont not found (Debian: fluid-soundfont-gm "
                           f"installs {DEFAULT_SOUNDFONT})")
    fluidsynth_path()
    output = Path(output)
    prepare_output(output)
    clips = plan(count, seed)
    splits = assign_splits([c.instrument.family for c in clips], test_fraction, seed)
    log(f"rendering {count} clips ({sum(s == 'test' for s in splits)} held out) from "
        f"{soundfont.name} at {rate} Hz into {output}")
    progress = Progress(count, "rendered")
    entries: list[dict[str, Any]] = [{} for _ in clips]
    with tempfile.TemporaryDirectory(prefix="latentd-gm-") as scratch:

        def one(index: int) -> None:
            clip, split = clips[index], splits[index]
            audio = render(clip, soundfont, rate, gain, Path(scratch))
            peak = float(np.abs(audio).max()) if len(audio) else 0.0
            scale = PEAK_LIMIT / peak if peak > PEAK_LIMIT else 1.0
            relative = f"{split}/{clip.name}.wav"
            write_wav(output / relative, audio * scale, rate)
            entries[index] = {"path": relative, "split": split,
                              "seconds": round(len(audio) / rate, 4),
                              "peak": round(peak * scale, 4), "scaled": round(scale, 4),
                              **clip.entry()}
            progress.advance(clip.name)

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for future in [pool.submit(one, i) for i in range(count)]:
                future.result()
    return write_manifest(output, entries, source="gm", seed=seed, sample_rate=rate,
                          soundfont=soundfont.name, gain=gain, test_fraction=test_fraction,
                          families=list(FAMILIES))

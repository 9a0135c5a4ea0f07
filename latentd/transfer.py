"""``latentd render MODEL --input IN -o OUT``: timbre transfer of a file, offline, through the
engine path live input takes (input stage: channels, gain, resampling to the model's rate;
the input source: the model's streaming encoder, block by block; then ``* scale + bias``, glide,
the streaming decoder and the output stage).

The output has the input's length and lines up with it: the encoder's and the decoder's
latencies are rendered first and trimmed, and the file's end is followed by silence until the
last input sample has come out. With the default glide of 0 and no gain, the result equals the
model's own offline encode -> decode of the same audio (tests/test_render.py). A folder in
gives a folder out: each sound file in it becomes ``OUT/<stem>.wav``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import soundfile

from latentd.errors import UsageError

PROGRESS_SECONDS = 1.0  # audio rendered between progress updates
LONG_SECONDS = 10.0  # files longer than this show progress


class TransferError(UsageError, ValueError):
    """Arguments or files that cannot make a transfer (exit status 2)."""


def sound_files(folder: Path) -> list[Path]:
    """The files in ``folder`` soundfile can read, by name."""
    found = []
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        try:
            soundfile.info(str(path))
        except Exception:
            continue
        found.append(path)
    return found


def progress_printer(name: str) -> Callable[[float], None]:
    """A bar on a terminal (stderr, redrawn in place), plain percentages otherwise."""
    tty = sys.stderr.isatty()
    shown = [-1]

    def show(fraction: float) -> None:
        percent = int(100 * fraction)
        if percent == shown[0] or (not tty and percent % 10 and percent < 100):
            return
        shown[0] = percent
        if tty:
            bar = "#" * (percent // 4)
            end = "\n" if percent >= 100 else ""
            sys.stderr.write(f"\r{name} [{bar:<25}] {percent:3d}%{end}")
        else:
            sys.stderr.write(f"{name}: {percent}%\n")
        sys.stderr.flush()

    return show


def transfer_file(model: str, source: Path, output: Path, *, channels: list[int] | None = None,
                  gain_db: float = 0.0, glide_ms: float = 0.0, block_frames: int = 1,
                  threads: int = 1, progress: bool = True) -> float:
    """Transfer one file; returns its length in seconds."""
    import torch

    from latentd.audio.input import InputError
    from latentd.audio.wav_input import WavInput
    from latentd.audio.wavfile import WavBackend
    from latentd.engine.controls import Event
    from latentd.engine.engine import Engine, EngineSettings
    from latentd.models.registry import load_synth

    synth = load_synth(model)
    if not synth.can_encode:
        raise TransferError(f"model '{synth.name}' cannot encode (its methods: "
                            f"{', '.join(synth.methods)}), so it cannot transfer audio")
    try:
        audio_input = WavInput(source, loop=False, realtime=False, selected=channels)
    except InputError as exc:
        raise TransferError(str(exc)) from exc
    seconds = audio_input.frames / audio_input.sample_rate
    length = round(seconds * synth.sample_rate)  # the input's length, at the model's rate
    backend = WavBackend(output, synth.sample_rate, synth.channels, 512)
    engine = Engine(synth, backend, EngineSettings(block_frames=block_frames,
                                                   torch_threads=threads, realtime_priority=0))
    engine.set_input(audio_input, channels)
    engine.pipe.renderer.begin_with("input", glide_ms)
    engine.post(Event("gain", (gain_db,)))
    torch.manual_seed(0)
    encoder = int(getattr(synth, "encode_latency", 0))
    skip = (encoder + synth.latency) / synth.sample_rate
    show = progress_printer(source.name) if progress and seconds >= LONG_SECONDS else None
    engine.start()
    try:
        done = 0
        while done < length:
            step = min(round(PROGRESS_SECONDS * synth.sample_rate), length - done)
            engine.render_offline(step / synth.sample_rate, skip_seconds=skip)
            done, skip = done + step, 0.0
            if show is not None:
                show(done / length)
    finally:
        engine.stop(fade_seconds=0)
    return seconds


def transfer(model: str, source: Path, output: Path,
             log: Callable[[str], None] | None = None, **options: object) -> list[Path]:
    """A file to a file, or a folder to a folder; returns the files written."""
    if source.is_dir():
        if output.exists() and not output.is_dir():
            raise TransferError(f"--input {source} is a folder, so -o must be a folder; "
                                f"{output} is a file")
        files = sound_files(source)
        if not files:
            raise TransferError(f"no sound files in {source}")
        output.mkdir(parents=True, exist_ok=True)
        pairs = [(path, output / f"{path.stem}.wav") for path in files]
    else:
        if not source.exists():
            raise TransferError(f"input {source} does not exist")
        if output.is_dir():
            output = output / f"{source.stem}.wav"
        elif output.parent and not output.parent.is_dir():
            raise TransferError(f"cannot write {output}: folder {output.parent} does not "
                                "exist")
        pairs = [(source, output)]
    written = []
    for path, out in pairs:
        seconds = transfer_file(model, path, out, **options)  # type: ignore[arg-type]
        if log is not None:
            log(f"wrote {out} ({seconds:.2f} s, from {path})")
        written.append(out)
    return written

"""``latentd dataset gm|wav`` and ``latentd train``.

Heavy imports (torch training code, soundfile, mido) happen inside the commands, so registering
them costs the rest of the CLI nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from latentd.train.audio import DatasetError


def dataset_gm_command(args: argparse.Namespace) -> int:
    from latentd.train.gm import build

    manifest = build(args.soundfont, args.output, seed=args.seed, count=args.count,
                     rate=args.sample_rate, test_fraction=args.test_fraction, gain=args.gain,
                     jobs=args.jobs)
    print(f"wrote {manifest}")
    return 0


def dataset_wav_command(args: argparse.Namespace) -> int:
    from latentd.train.wavfolder import build

    manifest = build(args.source, args.output, seed=args.seed, rate=args.sample_rate,
                     seconds=args.chunk_seconds, test_fraction=args.test_fraction)
    print(f"wrote {manifest}")
    return 0


def train_command(args: argparse.Namespace) -> int:
    from latentd.train.trainer import TrainOptions, train

    options = TrainOptions(
        data=args.data, output=args.output, preset=args.config, max_minutes=args.max_minutes,
        max_steps=args.max_steps, resume=args.resume, threads=args.threads,
        save_minutes=args.save_minutes, log_seconds=args.log_seconds, seed=args.seed,
        adversarial=args.adversarial, adversarial_start=args.adversarial_start,
        batch_size=args.batch_size, learning_rate=args.learning_rate)
    train(options)
    return 0


def _guard(run):  # type: ignore[no-untyped-def]
    """Dataset errors print as one line and exit 1, like the CLI's ModelError."""

    def wrapped(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except DatasetError as exc:
            print(f"latentd: error: {exc}", file=sys.stderr)
            return 1

    return wrapped


def add_commands(commands: argparse._SubParsersAction) -> None:
    from latentd.train.presets import PRESETS

    dataset = commands.add_parser("dataset", help="build a training dataset (train/ and test/)")
    kinds = dataset.add_subparsers(dest="kind", required=True)
    gm = kinds.add_parser("gm", help="render notes and phrases from a General MIDI SoundFont")
    gm.add_argument("--soundfont", type=Path, default=Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"),
                    help="the .sf2 file (default: Debian fluid-soundfont-gm's FluidR3_GM)")
    gm.add_argument("--count", type=int, default=720, help="clips to render (default 720)")
    gm.add_argument("--gain", type=float, default=2.0, help="fluidsynth master gain (default 2)")
    gm.add_argument("--jobs", type=int, default=2, help="fluidsynth processes at once")
    wav = kinds.add_parser("wav", help="chunk and split any folder of audio files")
    wav.add_argument("source", type=Path, help="folder of audio files (searched recursively)")
    wav.add_argument("--chunk-seconds", type=float, default=4.0, help="clip length (default 4)")
    for parser in (gm, wav):
        parser.add_argument("-o", "--output", type=Path, required=True, help="dataset folder")
        parser.add_argument("--seed", type=int, default=0, help="plan and split seed")
        parser.add_argument("--sample-rate", type=int, default=44100, help="output rate")
        parser.add_argument("--test-fraction", type=float, default=0.1,
                            help="held-out share (default 0.1)")
    gm.set_defaults(run=_guard(dataset_gm_command))
    wav.set_defaults(run=_guard(dataset_wav_command))

    train = commands.add_parser("train", help="train a latentd model on a dataset (CPU)")
    train.add_argument("--data", type=Path, required=True, help="dataset folder (manifest.json)")
    train.add_argument("-o", "--output", type=Path, required=True, help="checkpoint to write")
    train.add_argument("--config", choices=sorted(PRESETS), default="default",
                       help="model and training preset (default: default)")
    train.add_argument("--max-minutes", type=float, default=None,
                       help="stop (and save) after this many minutes of this run")
    train.add_argument("--max-steps", type=int, default=None, help="stop at this total step")
    train.add_argument("--resume", action="store_true",
                       help="continue from --output (weights, optimizer, step)")
    train.add_argument("--threads", type=int, default=2,
                       help="torch CPU threads (default 2; on a busy machine set "
                       "OMP_WAIT_POLICY=PASSIVE, or spinning threads waste the cores)")
    train.add_argument("--save-minutes", type=float, default=5.0,
                       help="checkpoint every this many minutes (default 5)")
    train.add_argument("--log-seconds", type=float, default=30.0,
                       help="print losses at most this often (default 30)")
    train.add_argument("--seed", type=int, default=0, help="initialisation and batch seed")
    train.add_argument("--adversarial", action="store_true",
                       help="adversarial fine-tuning from now on (discriminator, hinge loss)")
    train.add_argument("--adversarial-start", type=int, default=None,
                       help="switch adversarial fine-tuning on at this step")
    train.add_argument("--batch-size", type=int, default=None, help="override the preset")
    train.add_argument("--learning-rate", type=float, default=None, help="override the preset")
    train.set_defaults(run=_guard(train_command))

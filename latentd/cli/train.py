"""``latentd dataset gm|wav``, ``train``, ``latent-stats``, ``train-prior``, ``evaluate``,
``probe``.

The training code proper (trainer, evaluation, prior; soundfile, mido) is imported inside the
commands; registering needs only ``TrainOptions``, whose fields are ``latentd train``'s flags
(``latentd.cli.flags``), and the recipe names.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from latentd.cli.argtypes import odd_steps, positive
from latentd.cli.flags import add_flags, from_flags
from latentd.errors import UsageError
from latentd.train.device import DEVICE_HELP, device_name, resolve_device
from latentd.train.options import TrainOptions

if TYPE_CHECKING:  # imported inside the commands at run time (see above)
    from latentd.models.rave import RaveModel
    from latentd.train.splits import DatasetClip


def dataset_gm_command(args: argparse.Namespace) -> int:
    from latentd.train.dataset_gm import build

    manifest = build(args.soundfont, args.output, seed=args.seed, count=args.count,
                     rate=args.sample_rate, test_fraction=args.test_fraction, gain=args.gain,
                     jobs=args.jobs)
    print(f"wrote {manifest}")
    return 0


def dataset_wav_command(args: argparse.Namespace) -> int:
    from latentd.train.dataset_wav import build

    manifest = build(args.source, args.output, seed=args.seed, rate=args.sample_rate,
                     seconds=args.chunk_seconds, test_fraction=args.test_fraction)
    print(f"wrote {manifest}")
    return 0


def _variance_share(text: str) -> float:
    """``--fidelity``: the share of the latents' variance the principal axes keep."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a share like 0.99, got {text!r}") from None
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"fidelity must be in (0, 1], got {text!r}")
    return value


def train_command(args: argparse.Namespace) -> int:
    from latentd.train.trainer import train

    train(from_flags(TrainOptions, args))
    return 0


def _latentd_checkpoint(name: str) -> tuple[Path, RaveModel, dict[str, Any]]:
    """A latentd checkpoint by name or path (evaluation needs the architecture, which nn~
    TorchScript exports do not carry)."""
    from latentd.models.checkpoint import load_model
    from latentd.models.registry import resolve
    from latentd.models.synth import ModelError
    from latentd.models.torchscript import is_torchscript_archive

    path = resolve(name)
    if is_torchscript_archive(path):
        raise ModelError(f"{path}: a TorchScript export; this needs a latentd checkpoint (.ckpt)")
    model, payload = load_model(path)
    return path, model, payload


def _write_json(path: Path | None, payload: dict[str, Any]) -> None:
    if path is not None:
        path.write_text(json.dumps(payload, indent=1, default=float) + "\n")
        print(f"wrote {path}")


def evaluate_command(args: argparse.Namespace) -> int:
    import torch

    from latentd.train.evaluate import evaluate, format_report
    from latentd.train.splits import read_split

    torch.set_num_threads(max(1, args.threads))
    path, model, checkpoint = _latentd_checkpoint(args.model)
    model.to(resolve_device(args.device))
    clips = read_split(args.data, args.split, model.config.sample_rate, args.limit)
    data = str(Path(args.data) / args.split)
    print(f"evaluating {path} on {len(clips)} {args.split} clips", flush=True)
    # encode then decode in raw units: user units are an affine the round trip cancels
    result = evaluate(model, clips, name=path.stem, data=data, seed=args.seed)
    print(format_report(result))
    payload = result.to_json()
    if args.dimensions:
        payload["dimensions"] = _sweep_dimensions(model, checkpoint, clips, args)
    _write_json(args.json, payload)
    return 1 if args.check and not all(result.verdicts().values()) else 0


def _sweep_dimensions(model: RaveModel, checkpoint: dict[str, Any], clips: list[DatasetClip],
                      args: argparse.Namespace) -> list[dict[str, Any]]:
    """Sweep each latent dimension (or user axis), print the table and return it for JSON."""
    from latentd.models.latents import LatentStats
    from latentd.models.synth import ModelError
    from latentd.train.probe import format_sweeps, posterior_frames, sweep, sweep_user_axes

    stats = LatentStats.from_checkpoint(checkpoint)
    units = "user units" if stats is not None else "raw units"
    if args.centre == "stats" and stats is None:
        raise ModelError(f"{args.model}: has no latent stats to centre on; run `latentd "
                         "latent-stats` or use --centre held-out")
    if stats is not None and args.centre != "held-out":
        axes = "" if stats.basis is None else ", along its principal axes"
        print(f"latent dimensions: each swept over ±{args.width:g} in user units (0 = the "
              f"typical sound, 1 = one std of {stats.metadata.get('frames', '?')} sounding "
              f"train frames{axes}), the others held at 0")
        around = "the train split's sounding frames"
        sweeps = sweep_user_axes(model, stats, steps=args.steps, width=args.width,
                                 seed=args.seed)
    else:
        frames = posterior_frames(model, clips)
        centre, spread = frames.mean(dim=0), frames.std(dim=0)
        per_dimension = stats if stats is not None and stats.basis is None else None
        units = "user units" if per_dimension is not None else "raw units"
        print(f"latent dimensions: each swept over its posterior mean ± {args.width:g} std "
              f"({len(frames)} sounding held-out frames), the others held at their mean "
              f"(values in {units})")
        around = "the held-out posterior"
        sweeps = sweep(model, centre, spread, steps=args.steps, width=args.width,
                       seed=args.seed, units=per_dimension)
    print(format_sweeps(sweeps, args.width, units, around))
    return [s.to_json() for s in sweeps]


def probe_command(args: argparse.Namespace) -> int:
    import torch

    from latentd.train.splits import read_split

    torch.set_num_threads(max(1, args.threads))
    _, model, checkpoint = _latentd_checkpoint(args.model)
    model.to(resolve_device(args.device))
    clips = read_split(args.data, args.split, model.config.sample_rate, args.limit)
    _write_json(args.json, {"dimensions": _sweep_dimensions(model, checkpoint, clips, args)})
    return 0


def _require_fidelity_for_audible_only(args: argparse.Namespace) -> None:
    """--audible-only picks among principal axes: without --fidelity there are none."""
    if args.audible_only and args.fidelity is None:
        raise UsageError("--audible-only needs --fidelity (it keeps principal axes)")


def train_prior_command(args: argparse.Namespace) -> int:
    from latentd.train.prior import PriorOptions, train_prior

    _require_fidelity_for_audible_only(args)
    path, _, _ = _latentd_checkpoint(args.model)
    train_prior(PriorOptions(
        model=path, data=args.data, output=args.output, max_minutes=args.max_minutes,
        epochs=args.epochs, threads=args.threads, hidden_size=args.hidden,
        layers=args.layers, sequence=args.sequence, batch_size=args.batch_size,
        learning_rate=args.learning_rate, seed=args.seed, cache=args.cache,
        use_cache=not args.no_cache, refresh_stats=args.refresh_stats,
        fidelity=args.fidelity, audible_only=args.audible_only, device=args.device))
    return 0


def latent_stats_command(args: argparse.Namespace) -> int:
    from latentd.train.prior import StatsOptions, write_latent_stats

    _require_fidelity_for_audible_only(args)
    path, _, _ = _latentd_checkpoint(args.model)
    write_latent_stats(StatsOptions(model=path, data=args.data, output=args.output,
                                    threads=args.threads, cache=args.cache,
                                    use_cache=not args.no_cache, fidelity=args.fidelity,
                                    audible_only=args.audible_only, device=args.device))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
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
    gm.set_defaults(run=dataset_gm_command)
    wav.set_defaults(run=dataset_wav_command)

    train = commands.add_parser("train", help="train a latentd model on a dataset (CPU, GPUs, "
                                "or several processes under torchrun)")
    add_flags(train, TrainOptions)
    train.set_defaults(run=train_command)

    _add_evaluation_commands(commands)


def _add_evaluation_commands(commands: argparse._SubParsersAction) -> None:
    evaluate = commands.add_parser(
        "evaluate", help="reconstruction quality on a dataset's held-out split, against goals")
    probe = commands.add_parser(
        "probe", help="what each latent dimension does: centroid and level across its range")
    for parser in (evaluate, probe):
        parser.add_argument("model", help="latentd checkpoint: name (default) or path")
        parser.add_argument("--device", type=device_name, default="auto", help=DEVICE_HELP)
        parser.add_argument("--data", type=Path, required=True,
                            help="dataset folder (manifest.json, test/)")
        parser.add_argument("--split", default="test", help="split to use (default test)")
        parser.add_argument("--limit", type=positive(int), default=None,
                            help="use the first N clips")
        parser.add_argument("--seed", type=int, default=0,
                            help="seed of the untrained twin and of decoder noise")
        parser.add_argument("--threads", type=positive(int), default=1,
                            help="torch CPU threads")
        parser.add_argument("--json", type=Path, default=None, help="also write the numbers")
        parser.add_argument("--steps", type=odd_steps, default=7,
                            help="sweep steps per dimension, odd (default 7)")
        parser.add_argument("--width", type=positive(float), default=3.0,
                            help="sweep half-width in standard deviations: user units when the "
                            "model has latent stats (default 3)")
        parser.add_argument("--centre", choices=("auto", "stats", "held-out"), default="auto",
                            help="sweep around the latent stats' 0 (stats) or the held-out "
                            "split's sounding mean and std (held-out); auto: stats when the "
                            "checkpoint has them")
    evaluate.add_argument("--dimensions", action="store_true",
                          help="also sweep each latent dimension (what `latentd probe` prints)")
    evaluate.add_argument("--check", action="store_true",
                          help="exit 1 when a metric misses its goal")
    evaluate.set_defaults(run=evaluate_command)
    probe.set_defaults(run=probe_command)

    stats = commands.add_parser(
        "latent-stats", help="set a model's user latent units: mean and std of its latents on "
        "the train split (train-prior does this too)")
    stats.add_argument("--model", required=True, help="latentd checkpoint: name or path")
    stats.add_argument("--data", type=Path, required=True,
                       help="dataset folder (manifest.json) the model was trained on")
    stats.add_argument("-o", "--output", type=Path, required=True,
                       help="checkpoint to write: the model's, with the stats (may be the "
                       "--model file itself)")
    stats.add_argument("--threads", type=positive(int), default=2,
                       help="torch CPU threads (default 2)")
    stats.set_defaults(run=latent_stats_command)

    prior = commands.add_parser(
        "train-prior", help="train the GRU prior on a model's latents and attach it, with the "
        "latent stats it is trained in (CPU)")
    prior.add_argument("--model", required=True, help="latentd checkpoint: name or path")
    prior.add_argument("--data", type=Path, required=True, help="dataset folder (manifest.json)")
    prior.add_argument("-o", "--output", type=Path, required=True,
                       help="checkpoint to write: the model's, with the prior attached (may be "
                       "the --model file itself)")
    prior.add_argument("--max-minutes", type=positive(float), default=5.0,
                       help="training time bound (default 5); the best epoch is kept")
    prior.add_argument("--epochs", type=positive(int), default=300,
                       help="epoch bound (default 300)")
    prior.add_argument("--threads", type=positive(int), default=2,
                       help="torch CPU threads (default 2)")
    prior.add_argument("--hidden", type=positive(int), default=256, help="GRU width (default 256)")
    prior.add_argument("--layers", type=positive(int), default=2, help="GRU layers (default 2)")
    prior.add_argument("--sequence", type=positive(int), default=64,
                       help="latent frames per training window (default 64)")
    prior.add_argument("--batch-size", type=positive(int), default=32, help="windows per batch")
    prior.add_argument("--learning-rate", type=positive(float), default=2e-3, help="Adam step size")
    prior.add_argument("--seed", type=int, default=0, help="initialisation and order seed")
    prior.add_argument("--refresh-stats", action="store_true",
                       help="recompute the latent stats from --data even when the checkpoint's "
                       "are current (they are computed when missing or stale anyway)")
    for parser in (stats, prior):
        parser.add_argument("--device", type=device_name, default="auto", help=DEVICE_HELP)
        parser.add_argument("--cache", type=Path, default=None,
                            help="folder for encoded latents (default $XDG_CACHE_HOME/latentd)")
        parser.add_argument("--no-cache", action="store_true",
                            help="encode again, write no cache")
        parser.add_argument("--fidelity", type=_variance_share, default=None,
                            help="user dimensions along principal axes of the learned latents, "
                            "as many as explain this share of their variance, e.g. 0.99 (as "
                            "RAVE exports do; default: one per latent dimension)")
        parser.add_argument("--audible-only", action="store_true",
                            help="with --fidelity: leave out the principal axes whose sweep "
                            "the decoder barely follows (as `latentd probe` measures), so "
                            "that no user dimension is a dead control")
    prior.set_defaults(run=train_prior_command)

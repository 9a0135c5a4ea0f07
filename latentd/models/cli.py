"""``latentd models``, ``latentd info`` and ``latentd export``."""

from __future__ import annotations

import argparse
from pathlib import Path

from latentd.models.registry import list_models, load_synth, resolve
from latentd.models.synth import ModelError


def _row(path: Path) -> str:
    try:
        d = load_synth(path).describe()
    except ModelError as exc:
        return f"{path.name:<24} (unusable: {exc})"
    return (f"{d['name']:<24} {d['sample_rate']:>6} Hz  latent {d['latent_size']:>3}  "
            f"ratio {d['ratio']:>5}  latency {d['latency_ms']:>7.1f} ms  "
            f"methods {','.join(d['methods'])}  {path}")


def models_command(args: argparse.Namespace) -> int:
    found = list_models()
    if not found:
        print("no models found (no bundled default, nothing in the model directories)")
    for path in found:
        print(_row(path))
    return 0


def info_command(args: argparse.Namespace) -> int:
    synth = load_synth(args.model)
    details = synth.describe()
    details["file"] = str(resolve(args.model))
    for key, value in details.items():
        print(f"{key:>16}: {value}")
    return 0


def export_command(args: argparse.Namespace) -> int:
    from latentd.models.checkpoint import load_model
    from latentd.models.export import export_checkpoint
    from latentd.models.torchscript import is_torchscript_archive

    source = resolve(args.model)
    if is_torchscript_archive(source):
        raise ModelError(f"{source}: already a TorchScript file; export takes a latentd "
                         "checkpoint")
    from latentd.models.latents import LatentStats

    written, methods = export_checkpoint(source, args.output)
    model, payload = load_model(source)
    config = model.config
    stats = LatentStats.from_checkpoint(payload, source)
    latent = stats.latent_size if stats is not None else config.latent_size
    print(f"wrote {written} (nn~ methods: {', '.join(methods)}; "
          f"{config.sample_rate} Hz, latent {latent}, ratio {config.ratio})")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    listing = commands.add_parser("models", help="list the bundled model and model directories")
    listing.set_defaults(run=models_command)
    info = commands.add_parser("info", help="print one model's details")
    info.add_argument("model", help="model name or path (.ts nn~ export or latentd .ckpt)")
    info.set_defaults(run=info_command)
    export = commands.add_parser("export", help="export a latentd model to nn~ TorchScript")
    export.add_argument("model", help="latentd checkpoint name or path")
    export.add_argument("-o", "--output", required=True, type=Path, help="the .ts file to write")
    export.set_defaults(run=export_command)

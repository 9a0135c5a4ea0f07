"""``latentd models``, ``latentd info``, ``latentd properties`` and ``latentd export``: the
model commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from latentd.models.formats import Kind, kind_of
from latentd.models.preflight import why_not_loadable
from latentd.models.registry import (
    BUNDLED_DIR,
    BUNDLED_NAMES,
    bundled_default,
    bundled_path,
    files_in,
    listed_name,
    load_synth,
    model_dirs,
    resolve,
    resolve_confined,
)
from latentd.models.synth import ModelError


def _describe(name: str, path: Path) -> str:
    """One model's line. A file that fails the cheap look is not loaded (a junk .ts is not
    run); one that passes is loaded to describe it (checkpoints as weights only)."""
    reason = why_not_loadable(path)
    if reason is not None:
        return f"  {name:<24} not loadable: {reason}  {path}"
    try:
        d = load_synth(path, script=False).describe()
    except ModelError as exc:
        return f"  {name:<24} not loadable: {exc}"
    kind = "ts (code)" if kind_of(path) is Kind.TORCHSCRIPT else "ckpt"
    methods = d["methods"] if isinstance(d["methods"], list) else []
    return (f"  {name:<24} {kind:<9} {d['sample_rate']:>6} Hz  latent {d['latent_size']:>3}  "
            f"ratio {d['ratio']:>5}  latency {d['latency_ms']:>7.1f} ms  "
            f"methods {','.join(str(m) for m in methods)}  {path}")


def _left_out(path: Path, directory: Path, dirs: list[Path]) -> str:
    """Why a file in a model directory has no name that loads it."""
    if not path.resolve().is_relative_to(directory.resolve()):
        return f"links outside {directory} (a name never leads out of its directory)"
    try:
        return f"shadowed by {resolve_confined(path.name, dirs)}"
    except ModelError as exc:
        return str(exc)


def _directory_header(directory: Path, origin: str) -> str:
    state = "" if directory.is_dir() else ", does not exist"
    return f"{directory} ({origin}{state})"


def models_command(args: argparse.Namespace) -> int:
    """Every model directory, in lookup order, with the names that load its models: the same
    names (and the same rule) as OSC's /model/list, plus what is left out and why."""
    dirs = model_dirs()
    from_path = len(dirs) - 1  # the last directory is the XDG data one
    default = bundled_default()
    print(_directory_header(BUNDLED_DIR, "bundled") if default is not None
          else f"{BUNDLED_DIR} (bundled, missing: reinstall latentd)")
    for bundled in BUNDLED_NAMES:  # default, default-causal
        path = bundled_path(bundled)
        if path is not None:
            print(_describe(bundled, path))
    for index, directory in enumerate(dirs):
        origin = "LATENTD_MODEL_PATH" if index < from_path else "user models"
        print(_directory_header(directory, origin))
        found = files_in(directory)
        if directory.is_dir() and not found:
            print("  (no model files: .ckpt, .pt, .ts)")
        for path in found:
            name = listed_name(path, dirs)
            if name is None:
                print(f"  {path.name:<24} left out: {_left_out(path, directory, dirs)}")
            else:
                print(_describe(name, path))
    return 0


def info_command(args: argparse.Namespace) -> int:
    path = resolve(args.model)
    synth = load_synth(path)
    if str(args.model) == "default":
        synth.name = "default"
    details = synth.describe()
    details["file"] = str(path)
    details["kind"] = kind_of(path).value
    route = getattr(synth, "route", None)  # nn~ TorchScript files (issue 21)
    if route is not None:
        details["path"] = route.describe()
        if route.latency is None:
            details["latency_ms"] = "unknown (not measurable for this export)"
    for key, value in details.items():
        print(f"{key:>16}: {value}")
    return 0


def properties_command(args: argparse.Namespace) -> int:
    """A latentd checkpoint's (or, untrained, a training recipe's) shipping properties, measured
    by ``latentd.train.properties``: a name or path resolved as ``info`` does."""
    from latentd.models.checkpoint import load_model
    from latentd.models.rave import RaveModel
    from latentd.train.properties import measure
    from latentd.train.recipes import RECIPES

    if args.model is None:
        model = RaveModel(RECIPES[args.recipe].model)
    else:
        path = resolve(args.model)
        if kind_of(path) is Kind.TORCHSCRIPT:
            raise ModelError(f"{path}: a TorchScript file; properties measures a latentd "
                             "checkpoint (.ckpt)")
        model = load_model(path)[0]
    for key, value in measure(model).items():
        print(f"{key:>32}: {value}")
    return 0


def export_command(args: argparse.Namespace) -> int:
    from latentd.models.checkpoint import load_model
    from latentd.models.export import export_checkpoint

    source = resolve(args.model)
    if kind_of(source) is Kind.TORCHSCRIPT:
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


def register(commands: argparse._SubParsersAction) -> None:
    listing = commands.add_parser("models", help="list the model directories and the names "
                                  "that load their models (each model that looks loadable is "
                                  "loaded to describe it: a .ts file's code runs)")
    listing.set_defaults(run=models_command)
    info = commands.add_parser("info", help="print one model's details")
    info.add_argument("model", help="model name (looked up in the model directories, as over "
                      "OSC) or path (.ts nn~ export, which is code, or latentd .ckpt)")
    info.set_defaults(run=info_command)
    _register_properties(commands)
    export = commands.add_parser("export", help="export a latentd model to nn~ TorchScript")
    export.add_argument("model", help="latentd checkpoint name or path")
    export.add_argument("-o", "--output", required=True, type=Path, help="the .ts file to write")
    export.set_defaults(run=export_command)


def _register_properties(commands: argparse._SubParsersAction) -> None:
    from latentd.train.recipes import RECIPES

    properties = commands.add_parser(
        "properties", help="measure a latentd checkpoint's shipping properties (parameters, "
        "size, streaming latency, decode speed at one frame per block on one thread)",
        description=("Measure a model's shipping properties against the default model's "
                     "limits. Decode speed is the best of several rounds, by wall clock and by "
                     "the thread's own CPU time (which leaves out waiting for a busy core)."))
    chosen = properties.add_mutually_exclusive_group()
    chosen.add_argument("model", nargs="?", default=None,
                        help="latentd checkpoint name or path (.ckpt; default: --recipe)")
    chosen.add_argument("--recipe", "--config", dest="recipe", choices=sorted(RECIPES),
                        default="default", help="measure an untrained model of this training "
                        "recipe instead (default: default; --config is its older name)")
    properties.set_defaults(run=properties_command)

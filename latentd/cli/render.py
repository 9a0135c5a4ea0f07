"""``latentd render``: its flags, and the command that renders (``latentd.render``) and prints
the check. A refusal is raised (``RenderError``: 2; ``ModelError``, ``BackendError``: 1) and
reported by ``latentd.cli.main``."""

from __future__ import annotations

import argparse
from pathlib import Path

from latentd import render as rendering  # looked up when the command runs (tests replace it)
from latentd.cli.argtypes import finite, non_negative, positive
from latentd.render import RenderError


def render_command(args: argparse.Namespace) -> int:
    if args.input is not None:
        return transfer_command(args)
    if args.source == "input":
        raise RenderError("--source input needs --input FILE")
    result = rendering.render(args.model, args.output, args.seconds, args.source or "drift",
                              temperature=args.temperature, latents=args.latents,
                              drift_mode=args.drift_mode, drift_rate=args.drift_rate,
                              drift_depth=args.drift_depth, gain_db=args.gain,
                              block_frames=args.block_frames, threads=args.threads,
                              seed=args.seed, log=print)
    print(f"wrote {args.output}: {result.describe()}")
    return 1 if args.check and not result.ok else 0


def transfer_command(args: argparse.Namespace) -> int:
    """``--input``: timbre transfer of a file or a folder (``latentd.transfer``)."""
    from latentd.audio.input import parse_channels
    from latentd.transfer import transfer

    if args.source not in (None, "input"):
        raise RenderError(f"--input transfers audio with source input; --source {args.source}"
                          " cannot be combined with it")
    channels = parse_channels(args.input_channels) if args.input_channels else None
    transfer(args.model, args.input, args.output, log=print, channels=channels,
             gain_db=args.gain, glide_ms=args.glide, block_frames=args.block_frames,
             threads=args.threads)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    render_parser = commands.add_parser(
        "render", help="render a model offline to a WAV file through the engine, and check it")
    render_parser.add_argument("model", nargs="?", default="default",
                               help="model name or path (default: the bundled model)")
    render_parser.add_argument("-o", "--output", type=Path, required=True,
                               help="WAV file to write (a folder when --input is a folder)")
    render_parser.add_argument("--input", type=Path, default=None,
                               help="transfer this sound file (any format soundfile reads) or "
                               "every sound file in this folder through the model (source "
                               "input): the output has the input's length and lines up with "
                               "it (the encoder's and decoder's latency trimmed)")
    render_parser.add_argument("--input-channels", dest="input_channels", default=None,
                               help="with --input: channels to take, 1-based, e.g. 1 or 1,2; "
                               "the rest are mixed down to the model's channels")
    render_parser.add_argument("--glide", type=non_negative(float), default=0.0,
                               help="with --input: latent glide in ms (default 0: the model's "
                               "own encode -> decode)")
    render_parser.add_argument("--seconds", type=positive(float), default=20.0,
                               help="length (default 20)")
    render_parser.add_argument("--source", choices=(*rendering.SOURCES, "input"),
                               default=None, help="where latent frames come from (default "
                               "drift; input with --input, which it needs)")
    render_parser.add_argument("--temperature", type=non_negative(float), default=1.0,
                               help="prior sampling temperature (default 1)")
    render_parser.add_argument("--latents", type=finite, nargs="+", default=None,
                               help="manual latent values (leading dimensions), in the model's "
                               "latent units (std units around its typical sound when it has "
                               "latent stats); the centre of the drift")
    render_parser.add_argument("--drift-mode", choices=("walk", "lfo"), default="walk")
    render_parser.add_argument("--drift-rate", type=positive(float), default=None,
                               help="drift speed in Hz (engine default 0.2)")
    render_parser.add_argument("--drift-depth", type=non_negative(float), default=None,
                               help="drift depth in latent units (engine default 0.3 std "
                               "of the data when the model has latent stats)")
    render_parser.add_argument("--gain", type=finite, default=0.0, help="output gain in dB")
    render_parser.add_argument("--block-frames", type=positive(int), default=1,
                               help="latent frames per decode call (default 1)")
    render_parser.add_argument("--threads", type=positive(int), default=1,
                               help="torch CPU threads (default 1)")
    render_parser.add_argument("--seed", type=int, default=0,
                               help="seed of the drift, the prior's sampling and the decoder's "
                               "noise")
    render_parser.add_argument("--check", action="store_true",
                               help="exit 1 when the render clips or has any 50 ms window below "
                               "-60 dBFS (the model's latency is trimmed first)")
    render_parser.set_defaults(run=render_command)

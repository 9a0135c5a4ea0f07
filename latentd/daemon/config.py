"""Settings for ``latentd serve``: defaults, then a TOML file, then command-line flags.

Every setting declares its type and accepted range beside its default (``settings_schema``);
``check`` applies them all, whichever way a value arrived, so a wrong value is a usage error
(exit 2) that names the setting, the value and what is accepted.
"""

from __future__ import annotations

import argparse
import os
import stat
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from latentd import paths
from latentd.daemon.settings_schema import (
    Address,
    Channels,
    ConfigError,
    Flag,
    Float,
    FloatOrAuto,
    Folder,
    InputSpec,
    Int,
    Networks,
    Output,
    Text,
    rule_of,
)

__all__ = ["ConfigError", "ServeConfig", "add_arguments", "build", "read_toml"]

LOG_LEVELS = ("debug", "info", "warning", "error")
SOURCES = ("manual", "drift", "input", "prior")  # control_names.SOURCES (daemon may not import
# engine names into a settings table without the engine: kept equal by tests/daemon)
RESAMPLERS = ("auto", "quality", "latency")  # "auto" and engine/pipe.LIVE_RESAMPLERS
MAX_CONFIG_BYTES = 1 << 20
MAX_DURATION_SECONDS = 24 * 3600.0  # a day of audio; a WAV render of it is ~33 GB stereo


@dataclass
class ServeConfig:
    model: str = field(default="default", metadata=Text().meta)
    output: str = field(default="auto", metadata=Output().meta)
    # audio input (issue 19): none, wav:PATH (looping) or portaudio[:DEVICE]
    input: str = field(default="none", metadata=InputSpec().meta)
    # input channels to take (1-based); None = as many as the model has
    input_channels: list[int] | None = field(default=None, metadata=Channels().meta)
    # where /input/file finds files; None = /input/file is refused
    inputs_dir: Path | None = field(default=None, metadata=Folder(optional=True).meta)
    # the source playing at start (OSC /source changes it later)
    source: str = field(default="manual", metadata=Text(SOURCES).meta)
    port: int = field(default=57130, metadata=Int(1, 65535).meta)
    listen: str = field(default="127.0.0.1", metadata=Address().meta)
    allow: list[str] = field(default_factory=list, metadata=Networks().meta)
    # device rate and channels; None = the model's
    sample_rate: int | None = field(default=None, metadata=Int(8000, 384000, optional=True).meta)
    channels: int | None = field(default=None, metadata=Int(1, 64, optional=True).meta)
    # voices (issue 20): playing at start, the most /voices may ask, one output channel each
    voices: int = field(default=1, metadata=Int(1, 16).meta)
    max_voices: int = field(default=8, metadata=Int(1, 16).meta)
    voice_outputs: bool = field(default=False, metadata=Flag().meta)
    # device frames per callback
    blocksize: int = field(default=256, metadata=Int(16, 8192).meta)
    # latent frames per decode call: sizes every decode's tensors
    block_frames: int = field(default=1, metadata=Int(1, 64).meta)
    # audio queued in the ring: sizes the ring; "auto" sizes it from the model's measured
    # block time at start (engine/latency.py; bench/latency.py measured it on JACK)
    latency_ms: float | Literal["auto"] = field(default="auto",
                                                metadata=FloatOrAuto(1.0, 2000.0).meta)
    # the live output's resampler (model rate to device rate): quality (soxr HQ, 5.4 ms held
    # back), latency (soxr LQ, 0.5 ms, rolls off above 16 kHz) or auto: latency when an
    # input is open (a performer plays through the model), quality otherwise (engine/pipe.py)
    resampler: str = field(default="auto", metadata=Text(RESAMPLERS).meta)
    threads: int = field(default=1, metadata=Int(1, 64).meta)
    # render thread SCHED_FIFO priority; 0 = normal scheduling
    realtime_priority: int = field(default=10, metadata=Int(0, 99).meta)
    # seconds to run: required for wav:PATH; for a live output, stop after that long
    duration: float | None = field(
        default=None, metadata=Float(0.001, MAX_DURATION_SECONDS, optional=True).meta)
    # a decode longer than this abandons the model (silence until a new /model/load)
    stall_seconds: float = field(default=2.0, metadata=Float(0.05, 60.0).meta)
    # a model load longer than this is given up with /fail /model/load
    load_timeout_seconds: float = field(default=60.0, metadata=Float(1.0, 3600.0).meta)
    # OSC messages/s per host: below ten, the daemon is as good as unreachable
    rate_limit: float = field(default=2000.0, metadata=Float(10.0, 1_000_000.0).meta)
    presets_dir: Path = field(default_factory=paths.presets_dir,
                              metadata=Folder().meta)
    recordings_dir: Path = field(default_factory=paths.recordings_dir,
                                 metadata=Folder().meta)
    log_level: str = field(default="info", metadata=Text(LOG_LEVELS).meta)
    # .ts models (TorchScript: code) over OSC /model/load: None = only when no peer beyond
    # this machine may connect (latentd.models.remote, SECURITY.md)
    trusted_models: bool | None = field(default=None, metadata=Flag(optional=True).meta)
    # RAVE exports: play through their own scripted methods, not latentd's rebuild (issue 21)
    exact_export: bool = field(default=False, metadata=Flag().meta)
    # the settings given in a file or on the command line (not defaults); not a setting itself
    given: frozenset[str] = field(default_factory=frozenset, repr=False, compare=False,
                                  metadata={"internal": True})

    def check(self) -> ServeConfig:
        """Apply every setting's rule; raise ConfigError naming the first bad one."""
        for spec in settings():
            setattr(self, spec.name, rule_of(spec).check(spec.name, getattr(self, spec.name)))
        if self.voices > self.max_voices:
            raise ConfigError(f"voices {self.voices} is more than max_voices "
                              f"{self.max_voices}: raise --max-voices")
        if self.voice_outputs:
            if self.channels is not None and self.channels != self.max_voices:
                raise ConfigError(f"--voice-outputs gives one channel per voice: --channels "
                                  f"{self.channels} must be --max-voices ({self.max_voices}) "
                                  "or left out")
            self.channels = self.max_voices
        return self


def settings() -> list:
    """The user-visible settings (every field but internal bookkeeping)."""
    return [spec for spec in fields(ServeConfig) if not spec.metadata.get("internal")]


def read_toml(path: Path) -> dict[str, object]:
    """The ``[serve]`` table (or the top level) of a regular file of at most MAX_CONFIG_BYTES:
    a FIFO or /dev/zero given by mistake must not block or fill memory."""
    try:
        # non-blocking open: opening a FIFO for reading would wait for a writer
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ConfigError(f"config {path} is not a regular file")
            text = handle.read(MAX_CONFIG_BYTES + 1)
        if len(text) > MAX_CONFIG_BYTES:
            raise ConfigError(f"config {path} is larger than {MAX_CONFIG_BYTES} bytes")
        data = tomllib.loads(text.decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config {path} is not UTF-8 text: {exc.reason}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config {path} is not valid TOML: {exc}") from exc
    table = data.get("serve", data)  # accept a [serve] table or top-level keys
    if not isinstance(table, dict):
        raise ConfigError(f"config {path}: 'serve' must be a table ([serve])")
    return table


def build(args: argparse.Namespace) -> ServeConfig:
    """Defaults < config file < flags given on the command line."""
    values: dict[str, Any] = {}  # unchecked until ServeConfig.check()
    known = {spec.name for spec in settings()}
    if getattr(args, "config", None) is not None:
        for key, value in read_toml(args.config).items():
            name = key.replace("-", "_")
            if name not in known:
                raise ConfigError(f"unknown setting '{key}' in {args.config} (known: "
                                  f"{', '.join(sorted(known))})")
            values[name] = value
    for name in known:
        value = getattr(args, name, None)
        if value is not None:
            values[name] = value
    config = ServeConfig(**values, given=frozenset(values))
    return config.check()


def latency_flag(text: str) -> float | str:
    """``--latency-ms``: a number, or the text as given (``auto``; anything else is refused
    by the setting's rule, with the message every bad setting gets)."""
    try:
        return float(text)
    except ValueError:
        return text


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("--config", type=Path, help="TOML file ([serve] table); flags override it")
    add("--model", help="model name or path (default: the bundled 'default')")
    add("--output", help="auto | null | wav:PATH | portaudio[:DEVICE] (default auto). DEVICE is "
        "a device number, a name fragment, or a host API name (portaudio:JACK plays on JACK's "
        "default device). wav:PATH renders offline, faster than real time, and needs "
        "--duration; it starts at the first sample of sound (the model's latency is trimmed) "
        "and has no OSC (--port, --listen, --allow are ignored)")
    add("--input", help="none | wav:PATH | portaudio[:DEVICE] (default none): audio for the "
        "input source. wav:PATH loops any file soundfile reads; portaudio as --output's DEVICE "
        "(portaudio:JACK: JACK's default device); when input and output are the same device "
        "one duplex stream serves both")
    add("--input-channels", dest="input_channels", help="input channels to take, 1-based, "
        "e.g. 1 or 1,2; the rest are mixed down to the model's channels (default: as many "
        "as the model has)")
    add("--inputs-dir", dest="inputs_dir", type=Path, help="folder /input/file takes file "
        "names from (default: none, /input/file is refused)")
    add("--source", choices=SOURCES, help="source at start: manual (default), drift, input "
        "(needs --input and a model that encodes) or prior (needs a model with a prior)")
    add("--port", type=int, help="OSC port, UDP and TCP (default 57130)")
    add("--listen", help="address to bind (default 127.0.0.1: this machine only)")
    add("--allow", action="append", help="network allowed to talk when listening beyond "
        "this machine, e.g. 192.168.1.0/24 (repeatable)")
    add("--trusted-models", dest="trusted_models", action=argparse.BooleanOptionalAction,
        help="let OSC clients /model/load .ts models, which are code (TorchScript). Default: "
        "only when no one beyond this machine may connect (no --listen beyond loopback with "
        "an --allow network); --no-trusted-models refuses them always. Checkpoints (.ckpt, "
        "weights only) and --model are not affected")
    add("--exact-export", dest="exact_export", action="store_true", default=None,
        help="play RAVE exports through their own scripted methods, as nn~ does, instead of "
        "latentd's faster rebuild of them (same sound; see `latentd info MODEL`)")
    add("--sample-rate", dest="sample_rate", type=int, help="device sample rate")
    add("--channels", type=int, help="device output channels")
    add("--voices", type=int, help="voices playing at start (default 1; /voices changes it)")
    add("--max-voices", dest="max_voices", type=int, help="the most voices /voices may ask "
        "for, 1 to 16 (default 8)")
    add("--voice-outputs", dest="voice_outputs", action="store_true", default=None,
        help="one output channel per voice instead of the panned mix (--channels follows "
        "--max-voices)")
    add("--blocksize", type=int, help="device frames per callback (default 256)")
    add("--block-frames", dest="block_frames", type=int,
        help="latent frames per decode (default 1)")
    add("--latency-ms", dest="latency_ms", type=latency_flag, help="audio queued ahead, in ms, "
        "or auto: the smallest ring that covers the model's block decode as measured at start, "
        "with the render thread at real-time priority (default auto)")
    add("--resampler", choices=list(RESAMPLERS), help="resampling from the model's rate to "
        "the device's, live: quality (soxr HQ, 5.4 ms), latency (soxr LQ, 0.5 ms, rolls off "
        "above 16 kHz) or auto: latency when an input is open, else quality (default)")
    add("--threads", type=int, help="torch threads for the render thread (default 1)")
    add("--realtime-priority", dest="realtime_priority", type=int,
        help="SCHED_FIFO priority for the render thread, 0 for none (default 10)")
    add("--duration", type=float, help="seconds to run: required with --output wav:PATH; with "
        "a live output (null, portaudio) the daemon stops after that long and exits 0 "
        "(default: until SIGINT/SIGTERM)")
    add("--stall-seconds", dest="stall_seconds", type=float, help="a decode that takes longer "
        "abandons the model: silence plays until a /model/load succeeds (default 2)")
    add("--load-timeout-seconds", dest="load_timeout_seconds", type=float,
        help="a model load that takes longer is given up with /fail (default 60)")
    add("--rate-limit", dest="rate_limit", type=float, help="OSC messages/s per host")
    add("--presets-dir", dest="presets_dir", type=Path)
    add("--recordings-dir", dest="recordings_dir", type=Path)
    add("--log-level", dest="log_level", choices=list(LOG_LEVELS),
        help="debug adds every OSC command, subscription and model step; a client cannot "
        "flood the log: repeated lines are capped per second and summarised")

"""Settings for ``latentd serve``: defaults, then a TOML file, then command-line flags."""

from __future__ import annotations

import argparse
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path


class ConfigError(ValueError):
    """A bad flag or config value; ``latentd serve`` exits with status 2."""


def _data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "latentd"


@dataclass
class ServeConfig:
    model: str = "default"
    output: str = "auto"
    port: int = 57130
    listen: str = "127.0.0.1"
    allow: list[str] = field(default_factory=list)
    sample_rate: int | None = None  # device rate; None = the model's rate
    channels: int | None = None  # device channels; None = the model's channels
    blocksize: int = 256  # device frames per callback
    block_frames: int = 1  # latent frames per decode call
    latency_ms: float = 80.0
    threads: int = 1
    realtime_priority: int = 10  # render thread SCHED_FIFO priority; 0 = normal scheduling
    duration: float = 10.0  # seconds rendered by the WAV output
    rate_limit: float = 2000.0
    presets_dir: Path = field(default_factory=lambda: _data_home() / "presets")
    recordings_dir: Path = field(default_factory=lambda: _data_home() / "recordings")
    log_level: str = "info"

    def check(self) -> ServeConfig:
        if not 0 < self.port < 65536:
            raise ConfigError(f"port {self.port} is outside 1..65535")
        positive = {"blocksize": self.blocksize, "block_frames": self.block_frames,
                    "threads": self.threads, "latency_ms": self.latency_ms,
                    "duration": self.duration, "rate_limit": self.rate_limit}
        for name, value in positive.items():
            if value <= 0:
                raise ConfigError(f"{name} must be positive, got {value}")
        if self.sample_rate is not None and not 8000 <= self.sample_rate <= 384000:
            raise ConfigError(f"sample_rate {self.sample_rate} is outside 8000..384000")
        if not 0 <= self.realtime_priority <= 99:
            raise ConfigError(f"realtime_priority must be 0..99, got {self.realtime_priority}")
        if self.log_level not in ("debug", "info", "warning", "error"):
            raise ConfigError("log_level must be debug, info, warning or error")
        return self


def read_toml(path: Path) -> dict[str, object]:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config {path} is not valid TOML: {exc}") from exc
    return data.get("serve", data)  # accept a [serve] table or top-level keys


def build(args: argparse.Namespace) -> ServeConfig:
    """Defaults < config file < flags given on the command line."""
    values: dict[str, object] = {}
    known = {f.name: f for f in fields(ServeConfig)}
    if args.config is not None:
        for key, value in read_toml(args.config).items():
            name = key.replace("-", "_")
            if name not in known:
                raise ConfigError(f"unknown setting '{key}' in {args.config}")
            values[name] = value
    for name in known:
        value = getattr(args, name, None)
        if value is not None:
            values[name] = value
    for name in ("presets_dir", "recordings_dir"):
        if name in values:
            values[name] = Path(str(values[name])).expanduser()
    try:
        config = ServeConfig(**values)  # type: ignore[arg-type]
    except TypeError as exc:
        raise ConfigError(str(exc)) from exc
    for name, spec in known.items():
        value = getattr(config, name)
        expected = {"int": int, "float": (int, float), "str": str}.get(str(spec.type))
        if expected is not None and (isinstance(value, bool) or not isinstance(value, expected)):
            raise ConfigError(f"{name} must be {spec.type}, got {value!r}")
    return config.check()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("--config", type=Path, help="TOML file ([serve] table); flags override it")
    add("--model", help="model name or path (default: the bundled 'default')")
    add("--output", help="auto | null | wav:PATH | portaudio[:DEVICE] (default auto)")
    add("--port", type=int, help="OSC port, UDP and TCP (default 57130)")
    add("--listen", help="address to bind (default 127.0.0.1: this machine only)")
    add("--allow", action="append", help="network allowed to talk when listening beyond "
        "this machine, e.g. 192.168.1.0/24 (repeatable)")
    add("--sample-rate", dest="sample_rate", type=int, help="device sample rate")
    add("--channels", type=int, help="device output channels")
    add("--blocksize", type=int, help="device frames per callback (default 256)")
    add("--block-frames", dest="block_frames", type=int,
        help="latent frames per decode (default 1)")
    add("--latency-ms", dest="latency_ms", type=float, help="audio queued ahead (default 80)")
    add("--threads", type=int, help="torch threads for the render thread (default 1)")
    add("--realtime-priority", dest="realtime_priority", type=int,
        help="SCHED_FIFO priority for the render thread, 0 for none (default 10)")
    add("--duration", type=float, help="seconds to render with --output wav:PATH")
    add("--rate-limit", dest="rate_limit", type=float, help="OSC packets/s per host")
    add("--presets-dir", dest="presets_dir", type=Path)
    add("--recordings-dir", dest="recordings_dir", type=Path)
    add("--log-level", dest="log_level", choices=["debug", "info", "warning", "error"])

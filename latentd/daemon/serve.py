"""``latentd serve``: load the model, open the output, start the engine and the OSC server,
and shut everything down cleanly on SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from latentd import __version__
from latentd.audio.backend import BackendError, open_output
from latentd.daemon.config import ConfigError, ServeConfig, add_arguments, build
from latentd.engine.engine import Engine, EngineSettings
from latentd.models.registry import load_synth, model_dirs, model_names, resolve_confined
from latentd.models.synth import ModelError, Synth
from latentd.osc.routes import AddressSpace
from latentd.osc.server import OscServer, ServerSettings

log = logging.getLogger("latentd")


def confined_loader(name: str) -> Synth:
    """Models requested over OSC: names only, found inside the model directories."""
    return load_synth(resolve_confined(name, model_dirs()))


def build_engine(config: ServeConfig) -> Engine:
    synth = load_synth(config.model)
    backend = open_output(config.output, config.sample_rate or synth.sample_rate,
                          config.channels or synth.channels, config.blocksize)
    settings = EngineSettings(block_frames=config.block_frames, latency_ms=config.latency_ms,
                              torch_threads=config.threads, presets_dir=config.presets_dir,
                              realtime_priority=config.realtime_priority,
                              recordings_dir=config.recordings_dir)
    return Engine(synth, backend, settings, loader=confined_loader)


def start_line(engine: Engine, server: OscServer | None, config: ServeConfig) -> str:
    t = engine.snapshot()
    synth = engine.synth
    where = (f"OSC udp+tcp {config.listen}:{server.bound_port}" if server
             else "no OSC (offline render)")
    return (f"latentd {__version__}: playing '{synth.name}' ({synth.sample_rate} Hz, latent "
            f"{synth.latent_size}, {synth.ratio} samples/frame) on {engine.backend.describe()}; "
            f"{where}; latency {t.latency_ms:.1f} ms (device {t.latency_device_ms:.1f} + ring "
            f"{t.latency_ring_ms:.1f} + model {t.latency_model_ms:.1f})")


def run(config: ServeConfig) -> int:
    engine = build_engine(config)
    if not engine.backend.realtime:
        engine.start()
        log.info("%s", start_line(engine, None, config))
        engine.render_offline(config.duration)
        engine.stop(fade_seconds=0)
        log.info("rendered %.1f s to %s", config.duration, config.output.partition(":")[2])
        return 0
    server = OscServer(engine, ServerSettings(config.listen, config.port, config.allow,
                                              config.rate_limit, 2 * config.rate_limit),
                       AddressSpace(engine, model_names))
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    engine.start()
    try:
        server.start_in_thread()
    except OSError as exc:
        engine.stop(fade_seconds=0)
        raise ConfigError(f"cannot listen on {config.listen}:{config.port}: {exc.strerror}"
                          ) from exc
    advert = None
    if config.listen not in ("127.0.0.1", "::1", "localhost"):
        from latentd.osc.discovery import Advertisement

        advert = Advertisement.start(config.listen, server.bound_port)
    log.info("%s", start_line(engine, server, config))
    stop.wait()
    log.info("stopping: fading out")
    engine.stop(fade_seconds=0.05)
    server.stop()
    if advert is not None:
        advert.close()
    log.info("stopped (underruns: %d)", engine.ring.underruns)
    return 0


def serve_command(args: argparse.Namespace) -> int:
    try:
        config = build(args)
    except ConfigError as exc:
        print(f"latentd serve: error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=config.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    try:
        return run(config)
    except (ModelError, BackendError) as exc:
        log.error("%s", exc)
        return 1
    except ConfigError as exc:
        log.error("%s", exc)
        return 2


def add_commands(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="run the synthesis daemon")
    add_arguments(serve)
    serve.set_defaults(run=serve_command)
    devices = commands.add_parser("devices", help="list audio devices (PortAudio)")
    devices.set_defaults(run=devices_command)


def devices_command(args: argparse.Namespace) -> int:
    from latentd.audio.portaudio import import_sounddevice

    try:
        sd = import_sounddevice()
        print(sd.query_devices())
    except BackendError as exc:
        print(f"latentd devices: {exc}", file=sys.stderr)
        return 1
    return 0

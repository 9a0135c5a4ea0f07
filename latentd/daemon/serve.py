"""``latentd serve``: load the model, open the output, start the engine and the OSC server,
and shut everything down on SIGINT/SIGTERM (or after ``--duration``) within a bounded time.

The process's life (``latentd.daemon.shutdown``): signal handlers are installed first, the
first model loads on a worker thread while the main thread watches for a stop request (a
SIGTERM mid-load exits 0 at once, leaving the loader behind), and the process always leaves
through ``exit_now`` after its orderly stop, so neither PortAudio's exit hook nor torch's
destructors can hang or abort it. The command around ``run`` (flags, logging, how it leaves) is
``latentd.cli.serve``.
"""

from __future__ import annotations

import functools
import logging
import sys
import threading
import time
from pathlib import Path
from typing import Any

from latentd import __version__
from latentd.audio.backend import Backend
from latentd.audio.input import AudioInput
from latentd.audio.input_factory import open_audio
from latentd.audio.wav_input import WavInput
from latentd.daemon.config import ConfigError, ServeConfig
from latentd.daemon.shutdown import Shutdown
from latentd.engine.control_names import is_source
from latentd.engine.engine import Engine, EngineSettings, Notice
from latentd.log_throttle import LogThrottle
from latentd.models.rave_rebuild.policy import set_exact_export
from latentd.models.registry import load_synth
from latentd.models.remote import RemoteModels, trusts_code
from latentd.models.synth import Synth
from latentd.osc.routes import AddressSpace
from latentd.osc.server import OscServer, ServerSettings

log = logging.getLogger("latentd")

OSC_SETTINGS = ("port", "listen", "allow", "rate_limit")  # meaningless for an offline render
LOAD_POLL_SECONDS = 0.05
MAX_WAV_BYTES = 4 * 2**30 - 2**20  # a WAV's sizes are 32-bit; a little room for the header


def osc_models(config: ServeConfig) -> RemoteModels:
    """What OSC clients may load: names inside the model directories, size-capped, and .ts
    (code) only when trusted: by --trusted-models, or by default when no peer beyond this
    machine may connect (SECURITY.md)."""
    from latentd.osc.discovery import should_advertise

    beyond = should_advertise(config.listen, config.allow)
    return RemoteModels(trust_code=trusts_code(config.trusted_models, beyond))


def confined_loader(name: str, models: RemoteModels | None = None) -> Synth:
    """Models requested over OSC (``latentd.models.remote``); without ``models``, the rules of
    a daemon only this machine can reach."""
    return (models or RemoteModels(trust_code=True)).load(name)


def logged_loader(name: str, models: RemoteModels | None = None) -> Synth:
    """``confined_loader`` with its start, duration and outcome in the log."""
    log.info("loading model '%s' (requested over OSC)", name)
    started = time.monotonic()
    synth = confined_loader(name, models)
    log.info("loaded model '%s' in %.2f s; crossfading to it", name, time.monotonic() - started)
    return synth


class DaemonEngine(Engine):
    """The engine as the daemon runs it: recordings starting and ending are said in the log at
    info, for the operator (clients get their own ``/done``)."""

    def record_start(self, *args: Any, **kwargs: Any) -> Path:
        path = super().record_start(*args, **kwargs)
        log.info("recording to %s", path)
        return path

    def record_stop(self, *args: Any, **kwargs: Any) -> Path | None:
        path = super().record_stop(*args, **kwargs)
        if path is not None:
            log.info("recording finished: %s", path)
        return path


def check_source(config: ServeConfig, synth: Synth) -> None:
    """``--source`` at start: refused (exit 2) when the model or the input cannot play it."""
    if config.source == "input":
        if config.input == "none":
            raise ConfigError("--source input needs an input: --input wav:PATH or "
                              "portaudio[:DEVICE] (no input is open)")
        if not synth.can_encode:
            raise ConfigError(f"--source input: model '{synth.name}' cannot encode")
    if config.source == "prior" and not synth.has_prior:
        raise ConfigError(f"--source prior: model '{synth.name}' has no prior")


def live_resampler(setting: str, audio_input: AudioInput | None) -> str:
    """``--resampler``'s choice: ``auto`` is ``latency`` when an input is open (a
    performer hears themselves through the model, and 5 ms count), ``quality`` otherwise."""
    if setting != "auto":
        return setting
    return "latency" if audio_input is not None and audio_input.realtime else "quality"


def build_engine(config: ServeConfig, synth: Synth | None = None) -> Engine:
    synth = synth if synth is not None else load_synth(config.model)
    check_source(config, synth)
    backend, audio_input = open_audio(
        config.output, config.input, config.sample_rate or synth.sample_rate,
        config.channels or synth.channels, config.blocksize, synth.sample_rate,
        synth.channels, config.input_channels)
    settings = EngineSettings(block_frames=config.block_frames, latency_ms=config.latency_ms,
                              torch_threads=config.threads, presets_dir=config.presets_dir,
                              realtime_priority=config.realtime_priority,
                              recordings_dir=config.recordings_dir,
                              stall_seconds=config.stall_seconds,
                              load_timeout_seconds=config.load_timeout_seconds,
                              inputs_dir=config.inputs_dir, voices=config.voices,
                              max_voices=config.max_voices,
                              voice_outputs=config.voice_outputs,
                              resampler=live_resampler(config.resampler, audio_input))
    engine = DaemonEngine(synth, backend, settings,
                          loader=functools.partial(logged_loader, models=osc_models(config)),
                          input_opener=WavInput)  # /input/file's files
    engine.set_input(audio_input, config.input_channels)
    if is_source(config.source):  # the setting's rule allows only source names
        engine.pipe.renderer.begin_with(config.source)
    return engine


def load_first_model(model: str, shutdown: Shutdown) -> Synth | None:
    """Load on a worker thread; None when a stop was asked for meanwhile (a loader still
    running is left inside torch: the process leaves through ``exit_now``, which it survives).

    A signal is handled by Python between bytecodes of the main thread, which needs the
    interpreter lock; torch keeps that lock through some loads (a TorchScript ``__setstate__``
    runs under it), so a SIGTERM during such a load takes effect when it returns (a RAVE export:
    under a second) and the process then exits 0 without starting."""
    result: list[Synth | BaseException] = []

    def load() -> None:
        try:
            result.append(load_synth(model))
        except BaseException as exc:  # handed to the main thread below
            result.append(exc)

    log.info("loading model '%s'", model)
    started = time.monotonic()
    loader = threading.Thread(target=load, name="latentd-first-load", daemon=True)
    loader.start()
    while loader.is_alive() and not shutdown.requested.wait(LOAD_POLL_SECONDS):
        pass
    if shutdown.requested.is_set():
        # torch holds the interpreter lock through some loads (a TorchScript __setstate__), so
        # the handler may only have run once the load returned: either way, stop here
        log.info("%s during the model load: stopping", shutdown.signal_name or "stop")
        return None
    if isinstance(result[0], BaseException):
        raise result[0]
    log.debug("model '%s' loaded in %.2f s", model, time.monotonic() - started)
    return result[0]


def start_line(engine: Engine, server: OscServer | None, config: ServeConfig) -> str:
    t = engine.snapshot()
    synth = engine.synth
    where = (f"OSC udp+tcp {config.listen}:{server.bound_port}" if server
             else "no OSC (offline render)")
    return (f"latentd {__version__}: playing '{synth.name}' ({synth.sample_rate} Hz, latent "
            f"{synth.latent_size}, {synth.ratio} samples/frame) on {engine.backend.describe()}; "
            f"{where}; latency {t.latency_ms:.1f} ms (device {t.latency_device_ms:.1f} + ring "
            f"{t.latency_ring_ms:.1f}{' (auto)' if engine.auto_ring else ''} + model "
            f"{t.latency_model_ms:.1f}); input "
            f"{t.input or 'none'}" + (f" (input {t.latency_input_ms:.1f} + encoder "
                                      f"{t.latency_encoder_ms:.1f} ms more from input to "
                                      "output)" if t.input else "") + f"; source {t.source}")


def log_notice(notice: Notice) -> None:
    """Engine notices in the log at debug: answers to loads, refusals, late events (the client
    hears those; the engine logs model swaps at info itself)."""
    if notice.address == "/device":
        return  # the watchdog logs device changes itself
    if notice.kind == "late":
        log.debug("late event %s by %s s", notice.address, notice.args[:1])
    else:
        log.debug("%s %s %s", notice.kind, notice.address,
                  " ".join(str(arg) for arg in notice.args))


def report_device(engine: Engine, backend: Backend) -> None:
    """Device state changes become engine notices, which the OSC server sends to every
    subscriber: ``/fail /device <stalled or lost> <reason>``, and ``/done /device ok <reason>``
    when it plays again. ``/status.reply`` carries ``device_state`` either way."""

    def changed(state: str, reason: str) -> None:  # on the watchdog's thread
        kind = "done" if state == "ok" else "fail"
        engine.notify(Notice(kind, "/device", (state, reason)))

    backend.on_device_state = changed


def check_wav_fits(config: ServeConfig, synth: Synth) -> None:
    """Refuse, before the file is created, a ``--duration`` whose WAV would pass 4 GiB."""
    assert config.duration is not None
    rate = config.sample_rate or synth.sample_rate
    channels = config.channels or synth.channels
    most = MAX_WAV_BYTES / (rate * channels * 4)  # 32-bit float samples
    if config.duration > most:
        raise ConfigError(f"--duration {config.duration:g} s does not fit in a WAV file (4 GiB "
                          f"at most: {most:.0f} s at {rate} Hz, {channels} ch)")


def render_offline(engine: Engine, config: ServeConfig, shutdown: Shutdown) -> int:
    """``--output wav:PATH``: ``--duration`` seconds from the first sample of sound (the
    model's latency is rendered but not written, as ``latentd render`` does), in one-second
    steps so that a signal stops it early with a valid, shorter file."""
    assert config.duration is not None
    ignored = [f"--{name.replace('_', '-')}" for name in OSC_SETTINGS if name in config.given]
    if ignored:
        log.warning("%s ignored: an offline render (--output wav:) has no OSC",
                    ", ".join(ignored))
    synth = engine.synth
    rate = engine.backend.sample_rate
    engine.start()
    log.info("%s", start_line(engine, None, config))
    total = round(config.duration * rate)
    done = 0
    skip = synth.latency / synth.sample_rate
    while done < total and not shutdown.requested.is_set():
        step = min(rate, total - done)
        engine.render_offline(step / rate, skip_seconds=skip)
        done, skip = done + step, 0.0
    shutdown.at("closing the file")
    engine.stop(fade_seconds=0)
    early = " (stopped early)" if done < total else ""
    log.info("rendered %.2f s to %s%s", done / rate, config.output.partition(":")[2], early)
    return 0


def run(config: ServeConfig, shutdown: Shutdown | None = None) -> int:
    shutdown = shutdown or Shutdown()
    set_exact_export(config.exact_export)  # before any model loads (issue 21)
    synth = load_first_model(config.model, shutdown)
    if synth is None:
        return 0
    if config.output.startswith("wav:"):
        check_wav_fits(config, synth)
    engine = build_engine(config, synth)
    engine.listeners.append(log_notice)
    if not engine.backend.realtime:
        return render_offline(engine, config, shutdown)
    server = OscServer(engine, ServerSettings(config.listen, config.port, config.allow,
                                              config.rate_limit, 2 * config.rate_limit),
                       AddressSpace(engine, osc_models(config).names))
    report_device(engine, engine.backend)
    shutdown.at("starting the engine")
    engine.start(cancel=shutdown.requested)
    if shutdown.requested.is_set():  # a signal while the ring was prefilled: no OSC, no advert
        log.info("stopping before the start was complete")
        engine.stop(fade_seconds=0)
        return 0
    try:
        server.start_in_thread()
    except OSError as exc:
        engine.stop(fade_seconds=0)
        raise ConfigError(f"cannot listen on {config.listen}:{config.port}: {exc.strerror}"
                          ) from exc
    advert = None
    from latentd.osc.discovery import Advertisement, should_advertise

    if should_advertise(config.listen, config.allow):
        advert = Advertisement.start(config.listen, server.bound_port)
    log.info("%s", start_line(engine, server, config))
    log.info("%s", osc_models(config).describe())
    shutdown.at("running")
    if not shutdown.requested.wait(config.duration):
        log.info("ran for --duration %g s", config.duration)
        shutdown.request()
    device_ok = engine.backend.device_state == "ok"
    log.info("stopping: %s", "fading out" if device_ok else
             f"no fade (the device is {engine.backend.device_state})")
    shutdown.at("stopping the engine (fade, recording, device)")
    engine.stop(fade_seconds=0.05 if device_ok else 0.0)
    shutdown.at("closing the OSC server")
    server.stop()
    if advert is not None:
        shutdown.at("withdrawing the DNS-SD advertisement")
        advert.close()
    log.info("stopped (underruns: %d, device underflows: %d)", engine.ring.underruns,
             engine.backend.device_underflows)
    return 0


def configure_logging(level: str) -> LogThrottle:
    """One stderr handler on the root logger (every library's records reach it), with the
    throttle as a backstop against floods a client can trigger."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    return LogThrottle().install(handler)

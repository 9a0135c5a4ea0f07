"""The address space of ``docs/osc.md``: each address validated and turned into engine calls.

Handlers run on the OSC thread. Control changes become engine events (timetagged when they came
in a bundle); file work (presets, recordings) runs here, off the render thread; model loads run
on a worker and answer later with ``/done`` or ``/fail``. ``/notify`` is in the table like every
other address, so patterns reach it, but its subscriptions belong to the server: a request
carries the server that received it (``ServerView``), as it carries the client, so the address
space is finished when it is built and the server never patches it.
"""

# mypy: strict-equality
# (a comparison with a misspelt control or source name is a type error)
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from latentd import __version__
from latentd.engine.control_names import (
    CHOICE_OPTIONS,
    INPUT_RANGES,
    LATENT_RANGE,
    NUMBER_LABELS,
    NUMBER_RANGES,
    VECTORS,
    EventName,
    InputControlName,
    NumberName,
    VectorName,
    is_vector,
)
from latentd.engine.controls import ANY_VOICE, Event
from latentd.engine.engine import Engine, LoadQueueFull
from latentd.engine.file_names import is_bare
from latentd.engine.notes import MAX_VELOCITY, PitchMap, no_pitch
from latentd.engine.presets import PresetError, check_name
from latentd.engine.recorder import RecordingRefused
from latentd.engine.safe_files import UnsafePath
from latentd.osc import args as a
from latentd.osc.args import Fail
from latentd.osc.clients import Client
from latentd.osc.patterns import PatternError, is_pattern, matches
from latentd.osc.voices import (
    PER_VOICE,
    per_voice_addresses,
    split_voice,
    voice_status,
)


def _bare(name: str) -> bool:
    """A name listed as it must be sent back: bare and already in NFC form (file_names.py)."""
    return is_bare(name)

Reply = tuple[str, tuple[object, ...]]


class ServerView(Protocol):
    """What the address space asks of the server that received a request."""

    def subscribe(self, request: Request) -> list[Reply]:
        """``/notify``: (un)subscribe the request's client."""
        ...

    def subscriber_count(self) -> int: ...

    def status_fields(self) -> list[tuple[str, object]]:
        """The server's own fields of ``/status.reply``."""
        ...


@dataclass
class Request:
    address: str  # the concrete address matched
    args: list[object]
    at: float | None
    client: Client
    server: ServerView | None = None  # None: handled without an OSC server (no subscriptions)
    voice: int = 0  # the voice a per-voice address applies to (/voice/<n>/...; plain: 0)
    voiced: bool = False  # it came as /voice/<n>/... (a plain /note picks a voice itself)


@dataclass
class AddressSpace:
    engine: Engine
    model_names: Callable[[], list[str]] = field(default=lambda: [])

    def __post_init__(self) -> None:
        self.fixed: dict[str, Callable[[Request], list[Reply]]] = {
            "/latent": self._latent_pair, "/latents": self._vector("latent"),
            "/bias": self._pair("bias"), "/biases": self._vector("bias"),
            "/scale": self._pair("scale"), "/scales": self._vector("scale"),
            "/glide": self._number("glide"), "/gain": self._number("gain"),
            "/mute": self._mute, "/source": self._source, "/pan": self._number("pan"),
            "/voices": self._voices, "/note": self._note, "/note/off": self._note_off,
            "/pitch": self._pitch,
            "/drift/mode": self._drift_mode,
            "/drift/rate": self._number("drift_rate"), "/drift/depth": self._number("drift_depth"),
            "/temperature": self._number("temperature"),
            "/input/gain": self._input_level("input_gain"),
            "/input/dry": self._input_level("input_dry"), "/input/file": self._input_file,
            "/model/load": self._model_load, "/model/list": self._model_list,
            "/preset/save": self._preset_save, "/preset/load": self._preset_load,
            "/preset/list": self._preset_list,
            "/record/start": self._record_start, "/record/stop": self._record_stop,
            "/attr/set": self._attr_set, "/attr/get": self._attr_get,
            "/status": self._status, "/sync": self._sync, "/version": self._version,
            "/notify": self._notify,
        }

    # ----------------------------------------------------------------- dispatch
    def addresses(self) -> list[str]:
        size = self.engine.synth.latent_size
        indexed = [f"/{name}/{i}" for name in VECTORS for i in range(size)]
        voices = len(self.engine.controls.voices)
        return [*self.fixed, *indexed, *per_voice_addresses(voices, size)]

    @property
    def max_voices(self) -> int:
        return self.engine.pipe.renderer.max_voices

    def resolve(self, pattern: str) -> list[str]:
        """Concrete addresses for an incoming address or pattern; raises Fail if none."""
        if not pattern.startswith("/"):
            raise Fail("addresses start with '/'")
        if is_pattern(pattern):
            try:
                found = matches(pattern, self.addresses())
            except PatternError as exc:
                raise Fail(str(exc)) from exc
        else:
            found = [pattern] if pattern in self.fixed or self._indexed(pattern) \
                or self._voice_address(pattern) else []
        if not found:
            raise Fail("unknown address")
        return found

    def _indexed(self, address: str) -> tuple[VectorName, int] | None:
        parts = address.split("/")
        name = parts[1] if len(parts) == 3 else ""
        if is_vector(name):
            size = self.engine.synth.latent_size
            # ASCII digits only: str.isdigit() also passes '²', which int() then rejects
            if not (parts[2].isascii() and parts[2].isdigit()):
                raise Fail(f"index '{parts[2]}' is not a whole number")
            digits = parts[2].lstrip("0") or "0"
            # int() refuses more than 4300 digits (an internal error); no index has 10
            if len(digits) > 9 or int(digits) >= size:
                shown = digits if len(digits) <= 12 else f"{digits[:12]}... ({len(digits)} digits)"
                raise Fail(f"index {shown} is outside [0, {size - 1}]")
            return name, int(digits)
        return None

    def _voice_address(self, address: str) -> tuple[int, str] | None:
        """(voice, plain address) of a ``/voice/<n>/...`` address; raises Fail for a voice
        beyond --max-voices or an address a voice does not have; None for other addresses."""
        split = split_voice(address, self.max_voices)
        if split is None:
            return None
        voice, plain = split
        if plain not in PER_VOICE and not self._indexed(plain):
            raise Fail(f"'{plain}' is not an address of a voice (a voice has "
                       f"{', '.join(PER_VOICE)} and /latent/<i>, /bias/<i>, /scale/<i>)")
        return voice, plain

    def handle(self, request: Request) -> list[Reply]:
        split = self._voice_address(request.address)
        if split is not None:
            request.voice, request.address = split
            request.voiced = True
            if request.address in ("/preset", "/preset/load"):
                return self._voice_preset(request)
        indexed = self._indexed(request.address)
        if indexed is not None:
            name, i = indexed
            a.count(request.args, 1)
            value = a.number(request.args[0], name, -LATENT_RANGE, LATENT_RANGE)
            self._post(request, name, (value,), index=i)
            return []
        return self.fixed[request.address](request)

    def _post(self, request: Request, name: EventName, values: tuple[object, ...],
              index: int | None = None) -> None:
        self.engine.post(Event(name, values, index=index, voice=request.voice, at=request.at,
                               reply=(request.client, self._shown(request))))

    @staticmethod
    def _shown(request: Request) -> str:
        """The address as the client sent it, for /fail and /late."""
        return f"/voice/{request.voice}{request.address}" if request.voiced \
            else request.address

    # ----------------------------------------------------------------- controls
    def _latent_pair(self, request: Request) -> list[Reply]:
        return self._pair("latent")(request)

    def _pair(self, name: VectorName) -> Callable[[Request], list[Reply]]:
        def handler(request: Request) -> list[Reply]:
            a.count(request.args, 2)
            i = a.index(request.args[0], self.engine.synth.latent_size)
            value = a.number(request.args[1], name, -LATENT_RANGE, LATENT_RANGE)
            self._post(request, name, (value,), index=i)
            return []
        return handler

    def _vector(self, name: VectorName) -> Callable[[Request], list[Reply]]:
        def handler(request: Request) -> list[Reply]:
            a.count(request.args, 1, self.engine.synth.latent_size)
            values = tuple(a.number(v, name, -LATENT_RANGE, LATENT_RANGE) for v in request.args)
            self._post(request, name, values)
            return []
        return handler

    def _number(self, name: NumberName) -> Callable[[Request], list[Reply]]:
        low, high = NUMBER_RANGES[name]
        what = NUMBER_LABELS[name]

        def handler(request: Request) -> list[Reply]:
            a.count(request.args, 1)
            self._post(request, name, (a.number(request.args[0], what, low, high),))
            return []
        return handler

    def _mute(self, request: Request) -> list[Reply]:
        a.count(request.args, 1)
        self._post(request, "mute", (a.flag(request.args[0], "mute"),))
        return []

    def _source(self, request: Request) -> list[Reply]:
        a.count(request.args, 1)
        name = a.choice(request.args[0], "source", CHOICE_OPTIONS["source"])
        synth = self.engine.synth
        if name == "input" and not synth.can_encode:
            raise Fail(f"model '{synth.name}' cannot encode, so the input source is unavailable")
        if name == "input" and self.engine.input is None:
            lost = self.engine.live_input.error
            raise Fail("no input is open" + (f" (it was lost: {lost})" if lost else
                                             " (start the daemon with --input, or send "
                                             "/input/file)"))
        if name == "prior" and not synth.has_prior:
            raise Fail(f"model '{synth.name}' has no prior")
        self._post(request, "source", (name,))
        return []

    def _input_level(self, name: InputControlName) -> Callable[[Request], list[Reply]]:
        """``/input/gain`` and ``/input/dry`` (dB): set on the engine at once, kept for any
        input opened later; no reply on success, like the other controls."""
        low, high = INPUT_RANGES[name]
        what = {"input_gain": "input gain dB", "input_dry": "dry level dB"}[name]

        def handler(request: Request) -> list[Reply]:
            a.count(request.args, 1)
            self.engine.set_input_level(name, a.number(request.args[0], what, low, high))
            return []
        return handler

    def _input_file(self, request: Request) -> list[Reply]:
        """A file from the daemon's --inputs-dir becomes the input (opened and checked here,
        on the OSC thread: never on the render thread)."""
        a.count(request.args, 1)
        name = a.name(request.args[0], "input file name")
        try:
            self.engine.open_input_file(name)
        except ValueError as exc:  # InputError, PresetError, UnsafePath: the reason
            raise Fail(str(exc)) from exc
        except OSError as exc:
            raise Fail(f"cannot open input '{name}': {exc.strerror or exc}") from exc
        return [("/done", ("/input/file", name))]

    def _drift_mode(self, request: Request) -> list[Reply]:
        a.count(request.args, 1)
        mode = a.choice(request.args[0], "drift mode", CHOICE_OPTIONS["drift_mode"])
        self._post(request, "drift_mode", (mode,))
        return []

    # ----------------------------------------------------------------- models, presets, records
    def _model_load(self, request: Request) -> list[Reply]:
        """A name exactly as /model/list offers it (a stem such as ``rave2``, or a file name
        such as ``rave2.ts``: both load); never a path."""
        a.count(request.args, 1)
        name = a.text(request.args[0], "model name")
        try:
            name = check_name(name)
        except PresetError as exc:
            raise Fail(str(exc)) from exc
        try:
            self.engine.load_model(name, reply=(request.client, request.address))
        except LoadQueueFull as exc:
            raise Fail(str(exc)) from exc
        return []  # /done or /fail follows when the load ends

    def _model_list(self, request: Request) -> list[Reply]:
        """Only names that /model/load takes and would load: the daemon's model policy
        (latentd.models.remote) leaves out links leading outside, files that do not look
        loadable, .ts files when code is not trusted and files over the size cap; names
        breaking the bare-name rule are left out here."""
        a.count(request.args, 0)
        return [("/model/list.reply", tuple(n for n in self.model_names() if _bare(n)))]

    def _preset_save(self, request: Request) -> list[Reply]:
        a.count(request.args, 1)
        name = a.name(request.args[0], "preset name")
        try:
            self.engine.save_preset(name)
        except PresetError as exc:
            raise Fail(str(exc)) from exc
        except OSError as exc:
            raise Fail(f"cannot save preset '{name}': {exc.strerror or exc}") from exc
        return [("/done", ("/preset/save", name))]

    # ----------------------------------------------------------------- voices
    def _voices(self, request: Request) -> list[Reply]:
        """``/voices N``: how many voices play (render thread; the voices that stay go on)."""
        a.count(request.args, 1)
        self._post(request, "voices", (a.whole(request.args[0], "voices", 1, self.max_voices),))
        return []

    def _checked(self, check: Callable[[PitchMap], object]) -> None:
        """``check`` run on the model's pitch map; /fail without one, or with its reason."""
        pitch_map = self.engine.pipe.renderer.pitch_map
        if pitch_map is None:
            raise Fail(no_pitch(self.engine.synth))
        try:
            check(pitch_map)
        except ValueError as exc:
            raise Fail(str(exc)) from exc

    def _note(self, request: Request) -> list[Reply]:
        """``/note pitch [velocity]``: a free voice (plain address) or voice n plays the MIDI
        pitch on the model's pitch dimension (engine/notes.py)."""
        a.count(request.args, 1, 2)
        pitch = a.number(request.args[0], "note", -1e9, 1e9)
        self._checked(lambda pitch_map: pitch_map.check_note(pitch))
        velocity = a.number(request.args[1], "velocity", 0, MAX_VELOCITY) \
            if len(request.args) > 1 else MAX_VELOCITY
        if not request.voiced:
            request.voice = ANY_VOICE
        self._post(request, "note", (pitch, velocity))
        return []

    def _note_off(self, request: Request) -> list[Reply]:
        a.count(request.args, 1)
        pitch = a.number(request.args[0], "note", -1e9, 1e9)
        if not request.voiced:
            request.voice = ANY_VOICE
        self._post(request, "note_off", (pitch,))
        return []

    def _pitch(self, request: Request) -> list[Reply]:
        """``/pitch hz``: the voice's pitch dimension set by frequency."""
        a.count(request.args, 1)
        hz = a.number(request.args[0], "pitch Hz", 0, 1e9)
        self._checked(lambda pitch_map: pitch_map.value(hz))
        self._post(request, "pitch", (hz,))
        return []

    @staticmethod
    def _preset_args(request: Request) -> tuple[str, float]:
        """A preset recall's name and optional morph seconds."""
        a.count(request.args, 1, 2)
        name = a.name(request.args[0], "preset name")
        seconds = a.number(request.args[1], "morph seconds", 0, 600) if len(request.args) > 1 \
            else 0.0
        return name, seconds

    def _voice_preset(self, request: Request) -> list[Reply]:
        """``/voice/<n>/preset name [seconds]``: the preset's first voice onto voice n."""
        name, seconds = self._preset_args(request)
        try:
            data = self.engine.presets.load(name, self.engine.controls.latent_size)
        except PresetError as exc:
            raise Fail(str(exc)) from exc
        self._post(request, "voice_preset", (data, seconds))
        return [("/done", (self._shown(request), name))]

    def _preset_load(self, request: Request) -> list[Reply]:
        name, seconds = self._preset_args(request)
        try:
            self.engine.load_preset(name, seconds, reply=(request.client, request.address))
        except PresetError as exc:
            raise Fail(str(exc)) from exc
        return [("/done", ("/preset/load", name))]

    def _preset_list(self, request: Request) -> list[Reply]:
        a.count(request.args, 0)
        return [("/preset/list.reply", tuple(self.engine.presets.names()))]

    def _record_start(self, request: Request) -> list[Reply]:
        a.count(request.args, 0, 1)
        name = a.name(request.args[0], "recording name") if request.args else None
        try:
            path = self.engine.record_start(name, reply=(request.client, request.address))
        except (PresetError, UnsafePath, RecordingRefused, ValueError) as exc:
            raise Fail(str(exc)) from exc
        except OSError as exc:
            raise Fail(f"cannot start recording: {exc.strerror or exc}") from exc
        return [("/done", ("/record/start", path.name))]  # the file's name: maybe NAME-2.wav

    def _record_stop(self, request: Request) -> list[Reply]:
        a.count(request.args, 0)
        recorder = self.engine.recorder
        path = self.engine.record_stop()
        if path is None or recorder is None:
            ended = getattr(self.engine, "recording_error", None)
            raise Fail(f"not recording (the last recording ended: {ended})" if ended
                       else "not recording")
        return [("/done", ("/record/stop", path.name, float(recorder.seconds)))]

    def _attr_set(self, request: Request) -> list[Reply]:
        if not request.args:
            raise Fail("expected an attribute name and its values")
        name = a.text(request.args[0], "attribute name")
        attributes = self.engine.synth.attributes
        if name not in attributes.names:
            raise Fail(f"unknown attribute '{name}' (the model has: {attributes.names})")
        try:
            self.engine.call_in_render(lambda: attributes.set(name, request.args[1:]))
        except (KeyError, ValueError, TypeError) as exc:
            raise Fail(str(exc)) from exc
        return [("/done", ("/attr/set", name))]

    def _attr_get(self, request: Request) -> list[Reply]:
        a.count(request.args, 1)
        name = a.text(request.args[0], "attribute name")
        attributes = self.engine.synth.attributes
        if name not in attributes.names:
            raise Fail(f"unknown attribute '{name}' (the model has: {attributes.names})")
        values = self.engine.call_in_render(lambda: attributes.get(name))
        return [("/attr.reply", (name, *values))]

    # ----------------------------------------------------------------- server
    def status_args(self, server: ServerView | None = None) -> tuple[object, ...]:
        """``/status.reply``'s pairs; ``server`` adds its clients and its own fields."""
        t = self.engine.snapshot()
        pairs: list[tuple[str, object]] = [
            ("underruns", t.underruns), ("load", round(t.load_mean, 4)),
            ("load_peak", round(t.load_peak, 4)), ("model", t.model),
            ("latent_size", t.latent_size), ("model_rate", t.model_rate),
            ("device_rate", t.device_rate), ("block", t.block_frames),
            ("latency_ms", round(t.latency_ms, 2)),
            ("latency_device_ms", round(t.latency_device_ms, 2)),
            ("latency_ring_ms", round(t.latency_ring_ms, 2)),
            ("latency_model_ms", round(t.latency_model_ms, 2)),
            ("ring_fill", round(t.ring_fill, 3)), ("source", t.source),
            ("clients", server.subscriber_count() if server else 0),
            ("uptime", round(t.uptime, 1)),
            ("recording", t.recording or "none"),
            ("recording_error", t.recording_error or "none"), ("version", __version__),
        ]
        pairs += [("model_state", t.model_state),  # latentd.engine.health (int32 for OSC)
                  ("model_errors", min(t.model_errors, 2**31 - 1)),
                  ("nonfinite_samples", min(t.nonfinite_samples, 2**31 - 1))]
        if server is not None:  # udp_drops, rate_limited, malformed (server.py)
            pairs += server.status_fields()
        backend = self.engine.backend  # the device's own view (latentd.audio.watchdog)
        pairs += [("device_state", backend.device_state),
                  ("device_underflows", backend.device_underflows)]
        # voices (issue 20): how many, and each one's pitch
        pairs += voice_status(t, self.engine.pipe.renderer.pitch_map is not None)
        # the audio input (issue 19): its part and the encoder's of the input-to-output delay
        pairs += [("latency_input_ms", round(t.latency_input_ms, 2)),
                  ("latency_encoder_ms", round(t.latency_encoder_ms, 2)),
                  ("input", t.input or "none")]
        return tuple(item for pair in pairs for item in pair)

    def _status(self, request: Request) -> list[Reply]:
        a.count(request.args, 0)
        return [("/status.reply", self.status_args(request.server))]

    def _sync(self, request: Request) -> list[Reply]:
        a.count(request.args, 1)
        return [("/synced", (a.echo(request.args[0], "sync id"),))]

    def _notify(self, request: Request) -> list[Reply]:
        if request.server is None:
            raise Fail("subscriptions need the OSC server")
        return request.server.subscribe(request)

    def _version(self, request: Request) -> list[Reply]:
        a.count(request.args, 0)
        return [("/version.reply", ("latentd", __version__))]

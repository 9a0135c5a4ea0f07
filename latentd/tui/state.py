"""What the TUI knows about the daemon: the last telemetry, parsed, and a few short histories.

Only what the daemon reported (docs/osc.md "Telemetry for subscribers" and the replies) is kept
here; the widgets draw from it. Feeding it a recorded stream gives the same screen every time,
which the snapshot tests rely on.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

LOAD_HISTORY = 60  # status replies (2 Hz): the last 30 s of render load
PEAK_HOLD = 45  # meter frames (~30 Hz): a peak is held 1.5 s


# what the daemon sends per voice: on the plain address for voice 0, on /voice/<n>/<suffix>
# for the others (docs/osc.md, "Voices")
VOICE_TELEMETRY = ("latent.state", "latent.target", "bias.state", "scale.state", "meter",
                   "controls.state")


def pairs(args: list[Any]) -> dict[str, Any]:
    """A flat name/value list (``/status.reply``, ``/controls.state``) as a dict."""
    return {str(args[i]): args[i + 1] for i in range(0, len(args) - 1, 2)}


def voice_address(address: str) -> tuple[int, str] | None:
    """(n, suffix) of ``/voice/<n>/<suffix>`` telemetry, else None."""
    parts = address.split("/", 3)
    if len(parts) == 4 and parts[1] == "voice" and parts[2].isdigit():
        return int(parts[2]), parts[3]
    return None


@dataclass
class VoiceView:
    """One voice's telemetry, as the latents pane and the voices pane draw it. Voice 0's is the
    plain telemetry (DaemonState's own lists); another voice's is filled from its /voice/<n>/
    messages, and what the daemon has not sent (yet) stays empty rather than guessed."""

    latents: list[float] = field(default_factory=list)
    targets: list[float] = field(default_factory=list)
    biases: list[float] = field(default_factory=list)
    scales: list[float] = field(default_factory=list)
    controls: dict[str, Any] = field(default_factory=dict)
    peak_db: list[float] = field(default_factory=list)
    rms_db: list[float] = field(default_factory=list)

    def feed(self, suffix: str, args: list[Any]) -> None:
        if suffix == "controls.state":
            self.controls = pairs(args)
        elif suffix == "meter":
            values = [float(a) for a in args]
            self.peak_db, self.rms_db = values[0::2], values[1::2]
        elif suffix in VOICE_TELEMETRY:
            name = {"latent.state": "latents", "latent.target": "targets",
                    "bias.state": "biases", "scale.state": "scales"}[suffix]
            setattr(self, name, [float(a) for a in args])

    @property
    def level_db(self) -> float | None:
        """The loudest channel's RMS, or None before the first meter."""
        return max(self.rms_db) if self.rms_db else None


@dataclass
class DaemonState:
    latents: list[float] = field(default_factory=list)  # decoded, heard now
    targets: list[float] = field(default_factory=list)
    biases: list[float] = field(default_factory=list)
    scales: list[float] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    spectrum: list[float] = field(default_factory=list)
    peak_db: list[float] = field(default_factory=list)
    rms_db: list[float] = field(default_factory=list)
    held_db: list[float] = field(default_factory=list)
    controls: dict[str, Any] = field(default_factory=dict)
    status: dict[str, Any] = field(default_factory=dict)
    models: list[str] = field(default_factory=list)
    loads: deque[float] = field(default_factory=lambda: deque(maxlen=LOAD_HISTORY))
    underruns_grew: bool = False
    others: dict[int, VoiceView] = field(default_factory=dict)  # voices 1 .. n-1
    version: int = 0  # bumped on every change: widgets redraw only when it moved
    _hold_age: list[int] = field(default_factory=list)

    @property
    def voice_count(self) -> int:
        """Voices playing, from /status.reply's ``voices`` (1 from a daemon without voices)."""
        return max(1, int(self.status.get("voices", 1)))

    def voice(self, n: int) -> VoiceView:
        """Voice ``n``'s telemetry (voice 0: the plain addresses' lists, shared, not copied).
        The plain /meter is the output's: it is voice 0's level only while voice 0 plays
        alone; with several voices, voice 0's level is /voice/0/meter's, if the daemon sends
        it, else unknown (never the mix's)."""
        if n == 0:
            own = self.others.get(0)  # /voice/0/meter: sent only while several voices play
            if own is not None and own.rms_db and self.voice_count > 1:
                peak, rms = own.peak_db, own.rms_db
            elif self.voice_count == 1:
                peak, rms = self.peak_db, self.rms_db
            else:
                peak, rms = [], []
            return VoiceView(self.latents, self.targets, self.biases, self.scales,
                             self.controls, peak, rms)
        return self.others.get(n, VoiceView())

    def pitch(self, n: int) -> tuple[float | None, str | None]:
        """Voice ``n``'s pitch (Hz, note name) as /status.reply gives it, or Nones."""
        hz, note = self.status.get(f"voice.{n}.pitch_hz"), self.status.get(f"voice.{n}.note")
        return (float(hz) if hz is not None else None), (str(note) if note is not None
                                                          else None)

    @property
    def latent_size(self) -> int:
        return int(self.status.get("latent_size", len(self.latents)))

    def name(self, index: int) -> str:
        return self.names[index] if index < len(self.names) else str(index)

    def feed(self, address: str, args: list[Any]) -> str | None:
        """Take one message. Returns a line for the event log when it is an event (a /done,
        /fail or /late), else None."""
        self.version += 1
        if address == "/meter":
            self._meter([float(a) for a in args])
        elif address == "/latent.state":
            self.latents = [float(a) for a in args]
        elif address == "/latent.target":
            self.targets = [float(a) for a in args]
        elif address == "/bias.state":
            self.biases = [float(a) for a in args]
        elif address == "/scale.state":
            self.scales = [float(a) for a in args]
        elif address == "/spectrum":
            self.spectrum = [float(a) for a in args]
        elif address == "/latent.names":
            self.names = [str(a) for a in args]
        elif address == "/controls.state":
            self.controls = pairs(args)
        elif address == "/status.reply":
            return self._status(pairs(args))
        elif address == "/model/list.reply":
            self.models = [str(a) for a in args]
        elif address in ("/done", "/fail", "/late"):
            return event_line(address, args)
        else:
            voice = voice_address(address)
            if voice is not None and voice[1] in VOICE_TELEMETRY and \
                    (voice[0] >= 1 or voice[1] == "meter"):  # voice 0: only its own meter
                self.others.setdefault(voice[0], VoiceView()).feed(voice[1], args)
        return None

    def _meter(self, values: list[float]) -> None:
        self.peak_db, self.rms_db = values[0::2], values[1::2]
        if len(self.held_db) != len(self.peak_db):
            self.held_db, self._hold_age = list(self.peak_db), [0] * len(self.peak_db)
        for ch, peak in enumerate(self.peak_db):
            self._hold_age[ch] += 1
            if peak >= self.held_db[ch] or self._hold_age[ch] > PEAK_HOLD:
                self.held_db[ch], self._hold_age[ch] = peak, 0

    def _status(self, fields: dict[str, Any]) -> str | None:
        """Keep the status; a line for the log when the model or the recording changed (by
        any client, or a restarted daemon: the replies only tell the client that asked)."""
        lines = []
        model, size = fields.get("model"), fields.get("latent_size")
        if (model, size) != (self.status.get("model"), self.status.get("latent_size")):
            lines.append(f"model {model} plays ({size} latents)")
        recording = fields.get("recording", "none")
        if recording != self.status.get("recording", "none"):
            lines.append(f"recording {recording}" if recording != "none" else
                         f"recording stopped: {self.status.get('recording')}")
        before = self.status.get("underruns")
        if fields.get("uptime", 0.0) < self.status.get("uptime", 0.0):
            self.underruns_grew = False  # another daemon (restarted): the old one's are past
        elif before is not None and fields.get("underruns", before) > before:
            self.underruns_grew = True
        if fields.get("model") != self.status.get("model") or \
                fields.get("latent_size") != self.status.get("latent_size"):
            self.names = []  # another model: its names come with the next /latent.names
        self.status = fields
        for gone in [n for n in self.others if n >= self.voice_count]:
            del self.others[gone]  # that voice stopped: its last telemetry is no longer true
        self.loads.append(float(fields.get("load", 0.0)))
        return "; ".join(lines) or None


def event_line(address: str, args: list[Any]) -> str | None:
    """The event log's line for a reply worth showing (the control /done of /notify is not)."""
    # a float32 reply arg (a recording's length, a morph time) as read: 3.27, not 3.2740135...
    text = " ".join(f"{a:.4g}" if isinstance(a, float) else str(a) for a in args)
    if address == "/done" and args and args[0] == "/notify":
        return None
    if address == "/late":
        return f"late by {float(args[0]):.3f} s" if args else "late"
    return f"{'ok' if address == '/done' else 'FAIL'} {text}"

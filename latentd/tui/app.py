"""The latentd TUI: an App that subscribes to one daemon, draws its telemetry and sends the
performer's keys as OSC at once (docs/tui.md lists the keys, docs/osc.md the messages)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import time
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches

from latentd.engine.control_names import NUMBER_RANGES, SOURCES
from latentd.tui.child import ChildDaemon
from latentd.tui.link import OscLink
from latentd.tui.messages import DaemonExited, DaemonLine
from latentd.tui.screens.dialogs import ModelPicker, SlotPrompt, ValuePrompt
from latentd.tui.screens.help import HelpScreen
from latentd.tui.screens.main import MainScreen
from latentd.tui.state import DaemonState
from latentd.tui.widgets.event_log import EventLog
from latentd.tui.widgets.latents import Latents
from latentd.tui.widgets.pane import Pane
from latentd.tui.widgets.status import Status
from latentd.tui.widgets.voices import Voices

FINE, COARSE = 0.05, 0.5
GLIDES = (0.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2000.0, 5000.0)
MORPHS = (0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
PENDING_SECONDS = 0.5  # a value sent this recently is what the next nudge starts from
REFUSED_SECONDS = 10.0  # a source the daemon refused is skipped by the cycle this long
REDRAW_HZ = 12.0
# controls each voice has on its own: sent to /voice/<n>/... for the selected voice n >= 1 (the
# plain address for voice 0); drift and temperature stay global (docs/osc.md, "Voices")
PER_VOICE = frozenset({"latent", "latents", "bias", "scale", "glide_ms", "gain_db", "pan", "mute",
                       "source"})
PAN_STEP = 0.1
# /controls.state's names whose address differs
ADDRESSES = {"glide_ms": "glide", "gain_db": "gain", "drift_rate": "drift/rate",
             "drift_depth": "drift/depth", "drift_mode": "drift/mode"}


def clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


MODELESS = ("help", "quit")  # the only actions the help screen and dialogs leave to the app


def _keys(*rows: tuple[str, str, str, str, bool, str]) -> list[BindingType]:
    """Bindings from (key, action, footer label, key shown, in footer, help text) rows; the
    help screen is built from the same rows, so it always lists the real keys.

    The performance keys are priority bindings: the app takes them as the terminal delivers
    them, in order. A non-priority binding runs only after the key has gone through the screen,
    so a key typed right after one that opens a dialog ("p3", "2.5⏎") was looked up among the
    dialog's bindings and lost. ``check_action`` turns them off while a dialog is up, so the
    dialog gets its keys."""
    return [Binding(key, action, label, show=show, key_display=display, tooltip=help_text,
                    priority=action.split("(")[0] not in MODELESS)
            for key, action, label, display, show, help_text in rows]


def help_rows(bindings: list[BindingType]) -> list[tuple[str, str]]:
    """(keys, what they do): bindings with the same help text share a row."""
    rows: list[tuple[str, str]] = []
    for binding in bindings:
        if not isinstance(binding, Binding):
            continue
        shown = binding.key_display or binding.key
        if rows and rows[-1][1] == binding.tooltip:
            rows[-1] = (f"{rows[-1][0]} {shown}", binding.tooltip)
        else:
            rows.append((shown, binding.tooltip))
    return [(keys.replace("1 2 3 4 5 6 7 8 9", "1-9"), text) for keys, text in rows]


class LatentdApp(App[int]):
    """``host``/``port``: the daemon. ``connect=False`` draws only what is fed (snapshot
    tests); ``clock`` decides "connected" (frozen in tests); ``child``: ``latentd play``'s
    daemon, stopped on quit."""

    CSS_PATH = "latentd.tcss"
    TITLE = "latentd"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = _keys(
        ("question_mark,f1", "help", "help", "? F1", True, "this help (Esc closes it)"),
        ("q,ctrl+q", "quit", "quit", "q ^q", True, "quit (latentd play also stops its daemon)"),
        ("v", "voice(1)", "voice", "v", True, "select the next / previous voice: the latent, "
         "bias, scale, glide, gain, pan, mute, source and preset keys address it"),
        ("V", "voice(-1)", "prev voice", "V", False, "select the next / previous voice: the "
         "latent, bias, scale, glide, gain, pan, mute, source and preset keys address it"),
        ("up", "select(-1)", "prev dim", "↑", False, "select the dimension above"),
        ("down", "select(1)", "next dim", "↓", False, "select the dimension below"),
        ("left", f"nudge({-FINE})", "nudge -", "←", False,
         f"nudge the selected dimension's target by ±{FINE} (fine)"),
        ("right", f"nudge({FINE})", "nudge", "→", True,
         f"nudge the selected dimension's target by ±{FINE} (fine)"),
        ("shift+left", f"nudge({-COARSE})", "coarse -", "⇧←", False,
         f"nudge it by ±{COARSE} (coarse)"),
        ("shift+right", f"nudge({COARSE})", "coarse +", "⇧→", False,
         f"nudge it by ±{COARSE} (coarse)"),
        ("enter", "type_value('')", "value", "⏎", True,
         "type an exact value for it (Enter sends, Esc cancels)"),
        *[(str(d), f"type_value('{d}')", "type value", str(d), False,
           "start typing an exact value with that digit") for d in range(1, 10)],
        ("0", "zero", "zero", "0", True, "set it to 0 (the typical sound)"),
        ("r", "randomize", "random", "r", True, "a random value for it (about ±1, at most ±3)"),
        ("R", "randomize_all", "random all", "R", False, "random values for every dimension"),
        ("b", "bias(0.1)", "bias +", "b", False, "its bias +0.1 / -0.1"),
        ("B", "bias(-0.1)", "bias -", "B", False, "its bias +0.1 / -0.1"),
        ("k", "scale(0.1)", "scale +", "k", False, "its scale +0.1 / -0.1 (decoded = "
         "source × scale + bias)"),
        ("K", "scale(-0.1)", "scale -", "K", False, "its scale +0.1 / -0.1 (decoded = "
         "source × scale + bias)"),
        ("g", "glide(1)", "glide +", "g", False, "glide time longer / shorter (0 ms to 5 s)"),
        ("G", "glide(-1)", "glide -", "G", False, "glide time longer / shorter (0 ms to 5 s)"),
        ("s", "source", "source", "s", True, "next source: manual, drift, input, prior "
         "(one the daemon refuses, shown in the events, is skipped for 10 s)"),
        ("d", "drift_mode", "drift mode", "d", False, "drift mode: walk or lfo"),
        ("right_square_bracket", "drift_rate(0.05)", "drift rate +", "]", False,
         "drift rate +0.05 / -0.05 Hz"),
        ("left_square_bracket", "drift_rate(-0.05)", "drift rate -", "[", False,
         "drift rate +0.05 / -0.05 Hz"),
        ("right_curly_bracket", "drift_depth(0.05)", "drift depth +", "}", False,
         "drift depth +0.05 / -0.05"),
        ("left_curly_bracket", "drift_depth(-0.05)", "drift depth -", "{", False,
         "drift depth +0.05 / -0.05"),
        ("t", "temperature(0.1)", "temperature +", "t", False,
         "prior temperature +0.1 / -0.1"),
        ("T", "temperature(-0.1)", "temperature -", "T", False,
         "prior temperature +0.1 / -0.1"),
        ("plus,equals_sign", "gain(1)", "gain+", "+", True, "gain +1 dB / -1 dB"),
        ("minus", "gain(-1)", "gain-", "-", True, "gain +1 dB / -1 dB"),
        ("m", "mute", "mute", "m", True, "mute / unmute"),
        ("p", "preset_recall", "preset", "p", True,
         "recall preset slot 1-9 (press p, then the digit), morphing over the morph time"),
        ("P", "preset_save", "save preset", "P", False, "save to preset slot 1-9 (P, digit)"),
        ("o", "morph(1)", "morph time +", "o", False,
         "morph time for recalls longer / shorter (0 to 30 s)"),
        ("O", "morph(-1)", "morph time -", "O", False,
         "morph time for recalls longer / shorter (0 to 30 s)"),
        ("ctrl+r", "record", "record", "^r", True,
         "start / stop recording (the file name shows in the status pane)"),
        ("l", "load_model", "model", "l", True, "load another model (a list to pick from)"),
        ("less_than_sign", f"pan({-PAN_STEP})", "pan left", "<", False,
         f"pan left / right by {PAN_STEP} (-1 left .. +1 right, equal power)"),
        ("greater_than_sign", f"pan({PAN_STEP})", "pan right", ">", False,
         f"pan left / right by {PAN_STEP} (-1 left .. +1 right, equal power)"),
    )

    def __init__(self, host: str = "127.0.0.1", port: int = 57130, *, connect: bool = True,
                 clock: Callable[[], float] = time.monotonic, child: ChildDaemon | None = None,
                 feed: Iterable[tuple[str, list[Any]]] = ()):
        super().__init__()
        self.state = DaemonState()
        self.host, self.port, self.connect, self.child = host, port, connect, child
        self.clock = clock
        self.link = OscLink(host, port, self.received, clock) if connect else None
        self.selected = 0
        self.voice = 0  # the selected voice: the keys address it, the latents pane shows it
        self.morph_index = 0
        self.pending: dict[tuple[int, str, int], tuple[Any, float]] = {}  # (voice, name, index)
        self.want_picker = False
        self.refused: dict[str, float] = {}  # source -> when the daemon refused it
        self.child_status: int | None = None
        self._feed = list(feed)
        self._was_connected: bool | None = None
        self.events: list[str] = []

    # ----------------------------------------------------------------- lifecycle
    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGTERM, self.exit)  # as q: terminal restored
            loop.add_signal_handler(signal.SIGHUP, self.hang_up)
        self.push_screen(MainScreen(self.state))
        for address, args in self._feed:
            self.received(address, args)
        if self.child is not None:
            self.child.start(lambda line: self.from_child(DaemonLine(line)),
                             lambda status: self.from_child(DaemonExited(status)))
        if self.link is not None:
            self.run_worker(self.link.start(), exclusive=True, group="link")
        self.set_interval(1 / REDRAW_HZ, self.redraw)
        self.redraw()

    def from_child(self, message: DaemonLine | DaemonExited) -> None:
        """Called on the child's reader thread. ``post_message`` is thread-safe and never
        waits (``call_from_thread`` waited on a UI thread that may be stopping the daemon);
        what comes after the app has gone (the daemon's shutdown lines after q) is dropped:
        it raised "App is not running" and printed a traceback over the performer's shell."""
        with contextlib.suppress(RuntimeError):  # the event loop is already closed
            self.post_message(message)

    def hang_up(self) -> None:
        """The terminal is gone: nothing can be drawn or restored (an orderly exit would wait
        on it for ever), so stop play's daemon and leave at once, as SIGHUP's default does."""
        if self.child is not None:
            self.child.stop()
        os._exit(128 + signal.SIGHUP)

    def on_unmount(self) -> None:
        if self.link is not None:
            self.link.close()
        if self.child is not None:
            self.child.stop()

    # ----------------------------------------------------------------- incoming
    def received(self, address: str, args: list[Any]) -> None:
        line = self.state.feed(address, args)
        if line is not None:
            self.log_line(line)
        if address == "/fail" and args and str(args[0]).endswith("/source"):
            sent = self.pending.get(self.key("source", -1))
            if sent is not None:  # the daemon cannot play it now: the next cycles skip it
                self.refused[str(sent[0])] = self.clock()
        if address == "/model/list.reply" and self.want_picker:
            self.want_picker = False
            self.push_screen(ModelPicker(self.state.models), self._load_picked)

    def log_line(self, line: str) -> None:
        """Queue a line for the event log; ``redraw`` writes it (the log may not exist yet)."""
        self.events.append(line)

    def on_daemon_line(self, message: DaemonLine) -> None:
        self.log_line(message.line)

    def on_daemon_exited(self, message: DaemonExited) -> None:
        self.child_status = message.status
        self.log_line(f"DAEMON EXITED with status {message.status}")
        self.redraw()

    def connection_text(self) -> str:
        if self.child_status is not None:
            return f"daemon exited (status {self.child_status}): not connected"
        if self.link is None:
            return "replaying recorded telemetry"
        if self.link.connected:
            return "connected"
        if self.child is not None and self.link.last_heard < 0:
            return f"not connected yet: starting the daemon on port {self.port} (its log below)"
        return f"not connected to {self.host}:{self.port}, retrying"

    def main_screen(self) -> MainScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen) and screen.is_mounted:
                return screen
        return None

    def redraw(self) -> None:
        """At REDRAW_HZ: each pane redraws only if the state moved; new events are written."""
        main = self.main_screen()
        if main is None:
            return
        with contextlib.suppress(NoMatches):  # the screen is being built or taken down
            self._redraw(main)

    def _redraw(self, main: MainScreen) -> None:
        text = self.connection_text()
        connected = text == "connected"
        if connected != self._was_connected:
            self._was_connected = connected
            self.log_line(text)
            # what is still drawn is the last the daemon said, not what it does now: dimmed
            main.set_class(not connected and self.link is not None, "-offline")
        if self.events:
            log = main.query_one(EventLog)
            for line in self.events:
                log.add(line)
            self.events.clear()
        status = main.query_one(Status)
        status.connection, status.morph_seconds = text, MORPHS[self.morph_index]
        size = len(self.state.latents)
        if size and self.selected >= size:
            self.selected = size - 1
        self._show_voices(main)
        main.query_one(Latents).selected = self.selected
        for pane in main.query(Pane):
            pane.update_from()

    def _show_voices(self, main: MainScreen) -> None:
        """The voices pane while more than one voice plays; the selection stays on a voice
        that exists (a /voices that removed it falls back to the last one)."""
        count = self.state.voice_count
        self.voice = min(self.voice, count - 1)
        main.set_class(count > 1, "-voices")
        voices = main.query_one(Voices)
        voices.selected = main.query_one(Latents).voice = main.query_one(Status).voice = \
            self.voice
        first, shown = voices.window(count)
        voices.border_title = (f"voices {first}-{first + shown - 1} of {count}" if shown < count
                               else f"voices ({count}): level, source, pitch")
        if not main.has_class("-short"):  # room for every row (80x24 shows a window)
            main.query_one("#top").styles.height = 10 + (count + 2 if count > 1 else 0)

    # ----------------------------------------------------------------- sending
    def send(self, address: str, *args: Any) -> None:
        if self.link is not None:
            self.link.send(address, *args)

    def address(self, name: str) -> str:
        """The address of ``name`` (``latent``, ``drift/rate`` ...) for the selected voice:
        ``/voice/<n>/<name>`` for a per-voice control of voice n >= 1, else ``/<name>``."""
        base = ADDRESSES.get(name, name)
        if self.voice and name in PER_VOICE:
            return f"/voice/{self.voice}/{base}"
        return f"/{base}"

    def key(self, name: str, index: int) -> tuple[int, str, int]:
        """The pending-value key: per voice for per-voice controls (voice 0 for the global
        ones), so a value sent to one voice is not where another voice's nudge starts."""
        return (self.voice if name in PER_VOICE else 0, name, index)

    def current(self, name: str, index: int) -> float:
        """The value a relative key starts from: what was just sent, else what the daemon
        reported for the selected voice (so fast repeats add up before telemetry catches
        up)."""
        sent = self.pending.get(self.key(name, index))
        if sent is not None and self.clock() - sent[1] < PENDING_SECONDS:
            return sent[0]
        voice = self.state.voice(self.voice)
        values = {"latent": voice.targets, "bias": voice.biases,
                  "scale": voice.scales}.get(name, [])
        if index < len(values):
            return values[index]
        return 1.0 if name == "scale" else 0.0

    def set_value(self, name: str, index: int, value: float) -> None:
        value = clamp(value, -16.0, 16.0)
        self.pending[self.key(name, index)] = (value, self.clock())
        self.send(self.address(name), index, float(value))

    def set_control(self, name: str, value: float, low: float, high: float) -> None:
        """A number control (glide, gain, pan, drift, temperature), clamped to its range."""
        value = clamp(value, low, high)
        self.pending[self.key(name, -1)] = (value, self.clock())
        self.send(self.address(name), float(value))

    def control(self, name: str) -> float:
        return float(self.latest(name, 0.0))

    # ----------------------------------------------------------------- actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Performance keys act only on the main screen; on a dialog they are its input."""
        return action in MODELESS or isinstance(self.screen, MainScreen)

    def action_voice(self, step: int) -> None:
        self.voice = (self.voice + step) % self.state.voice_count
        self.redraw()

    def action_select(self, step: int) -> None:
        size = len(self.state.latents)
        if size:
            self.selected = (self.selected + step) % size
            self.redraw()

    def action_nudge(self, step: float) -> None:
        self.set_value("latent", self.selected, self.current("latent", self.selected) + step)

    def action_zero(self) -> None:
        self.set_value("latent", self.selected, 0.0)

    def action_randomize(self) -> None:
        self.set_value("latent", self.selected, clamp(random.gauss(0, 1), -3, 3))

    def action_randomize_all(self) -> None:
        values = [clamp(random.gauss(0, 1), -3, 3) for _ in self.state.latents]
        if values:
            self.send(self.address("latents"), *values)

    def action_type_value(self, initial: str) -> None:
        if not self.state.latents:  # nothing to set before the daemon has said its size
            return
        name = self.state.name(self.selected)
        voice = f"voice {self.voice} " if self.voice else ""
        self.push_screen(ValuePrompt(f"{voice}dimension {self.selected} ({name}) value",
                                     initial),
                         self._typed)

    def _typed(self, value: float | None) -> None:
        if value is not None:
            self.set_value("latent", self.selected, value)

    def action_bias(self, step: float) -> None:
        self.set_value("bias", self.selected, self.current("bias", self.selected) + step)

    def action_scale(self, step: float) -> None:
        self.set_value("scale", self.selected, self.current("scale", self.selected) + step)

    def action_glide(self, step: int) -> None:
        now = self.control("glide_ms")
        index = min(range(len(GLIDES)), key=lambda i: abs(GLIDES[i] - now))
        index = min(len(GLIDES) - 1, max(0, index + step))
        self.set_control("glide_ms", GLIDES[index], *NUMBER_RANGES["glide"])

    def choice(self, name: str, value: Any) -> None:
        """Send a named setting (source, mode, mute), remembered like a nudge's value."""
        self.pending[self.key(name, -1)] = (value, self.clock())
        self.send(self.address(name), value)

    def latest(self, name: str, default: Any) -> Any:
        """A control's value: just sent, else the selected voice's (per-voice controls) or the
        daemon's (global ones) as last reported."""
        sent = self.pending.get(self.key(name, -1))
        if sent is not None and self.clock() - sent[1] < PENDING_SECONDS:
            return sent[0]
        controls = self.state.voice(self.voice).controls if name in PER_VOICE \
            else self.state.controls
        return controls.get(name, default)

    def action_source(self) -> None:
        """The next source the daemon has not refused in the last REFUSED_SECONDS (``input``
        without an open input, ``prior`` on a model without one), so cycling never sticks."""
        now = str(self.latest("source", "manual"))
        start = SOURCES.index(now) if now in SOURCES else -1
        for step in range(1, len(SOURCES) + 1):
            following = SOURCES[(start + step) % len(SOURCES)]
            if self.clock() - self.refused.get(following, -1e9) > REFUSED_SECONDS:
                break
        self.choice("source", following)

    def action_drift_mode(self) -> None:
        now = self.latest("drift_mode", "walk")
        self.choice("drift_mode", "lfo" if now == "walk" else "walk")

    def action_drift_rate(self, step: float) -> None:
        self.set_control("drift_rate", self.control("drift_rate") + step,
                         *NUMBER_RANGES["drift_rate"])

    def action_drift_depth(self, step: float) -> None:
        self.set_control("drift_depth", self.control("drift_depth") + step,
                         *NUMBER_RANGES["drift_depth"])

    def action_temperature(self, step: float) -> None:
        self.set_control("temperature", self.control("temperature") + step,
                         *NUMBER_RANGES["temperature"])

    def action_gain(self, step: float) -> None:
        self.set_control("gain_db", self.control("gain_db") + step, *NUMBER_RANGES["gain"])

    def action_pan(self, step: float) -> None:
        self.set_control("pan", self.control("pan") + step, -1.0, 1.0)

    def action_mute(self) -> None:
        self.choice("mute", 0 if self.latest("mute", 0) else 1)

    def action_morph(self, step: int) -> None:
        self.morph_index = int(clamp(self.morph_index + step, 0, len(MORPHS) - 1))
        self.redraw()

    def action_preset_recall(self) -> None:
        morph = MORPHS[self.morph_index]
        voice = f"voice {self.voice}: " if self.voice else ""
        self.push_screen(SlotPrompt(f"{voice}recall preset, morphing {morph:g} s (o/O change "
                                    "it)"), self._recall)

    def _recall(self, slot: int | None) -> None:
        """Recall into the selected voice (``/voice/<n>/preset/load`` for n >= 1)."""
        if slot is not None:
            address = f"/voice/{self.voice}/preset/load" if self.voice else "/preset/load"
            self.send(address, str(slot), float(MORPHS[self.morph_index]))

    def action_preset_save(self) -> None:
        self.push_screen(SlotPrompt("save preset"), self._save)

    def _save(self, slot: int | None) -> None:
        if slot is not None:
            self.send("/preset/save", str(slot))

    def action_record(self) -> None:
        recording = self.state.status.get("recording", "none")
        self.send("/record/stop" if recording not in ("none", None) else "/record/start")

    def action_load_model(self) -> None:
        self.want_picker = True
        self.send("/model/list")

    def _load_picked(self, name: str | None) -> None:
        if name:
            self.send("/model/load", name)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        keys = help_rows(self.BINDINGS)
        self.push_screen(HelpScreen(keys))

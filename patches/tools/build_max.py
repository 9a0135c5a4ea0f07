"""Build patches/max/*: the latentd abstraction (also a bpatcher), the control patch and the help
file, as Max 8/9 writes them (JSON: boxes with id, maxclass, text, numinlets, numoutlets,
outlettype, patching_rect; patchlines with source and destination).

Run ``python patches/tools/build_max.py [FOLDER]`` after changing this file and commit what it
writes; tests/patches checks the files (and that they are what this script writes).
"""

from __future__ import annotations

import json
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

MAX_DIR = Path(__file__).resolve().parents[1] / "max"
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 57130
RECEIVE_BASE = 20000  # with no third argument: 20000 + a random number below 10000
SLIDERS = 16
# daemon replies and telemetry the abstraction renames (the address without its slashes, as
# the Pd abstraction's [oscparse] does); anything else leaves with its OSC address
# (every address docs/osc.md says the daemon sends: the control patch routes latent.target)
REPLIES = ("/meter", "/latent.state", "/status.reply", "/done", "/fail", "/late", "/synced",
           "/version.reply", "/model/list.reply", "/preset/list.reply", "/attr.reply",
           "/spectrum", "/latent.target", "/bias.state", "/scale.state", "/controls.state",
           "/latent.names", "/meter.input")
# message families with arguments: `gain -6` -> /gain -6
ONE_PART = ("latent", "latents", "bias", "biases", "scale", "scales", "glide", "source",
            "temperature", "gain", "mute", "sync", "notify", "pan", "note", "note/off", "pitch",
            "voices")
# the families whose address addresses one voice: with a voice N (third argument, or `voice
# N`) their [prepend /gain] becomes [prepend /voice/N/gain] (docs/osc.md, "Voices"); `preset
# load` too
PER_VOICE = ("latent", "latents", "bias", "biases", "scale", "scales", "glide", "source",
             "gain", "mute", "pan", "note", "note/off", "pitch")
# the telemetry each voice has: voice N's comes as /voice/N/<name>; an instance for voice N
# outputs it by the plain name and drops the plain one (voice 0's)
VOICE_TELEMETRY = ("meter", "latent.state", "latent.target", "bias.state", "scale.state",
                   "controls.state")
# /voice/<n>/... telemetry is named for voices 1 .. MAX_VOICE (Max's [route] matches whole
# addresses, so each is listed); the daemon's --max-voices defaults to 8
MAX_VOICE = 15
FIRST_PORT = 1024  # a third argument from here on is the receive port (the form before voices)

OUTLET_TYPES = {"b": "bang", "i": "int", "f": "float", "l": "", "s": "", "a": ""}


def counts(text: str) -> tuple[int, int, list[str]]:
    """Inlets, outlets and outlet types of a Max object box (maxclass newobj) by its text."""
    name, *args = text.split()
    if name in ("t", "trigger"):
        return 1, len(args), [OUTLET_TYPES.get(a, "") for a in args]
    if name == "route":
        return len(args) + 1, len(args) + 1, [""] * (len(args) + 1)
    if name == "unpack":
        return 1, len(args), ["" if a == "s" else "int" for a in args]
    if name == "sprintf":
        return max(1, text.count("%")), 1, [""]
    fixed: dict[str, tuple[int, int, list[str]]] = {
        "udpsend": (1, 0, []), "udpreceive": (1, 1, [""]), "prepend": (1, 1, [""]),
        "patcherargs": (1, 2, ["", ""]), "split": (3, 2, ["", ""]), "==": (2, 1, ["int"]),
        "sel": (2, 2, ["bang", ""]), "random": (2, 1, ["int"]), "+": (2, 1, ["int"]),
        "i": (2, 1, ["int"]), "metro": (2, 1, ["bang"]), "loadbang": (1, 1, ["bang"]),
        "zl": (2, 2, ["", ""]), "pack": (2, 1, [""]), "print": (1, 0, []),
        "gate": (2, 1, [""]),
        "latentd": (1, 1, [""]),
    }
    return fixed[name]


class Patcher:
    """One patcher: boxes with ids obj-1, obj-2 ... and patchlines between them."""

    def __init__(self, width: float, height: float, presentation: bool = False) -> None:
        self.rect = [80.0, 80.0, width, height]
        self.presentation = presentation
        self.boxes: list[dict[str, Any]] = []
        self.lines: list[dict[str, Any]] = []

    def box(self, maxclass: str, x: float, y: float, width: float = 100.0,
            height: float = 22.0, *, inlets: int, outlets: int, outlettype: list[str],
            text: str | None = None, **extra: Any) -> str:
        identifier = f"obj-{len(self.boxes) + 1}"
        box: dict[str, Any] = {"id": identifier, "maxclass": maxclass, "numinlets": inlets,
                               "numoutlets": outlets, "patching_rect": [x, y, width, height]}
        if outlets:
            box["outlettype"] = outlettype
        if text is not None:
            box["text"] = text
        box.update(extra)
        self.boxes.append({"box": box})
        return identifier

    def obj(self, x: float, y: float, text: str, width: float | None = None) -> str:
        inlets, outlets, types = counts(text)
        return self.box("newobj", x, y, width or max(40.0, 7.5 * len(text) + 12), 22.0,
                        inlets=inlets, outlets=outlets, outlettype=types, text=text)

    def msg(self, x: float, y: float, text: str, width: float | None = None) -> str:
        return self.box("message", x, y, width or max(40.0, 7.5 * len(text) + 12), 22.0,
                        inlets=2, outlets=1, outlettype=[""], text=text)

    def comment(self, x: float, y: float, text: str, width: float = 300.0,
                lines: int = 1, **extra: Any) -> str:
        if lines > 1:
            extra["linecount"] = lines
        return self.box("comment", x, y, width, 20.0 * lines, inlets=1, outlets=0,
                        outlettype=[], text=text, **extra)

    def ui(self, maxclass: str, x: float, y: float, width: float, height: float,
           **extra: Any) -> str:
        """A user interface object (number, flonum, toggle, button, umenu, multislider ...)."""
        inlets, outlets, types = {
            "number": (1, 2, ["", "bang"]), "flonum": (1, 2, ["", "bang"]),
            "toggle": (1, 1, ["int"]), "button": (1, 1, ["bang"]),
            "umenu": (1, 3, ["int", "", ""]), "multislider": (1, 2, ["", ""]),
            "slider": (1, 1, [""]),
        }[maxclass]
        if maxclass in ("number", "flonum", "toggle", "umenu", "multislider", "slider"):
            extra.setdefault("parameter_enable", 0)
        return self.box(maxclass, x, y, width, height, inlets=inlets, outlets=outlets,
                        outlettype=types, **extra)

    def connect(self, source: str, outlet: int, sink: str, inlet: int) -> None:
        self.lines.append({"patchline": {"destination": [sink, inlet],
                                         "source": [source, outlet]}})

    def chain(self, *boxes: str) -> None:
        for source, sink in pairwise(boxes):
            self.connect(source, 0, sink, 0)

    def render(self) -> str:
        patcher = {
            "fileversion": 1,
            "appversion": {"major": 8, "minor": 6, "revision": 0, "architecture": "x64",
                           "modernui": 1},
            "classnamespace": "box",
            "rect": self.rect,
            "bglocked": 0,
            "openinpresentation": int(self.presentation),
            "default_fontsize": 12.0,
            "default_fontface": 0,
            "default_fontname": "Arial",
            "gridonopen": 1,
            "gridsize": [15.0, 15.0],
            "gridsnaponopen": 1,
            "objectsnaponopen": 1,
            "statusbarvisible": 2,
            "toolbarvisible": 1,
            "boxanimatetime": 200,
            "enablehscroll": 1,
            "enablevscroll": 1,
            "devicewidth": 0.0,
            "description": "",
            "digest": "",
            "tags": "",
            "style": "",
            "subpatcher_template": "",
            "assistshowspatchername": 0,
            "boxes": self.boxes,
            "lines": self.lines,
            "dependency_cache": [],
            "autosave": 0,
        }
        return json.dumps({"patcher": patcher}, indent="\t") + "\n"


def abstraction() -> Patcher:
    """latentd.maxpat: [latentd host port voice recvport] or a bpatcher with those args."""
    p = Patcher(1400.0, 900.0, presentation=True)
    p.comment(20, 10, "latentd: messages named like the OSC addresses in (gain -6, drift rate "
              "0.5, preset load warm 4 ...), replies and telemetry out (meter ..., "
              "latent.state ..., status.reply ..., done ..., fail ...). Arguments: host "
              f"({DEFAULT_HOST}) port ({DEFAULT_PORT}) voice (0) receive port (0: "
              f"{RECEIVE_BASE} + random; a third argument of {FIRST_PORT} or more is the receive "
              "port). voice N changes the voice. Messages starting with / go out as they are.",
              width=760, lines=3,
              presentation=1, presentation_rect=[0.0, 0.0, 230.0, 60.0])
    inlet = p.box("inlet", 20, 80, 30, 30, inlets=0, outlets=1, outlettype=[""],
                  comment="messages named like the OSC addresses")
    udpsend = p.obj(20, 640, f"udpsend {DEFAULT_HOST} {DEFAULT_PORT}")
    families = [*ONE_PART, "status", "version", "drift", "preset", "model", "record", "attr",
                "input", "voice"]
    route = p.obj(20, 130, "route " + " ".join(families))
    p.connect(inlet, 0, route, 0)
    voiced: dict[str, str] = {}  # per-voice family -> its [prepend], re-set for each voice
    for number, family in enumerate(ONE_PART):
        prefix = p.obj(20 + 75 * (number % 7), 180 + 30 * (number // 7), f"prepend /{family}")
        p.connect(route, number, prefix, 0)
        p.connect(prefix, 0, udpsend, 0)
        if family in PER_VOICE:
            voiced[family] = prefix
    for offset, family in enumerate(("status", "version")):
        number = len(ONE_PART) + offset
        bang = p.obj(20 + 120 * offset, 290, "t b")
        message = p.msg(20 + 120 * offset, 320, f"/{family}")
        p.connect(route, number, bang, 0)
        p.chain(bang, message, udpsend)
    base = len(ONE_PART) + 2

    def two_part(outlet: int, x: float, words: tuple[str, ...], family: str,
                 bare: str | None = None, y: float = 380) -> dict[str, str]:
        """``family word args`` -> /family/word args; ``bare``: the word sent without
        arguments (list, stop) also when nothing else matches. Returns each word's
        [prepend]."""
        sub = p.obj(x, y, "route " + " ".join(words))
        p.connect(route, outlet, sub, 0)
        prefixes = {}
        for number, word in enumerate(words):
            if word == bare:
                continue
            prefix = p.obj(x + 20 * number, y + 40 + 30 * number, f"prepend /{family}/{word}")
            p.connect(sub, number, prefix, 0)
            p.connect(prefix, 0, udpsend, 0)
            prefixes[word] = prefix
        if bare is not None:
            bang = p.obj(x + 130, 540, "t b")
            message = p.msg(x + 130, 570, f"/{family}/{bare}")
            if bare in words:
                p.connect(sub, words.index(bare), bang, 0)
            p.connect(sub, len(words), bang, 0)
            p.chain(bang, message, udpsend)
        return prefixes

    two_part(base, 20, ("rate", "depth", "mode"), "drift")
    preset = two_part(base + 1, 200, ("save", "load", "list"), "preset", bare="list")
    voiced["preset/load"] = preset["load"]
    two_part(base + 2, 380, ("load", "list"), "model", bare="list")
    # record start [NAME], record stop
    record = p.obj(560, 380, "route start stop")
    p.connect(route, base + 3, record, 0)
    plain = p.obj(560, 420, "route bang")
    p.connect(record, 0, plain, 0)
    start = p.msg(560, 460, "/record/start")
    named = p.obj(660, 460, "prepend /record/start")
    p.connect(plain, 0, start, 0)
    p.connect(plain, 1, named, 0)
    stop_bang = p.obj(760, 420, "t b")
    stop = p.msg(760, 460, "/record/stop")
    p.connect(record, 1, stop_bang, 0)
    p.chain(stop_bang, stop, udpsend)
    p.connect(start, 0, udpsend, 0)
    p.connect(named, 0, udpsend, 0)
    two_part(base + 4, 820, ("set", "get"), "attr")
    two_part(base + 5, 560, ("gain", "dry", "file"), "input", y=490)
    p.connect(route, base + 7, udpsend, 0)  # /latent/3 0.5 and other raw OSC
    voice = p.obj(1100, 80, "t i i i")  # the voice: `voice N`, or the third argument
    p.connect(route, base + 6, voice, 0)
    set_prefixes(p, voice, voiced)

    # arguments, listening port, subscription now and every 30 s
    args = p.obj(700, 80, f"patcherargs {DEFAULT_HOST} {DEFAULT_PORT} 0 0")
    then = p.obj(700, 110, "t b l")
    parts = p.obj(700, 140, "unpack s i i i")
    p.connect(args, 0, then, 0)
    p.connect(then, 1, parts, 0)
    host = p.obj(700, 200, "prepend host")
    port = p.obj(800, 200, "prepend port")
    p.connect(parts, 0, host, 0)
    p.connect(parts, 1, port, 0)
    p.connect(host, 0, udpsend, 0)
    p.connect(port, 0, udpsend, 0)
    chosen = p.obj(900, 170, "sel 0")
    # third argument: the voice, or (1024 and up) the receive port; fourth: the receive port
    voice_or_port = p.obj(1000, 140, f"split 0 {FIRST_PORT - 1}")
    voice_then_port = p.obj(1000, 170, "t b i")
    fourth = p.obj(1000, 200, "i")
    p.connect(parts, 3, fourth, 1)
    p.connect(parts, 2, voice_or_port, 0)
    p.connect(voice_or_port, 0, voice_then_port, 0)
    p.connect(voice_then_port, 1, voice, 0)
    p.connect(voice_then_port, 0, fourth, 0)
    p.connect(fourth, 0, chosen, 0)
    p.connect(voice_or_port, 1, chosen, 0)
    pick = p.obj(900, 200, "random 10000")
    shifted = p.obj(900, 230, f"+ {RECEIVE_BASE}")
    p.connect(chosen, 0, pick, 0)
    p.connect(pick, 0, shifted, 0)
    listen = p.obj(900, 270, "t i i i")
    p.connect(shifted, 0, listen, 0)
    p.connect(chosen, 1, listen, 0)
    udpreceive = p.obj(900, 560, f"udpreceive {RECEIVE_BASE}")
    listen_port = p.obj(1000, 300, "prepend port")
    p.connect(listen, 2, listen_port, 0)
    p.connect(listen_port, 0, udpreceive, 0)
    remembered = p.obj(900, 360, "i")
    p.connect(listen, 1, remembered, 1)
    report = p.obj(780, 300, "prepend recvport")
    p.connect(listen, 0, report, 0)
    renew = p.obj(700, 330, "metro 30000")
    p.connect(then, 0, renew, 0)
    p.connect(renew, 0, remembered, 0)
    notify = p.obj(900, 390, "prepend /notify 1")
    p.chain(remembered, notify, udpsend)
    shown = p.ui("number", 240, 640, 60, 22, presentation=1,
                 presentation_rect=[150.0, 62.0, 60.0, 22.0])
    p.comment(310, 640, "<- the port it listens on", width=160, presentation=1,
              presentation_rect=[0.0, 62.0, 150.0, 20.0])
    p.connect(listen, 0, shown, 0)

    # replies and telemetry out, named by their address without slashes
    outlet = p.box("outlet", 900, 680, 30, 30, inlets=1, outlets=0, outlettype=[],
                   comment="replies and telemetry: meter ..., done ..., fail ...")
    replies = p.obj(900, 600, "route " + " ".join(REPLIES))
    p.connect(udpreceive, 0, replies, 0)
    voice_zero = p.obj(1100, 110, "== 0")
    p.connect(voice, 1, voice_zero, 0)
    plain_gate = p.obj(700, 680, "gate 1 1")  # voice 0's telemetry: only for voice 0
    p.connect(voice_zero, 0, plain_gate, 0)
    p.connect(plain_gate, 0, outlet, 0)
    for number, address in enumerate(REPLIES):
        name = address[1:].replace("/", " ")
        rename = p.obj(560 + 40 * (number % 6), 620 + 25 * (number // 6), f"prepend {name}")
        p.connect(replies, number, rename, 0)
        p.connect(rename, 0, plain_gate if name in VOICE_TELEMETRY else outlet,
                  1 if name in VOICE_TELEMETRY else 0)
    voice_telemetry(p, replies, len(REPLIES), voice, voice_zero, outlet)
    p.connect(report, 0, outlet, 0)
    return p


def set_prefixes(p: Patcher, voice: str, voiced: dict[str, str]) -> None:
    """Each per-voice family's [prepend /gain] is set to /gain for voice 0 and to
    /voice/N/gain for voice N (Max's [prepend] takes `set ...`)."""
    zero = p.obj(1100, 140, "sel 0")
    p.connect(voice, 2, zero, 0)
    for number, (family, prefix) in enumerate(voiced.items()):
        x, y = 1100 + 150 * (number % 2), 170 + 30 * number
        plain = p.msg(x, y, f"set /{family}")
        numbered = p.obj(x + 60, y + 15, f"sprintf set /voice/%ld/{family}")
        p.connect(zero, 0, plain, 0)
        p.connect(zero, 1, numbered, 0)
        p.connect(plain, 0, prefix, 0)
        p.connect(numbered, 0, prefix, 0)


def voice_telemetry(p: Patcher, replies: str, others: int, voice: str, voice_zero: str,
                    outlet: str) -> None:
    """What [route] of the known replies did not take: /voice/N/<name> telemetry comes out
    as `<name> ...` from an instance for voice N (the other voices' is dropped) and as
    `voice N <name> ...` from one for voice 0, as Pd's abstraction does; anything else
    leaves as it came."""
    names = [(n, name) for n in range(1, MAX_VOICE + 1) for name in VOICE_TELEMETRY]
    route = p.obj(900, 720, "route " + " ".join(f"/voice/{n}/{name}" for n, name in names))
    p.connect(replies, others, route, 0)
    p.connect(route, len(names), outlet, 0)
    fan = p.obj(1000, 780, "t l l")
    for number, (n, name) in enumerate(names):
        tagged = p.obj(900 + 40 * (number % 12), 750 + 4 * (number // 12), f"prepend {n} {name}")
        p.connect(route, number, tagged, 0)
        p.connect(tagged, 0, fan, 0)
    # voice N: `n name ...` with n == N leaves as `name ...`
    number_rest = p.obj(1000, 810, "zl slice 1")
    rest = p.obj(1100, 870, "zl reg")
    same = p.obj(1000, 840, "== 0")
    matched = p.obj(1000, 870, "sel 1")
    p.connect(fan, 1, number_rest, 0)
    p.connect(number_rest, 1, rest, 1)
    p.connect(number_rest, 0, same, 0)
    p.connect(voice, 0, same, 1)
    p.chain(same, matched, rest, outlet)
    # voice 0: every voice's, as `voice n name ...`
    named = p.obj(1200, 810, "prepend voice")
    all_voices = p.obj(1200, 840, "gate 1 1")
    p.connect(fan, 0, named, 0)
    p.connect(voice_zero, 0, all_voices, 0)
    p.connect(named, 0, all_voices, 1)
    p.connect(all_voices, 0, outlet, 0)


def control() -> Patcher:
    """latentd-control.maxpat: the performance patch, the Max twin of latentd-control.pd."""
    p = Patcher(1200.0, 760.0)
    p.comment(20, 10, "latentd control: start the daemon (latentd serve), then play. "
              "See patches/README.md.", width=600)
    daemon = p.obj(20, 700, f"latentd {DEFAULT_HOST} {DEFAULT_PORT} 0 0")
    printer = p.obj(800, 760, "print latentd")
    out = p.obj(20, 730, "route meter latent.state status.reply model preset done fail "
                         "version.reply spectrum latent.target")
    p.connect(daemon, 0, out, 0)

    def send(source: str, outlet: int = 0) -> None:
        p.connect(source, outlet, daemon, 0)

    # latents: one multislider sets the leading dimensions, another shows the decoded ones
    p.comment(20, 40, f"latents (-16 .. 16), {SLIDERS} sliders; below: decoded, heard now")
    sliders = p.ui("multislider", 20, 60, 400, 140, size=SLIDERS, setminmax=[-16.0, 16.0],
                   setstyle=1, orientation=0)
    leading = p.obj(440, 60, f"zl slice {SLIDERS}")
    latents = p.obj(440, 90, "prepend latents")
    p.connect(sliders, 0, leading, 0)
    p.chain(leading, latents)
    send(latents)
    decoded = p.ui("multislider", 20, 210, 400, 80, size=SLIDERS, setminmax=[-16.0, 16.0],
                   setstyle=1, orientation=0, ignoreclick=1)
    show_decoded = p.obj(440, 210, "prepend set")
    p.connect(out, 1, show_decoded, 0)
    p.connect(show_decoded, 0, decoded, 0)

    # bias and scale of one dimension
    p.comment(20, 300, "dimension, bias, scale")
    index = p.ui("number", 20, 320, 50, 22, minimum=0)
    for number, name in enumerate(("bias", "scale")):
        value = p.ui("flonum", 80 + 70 * number, 320, 60, 22, minimum=-16.0, maximum=16.0)
        then = p.obj(80 + 70 * number, 350, "t b f")
        stored = p.obj(80 + 70 * number, 380, "i")
        pair = p.obj(80 + 70 * number, 410, "pack 0 0.")
        prefix = p.obj(80 + 70 * number, 440, f"prepend {name}")
        p.connect(value, 0, then, 0)
        p.connect(then, 1, pair, 1)
        p.connect(then, 0, stored, 0)
        p.connect(index, 0, stored, 1)
        p.chain(stored, pair, prefix)
        send(prefix)

    # glide, source, drift, temperature, gain, mute
    controls = (("glide", "number", "glide ms", 0, 60000), ("drift rate", "flonum",
                "drift rate Hz", 0, 20), ("drift depth", "flonum", "drift depth", 0, 16),
                ("temperature", "flonum", "temperature", 0, 5),
                ("gain", "flonum", "gain dB", -120, 24),
                ("input gain", "flonum", "input gain dB", -120, 24),
                ("input dry", "flonum", "input dry dB", -120, 24))
    for row, (command, kind, label, low, high) in enumerate(controls):
        y = 480 + 30 * row
        p.comment(20, y, label, width=100)
        box = p.ui(kind, 120, y, 60, 22, minimum=float(low), maximum=float(high))
        prefix = p.obj(190, y, f"prepend {command}")
        p.connect(box, 0, prefix, 0)
        send(prefix)
    p.comment(300, 480, "source", width=60)
    source = p.ui("umenu", 360, 480, 90, 22, items=["manual", ",", "drift", ",", "input", ",",
                                                     "prior"])
    source_to = p.obj(460, 480, "prepend source")
    p.connect(source, 1, source_to, 0)
    send(source_to)
    p.comment(300, 510, "drift", width=60)
    mode = p.ui("umenu", 360, 510, 90, 22, items=["walk", ",", "lfo"])
    mode_to = p.obj(460, 510, "prepend drift mode")
    p.connect(mode, 1, mode_to, 0)
    send(mode_to)
    p.comment(300, 540, "mute", width=60)
    mute = p.ui("toggle", 360, 540, 22, 22)
    mute_to = p.obj(460, 540, "prepend mute")
    p.connect(mute, 0, mute_to, 0)
    send(mute_to)

    # the voice these controls address (its telemetry then sets the sliders), and notes
    p.comment(300, 570, "voice", width=50)
    voice = p.ui("number", 360, 570, 50, 22, minimum=0)
    voice_to = p.obj(420, 570, "prepend voice")
    p.connect(voice, 0, voice_to, 0)
    send(voice_to)
    p.comment(300, 600, "note, velocity, off", width=120)
    note = p.ui("number", 420, 600, 50, 22, minimum=0, maximum=127)
    velocity = p.ui("number", 480, 600, 50, 22, minimum=0, maximum=127)
    off = p.ui("button", 540, 600, 22, 22)
    played = p.obj(420, 630, "pack 0 100")
    p.connect(note, 0, played, 0)
    p.connect(velocity, 0, played, 1)
    play = p.obj(420, 660, "prepend note")
    p.chain(played, play)
    send(play)
    last = p.obj(540, 630, "i")
    p.connect(note, 0, last, 1)
    p.connect(off, 0, last, 0)
    release = p.obj(540, 660, "prepend note/off")
    p.chain(last, release)
    send(release)

    # presets by number (a whole number is a name) or from the list, with a morph time
    p.comment(620, 40, "preset slot, morph s, save / load; list -> menu (loads)")
    slot = p.ui("number", 620, 60, 50, 22, minimum=0)
    morph = p.ui("flonum", 680, 60, 50, 22, minimum=0.0, maximum=600.0)
    save = p.ui("button", 740, 60, 22, 22)
    load = p.ui("button", 770, 60, 22, 22)
    listing = p.msg(800, 60, "preset list")
    send(listing)
    saved = p.obj(620, 100, "i")
    p.connect(slot, 0, saved, 1)
    p.connect(save, 0, saved, 0)
    save_to = p.obj(620, 130, "prepend preset save")
    p.chain(saved, save_to)
    send(save_to)
    loaded = p.obj(780, 100, "i")
    p.connect(slot, 0, loaded, 1)
    p.connect(load, 0, loaded, 0)
    with_morph = p.obj(780, 130, "pack 0 0.")
    p.connect(morph, 0, with_morph, 1)
    p.chain(loaded, with_morph)
    load_to = p.obj(780, 160, "prepend preset load")
    p.chain(with_morph, load_to)
    send(load_to)
    presets = p.ui("umenu", 620, 190, 150, 22)
    by_name = p.obj(780, 190, "pack s 0.")
    p.connect(morph, 0, by_name, 1)
    p.connect(presets, 1, by_name, 0)
    by_name_to = p.obj(780, 220, "prepend preset load")
    p.chain(by_name, by_name_to)
    send(by_name_to)

    # record, models
    p.comment(620, 260, "record")
    record = p.ui("toggle", 680, 260, 22, 22)
    on = p.obj(720, 260, "sel 1")
    p.connect(record, 0, on, 0)
    start = p.msg(720, 290, "record start")
    stop = p.msg(820, 290, "record stop")
    p.connect(on, 0, start, 0)
    p.connect(on, 1, stop, 0)
    send(start)
    send(stop)
    p.comment(620, 330, "models: list, then choose")
    list_models = p.msg(620, 350, "model list")
    send(list_models)
    models = p.ui("umenu", 720, 350, 150, 22)
    model_to = p.obj(880, 350, "prepend model load")
    p.connect(models, 1, model_to, 0)
    send(model_to)
    for number, (family, menu) in enumerate((("model", models), ("preset", presets))):
        reply = p.obj(200 + 200 * number, 760, "route list.reply")
        p.connect(out, 3 + number, reply, 0)
        fill = p.obj(200 + 200 * number, 790, "t l b")
        clear = p.msg(300 + 200 * number, 820, "clear")
        each = p.obj(200 + 200 * number, 820, "zl iter 1")
        append = p.obj(200 + 200 * number, 850, "prepend append")
        p.connect(reply, 0, fill, 0)
        p.connect(fill, 1, clear, 0)
        p.connect(fill, 0, each, 0)
        p.chain(each, append)
        p.connect(clear, 0, menu, 0)
        p.connect(append, 0, menu, 0)
        del family
    # the menus fill themselves whenever the daemon confirms the subscription (done /notify
    # 1): at load, every 30 s, and when a daemon started after the patch first answers
    confirmed = p.obj(620, 400, "route /notify")
    p.connect(out, 5, confirmed, 0)
    ask = p.msg(620, 430, "model list, preset list")
    p.chain(confirmed, ask)
    send(ask)

    # the rest of the vocabulary, as clickable messages
    p.comment(900, 40, "more (click):")
    extras = ("status", "version", "sync 1", "attr get learn_target", "attr set learn_target 1",
              "latents 0 0 0 0 0 0 0 0", "biases 0 0 0 0 0 0 0 0", "scales 1 1 1 1 1 1 1 1",
              "/latent/* 0", "input file take.wav")
    for row, text in enumerate(extras):
        send(p.msg(900, 60 + 28 * row, text))

    # telemetry and replies
    p.comment(620, 470, "meter: peak rms per channel (dBFS)")
    meters = p.ui("multislider", 620, 490, 120, 80, size=4, setminmax=[-120.0, 0.0],
                  setstyle=1, ignoreclick=1)
    show_meters = p.obj(750, 490, "prepend set")
    p.connect(out, 0, show_meters, 0)
    p.connect(show_meters, 0, meters, 0)
    pairs = p.obj(620, 590, "zl iter 2")
    p.connect(out, 2, pairs, 0)
    fields = ("load", "underruns", "latency_ms", "latent_size", "clients")
    pick = p.obj(620, 620, "route " + " ".join(fields))
    p.connect(pairs, 0, pick, 0)
    for number, field in enumerate(fields):
        p.comment(620 + 100 * number, 650, field, width=95)
        shown = p.ui("flonum", 620 + 100 * number, 670, 80, 22)
        p.connect(pick, number, shown, 0)
        if field == "latent_size":
            p.connect(pick, number, leading, 1)
    for number, family in enumerate(("done", "fail")):
        p.comment(900, 330 + 50 * number, f"last {family}")
        box = p.msg(900, 350 + 50 * number, "", width=280)
        show = p.obj(1000, 330 + 50 * number, "prepend set")
        p.connect(out, 5 + number, show, 0)
        p.connect(show, 0, box, 0)
        tagged = p.obj(1100, 330 + 50 * number, f"prepend {family}")
        p.connect(out, 5 + number, tagged, 0)
        p.connect(tagged, 0, printer, 0)
    version = p.msg(900, 450, "", width=200)
    show_version = p.obj(1000, 430, "prepend set")
    p.connect(out, 7, show_version, 0)
    p.connect(show_version, 0, version, 0)
    p.comment(900, 480, "spectrum (dB)")
    spectrum = p.ui("multislider", 900, 500, 256, 80, size=32, setminmax=[-120.0, 0.0],
                    setstyle=1, ignoreclick=1)
    show_spectrum = p.obj(1000, 590, "prepend set")
    p.connect(out, 8, show_spectrum, 0)
    p.connect(show_spectrum, 0, spectrum, 0)
    # anything else goes to the Max window, but not the telemetry this patch does not show
    # (30 times a second it would bury the done/fail lines)
    quiet = p.obj(800, 730, "route bias.state scale.state controls.state meter.input "
                            "latent.names voice")
    p.connect(out, 10, quiet, 0)
    p.connect(quiet, 6, printer, 0)
    # the latent sliders start where the daemon is: the first /latent.target sets them
    # (without output); "resync" lets the next one through again
    first = p.obj(440, 130, "gate 1 1")
    once = p.obj(440, 160, "t l b")
    close = p.msg(520, 190, "0")
    resync = p.msg(520, 130, "1")
    p.comment(560, 130, "<- resync", width=70)
    show = p.obj(440, 190, "prepend set")
    p.connect(out, 9, first, 1)
    p.chain(first, once)
    p.connect(once, 1, close, 0)
    p.connect(close, 0, first, 0)
    p.connect(resync, 0, first, 0)
    p.connect(confirmed, 0, resync, 0)  # and whenever the daemon confirms the subscription
    p.connect(voice_to, 0, resync, 0)  # and when another voice is chosen
    p.connect(once, 0, show, 0)
    p.connect(show, 0, sliders, 0)
    return p


def help_file() -> Patcher:
    """latentd.maxhelp: the abstraction as a bpatcher, every message family, the outlet."""
    p = Patcher(900.0, 860.0)
    p.comment(20, 10, "latentd - control a latentd daemon over OSC. Start it first: latentd "
              "serve. Arguments: host port voice receive-port (0: voice 0, a random port; a third "
              f"argument of {FIRST_PORT} or more is the receive port). Messages in, named like the "
              "OSC addresses; replies and telemetry out, named by their address. With a voice N, "
              "the per-voice messages go to /voice/N/... and voice N's telemetry comes out by "
              "the plain names: [latentd 127.0.0.1 57130 2] plays voice 2.", width=820, lines=3)
    daemon = p.box("bpatcher", 20, 760, 240, 90, inlets=1, outlets=1, outlettype=[""],
                   name="latentd.maxpat", args=[DEFAULT_HOST, DEFAULT_PORT, 0, 0], bgmode=0,
                   border=0, clickthrough=0, enablehscroll=0, enablevscroll=0,
                   lockeddragscroll=0, offset=[0.0, 0.0], viewvisibility=1)
    messages = ("latent 0 0.5", "latents 0.1 -0.4 1.2 0", "bias 1 0.3", "biases 0 0 0 0",
                "scale 1 2", "scales 1 1 1 1", "glide 200", "source drift", "drift mode lfo",
                "drift rate 0.5", "drift depth 1", "temperature 0.8", "gain -6", "mute 1",
                "mute 0", "preset save warm", "preset load warm 4", "preset list",
                "record start", "record stop", "model list", "model load default",
                "attr get learn_target", "attr set learn_target 1", "status", "version",
                "sync 7", "/latent/1 -0.5", "input gain -6", "input dry -20",
                "input file take.wav", "voices 4", "voice 2", "voice 0", "pan -0.5",
                "note 60 100", "note/off 60", "pitch 440")
    for row, text in enumerate(messages):
        send = p.msg(20 + 220 * (row // 20), 60 + 30 * (row % 20), text)
        p.connect(send, 0, daemon, 0)
    p.comment(480, 60, "Out, named by the address: meter peak rms ..., latent.state v0 v1 "
              "..., status.reply name value ..., spectrum ..., latent.target ..., "
              "controls.state ... (telemetry, ~30 a second: kept out of the Max window here); "
              "done ADDRESS ..., fail ADDRESS REASON, late, synced ID, version.reply, model "
              "list.reply NAMES, preset list.reply NAMES, attr.reply, recvport N (the Max "
              "window).", width=380, lines=7)
    # the Max window shows the replies; the telemetry (~200 lines a second) would bury them
    telemetry = p.obj(300, 770, "route meter latent.state spectrum latent.target bias.state "
                                "scale.state")
    more = p.obj(300, 800, "route controls.state meter.input latent.names status.reply voice")
    printer = p.obj(300, 830, "print latentd")
    p.connect(daemon, 0, telemetry, 0)
    p.connect(telemetry, 6, more, 0)
    p.connect(more, 5, printer, 0)
    p.comment(480, 200, "A performance patch: latentd-control.maxpat (beside this file).",
              width=380)
    return p


def main(out: Path = MAX_DIR) -> None:
    """Write the three files into ``out`` (patches/max, or another folder to compare)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "latentd.maxpat").write_text(abstraction().render())
    (out / "latentd-control.maxpat").write_text(control().render())
    (out / "latentd.maxhelp").write_text(help_file().render())


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else MAX_DIR)

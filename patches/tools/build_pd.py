"""Build patches/pd/*.pd: the [latentd] abstraction, its help patch and the control patch.

Run ``python patches/tools/build_pd.py [FOLDER]`` after changing this file and commit the .pd
files it writes: Pd users open those, and tests/patches check them (records, connections, a
real Pd, and that they are what this script writes).
"""

from __future__ import annotations

import sys
from pathlib import Path

from pdfile import Canvas, iemgui  # the script's folder is on sys.path when it runs

PD_DIR = Path(__file__).resolve().parents[1] / "pd"

# message families whose OSC address has two parts: `drift rate 0.5` -> /drift/rate 0.5
TWO_PART = ("drift", "preset", "model", "record", "attr", "input")
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 57130
# with no third argument the abstraction listens on 20000 + ($0 mod 10000): $0 differs for every
# abstraction in one Pd, so two [latentd] in one Pd never ask for the same port
RECEIVE_BASE = 20000
# the words whose address addresses one voice: with a voice N (third argument, or the message
# `voice N`) they go to /voice/N/<address> (docs/osc.md, "Voices"); `preset` only for `preset
# load`; everything else (model, record, notify, drift ...) stays plain
PER_VOICE = ("latent", "latents", "bias", "biases", "scale", "scales", "glide", "gain", "pan",
             "mute", "source", "note", "note/off", "pitch")
# the telemetry each voice has: voice N's comes as /voice/N/<name>; an instance for voice N
# outputs it by the plain name and drops the plain one (voice 0's)
VOICE_TELEMETRY = ("meter", "latent.state", "latent.target", "bias.state", "scale.state",
                   "controls.state")
FIRST_PORT = 1024  # a third argument from here on is the receive port (the form before voices)
RENEW_MS = 30000
HOP_WAIT_MS, MAX_HOPS = 3000, 10
# the control patch's latent sliders (the daemon takes latents up to 1024; a patch shows 16)
SLIDERS = 16
LATENT_RANGE = 16.0
MENU_ROW = 22  # the height of a symbol box at font 12: the menus' radio rows match it
# the daemon's defaults, shown by the control patch's sliders until they are moved
# (the input's trim and dry level too: no telemetry reports them, so they start at the defaults)
SLIDER_DEFAULTS = (("bias", 0), ("scale", 1), ("drift-rate", 0.2), ("drift-depth", 0.3),
                   ("temperature", 1), ("gain", 0), ("input-gain", 0), ("input-dry", -120))


def abstraction() -> Canvas:
    """[latentd host port voice recvport]: Pd messages in, OSC out; the daemon's replies and
    telemetry out as Pd messages named by their address."""
    c = Canvas(width=1400, height=800)
    c.comment(20, 10, "latentd: Pd messages named like the OSC addresses in, replies and "
              "telemetry out. Arguments: host (127.0.0.1) port (57130) voice (0) receive port "
              "(20000 + $0 mod 10000); a third argument of 1024 or more is the receive port. "
              "voice N changes the voice. Help: latentd-help.pd", width=110)

    # --- sending: `latent 0 0.5` -> /latent 0 0.5, `drift rate 0.5` -> /drift/rate 0.5 ---
    inlet = c.obj(20, 70, "inlet")
    voice_message = c.obj(20, 40, "route voice")
    set_voice = c.obj(120, 40, "s $0-voice")
    c.connect(voice_message, 0, set_voice, 0)
    as_list = c.obj(20, 100, "list")
    c.connect(inlet, 0, voice_message, 0)
    c.connect(voice_message, 1, as_list, 0)
    fan = c.obj(20, 130, "t a a a")
    first = c.obj(200, 160, "list split 1")
    family = c.obj(200, 190, "sel " + " ".join(TWO_PART))
    two = c.msg(200, 220, "2")
    one = c.msg(420, 220, "1")
    parts = c.obj(200, 250, "t f f")
    address = c.obj(110, 290, "list split 1")
    set_address = c.obj(110, 320, "list prepend set")
    trim_set = c.obj(110, 350, "list trim")
    arguments = c.obj(20, 390, "list split 1")
    oscformat = c.obj(20, 430, "oscformat")
    netsend = c.obj(20, 460, "netsend -u -b")
    c.comment(120, 100, "anything -> list: the selector becomes the first element")
    c.comment(330, 250, "how many leading words make the address")
    c.comment(240, 350, "<- address first")
    c.comment(120, 390, "<- then the arguments")
    c.chain(as_list, fan)
    c.connect(fan, 2, first, 0)
    c.connect(first, 0, family, 0)
    for index in range(len(TWO_PART)):
        c.connect(family, index, two, 0)
    c.connect(family, len(TWO_PART), one, 0)
    c.connect(two, 0, parts, 0)
    c.connect(one, 0, parts, 0)
    c.connect(parts, 1, address, 1)
    c.connect(parts, 0, arguments, 1)
    c.connect(fan, 1, address, 0)
    c.chain(set_address, trim_set, oscformat)
    voiced_address(c, address, set_address)
    c.connect(fan, 0, arguments, 0)
    c.connect(arguments, 1, oscformat, 0)
    c.connect(oscformat, 0, netsend, 0)

    # --- arguments: zeros (or none) mean the defaults ---
    loadbang = c.obj(520, 70, "loadbang")
    ask_args = c.msg(520, 100, "args")
    pdcontrol = c.obj(520, 130, "pdcontrol")
    pad = c.obj(520, 160, "list append 0 0 0 0")
    then = c.obj(520, 190, "t b a")
    split_host = c.obj(560, 220, "list split 1")
    ports = c.obj(640, 250, "unpack f f f")
    port_zero = c.obj(640, 280, "sel 0")
    default_port = c.msg(640, 310, str(DEFAULT_PORT))
    host_and_port = c.obj(560, 400, "list append")
    receive_zero = c.obj(760, 280, "sel 0")
    dollar_zero = c.obj(760, 310, "f $0")
    modulo = c.obj(760, 340, "mod 10000")
    offset = c.obj(760, 370, f"+ {RECEIVE_BASE}")
    receive_port = c.obj(700, 430, "f")
    host_trim = c.obj(560, 280, "list trim")
    host_number = c.obj(560, 310, "route float")
    default_host = c.msg(480, 340, f"list {DEFAULT_HOST}")
    host_symbol = c.obj(600, 340, "list")
    connect = c.msg(560, 430, "connect $1 $2")
    c.comment(690, 160, "pad missing arguments with 0")
    c.chain(loadbang, ask_args, pdcontrol, pad, then)
    c.connect(then, 1, split_host, 0)
    c.connect(split_host, 1, ports, 0)
    c.connect(ports, 0, port_zero, 0)
    c.connect(port_zero, 0, default_port, 0)
    c.connect(port_zero, 1, host_and_port, 1)
    c.connect(default_port, 0, host_and_port, 1)
    # third argument: the voice, or (1024 and up) the receive port; fourth: the receive port
    voice_or_port = c.obj(900, 250, f"moses {FIRST_PORT}")
    voice_then_port = c.obj(900, 280, "t b f")
    voice_argument = c.obj(1000, 310, "s $0-voice")
    fourth = c.obj(900, 340, "f")
    c.connect(ports, 2, fourth, 1)
    c.connect(ports, 1, voice_or_port, 0)
    c.connect(voice_or_port, 0, voice_then_port, 0)
    c.connect(voice_then_port, 1, voice_argument, 0)
    c.connect(voice_then_port, 0, fourth, 0)
    c.connect(fourth, 0, receive_zero, 0)
    c.connect(voice_or_port, 1, receive_zero, 0)
    c.chain(receive_zero, dollar_zero, modulo, offset)
    c.connect(offset, 0, receive_port, 1)
    c.connect(receive_zero, 1, receive_port, 1)
    c.connect(split_host, 0, host_trim, 0)
    c.connect(host_trim, 0, host_number, 0)
    c.connect(host_number, 0, default_host, 0)
    c.connect(host_number, 1, host_symbol, 0)
    c.connect(default_host, 0, host_and_port, 0)
    c.connect(host_symbol, 0, host_and_port, 0)
    c.connect(host_and_port, 0, connect, 0)
    c.connect(connect, 0, netsend, 0)

    # --- start: listen, tell the outlet the port, subscribe now and every 30 s ---
    start = c.obj(700, 470, "t b f f f")
    listen = c.msg(880, 510, "listen $1")
    netreceive = c.obj(760, 600, "netreceive -u -b")
    subscribed = c.obj(820, 540, "f")
    report = c.msg(760, 510, "recvport $1")
    renew = c.obj(600, 520, f"metro {RENEW_MS}")
    notify = c.msg(700, 570, "notify 1 $1")
    c.comment(240, 470, "subscribe to the port this abstraction listens on, now and every 30 s "
              "(the daemon drops a subscriber silent for 60 s)", width=60)
    c.connect(then, 0, receive_port, 0)
    c.connect(receive_port, 0, start, 0)
    c.connect(start, 3, listen, 0)
    c.connect(listen, 0, netreceive, 0)
    c.connect(start, 2, subscribed, 1)
    c.connect(start, 1, report, 0)
    c.connect(start, 0, renew, 0)
    c.connect(renew, 0, subscribed, 0)
    c.connect(subscribed, 0, notify, 0)
    c.connect(notify, 0, as_list, 0)

    # --- receiving: /meter -3 -9 -> meter -3 -9; /done /notify 1 -> done /notify 1 ---
    oscparse = c.obj(760, 630, "oscparse")
    trim = c.obj(760, 660, "list trim")
    outlet = c.obj(760, 760, "outlet")
    c.comment(520, 660, "address parts, then arguments", width=30)
    c.chain(netreceive, oscparse, trim)
    voice_telemetry(c, trim, outlet)
    c.connect(report, 0, outlet, 0)

    # a port chosen without the third argument may be taken by another program, or by a
    # [latentd] in another Pd (whose $0 counts alike), which then gets the replies: after 3 s
    # without a single message (telemetry comes ~30 times a second) move one port up and
    # subscribe there; at most 10 moves in a row, counted again once messages arrive.
    # (no /notify 0 for the old port: that stream may be another [latentd]'s)
    c.comment(20, 520, "automatic port and 3 s without a message: move one port up (at most "
              "10 times in a row)", width=50)
    arrived = c.obj(560, 600, "t b b")
    wait = c.obj(320, 570, f"delay {HOP_WAIT_MS}")
    automatic = c.msg(840, 310, "1")
    hopping = c.obj(320, 600, "spigot")
    hops = c.obj(320, 630, "f")
    count = c.obj(320, 660, "+ 1")
    stored = c.obj(320, 690, "t f f")
    limit = c.obj(320, 720, f"moses {MAX_HOPS + 1}")
    again = c.msg(520, 630, "0")
    old_port = c.obj(420, 720, "f")
    up = c.obj(420, 750, "+ 1")
    c.connect(oscparse, 0, arrived, 0)
    c.connect(arrived, 1, wait, 0)
    c.connect(arrived, 0, again, 0)
    c.connect(again, 0, hops, 1)
    c.connect(renew, 0, wait, 0)
    c.connect(receive_zero, 0, automatic, 0)
    c.connect(automatic, 0, hopping, 1)
    c.chain(wait, hopping, hops, count, stored)
    c.connect(stored, 1, hops, 1)
    c.connect(stored, 0, limit, 0)
    moving = c.obj(420, 690, "t b")
    c.connect(limit, 0, moving, 0)
    c.connect(moving, 0, old_port, 0)
    c.connect(subscribed, 0, old_port, 1)
    c.chain(old_port, up, receive_port)
    return c


def voiced_address(c: Canvas, address: int, to_format: int) -> None:
    """Between the address words (`latent`, `drift rate`) and [oscformat]: a per-voice address
    gets `voice N` in front while the voice (``$0-voice``) is not 0, so `latent 0 0.5` of a
    voice-2 instance is /voice/2/latent 0 0.5; the others go as they are."""
    x = 1000
    fan = c.obj(x, 400, "t a a a")
    voiced = c.obj(x, 560, "list append")
    plain = c.obj(x + 200, 560, "list append")
    words = c.obj(x, 430, "list trim")
    which = c.obj(x, 460, "route " + " ".join((*PER_VOICE, "preset")))
    recall = c.obj(x + 150, 490, "route load")
    prefix = c.obj(x, 590, "list prepend")
    c.connect(address, 0, fan, 0)
    c.connect(fan, 2, voiced, 1)
    c.connect(fan, 1, plain, 1)
    c.chain(fan, words, which)
    for word in range(len(PER_VOICE)):
        c.connect(which, word, voiced, 0)
    c.connect(which, len(PER_VOICE), recall, 0)
    c.connect(recall, 0, voiced, 0)
    as_bang = c.obj(x + 200, 520, "t b")  # the words [route] did not take: a bang, not them
    c.connect(recall, 1, as_bang, 0)
    c.connect(which, len(PER_VOICE) + 1, as_bang, 0)
    c.connect(as_bang, 0, plain, 0)
    c.chain(voiced, prefix, to_format)
    c.connect(plain, 0, to_format, 0)
    # the voice sets the prefix: nothing for voice 0, `voice N` otherwise
    voice = c.obj(x + 200, 400, "r $0-voice")
    zero = c.obj(x + 200, 430, "sel 0")
    words_for = c.obj(x + 280, 460, "list prepend voice")
    c.chain(voice, zero)
    c.connect(zero, 0, prefix, 1)  # a bang: the empty list
    c.connect(zero, 1, words_for, 0)
    c.connect(words_for, 0, prefix, 1)


def voice_telemetry(c: Canvas, parsed: int, outlet: int) -> None:
    """Between [oscparse] and the outlet: voice 0 (the default) passes everything as it came
    (`voice 2 meter ...` included); voice N passes `voice N <name> ...` as `<name> ...`, drops
    the plain per-voice telemetry (voice 0's) and the other voices', and passes the rest."""
    x = 1000
    everything = c.obj(760, 700, "spigot 1")
    mine_only = c.obj(x, 660, "spigot")
    which = c.obj(x, 690, "route voice " + " ".join(VOICE_TELEMETRY))
    number_rest = c.obj(x, 720, "list split 1")
    rest = c.obj(x + 100, 780, "list append")
    as_number = c.obj(x, 750, "route float")
    named = c.obj(x + 80, 750, "makefilename %d")  # [oscparse] gives address parts as symbols
    same = c.obj(x, 780, "sel -")
    trimmed = c.obj(x + 100, 810, "list trim")
    c.connect(parsed, 0, everything, 0)
    c.connect(parsed, 0, mine_only, 0)
    c.connect(everything, 0, outlet, 0)
    c.chain(mine_only, which, number_rest)
    c.connect(which, len(VOICE_TELEMETRY) + 1, outlet, 0)
    c.connect(number_rest, 1, rest, 1)
    c.connect(number_rest, 0, as_number, 0)
    c.connect(as_number, 0, named, 0)
    c.connect(named, 0, same, 0)
    c.connect(as_number, 1, same, 0)
    c.connect(same, 0, rest, 0)
    c.connect(rest, 0, trimmed, 0)
    c.connect(trimmed, 0, outlet, 0)
    # the voice opens one path or the other, and names the voice kept
    voice = c.obj(x + 250, 600, "r $0-voice")
    fan = c.obj(x + 250, 630, "t f f")
    zero = c.obj(x + 250, 660, "sel 0")
    symbol = c.obj(x + 350, 660, "makefilename %d")
    c.chain(voice, fan)
    c.connect(fan, 1, zero, 0)
    for outlet, (to_everything, to_mine) in enumerate((("1", "0"), ("0", "1"))):
        for value, gate, dx in ((to_everything, everything, 0), (to_mine, mine_only, 40)):
            m = c.msg(x + 250 + 90 * outlet + dx, 690, value)
            c.connect(zero, outlet, m, 0)
            c.connect(m, 0, gate, 1)
    c.connect(fan, 0, symbol, 0)
    c.connect(symbol, 0, same, 1)


class Column:
    """Places logic boxes top to bottom in a column of a canvas, so each part of the logic
    reads as one column."""

    def __init__(self, canvas: Canvas, x: int, y: int = 20) -> None:
        self.canvas, self.x, self.y = canvas, x, y

    def obj(self, text: str, indent: int = 0) -> int:
        self.y += 28
        return self.canvas.obj(self.x + indent, self.y, text)

    def msg(self, text: str, indent: int = 0) -> int:
        self.y += 28
        return self.canvas.msg(self.x + indent, self.y, text)


def menu(logic: Canvas, column: Column, prefix: str, chosen_to: int) -> int:
    """An 8-entry menu of names from a `... list.reply` (models, presets): the names show in
    the symbol boxes `$0-<prefix>-0` ... `-7` (`-` where there are fewer); choosing entry i
    with the radio `$0-<prefix>-pick` sends that name, as a one-element list, into
    ``chosen_to``. Returns the box the reply's names go into."""
    names = column.obj("list append - - - - - - - -")
    x, y = column.x + 260, column.y
    picked = logic.obj(x, y + 28, f"r $0-{prefix}-pick")
    which = logic.obj(x, y + 56, "sel 0 1 2 3 4 5 6 7")
    chosen = logic.obj(x, y + 340, "list trim")
    logic.connect(picked, 0, which, 0)
    rest = names
    for entry in range(8):
        split = column.obj("list split 1")
        logic.connect(rest, 0 if entry == 0 else 1, split, 0)
        show = logic.obj(column.x + 130, column.y, f"s $0-{prefix}-{entry}")
        store = logic.obj(x + 60 * (entry % 2), y + 84 + 28 * entry, "list append")
        # [oscparse] turns a name like "7" into a number: shown through [makefilename]
        number = logic.obj(column.x + 130, column.y - 14, "route float")
        as_text = logic.obj(column.x + 200, column.y - 14, "makefilename %g")
        logic.connect(split, 0, number, 0)
        logic.connect(number, 0, as_text, 0)
        logic.connect(as_text, 0, show, 0)
        logic.connect(number, 1, show, 0)
        logic.connect(split, 0, store, 1)
        logic.connect(which, entry, store, 0)
        logic.connect(store, 0, chosen, 0)
        rest = split
    nothing = logic.obj(x, y + 368, "route bang")
    empty = logic.obj(x, y + 396, "route -")
    as_list = logic.obj(x, y + 424, "list")
    logic.chain(chosen, nothing)
    logic.connect(nothing, 1, empty, 0)
    logic.connect(empty, 1, as_list, 0)
    logic.connect(as_list, 0, chosen_to, 0)
    column.y = max(column.y, y + 460)
    return names


def control() -> Canvas:
    """latentd-control.pd: the performance patch. Its controls have global receive names
    (``ld-latent-0``, ``ld-glide`` ...), so other patches and the tests drive it, and send to
    ``$0-`` names read by the logic in [pd logic]; replies and telemetry come back to display
    boxes with ``$0-`` receive names, and to ``ld-out`` for anyone who listens."""
    c = Canvas(width=1200, height=860)
    logic = Canvas(width=2200, height=1300)
    c.comment(20, 8, "latentd control: arguments host port voice receive-port, as [latentd]. "
              "Every control has a receive name (ld-...): see patches/README.md", width=120)
    to_daemon = logic.obj(20, 1220, "latentd $1 $2 $3 $4")
    replies = logic.obj(20, 1250, "t a a")
    tap = logic.obj(200, 1280, "s ld-out")
    logic.connect(to_daemon, 0, replies, 0)
    logic.connect(replies, 1, tap, 0)

    def send_on(receive: str, command: str, column: Column) -> None:
        """[r receive] -> [command( -> [latentd]."""
        r = column.obj(f"r {receive}")
        m = column.msg(command)
        logic.chain(r, m, to_daemon)

    # --- latents: sliders, number boxes, the decoded values ---
    c.comment(20, 40, f"latents (model units, -{LATENT_RANGE:g} .. {LATENT_RANGE:g}); "
              "the points below: the values decoded into the sound heard now")
    latents = Column(logic, 20)
    for dim in range(SLIDERS):
        x = 24 + 38 * dim
        c.obj(x, 64, iemgui("vsl", size=17, length=128, low=-LATENT_RANGE, high=LATENT_RANGE,
                            send=f"$0-latent-{dim}", receive=f"ld-latent-{dim}",
                            label=str(dim)))
        c.floatatom(x - 4, 200, width=4, receive=f"$0-latent-{dim}-shown",
                    send=f"ld-latent-{dim}")
        r = logic.obj(20 + 60 * (dim % 8), 20 + 120 * (dim // 8), f"r $0-latent-{dim}")
        fan = logic.obj(20 + 60 * (dim % 8), 48 + 120 * (dim // 8), "t f f")
        shown = logic.msg(20 + 60 * (dim % 8), 76 + 120 * (dim // 8), "set $1")
        command = logic.msg(50 + 60 * (dim % 8), 104 + 120 * (dim // 8), f"latent {dim} $1")
        echo = logic.obj(20 + 60 * (dim % 8), 104 + 120 * (dim // 8) + 14,
                         f"s $0-latent-{dim}-shown")
        logic.chain(r, fan)
        logic.connect(fan, 1, command, 0)
        logic.connect(command, 0, to_daemon, 0)
        logic.connect(fan, 0, shown, 0)
        logic.connect(shown, 0, echo, 0)
    latents.y = 260
    c.array_graph(24, 230, "$0-state", SLIDERS, -LATENT_RANGE, LATENT_RANGE, 38 * SLIDERS, 80)

    # reset buttons: /latents 0 ..., /biases 0 ..., /scales 1 ..., as many as the model has
    c.obj(24, 330, iemgui("bng", size=17, send="$0-zero", receive="ld-zero", label="zero"))
    c.obj(104, 330, iemgui("bng", size=17, send="$0-reset-bias", receive="ld-reset-bias",
                           label="biases-0"))
    c.obj(214, 330, iemgui("bng", size=17, send="$0-reset-scale", receive="ld-reset-scale",
                           label="scales-1"))
    c.obj(24, 356, iemgui("bng", size=17, send="$0-resync", receive="ld-resync",
                          label="resync"))
    size = latents.obj("r $0-latent-size")
    resets = []
    for button, value, family in (("$0-zero", 0, "latents"),
                                  ("$0-reset-bias", 0, "biases"),
                                  ("$0-reset-scale", 1, "scales")):
        r = latents.obj(f"r {button}")
        values = latents.msg("list " + " ".join([str(value)] * SLIDERS))
        leading = latents.obj(f"list split {SLIDERS}")
        prepend = latents.obj(f"list prepend {family}")
        trim = latents.obj("list trim")
        logic.chain(r, values, leading)
        logic.connect(leading, 0, prepend, 0)
        logic.connect(leading, 2, prepend, 0)
        logic.chain(prepend, trim, to_daemon)
        logic.connect(size, 0, leading, 1)
        resets.append(r)
    zero_shown = latents.msg("set 0")
    logic.connect(resets[0], 0, zero_shown, 0)
    for dim in range(SLIDERS):
        slider = logic.obj(600 + 150 * (dim % 2), 260 + 28 * dim, f"s ld-latent-{dim}")
        shown = logic.obj(660 + 150 * (dim % 2), 260 + 28 * dim, f"s $0-latent-{dim}-shown")
        logic.connect(zero_shown, 0, slider, 0)
        logic.connect(zero_shown, 0, shown, 0)

    # --- bias and scale of one dimension ---
    c.comment(330, 330, "dimension")
    c.obj(400, 330, iemgui("nbx", size=17, low=0, high=1023, send="$0-index",
                           receive="ld-index"))
    c.obj(480, 330, iemgui("hsl", size=17, length=128, low=-LATENT_RANGE, high=LATENT_RANGE,
                           send="$0-bias", receive="ld-bias", label="bias"))
    c.obj(630, 330, iemgui("hsl", size=17, length=128, low=-LATENT_RANGE, high=LATENT_RANGE,
                           send="$0-scale", receive="ld-scale", label="scale"))
    c.floatatom(480, 352, width=6, receive="$0-bias-shown")
    c.floatatom(630, 352, width=6, receive="$0-scale-shown")
    bias_scale = Column(logic, 520)
    index = bias_scale.obj("r $0-index")
    for name in ("bias", "scale"):
        r = bias_scale.obj(f"r $0-{name}")
        fan = bias_scale.obj("t f f")
        shown = bias_scale.obj(f"s $0-{name}-shown", indent=60)
        pair = bias_scale.obj("list prepend 0")  # dimension 0 until one is chosen
        command = bias_scale.msg(f"{name} $1 $2")
        logic.chain(r, fan)
        logic.connect(fan, 1, shown, 0)
        logic.connect(fan, 0, pair, 0)
        logic.connect(index, 0, pair, 1)
        logic.chain(pair, command, to_daemon)

    # --- glide, source, drift, temperature, gain, mute ---
    sound = Column(logic, 760)
    c.comment(20, 390, "glide ms")
    c.obj(90, 390, iemgui("nbx", size=17, low=0, high=60000, send="$0-glide",
                          receive="ld-glide"))
    send_on("$0-glide", "glide $1", sound)
    c.comment(200, 390, "source: manual drift input prior")
    c.obj(200, 412, iemgui("hradio", size=17, number=4, send="$0-source", receive="ld-source"))
    r = sound.obj("r $0-source")
    pick = sound.obj("sel 0 1 2 3")
    logic.connect(r, 0, pick, 0)
    for number, name in enumerate(("manual", "drift", "input", "prior")):
        m = logic.msg(sound.x + 70 * number, sound.y + 28, f"source {name}")
        logic.connect(pick, number, m, 0)
        logic.connect(m, 0, to_daemon, 0)
    sound.y += 28
    c.comment(460, 390, "drift: walk lfo")
    c.obj(460, 412, iemgui("hradio", size=17, number=2, send="$0-drift-mode",
                           receive="ld-drift-mode"))
    r = sound.obj("r $0-drift-mode")
    pick = sound.obj("sel 0 1")
    logic.connect(r, 0, pick, 0)
    for number, name in enumerate(("walk", "lfo")):
        m = logic.msg(sound.x + 110 * number, sound.y + 28, f"drift mode {name}")
        logic.connect(pick, number, m, 0)
        logic.connect(m, 0, to_daemon, 0)
    sound.y += 28
    sliders = (("drift-rate", "drift rate", 0, 20, "drift rate Hz"),
               ("drift-depth", "drift depth", 0, 16, "drift depth"),
               ("temperature", "temperature", 0, 5, "temperature"),
               ("gain", "gain", -120, 24, "gain dB"))
    for row, (name, words, low, high, label) in enumerate(sliders):
        y = 450 + 30 * row
        c.comment(20, y, label)
        c.obj(130, y, iemgui("hsl", size=17, length=200, low=low, high=high,
                             send=f"$0-{name}", receive=f"ld-{name}"))
        c.floatatom(340, y, width=6, receive=f"$0-{name}-shown")
        r = sound.obj(f"r $0-{name}")
        fan = sound.obj("t f f")
        shown = sound.obj(f"s $0-{name}-shown", indent=60)
        m = sound.msg(f"{words} $1")
        logic.chain(r, fan)
        logic.connect(fan, 1, shown, 0)
        logic.connect(fan, 0, m, 0)
        logic.connect(m, 0, to_daemon, 0)
    c.comment(20, 570, "mute")
    c.obj(70, 570, iemgui("tgl", size=17, send="$0-mute", receive="ld-mute"))
    send_on("$0-mute", "mute $1", sound)

    # --- the voice these controls address, and notes played on it ---
    c.comment(110, 570, "voice")
    c.obj(160, 570, iemgui("nbx", size=17, low=0, high=1023, send="$0-voice",
                           receive="ld-voice"))
    c.comment(240, 570, "note")
    c.obj(280, 570, iemgui("nbx", size=17, low=0, high=127, send="$0-note", receive="ld-note"))
    c.comment(350, 570, "vel")
    c.obj(380, 570, iemgui("nbx", size=17, low=0, high=127, send="$0-velocity",
                           receive="ld-velocity"))
    c.obj(450, 570, iemgui("bng", size=17, send="$0-note-off", receive="ld-note-off",
                           label="off"))
    voice = sound.obj("r $0-voice")
    chosen = sound.obj("t b f")
    to_voice = sound.msg("voice $1")
    resync_now = sound.obj("s $0-resync", indent=80)  # its telemetry sets the controls
    logic.chain(voice, chosen)
    logic.connect(chosen, 1, to_voice, 0)
    logic.connect(to_voice, 0, to_daemon, 0)
    logic.connect(chosen, 0, resync_now, 0)
    # the voice given as argument shows in the box (a third argument of 1024 or more is the
    # receive port, as for [latentd])
    shown_at_load = sound.obj("loadbang")
    argument = sound.obj("f $3")
    a_voice = sound.obj(f"moses {FIRST_PORT}")
    show_voice = sound.msg("set $1")
    voice_box = sound.obj("s ld-voice")
    logic.chain(shown_at_load, argument, a_voice, show_voice, voice_box)
    velocity = sound.obj("r $0-velocity")
    default_velocity = sound.msg("set 100")
    velocity_box = sound.obj("s ld-velocity")
    logic.connect(shown_at_load, 0, default_velocity, 0)
    logic.connect(default_velocity, 0, velocity_box, 0)
    note = sound.obj("r $0-note")
    with_velocity = sound.obj("list append 100")
    play = sound.msg("note $1 $2")
    logic.connect(velocity, 0, with_velocity, 1)
    logic.chain(note, with_velocity, play, to_daemon)
    release = sound.obj("r $0-note-off")
    last_note = sound.obj("f")
    stop_note = sound.msg("note/off $1")
    logic.connect(note, 0, last_note, 1)
    logic.chain(release, last_note, stop_note, to_daemon)

    # --- audio input (a daemon started with --input, or a file from its --inputs-dir) ---
    for row, (name, words, label) in enumerate((("input-gain", "input gain", "input gain dB"),
                                                 ("input-dry", "input dry", "input dry dB"))):
        y = 600 + 30 * row
        c.comment(20, y, label)
        c.obj(130, y, iemgui("hsl", size=17, length=200, low=-120, high=24,
                             send=f"$0-{name}", receive=f"ld-{name}"))
        c.floatatom(340, y, width=6, receive=f"$0-{name}-shown")
        r = sound.obj(f"r $0-{name}")
        fan = sound.obj("t f f")
        shown = sound.obj(f"s $0-{name}-shown", indent=60)
        m = sound.msg(f"{words} $1")
        logic.chain(r, fan)
        logic.connect(fan, 1, shown, 0)
        logic.connect(fan, 0, m, 0)
        logic.connect(m, 0, to_daemon, 0)
    c.comment(20, 660, "input file")
    c.symbolatom(130, 660, width=16, receive="ld-input-file", send="$0-input-file")
    send_on("$0-input-file", "input file $1", sound)

    # --- presets, recording, models, attributes, status ---
    files = Column(logic, 1000)
    c.comment(420, 450, "preset name, morph s")
    c.symbolatom(420, 472, width=12, receive="ld-preset-name", send="$0-preset-name")
    c.obj(540, 472, iemgui("nbx", size=17, low=0, high=600, send="$0-preset-morph",
                           receive="ld-preset-morph"))
    c.obj(420, 500, iemgui("bng", size=17, send="$0-preset-load", receive="ld-preset-load",
                           label="load"))
    c.obj(480, 500, iemgui("bng", size=17, send="$0-preset-save", receive="ld-preset-save",
                           label="save"))
    c.obj(540, 500, iemgui("bng", size=17, send="$0-preset-list", receive="ld-preset-list",
                           label="list"))
    preset_name = files.obj("r $0-preset-name")
    morph = files.obj("r $0-preset-morph")
    for action in ("load", "save"):
        r = files.obj(f"r $0-preset-{action}")
        stored = files.obj("list append")
        named = files.obj("route bang")  # no name typed yet: nothing to send
        logic.chain(r, stored, named)
        logic.connect(preset_name, 0, stored, 1)
        if action == "load":
            with_morph = files.obj("list append 0")
            logic.connect(morph, 0, with_morph, 1)
            logic.connect(named, 1, with_morph, 0)
            command = files.msg("preset load $1 $2")
            logic.chain(with_morph, command, to_daemon)
        else:
            command = files.msg("preset save $1")
            logic.connect(named, 1, command, 0)
            logic.connect(command, 0, to_daemon, 0)
    send_on("$0-preset-list", "preset list", files)
    c.comment(720, 450, "presets")
    c.obj(720, 472, iemgui("vradio", size=MENU_ROW, number=8, send="$0-presets-pick",
                           receive="ld-preset-pick"))
    for entry in range(8):
        c.symbolatom(745, 472 + MENU_ROW * entry, width=12, receive=f"$0-presets-{entry}")
    # choosing a preset in the menu puts its name in the name box and loads it
    chosen_preset = logic.obj(files.x + 400, files.y + 28, "t b a")
    name_box = logic.obj(files.x + 400, files.y + 56, "s ld-preset-name")
    load_now = logic.obj(files.x + 520, files.y + 56, "s ld-preset-load")
    logic.connect(chosen_preset, 1, name_box, 0)
    logic.connect(chosen_preset, 0, load_now, 0)
    preset_names = menu(logic, files, "presets", chosen_preset)

    c.comment(900, 40, "record")
    c.obj(960, 40, iemgui("tgl", size=17, send="$0-record", receive="ld-record"))
    c.symbolatom(900, 64, width=26, receive="$0-recording")
    r = files.obj("r $0-record")
    start_stop = files.obj("sel 0")
    stop = files.msg("record stop")
    start = logic.msg(files.x + 110, files.y, "record start")
    logic.connect(r, 0, start_stop, 0)
    logic.connect(start_stop, 0, stop, 0)
    logic.connect(start_stop, 1, start, 0)
    logic.connect(stop, 0, to_daemon, 0)
    logic.connect(start, 0, to_daemon, 0)

    c.comment(900, 100, "models")
    c.obj(960, 100, iemgui("bng", size=17, send="$0-model-list", receive="ld-model-list",
                           label="list"))
    c.obj(900, 124, iemgui("vradio", size=MENU_ROW, number=8, send="$0-models-pick",
                           receive="ld-model-pick"))
    for entry in range(8):
        c.symbolatom(925, 124 + MENU_ROW * entry, width=16, receive=f"$0-models-{entry}")
    send_on("$0-model-list", "model list", files)
    load_model = logic.msg(files.x + 400, files.y + 28, "model load $1")
    logic.connect(load_model, 0, to_daemon, 0)
    model_names = menu(logic, files, "models", load_model)

    c.comment(900, 310, "attribute name, value")
    c.symbolatom(900, 332, width=14, receive="ld-attr-name", send="$0-attr-name")
    c.obj(1020, 332, iemgui("nbx", size=17, low=-1e37, high=1e37, send="$0-attr-value",
                            receive="ld-attr-value"))
    c.obj(900, 360, iemgui("bng", size=17, send="$0-attr-get", receive="ld-attr-get",
                           label="get"))
    c.obj(960, 360, iemgui("bng", size=17, send="$0-attr-set", receive="ld-attr-set",
                           label="set"))
    attr = Column(logic, 1240)
    attr_name = attr.obj("r $0-attr-name")
    attr_value = attr.obj("r $0-attr-value")
    get = attr.obj("r $0-attr-get")
    get_name = attr.obj("list append")
    get_named = attr.obj("route bang")
    get_command = attr.msg("attr get $1")
    logic.connect(attr_name, 0, get_name, 1)
    logic.chain(get, get_name, get_named)
    logic.connect(get_named, 1, get_command, 0)
    logic.connect(get_command, 0, to_daemon, 0)
    put = attr.obj("r $0-attr-set")
    put_name = attr.obj("list append")
    put_named = attr.obj("route bang")
    put_value = attr.obj("list append 0")
    put_command = attr.msg("attr set $1 $2")
    logic.connect(attr_name, 0, put_name, 1)
    logic.connect(attr_value, 0, put_value, 1)
    logic.chain(put, put_name, put_named)
    logic.connect(put_named, 1, put_value, 0)
    logic.chain(put_value, put_command, to_daemon)
    c.obj(900, 390, iemgui("bng", size=17, send="$0-status", receive="ld-status",
                           label="status"))
    c.obj(980, 390, iemgui("bng", size=17, send="$0-version", receive="ld-version",
                           label="version"))
    c.obj(1070, 390, iemgui("bng", size=17, send="$0-sync", receive="ld-sync", label="sync"))
    send_on("$0-status", "status", attr)
    send_on("$0-version", "version", attr)
    send_on("$0-sync", "sync 1", attr)
    # the menus fill themselves whenever the daemon confirms the subscription (`done /notify
    # 1`): at load, at each 30 s renewal, and when a daemon started after the patch (or
    # restarted) first answers; asking only at load left them empty in that case
    confirmed = attr.obj("route /notify")
    lists = attr.msg("model list, preset list")
    logic.chain(confirmed, lists, to_daemon)

    # --- telemetry and replies -> displays ---
    c.comment(20, 690, "meters (rms, peak) dBFS")
    c.obj(24, 720, iemgui("vu", size=15, length=100, receive="$0-vu-0"))
    c.obj(64, 720, iemgui("vu", size=15, length=100, receive="$0-vu-1"))
    c.obj(130, 720, iemgui("vu", size=15, length=100, receive="$0-vu-in", label="in"))
    status_fields = (("load", 6), ("load_peak", 6), ("underruns", 6), ("latency_ms", 6),
                     ("ring_fill", 6), ("clients", 4), ("uptime", 8), ("late", 6))
    for row, (field, width) in enumerate(status_fields):
        c.floatatom(250 + 150 * (row % 4), 690 + 26 * (row // 4), width=width, label=field,
                    receive=f"$0-show-{field}")
    symbol_fields = (("model", 12), ("source", 8), ("device_state", 8), ("model_state", 8),
                     ("version", 8), ("done", 14), ("fail", 14))
    for row, (field, width) in enumerate(symbol_fields):
        c.symbolatom(250 + 170 * (row % 4), 750 + 26 * (row // 4), width=width, label=field,
                     receive=f"$0-show-{field}")
    c.comment(250, 804, "done / fail: the address of the last reply; the whole reply goes to "
              "the Pd window", width=80)
    c.comment(900, 430, "spectrum dB")
    c.array_graph(900, 454, "$0-spectrum", 32, -120, 0, 256, 80)

    t = Column(logic, 20, 700)
    route = t.obj("route meter latent.state status.reply model preset done fail late "
                  "version.reply spectrum latent.target controls.state bias.state scale.state "
                  "meter.input")
    logic.connect(replies, 0, route, 0)
    # /meter peak rms per channel; [vu] takes rms in its left inlet and peak in its right,
    # which a list sent to its receive name fills in turn
    rest = route
    for channel in range(2):
        split = logic.obj(20 + 120 * channel, t.y + 28 * (channel + 1), "list split 2")
        logic.connect(rest, 0 if channel == 0 else 1, split, 0)
        swap = logic.msg(20 + 120 * channel, t.y + 100, "list $2 $1")
        vu = logic.obj(20 + 120 * channel, t.y + 128, f"s $0-vu-{channel}")
        logic.chain(split, swap, vu)
        rest = split
    # /meter.input peak rms (the input's first channel, while an input is open)
    input_split = logic.obj(260, t.y + 28, "list split 2")
    logic.connect(route, 14, input_split, 0)
    input_swap = logic.msg(260, t.y + 100, "list $2 $1")
    input_vu = logic.obj(260, t.y + 128, "s $0-vu-in")
    logic.chain(input_split, input_swap, input_vu)
    t.y += 80
    state = logic.obj(300, 730, "array set $0-state")
    logic.connect(route, 1, state, 0)

    # the controls show where the daemon is: IEM sliders without "init" start at their bottom,
    # so at load (and on ld-resync) each control is set, without output, from the daemon's
    # control-state telemetry: /latent.target, /controls.state, /bias.state, /scale.state
    # (defaults first, in case the daemon is not there yet)
    opened = logic.obj(1100, 20, "loadbang")
    for row, (name, default) in enumerate(SLIDER_DEFAULTS):
        value = logic.msg(1100, 48 + 56 * row, f"set {default:g}")
        slider = logic.obj(1100, 76 + 56 * row, f"s ld-{name}")
        shown = logic.obj(1200, 76 + 56 * row, f"s $0-{name}-shown")
        logic.connect(opened, 0, value, 0)
        logic.connect(value, 0, slider, 0)
        logic.connect(value, 0, shown, 0)
    logic.connect(opened, 0, zero_shown, 0)
    resync = logic.obj(1100, 76 + 56 * len(SLIDER_DEFAULTS), "r $0-resync")
    reopen = logic.msg(1100, 104 + 56 * len(SLIDER_DEFAULTS), "1")
    logic.connect(resync, 0, reopen, 0)
    # ... and whenever the daemon confirms the subscription (done /notify 1: every 30 s, and
    # at once from a daemon started after the patch or restarted, which starts at its
    # defaults), so the controls never keep a state the daemon no longer has
    logic.connect(confirmed, 0, reopen, 0)

    def once(outlet: int, x: int) -> int:
        """A gate passing the next message of a route outlet, then closing until ld-resync."""
        gate = logic.obj(x, 20, "spigot 1")
        fan = logic.obj(x, 48, "t a b")
        close = logic.msg(x + 90, 76, "0")
        logic.connect(route, outlet, gate, 0)
        logic.chain(gate, fan)
        logic.connect(fan, 1, close, 0)
        logic.connect(close, 0, gate, 1)
        logic.connect(reopen, 0, gate, 1)
        return fan

    rest = once(10, 1300)  # latent.target
    for dim in range(SLIDERS):
        split = logic.obj(1300, 76 + 28 * dim, "list split 1")
        logic.connect(rest, 0 if dim == 0 else 1, split, 0)
        value = logic.msg(1390, 76 + 28 * dim, "set $1")
        slider = logic.obj(1450, 76 + 28 * dim, f"s ld-latent-{dim}")
        shown = logic.obj(1450, 90 + 28 * dim, f"s $0-latent-{dim}-shown")
        logic.connect(split, 0, value, 0)
        logic.connect(value, 0, slider, 0)
        logic.connect(value, 0, shown, 0)
        rest = split

    controls = once(11, 1600)  # controls.state: name value pairs
    control_pairs = logic.obj(1600, 76, "list split 2")
    control_again = logic.obj(1700, 104, "t a")
    control_pair = logic.obj(1600, 104, "list trim")
    logic.connect(controls, 0, control_pairs, 0)
    logic.connect(control_pairs, 1, control_again, 0)
    logic.connect(control_again, 0, control_pairs, 0)
    logic.connect(control_pairs, 0, control_pair, 0)
    control_fields = ("glide_ms", "gain_db", "mute", "drift_rate", "drift_depth",
                      "temperature", "source", "drift_mode")
    which = logic.obj(1600, 132, "route " + " ".join(control_fields))
    logic.connect(control_pair, 0, which, 0)
    receivers = {"glide_ms": "glide", "gain_db": "gain", "mute": "mute",
                 "drift_rate": "drift-rate", "drift_depth": "drift-depth",
                 "temperature": "temperature"}
    for number, field in enumerate(control_fields[:6]):
        value = logic.msg(1600 + 70 * number, 170, "set $1")
        slider = logic.obj(1600 + 70 * number, 198, f"s ld-{receivers[field]}")
        logic.connect(which, number, value, 0)
        logic.connect(value, 0, slider, 0)
        if field not in ("glide_ms", "mute"):
            shown = logic.obj(1600 + 70 * number, 226, f"s $0-{receivers[field]}-shown")
            logic.connect(value, 0, shown, 0)
    for number, (_field, choices, receiver) in enumerate((
            ("source", ("manual", "drift", "input", "prior"), "ld-source"),
            ("drift_mode", ("walk", "lfo"), "ld-drift-mode"))):
        x = 1600 + 300 * number
        as_list = logic.obj(x, 260, "list")
        choice = logic.obj(x, 288, "sel " + " ".join(choices))
        logic.connect(which, 6 + number, as_list, 0)
        logic.chain(as_list, choice)
        send = logic.obj(x, 344, f"s {receiver}")
        for position in range(len(choices)):
            value = logic.msg(x + 60 * position, 316, f"set {position}")
            logic.connect(choice, position, value, 0)
            logic.connect(value, 0, send, 0)

    # bias.state / scale.state: kept, and the chosen dimension's value shown in the slider,
    # once at load and whenever the dimension changes
    index_changed = logic.obj(1600, 400, "r $0-index")
    for number, (name, outlet) in enumerate((("bias", 12), ("scale", 13))):
        x = 1600 + 250 * number
        kept = logic.obj(x, 460, "list append")
        logic.connect(route, outlet, kept, 1)
        first_one = once(outlet, x + 120)
        store_then_show = logic.obj(x + 120, 104, "t b a")
        logic.connect(first_one, 0, store_then_show, 0)
        logic.connect(store_then_show, 1, kept, 1)
        refresh = logic.obj(x, 430, "t b f")
        logic.connect(index_changed, 0, refresh, 0)
        chosen = logic.obj(x + 90, 460, "f")  # dimension 0 until one is chosen
        logic.connect(store_then_show, 0, chosen, 0)
        logic.connect(refresh, 1, chosen, 1)
        skip = logic.obj(x, 520, "list split")
        logic.connect(refresh, 1, skip, 1)
        logic.connect(refresh, 0, kept, 0)
        logic.connect(chosen, 0, refresh, 0)
        logic.connect(kept, 0, skip, 0)
        element = logic.obj(x, 548, "list split 1")
        logic.connect(skip, 1, element, 0)
        value = logic.msg(x, 576, "set $1")
        slider = logic.obj(x, 604, f"s ld-{name}")
        shown = logic.obj(x + 80, 604, f"s $0-{name}-shown")
        logic.connect(element, 0, value, 0)
        logic.connect(value, 0, slider, 0)
        logic.connect(value, 0, shown, 0)
    pairs = logic.obj(400, 760, "list split 2")
    again = logic.obj(480, 790, "t a")
    logic.connect(route, 2, pairs, 0)
    logic.connect(pairs, 1, again, 0)
    logic.connect(again, 0, pairs, 0)
    pair = logic.obj(400, 820, "list trim")
    logic.connect(pairs, 0, pair, 0)
    fields = [name for name, _ in status_fields if name != "late"] + ["latent_size"]
    symbols = ["model", "source", "device_state", "model_state"]
    pick = logic.obj(400, 850, "route " + " ".join(fields + symbols))
    logic.connect(pair, 0, pick, 0)
    for number, field in enumerate(fields + symbols):
        target = "$0-latent-size" if field == "latent_size" else f"$0-show-{field}"
        send = logic.obj(400 + 90 * (number % 6), 880 + 60 * (number // 6), f"s {target}")
        if field in symbols:
            as_list = logic.obj(400 + 90 * (number % 6), 880 + 60 * (number // 6) - 28 + 56,
                                "list")
            logic.connect(pick, number, as_list, 0)
            logic.connect(as_list, 0, send, 0)
        else:
            logic.connect(pick, number, send, 0)
    for number, menu_names in enumerate((model_names, preset_names)):
        reply = logic.obj(20 + 140 * number, 1000, "route list.reply")
        as_list = logic.obj(20 + 140 * number, 1028, "list")
        logic.connect(route, 3 + number, reply, 0)
        logic.connect(reply, 0, as_list, 0)
        logic.connect(as_list, 0, menu_names, 0)
    printer = logic.obj(300, 1100, "print latentd")
    # the port it listens on, in the Pd window (patches/README.md tells users to look there)
    listening = logic.obj(20, 1100, "route recvport")
    port_line = logic.obj(20, 1128, "list prepend recvport")
    port_trim = logic.obj(20, 1156, "list trim")
    logic.connect(replies, 0, listening, 0)
    logic.chain(listening, port_line, port_trim, printer)
    for number, family in ((5, "done"), (6, "fail")):
        to_print = logic.obj(300 + 120 * (number - 5), 1040, f"list prepend {family}")
        trimmed = logic.obj(300 + 120 * (number - 5), 1055, "list trim")
        logic.connect(route, number, to_print, 0)
        logic.chain(to_print, trimmed, printer)
        first = logic.obj(300 + 120 * (number - 5), 1070, "list split 1")
        logic.connect(route, number, first, 0)
        shown = logic.obj(300 + 120 * (number - 5), 1130, f"s $0-show-{family}")
        logic.connect(first, 0, shown, 0)
        logic.connect(first, 2, shown, 0)
    # /done /record/start FILE and /done /record/stop FILE SECONDS: the file being written
    recording = logic.obj(560, 1070, "route /record/start /record/stop")
    logic.connect(route, 5, recording, 0)
    logic.connect(route, 5, confirmed, 0)
    for outlet in range(2):
        as_list = logic.obj(560 + 110 * outlet, 1100, "list split 1")
        shown = logic.obj(560, 1130, "s $0-recording")
        logic.connect(recording, outlet, as_list, 0)
        logic.connect(as_list, 0, shown, 0)
    late = logic.obj(800, 1040, "s $0-show-late")
    logic.connect(route, 7, late, 0)
    version = logic.obj(900, 1040, "list split 1")
    version_shown = logic.obj(900, 1070, "s $0-show-version")
    logic.connect(route, 8, version, 0)
    logic.connect(version, 1, version_shown, 0)
    spectrum = logic.obj(1000, 1040, "t a a")
    bands = logic.obj(1060, 1070, "list length")
    resize = logic.obj(1060, 1100, "array size $0-spectrum")
    draw = logic.obj(1000, 1130, "array set $0-spectrum")
    logic.connect(route, 9, spectrum, 0)
    logic.connect(spectrum, 1, bands, 0)
    logic.connect(bands, 0, resize, 0)
    logic.connect(spectrum, 0, draw, 0)

    c.subpatch(1060, 820, "logic", logic)
    return c


# the help patch's message boxes: every message family the abstraction sends, with examples
HELP_MESSAGES = (
    ("latent 0 0.5", "one latent dimension: index, value (model units, -16..16)"),
    ("latent/1 -0.5", "the same as /latent/1 (any OSC address works: latent/* 0 sets all)"),
    ("latents 0.1 -0.4 1.2 0", "the leading dimensions"),
    ("bias 1 0.3", "one dimension's bias"),
    ("biases 0 0 0 0", "the leading biases"),
    ("scale 1 2", "one dimension's scale"),
    ("scales 1 1 1 1", "the leading scales"),
    ("glide 200", "smoothing, ms (0..60000)"),
    ("source drift", "manual drift input prior"),
    ("drift mode lfo", "walk or lfo"),
    ("drift rate 0.5", "Hz (0..20)"),
    ("drift depth 1", "model units (0..16)"),
    ("temperature 0.8", "prior sampling (0..5)"),
    ("gain -6", "dB (-120..24)"),
    ("mute 1", "1 mutes, 0 plays"),
    ("input gain -6", "input trim, dB (-120..24), before the encoder"),
    ("input dry -20", "dry input into the output, dB (-120: off)"),
    ("input file take.wav", "a file in --inputs-dir, looping -> done /input/file"),
    ("preset save warm", "-> done /preset/save warm"),
    ("preset load warm 4", "morph over 4 s -> done /preset/load warm"),
    ("preset list", "-> preset list.reply NAME ..."),
    ("record start", "-> done /record/start FILE (or: record start NAME)"),
    ("record stop", "-> done /record/stop FILE SECONDS"),
    ("model list", "-> model list.reply NAME ..."),
    ("model load default", "-> done /model/load default"),
    ("attr get learn_target", "nn~ attributes -> attr.reply NAME VALUES"),
    ("attr set learn_target 1", "-> done /attr/set learn_target"),
    ("status", "-> status.reply name value name value ..."),
    ("version", "-> version.reply latentd VERSION"),
    ("sync 7", "-> synced 7 once everything sent before is handled"),
    ("voices 4", "how many voices play (the daemon's --max-voices at most)"),
    ("voice 2", "this [latentd] now addresses voice 2 (voice 0: the plain addresses)"),
    ("voice 0", "back to voice 0"),
    ("pan -0.5", "the voice's pan, -1 left .. 1 right (equal power)"),
    ("note 60 100", "MIDI note, velocity: voice 0 (plain /note) takes a free voice"),
    ("note/off 60", "release it"),
    ("pitch 440", "the voice's pitch in Hz (models with a measured pitch)"),
)


def help_patch() -> Canvas:
    """latentd-help.pd: what Pd opens for right-click -> Help on [latentd]."""
    c = Canvas(width=1150, height=1320)
    right = 720  # the column of what comes out
    c.obj(20, 10, "latentd")
    c.comment(100, 10, "- control a latentd daemon over OSC (vanilla Pd 0.51+, no externals)")
    c.comment(20, 40, "Start the daemon first: latentd serve (see patches/README.md). Arguments: "
              "host (default 127.0.0.1), port (57130), the voice (0), the UDP port this "
              "abstraction listens on for replies and telemetry (default 20000 + $0 mod 10000, "
              "different for every [latentd] in one Pd; an automatic port that hears nothing for "
              "3 s moves one up; a third argument of 1024 or more is this port, as before "
              "voices). 0 for an argument means its default. With a voice N the per-voice "
              "messages (latent, bias, scale, glide, gain, pan, mute, source, note, pitch, preset "
              "load) go to /voice/N/... and voice N's telemetry comes out by the plain names; "
              "[latentd 127.0.0.1 57130 2] plays voice 2.", width=130)
    c.comment(20, 110, "Messages in: named like the OSC addresses, with / between words: "
              "drift rate 0.5 is /drift/rate 0.5. Click to send:", width=130)
    below = 140 + 26 * len(HELP_MESSAGES) + 20  # under the message boxes
    instance = c.obj(20, below, "latentd 127.0.0.1 57130")
    for row, (text, comment) in enumerate(HELP_MESSAGES):
        y = 140 + 26 * row
        m = c.msg(20, y, text)
        c.comment(230, y, comment, width=64)
        c.connect(m, 0, instance, 0)
    c.comment(right, 140, "Out: replies and telemetry, named by their address:", width=55)
    out = c.obj(right, below, "t a a")
    c.connect(instance, 0, out, 0)
    # the Pd window shows the replies, not the telemetry: ~200 lines a second of it would
    # bury the answer to a clicked message
    telemetry = c.obj(right, below + 30, "route meter latent.state spectrum latent.target "
                      "bias.state")
    more = c.obj(right, below + 60, "route scale.state controls.state meter.input "
                 "latent.names status.reply voice")
    printer = c.obj(right, below + 90, "print latentd")
    c.connect(out, 1, telemetry, 0)
    c.connect(telemetry, 5, more, 0)
    c.connect(more, 6, printer, 0)
    c.comment(right + 140, below - 20, "replies in the Pd window (done, fail, synced, "
              "list replies ...), not the telemetry", width=40)
    route = c.obj(right, 170, "route meter latent.state status.reply done fail")
    c.connect(out, 0, route, 0)
    c.comment(right, 200, "meter: peak rms (dBFS) per channel, ~30 Hz", width=55)
    c.comment(right, 222, "latent.state: the decoded latents heard now, ~30 Hz", width=55)
    c.comment(right, 244, "status.reply: name value pairs, ~2 Hz", width=55)
    c.comment(right, 266, "done ADDRESS ...: a command succeeded; fail ADDRESS REASON: it did "
              "not (the sound keeps playing)", width=55)
    c.comment(right, 310, "also: recvport N (the port it listens on, at load), late SECONDS, "
              "synced ID, version.reply, model list.reply, preset list.reply, attr.reply, "
              "and any telemetry the daemon adds (spectrum, latent.target, controls.state "
              "...), each by its address; with voice 0, the other voices' telemetry as voice N "
              "meter ..., voice N latent.state ...", width=55)
    pairs = c.obj(right, 420, "list split 2")
    again = c.obj(right + 100, 450, "t a")
    pair = c.obj(right, 450, "list trim")
    field = c.obj(right, 480, "route load latency_ms underruns")
    c.connect(route, 2, pairs, 0)
    c.connect(pairs, 1, again, 0)
    c.connect(again, 0, pairs, 0)
    c.chain(pairs, pair, field)
    for number, label in enumerate(("load", "latency_ms", "underruns")):
        c.floatatom(right + 40 + 140 * number, 520, width=6, label=label)
        c.connect(field, number, c.boxes - 1, 0)
    c.comment(right, 550, "picking fields out of status.reply: split it into pairs", width=55)
    meter = c.obj(right, 600, "unpack f f")
    c.connect(route, 0, meter, 0)
    c.floatatom(right + 40, 630, width=6, label="peak")
    c.connect(meter, 0, c.boxes - 1, 0)
    c.floatatom(right + 150, 630, width=6, label="rms")
    c.connect(meter, 1, c.boxes - 1, 0)
    c.comment(right, 670, "A performance patch built on it: open latentd-control.pd (beside "
              "this file). Other patches can drive its controls through their receive names "
              "(ld-latent-0, ld-glide ...: patches/README.md).", width=55)
    return c


def main(out: Path = PD_DIR) -> None:
    """Write the three patches into ``out`` (patches/pd, or another folder to compare)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "latentd.pd").write_text(abstraction().render())
    (out / "latentd-control.pd").write_text(control().render())
    (out / "latentd-help.pd").write_text(help_patch().render())


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else PD_DIR)

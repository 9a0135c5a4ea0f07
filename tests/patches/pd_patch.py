"""Reading PureData patch files (.pd) and knowing how many inlets and outlets each box has, so
the tests can check every record and every connection of the patches in patches/pd.

The counts of the vanilla objects the patches use are a table here; test_pd_files checks the
table itself against a real Pd, which refuses a connection to an inlet or outlet that does not
exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
PD_DIR = REPOSITORY / "patches" / "pd"

# records a patch may hold, by their first two words
RECORD_KINDS = {"#N canvas", "#X obj", "#X msg", "#X text", "#X floatatom", "#X symbolatom",
                "#X connect", "#X restore", "#X coords", "#X array", "#A"}
# IEM GUIs keep their inlet and outlet when they have receive and send names (Pd only stops
# drawing them), so a cord still joins them
IEM_GUIS = {"vsl", "hsl", "nbx", "tgl", "bng", "hradio", "vradio"}
FIXED = {  # vanilla objects whose counts do not depend on their arguments: (inlets, outlets)
    "inlet": (0, 1), "outlet": (1, 0), "loadbang": (0, 1), "pdcontrol": (1, 1),
    "oscformat": (1, 1), "oscparse": (1, 1), "netsend": (1, 2), "print": (1, 0),
    "f": (2, 1), "float": (2, 1), "symbol": (2, 1), "mod": (2, 1), "+": (2, 1), "-": (2, 1),
    "*": (2, 1), "/": (2, 1), "metro": (2, 1), "delay": (2, 1), "del": (2, 1),
    "spigot": (2, 1), "moses": (2, 2), "makefilename": (1, 1),
}
LIST_COUNTS = {"append": (2, 1), "prepend": (2, 1), "split": (2, 3), "trim": (1, 1),
               "length": (1, 1), "store": (2, 2)}


@dataclass
class Box:
    """One box of a canvas: its kind (obj, msg, text, floatatom, symbolatom, graph, pd) and
    its atoms after the position."""

    kind: str
    atoms: list[str]
    inner: Canvas | None = None  # the canvas of a [pd name] sub-patch

    @property
    def text(self) -> str:
        return " ".join(self.atoms)


@dataclass
class Canvas:
    """One canvas: its boxes in file order (what `connect` numbers) and its connections."""

    boxes: list[Box] = field(default_factory=list)
    connects: list[tuple[int, int, int, int]] = field(default_factory=list)


def records(text: str) -> list[str]:
    """The file's records: split at each `;` that ends a line and is not escaped."""
    parts = re.split(r"(?<!\\);\s*(?:\n|$)", text)
    return [" ".join(part.split()) for part in parts if part.strip()]


def parse(text: str) -> Canvas:
    """The top canvas of a patch file, sub-canvases nested in their boxes. Raises ValueError
    on a record a patch should not hold or a malformed one."""
    stack: list[Canvas] = []
    top: Canvas | None = None
    for record in records(text):
        words = record.split(" ")
        kind = " ".join(words[:2]) if words[0] != "#A" else "#A"
        if kind not in RECORD_KINDS:
            raise ValueError(f"unexpected record: {record}")
        if kind == "#N canvas":
            canvas = Canvas()
            if top is None:
                top = canvas
            stack.append(canvas)
            continue
        if not stack:
            raise ValueError(f"record before the first canvas: {record}")
        canvas = stack[-1]
        if kind == "#X connect":
            numbers = words[2:]
            if len(numbers) != 4 or not all(n.isdigit() for n in numbers):
                raise ValueError(f"malformed connect: {record}")
            a, b, c, d = (int(n) for n in numbers)
            canvas.connects.append((a, b, c, d))
        elif kind == "#X restore":
            inner = stack.pop()
            if not stack:
                raise ValueError("restore without a parent canvas")
            box_kind = "graph" if words[4:5] == ["graph"] else "pd"
            _position(record, words[2:4])
            stack[-1].boxes.append(Box(box_kind, words[5:], inner))
        elif kind in ("#X coords", "#X array", "#A"):
            continue
        else:
            _position(record, words[2:4])
            canvas.boxes.append(Box(words[1], words[4:]))
    if top is None or len(stack) != 1:
        raise ValueError("a patch is one canvas, each sub-canvas closed by a restore")
    return top


def _position(record: str, numbers: list[str]) -> None:
    if len(numbers) != 2 or not all(re.fullmatch(r"-?\d+", n) for n in numbers):
        raise ValueError(f"a box needs an x and y position: {record}")


def abstractions() -> dict[str, tuple[int, int]]:
    """The patches in patches/pd usable as objects, with their inlet and outlet counts."""
    counts = {}
    for path in PD_DIR.glob("*.pd"):
        if path.stem.endswith("-help"):
            continue
        top = parse(path.read_text())
        counts[path.stem] = inlets_outlets_of_canvas(top)
    return counts


def inlets_outlets_of_canvas(canvas: Canvas) -> tuple[int, int]:
    """A canvas seen from outside: one inlet per [inlet], one outlet per [outlet]."""
    names = [box.atoms[0] for box in canvas.boxes if box.kind == "obj" and box.atoms]
    return names.count("inlet"), names.count("outlet")


def object_counts(atoms: list[str], known: dict[str, tuple[int, int]]) -> tuple[int, int]:
    """The inlets and outlets of an object box with these atoms; KeyError for an object
    neither in the table nor among ``known`` (the abstractions)."""
    name, args = atoms[0], atoms[1:]
    if name in known:
        return known[name]
    if name in FIXED:
        return FIXED[name]
    if name in IEM_GUIS:
        return 1, 1
    if name == "vu":
        return 2, 2
    if name in ("t", "trigger"):
        return 1, len(args)
    if name in ("sel", "select", "route"):
        return (2, 2) if len(args) <= 1 else (1, len(args) + 1)
    if name == "unpack":
        return 1, len(args) or 2
    if name in ("r", "receive"):
        return (0 if args else 1), 1
    if name in ("s", "send"):
        return (1 if args else 2), 0
    if name == "netreceive":
        udp = "-u" in args
        return 1, (1 if udp else 2) + ("-f" in args)
    if name == "list":
        if args and args[0] in LIST_COUNTS:
            return LIST_COUNTS[args[0]]
        return LIST_COUNTS["append"]
    if name == "array" and args[:1] == ["set"]:
        return 3, 0
    if name == "array" and args[:1] == ["size"]:
        return 2, 1
    raise KeyError(name)


def box_counts(box: Box, known: dict[str, tuple[int, int]]) -> tuple[int, int]:
    """The inlets and outlets of any box."""
    if box.kind == "msg":
        return 1, 1
    if box.kind in ("text", "graph"):
        return 0, 0
    if box.kind == "pd":
        assert box.inner is not None
        return inlets_outlets_of_canvas(box.inner)
    if box.kind in ("floatatom", "symbolatom"):
        return 1, 1
    return object_counts(box.atoms, known)


def canvases(top: Canvas) -> list[Canvas]:
    """The canvas and every sub-canvas in it."""
    found = [top]
    for box in top.boxes:
        if box.inner is not None:
            found.extend(canvases(box.inner))
    return found


def messages(top: Canvas) -> list[list[str]]:
    """Every message a message box of the patch (or its sub-canvases) can send, as atoms,
    commas splitting a box into several; `;`-sends are left out (they go to receive names,
    not to an outlet)."""
    found = []
    for canvas in canvases(top):
        for box in canvas.boxes:
            if box.kind != "msg":
                continue
            text = " ".join(box.atoms).split("\\;")[0]
            for message in text.split("\\,"):
                if message.split():
                    found.append(message.split())
    return found

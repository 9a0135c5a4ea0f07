"""Writing PureData patch files (.pd) from Python, so the patches' many numbered connections are
made by name and checked once, instead of being counted by hand.

A .pd file is a list of records ``#X obj X Y TEXT;``; a ``connect`` record names objects by their
position among the canvas's boxes (objects, messages, atoms, comments and sub-canvases all
count). :class:`Canvas` hands out those positions as it adds boxes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise


def escape(text: str) -> str:
    """Pd's file escaping: ``$`` becomes ``\\$``, and a comma or semicolon inside a box becomes
    a separate, escaped atom (``a, b`` is saved as ``a \\, b``)."""
    text = text.replace("$", "\\$")
    for mark in (",", ";"):
        text = text.replace(mark, f" \\{mark} ")
    return " ".join(text.split())


@dataclass
class Canvas:
    """One canvas: the top level of a file, or a sub-canvas (a graph holding an array)."""

    width: int = 900
    height: int = 700
    font: int = 12
    records: list[str] = field(default_factory=list)
    boxes: int = 0

    def _box(self, record: str) -> int:
        self.records.append(record)
        self.boxes += 1
        return self.boxes - 1

    def obj(self, x: int, y: int, text: str) -> int:
        """An object box; returns its index for :meth:`connect`."""
        return self._box(f"#X obj {x} {y} {escape(text)};")

    def msg(self, x: int, y: int, text: str) -> int:
        """A message box (``,`` separates messages, ``;`` starts a send to a receive name)."""
        return self._box(f"#X msg {x} {y} {escape(text)};")

    def comment(self, x: int, y: int, text: str, width: int = 0) -> int:
        """A comment; ``width`` (characters) wraps it."""
        suffix = f", f {width}" if width else ""
        return self._box(f"#X text {x} {y} {escape(text)}{suffix};")

    def floatatom(self, x: int, y: int, width: int = 5, label: str = "-",
                  receive: str = "-", send: str = "-") -> int:
        """A number box (atom); the label sits to its left."""
        return self._box(f"#X floatatom {x} {y} {width} 0 0 0 {escape(label)} "
                         f"{escape(receive)} {escape(send)} 0;")

    def symbolatom(self, x: int, y: int, width: int = 10, label: str = "-",
                   receive: str = "-", send: str = "-") -> int:
        """A symbol box; the label sits to its left."""
        return self._box(f"#X symbolatom {x} {y} {width} 0 0 0 {escape(label)} "
                         f"{escape(receive)} {escape(send)} 0;")

    def array_graph(self, x: int, y: int, name: str, size: int, low: float, high: float,
                    width: int, height: int) -> int:
        """A graph showing one unsaved array of ``size`` floats drawn as points, values
        ``low``..``high`` from bottom to top."""
        self.records.extend([
            "#N canvas 0 50 450 250 (subpatch) 0;",
            f"#X array {escape(name)} {size} float 2;",
            f"#X coords 0 {high:g} {size} {low:g} {width} {height} 1 0 0;",
        ])
        return self._box(f"#X restore {x} {y} graph;")

    def subpatch(self, x: int, y: int, name: str, inner: Canvas) -> int:
        """A sub-canvas ``[pd name]`` holding ``inner``'s boxes (a patch's logic, kept out of
        the way of its controls)."""
        self.records.append(f"#N canvas 60 60 {inner.width} {inner.height} {escape(name)} 0;")
        self.records.extend(inner.records)
        return self._box(f"#X restore {x} {y} pd {escape(name)};")

    def connect(self, source: int, outlet: int, sink: int, inlet: int) -> None:
        """A patch cord from ``source``'s outlet to ``sink``'s inlet."""
        self.records.append(f"#X connect {source} {outlet} {sink} {inlet};")

    def chain(self, *boxes: int) -> None:
        """Cords from each box's first outlet to the next box's first inlet."""
        for source, sink in pairwise(boxes):
            self.connect(source, 0, sink, 0)

    def render(self) -> str:
        """The file's text."""
        header = f"#N canvas 40 40 {self.width} {self.height} {self.font};"
        return "\n".join([header, *self.records]) + "\n"


def iemgui(kind: str, *, size: int = 15, length: int = 128, low: float = 0, high: float = 127,
           log: bool = False, init: bool = False, number: int = 4, send: str = "empty",
           receive: str = "empty", label: str = "empty") -> str:
    """The creation text of a vanilla IEM GUI object (vsl, hsl, nbx, tgl, bng, hradio,
    vradio, vu) as Pd 0.51-0.54 saves it; send and receive names are how other patches and
    the tests reach it."""
    names = f"{send} {receive} {label}"
    colours = "#fcfcfc #000000 #000000"
    steady = int(init)
    if kind in ("vsl", "hsl"):
        label_at = "0 -9" if kind == "vsl" else "-2 -8"
        width, height = (size, length) if kind == "vsl" else (length, size)
        return (f"{kind} {width} {height} {low:g} {high:g} {int(log)} {steady} {names} "
                f"{label_at} 0 10 {colours} 0 1")
    if kind == "nbx":
        return (f"nbx 5 {size} {low:g} {high:g} {int(log)} {steady} {names} 0 -8 0 10 "
                f"{colours} 0 256")
    if kind == "tgl":
        return f"tgl {size} {steady} {names} 17 7 0 10 {colours} 0 1"
    if kind == "bng":
        return f"bng {size} 250 50 {steady} {names} 17 7 0 10 {colours}"
    if kind in ("hradio", "vradio"):
        return f"{kind} {size} 1 {steady} {number} {names} 0 -8 0 10 {colours} 0"
    if kind == "vu":
        return f"vu {size} {length} {receive} {label} -1 -8 0 10 #404040 #000000 1 0"
    raise ValueError(f"unknown IEM GUI object {kind}")

"""Bundle structure, checked before anything is parsed: sizes, bounds and depth.

python-osc's bundle parser trusts each element's size: a negative size (``#bundle\\0``, a
timetag, then ``-4``) steps the read position backwards and loops forever, logging a warning a
turn; a size past the end or a deep nesting costs time and recursion. So the daemon never hands a
bundle to python-osc. :func:`split` walks it here, refusing it whole unless every element obeys
the OSC 1.0 rules:

* an element's size is positive and a multiple of 4, and the element lies inside the packet;
* the elements fill the bundle exactly (no trailing bytes shorter than a size field);
* bundles nest at most :data:`MAX_DEPTH` deep, and a packet holds at most
  :data:`MAX_MESSAGES` messages (each costs a rate-limit token anyway; see clients.py).

Every step moves forward by at least 8 bytes, so the walk ends in time linear in the packet's
size whatever the bytes say. Messages come out as byte strings, with the timetag of the bundle
that holds them, for python-osc's message parser.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from pythonosc.parsing import osc_types

PREFIX = b"#bundle\x00"
HEADER_BYTES = len(PREFIX) + 8  # the prefix and the timetag
MAX_DEPTH = 8  # liblo and scsynth clients nest one or two levels; 8 leaves room, no recursion
MAX_MESSAGES = 4096  # more than a 64 KiB packet of the smallest messages (8 bytes) can hold


class BundleError(ValueError):
    """The bundle breaks the structure rules; the reason names the culprit."""


@dataclass(frozen=True)
class Element:
    data: bytes  # one OSC message
    at: float | None  # the enclosing bundle's time (seconds since the epoch), None: immediately


def is_bundle(data: bytes) -> bool:
    return data.startswith(PREFIX)


def timetag(data: bytes, offset: int) -> float | None:
    """The bundle timetag at ``offset``: None for 1 ("immediately"), else epoch seconds."""
    when, _ = osc_types.get_date(data, offset)
    return None if when == osc_types.IMMEDIATELY else float(when)


def split(data: bytes) -> list[Element]:
    """Every message of a bundle, nested bundles flattened in order (depth first); raises
    BundleError for any breach of the rules above."""
    found: list[Element] = []
    # an explicit stack of open bundles, [next position, end, time, depth]: no recursion
    stack = [_open(data, 0, len(data), 1)]
    while stack:
        frame = stack[-1]
        position, end, at, depth = frame
        if position >= end:
            stack.pop()
            continue
        if end - position < 4:
            raise BundleError(f"{end - position} stray bytes at the end of a bundle")
        (size,) = struct.unpack_from(">i", data, position)
        position += 4
        if size <= 0 or size % 4:
            raise BundleError(f"bundle element size {size} is not a positive multiple of 4")
        if size > end - position:
            raise BundleError(f"bundle element size {size} runs past the bundle's end "
                              f"({end - position} bytes left)")
        frame[0] = position + size
        if is_bundle(data[position:position + len(PREFIX)]):
            if depth >= MAX_DEPTH:
                raise BundleError(f"bundles nested deeper than {MAX_DEPTH} levels")
            stack.append(_open(data, position, position + size, depth + 1))
            continue
        found.append(Element(data[position:position + size], at))
        if len(found) > MAX_MESSAGES:
            raise BundleError(f"more than {MAX_MESSAGES} messages in one packet")
    return found


def _open(data: bytes, start: int, end: int, depth: int) -> list:
    if end - start < HEADER_BYTES or not is_bundle(data[start:end]):
        raise BundleError("bundle header (#bundle and a timetag) is truncated")
    return [start + HEADER_BYTES, end, timetag(data, start + len(PREFIX)), depth]

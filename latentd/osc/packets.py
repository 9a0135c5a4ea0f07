"""Decoding packets and encoding replies with python-osc, timetags honoured here.

python-osc's own dispatcher sleeps on bundle timetags and folds late bundles into "now". The
daemon needs both facts instead: when a message is due (for the engine's scheduler) and how late a
bundle arrived (for ``/late``), so bundles are walked here.

python-osc also skips type tags it does not know (``c``, ``S``, ``I`` ...) without consuming
their bytes, so the arguments after one are read from the wrong place. The raw type tag string is
therefore checked first, and a message carrying any tag outside :data:`ACCEPTED` is handed on as
refused (the server answers ``/fail`` naming the tag) instead of misread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from pythonosc.osc_bundle import OscBundle
from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.parsing import osc_types

# numbers (i f d h, T F), names (s) and blobs (b, for /sync): all that docs/osc.md accepts
ACCEPTED = frozenset("ifdhsbTF")


class MalformedPacket(ValueError):
    pass


@dataclass(frozen=True)
class Incoming:
    address: str
    args: list[object]
    at: float | None  # wall-clock time it is due, None for immediately
    refused: str | None = None  # why the message is refused before any handler sees it


def unsupported_tag(data: bytes) -> str | None:
    """The first type tag of a message outside :data:`ACCEPTED`, or None; raises ParseError
    for a truncated message."""
    _, index = osc_types.get_string(data, 0)
    if index >= len(data):
        return None  # no type tag string: no arguments
    tags, _ = osc_types.get_string(data, index)
    return next((t for t in tags[1:] if t not in ACCEPTED), None) if tags.startswith(",") \
        else None  # python-osc refuses a tag string without ',' as malformed


def _refusal(tag: str) -> str:
    return f"unsupported argument type '{tag}' (accepted: {' '.join(sorted(ACCEPTED))})"


def decode(data: bytes, now: float | None = None) -> list[Incoming]:
    """All messages in a packet, nested bundles flattened; raises MalformedPacket."""
    try:
        if OscBundle.dgram_is_bundle(data):
            return _walk(OscBundle(data))
        if OscMessage.dgram_is_message(data):
            tag = unsupported_tag(data)
            if tag is not None:  # do not let python-osc misread it
                address, _ = osc_types.get_string(data, 0)
                return [Incoming(address, [], None, _refusal(tag))]
            message = OscMessage(data)
            return [Incoming(message.address, list(message.params), None)]
    except Exception as exc:  # python-osc raises several kinds on garbage; all mean malformed
        raise MalformedPacket(f"malformed OSC packet: {exc}") from exc
    raise MalformedPacket("not an OSC message or bundle")


def _walk(bundle: OscBundle) -> list[Incoming]:
    at = None if bundle.timestamp == osc_types.IMMEDIATELY else float(bundle.timestamp)
    found: list[Incoming] = []
    for content in bundle:
        if isinstance(content, OscBundle):
            found.extend(_walk(content))
            continue
        tag = unsupported_tag(content.dgram)
        if tag is not None:
            found.append(Incoming(content.address, [], at, _refusal(tag)))
        else:
            found.append(Incoming(content.address, list(content.params), at))
    return found


def encode(address: str, *args: object) -> bytes:
    """A reply using only the types i, f, s and b (Pd 0.53's [oscparse] rejects others)."""
    builder = OscMessageBuilder(address)
    for arg in args:
        if isinstance(arg, bool):
            builder.add_arg(int(arg), "i")
        elif isinstance(arg, int):
            builder.add_arg(arg if -2**31 <= arg < 2**31 else float(arg),
                            "i" if -2**31 <= arg < 2**31 else "f")
        elif isinstance(arg, float):
            builder.add_arg(arg, "f")
        elif isinstance(arg, bytes):
            builder.add_arg(arg, "b")
        else:
            builder.add_arg(str(arg), "s")
    return builder.build().dgram


def lateness(at: float | None, now: float | None = None) -> float:
    if at is None:
        return 0.0
    return max(0.0, (time.time() if now is None else now) - at)

"""Decoding packets and encoding replies with python-osc, timetags honoured here.

python-osc's own dispatcher sleeps on bundle timetags and folds late bundles into "now". The
daemon needs both facts instead: when a message is due (for the engine's scheduler) and how late a
bundle arrived (for ``/late``), so bundles are walked here, by :mod:`latentd.osc.bundles`, which
also checks their structure (python-osc's bundle parser loops forever on a negative size).

python-osc also skips type tags it does not know (``c``, ``S``, ``I`` ...) without consuming
their bytes, so the arguments after one are read from the wrong place. The raw type tag string is
therefore checked first, and a message carrying any tag outside :data:`ACCEPTED` is handed on as
refused (the server answers ``/fail`` naming the tag) instead of misread.
"""

from __future__ import annotations

from dataclasses import dataclass

from pythonosc.osc_message import OscMessage
from pythonosc.parsing import osc_types

from latentd.osc import bundles

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
    """All messages in a packet, nested bundles flattened; raises MalformedPacket.

    Bundles are split by :mod:`latentd.osc.bundles`, which checks their structure first;
    python-osc only ever parses single messages, after their type tags were checked."""
    if bundles.is_bundle(data):
        try:
            elements = bundles.split(data)
        except (bundles.BundleError, osc_types.ParseError) as exc:
            raise MalformedPacket(f"malformed OSC bundle: {exc}") from exc
        return [_message(element.data, element.at) for element in elements]
    return [_message(data, None)]


def _message(data: bytes, at: float | None) -> Incoming:
    try:
        if not OscMessage.dgram_is_message(data):
            raise MalformedPacket("not an OSC message or bundle")
        tag = unsupported_tag(data)
        if tag is not None:  # do not let python-osc misread it (or log about it)
            address, _ = osc_types.get_string(data, 0)
            return Incoming(address, [], at, _refusal(tag))
        message = OscMessage(data)
        return Incoming(message.address, list(message.params), at)
    except MalformedPacket:
        raise
    except Exception as exc:  # python-osc raises several kinds on garbage; all mean malformed
        raise MalformedPacket(f"malformed OSC packet: {exc}") from exc


def encode(address: str, *args: object) -> bytes:
    """A reply using only the types i, f, s and b (Pd 0.53's [oscparse] rejects others).

    Written with python-osc's primitives rather than its builder, which refuses an empty blob
    although an empty blob is a valid OSC value (``/sync`` echoes one)."""
    tags, body = ",", []
    for arg in args:
        if isinstance(arg, bool):
            arg = int(arg)
        if isinstance(arg, int) and -2**31 <= arg < 2**31:
            tags += "i"
            body.append(osc_types.write_int(arg))
        elif isinstance(arg, (int, float)):
            tags += "f"
            body.append(osc_types.write_float(float(arg)))
        elif isinstance(arg, bytes):
            tags += "b"
            body.append(osc_types.write_blob(arg) if arg else osc_types.write_int(0))
        else:
            tags += "s"
            body.append(osc_types.write_string(str(arg)))
    return osc_types.write_string(address) + osc_types.write_string(tags) + b"".join(body)

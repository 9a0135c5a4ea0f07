"""Argument coercion: what Pd, Max, TouchOSC and liblo actually send, checked with care.

Numbers may arrive as i, f, d or h, booleans as T/F, and indices as floats (Pd sends only floats).
Anything else, NaN, infinity or a value out of range raises :class:`Fail` with a reason that the
server sends back as ``/fail <address> <reason>``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


class Fail(ValueError):
    """A request the daemon refuses; the message is the reason sent to the client."""


def count(args: Sequence[object], low: int, high: int | None = None) -> None:
    high = low if high is None else high
    if not low <= len(args) <= high:
        wanted = str(low) if low == high else f"{low} to {high}"
        raise Fail(f"expected {wanted} arguments, got {len(args)}")


def number(value: object, what: str, low: float, high: float) -> float:
    if isinstance(value, bool):
        value = float(value)
    if not isinstance(value, (int, float)):
        raise Fail(f"{what} must be a number, got {type(value).__name__}")
    result = float(value)
    if math.isnan(result) or math.isinf(result):
        raise Fail(f"{what} must be finite")
    if not low <= result <= high:
        raise Fail(f"{what} {result:g} is outside [{low:g}, {high:g}]")
    return result


def index(value: object, size: int, what: str = "index") -> int:
    """A whole number in [0, size); a float is accepted when it is integral (Pd)."""
    result = number(value, what, -math.inf, math.inf)
    if result != int(result):
        raise Fail(f"{what} must be a whole number, got {result:g}")
    if not 0 <= result < size:
        raise Fail(f"{what} {int(result)} is outside [0, {size - 1}]")
    return int(result)


def flag(value: object, what: str) -> bool:
    result = number(value, what, -math.inf, math.inf)
    if result not in (0.0, 1.0):
        raise Fail(f"{what} must be 0 or 1")
    return result == 1.0


def text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise Fail(f"{what} must be a non-empty string")
    return value


def choice(value: object, what: str, options: Sequence[str]) -> str:
    result = text(value, what)
    if result not in options:
        raise Fail(f"{what} must be one of {', '.join(options)}; got '{result}'")
    return result

"""Argument coercion: what Pd, Max, TouchOSC and liblo actually send, checked with care.

Numbers may arrive as i, f, d or h, booleans as T/F, and indices as floats (Pd sends only floats).
Anything else, NaN, infinity or a value out of range raises :class:`Fail` with a reason that the
server sends back as ``/fail <address> <reason>``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

FLOAT32_MAX = 3.4028234663852886e38  # replies carry floats as 'f' (Pd reads no 'd')
FLOAT32_WHOLE_MAX = 1 << 24  # every whole number up to here is exact in a 32-bit float


class Fail(ValueError):
    """A request the daemon refuses; the message is the reason sent to the client."""


def finite(args: Sequence[object]) -> None:
    """NaN and infinity are refused everywhere (docs/osc.md), so this runs before any handler,
    even those that pass values through unread (``/sync``, ``/attr/set``)."""
    for position, value in enumerate(args, 1):
        if isinstance(value, float) and not math.isfinite(value):
            raise Fail(f"argument {position} is {value}: NaN and infinity are refused")


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


def whole(value: object, what: str, low: int, high: int) -> int:
    """A whole number in [low, high]; a float is accepted when it is integral (Pd)."""
    result = number(value, what, -math.inf, math.inf)
    if result != int(result):
        raise Fail(f"{what} must be a whole number, got {result:g}")
    if not low <= result <= high:
        raise Fail(f"{what} {int(result)} is outside [{low}, {high}]")
    return int(result)


def index(value: object, size: int, what: str = "index") -> int:
    """A whole number in [0, size)."""
    return whole(value, what, 0, size - 1)


def flag(value: object, what: str) -> bool:
    result = number(value, what, -math.inf, math.inf)
    if result not in (0.0, 1.0):
        raise Fail(f"{what} must be 0 or 1")
    return result == 1.0


def text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise Fail(f"{what} must be a non-empty string")
    return value


def name(value: object, what: str) -> str:
    """A file name a client sends (preset, recording): a non-empty string, or a whole number,
    because Pd sends every number as a float (``/preset/save 1`` arrives as ``f 1.0``) and
    names like ``1`` are what a performer types. Whole numbers become their decimal digits
    (1.0 -> "1", -2 -> "-2", which the name rule then refuses for its leading '-'). A number
    with a fraction is refused: Pd's 32-bit float turns ``1.1`` into 1.100000023841858, so
    the file would not be named as typed. The bare-name rule itself is checked later."""
    if isinstance(value, bool):
        raise Fail(f"{what} must be a string or a whole number, got {value}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise Fail(f"{what} {value:g} is not a whole number: send a name with a fraction "
                       "as a string (a symbol in Pd, e.g. [symbol 1.5()")
        if abs(value) > FLOAT32_WHOLE_MAX:  # Pd's 16777217 arrives as 16777216.0
            raise Fail(f"{what} {value:.0f} is past {FLOAT32_WHOLE_MAX}, beyond which a 32-bit "
                       "float cannot hold every whole number (1e20 would name the file "
                       "100000002004087734272): send it as a string (a symbol in Pd)")
        return str(int(value))
    return text(value, what)


def echo(value: object, what: str) -> object:
    """A value sent back as it came (``/sync``'s id): it must fit the reply types i f s b, so a
    double beyond the 32-bit float range is refused rather than failing in the encoder."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and not -FLOAT32_MAX <= value <= FLOAT32_MAX:
        raise Fail(f"{what} {value:g} is outside the 32-bit float range of replies")
    if not isinstance(value, (int, float, str, bytes)):
        raise Fail(f"{what} must be a number, a string or a blob")
    return value


def choice(value: object, what: str, options: Sequence[str]) -> str:
    result = text(value, what)
    if result not in options:
        raise Fail(f"{what} must be one of {', '.join(options)}; got '{result}'")
    return result

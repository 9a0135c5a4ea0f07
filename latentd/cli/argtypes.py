"""argparse value types shared by commands: a bad number is a usage error (exit 2) that names
the flag, not a traceback later."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    """``kind`` (int or float) parsed, finite and above zero."""

    def parse(text: str) -> float:
        value = kind(text)
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
        return value

    return parse


def non_negative(kind: Callable[[str], float]) -> Callable[[str], float]:
    """``kind`` (int or float) parsed, finite and at least zero."""

    def parse(text: str) -> float:
        value = kind(text)
        if not (math.isfinite(value) and value >= 0):
            raise argparse.ArgumentTypeError(f"must be zero or more, got {text}")
        return value

    return parse


def finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text}")
    return value


def odd_steps(text: str) -> int:
    value = int(text)
    if value < 3 or value % 2 == 0:
        raise argparse.ArgumentTypeError(f"must be odd and at least 3, got {text}")
    return value

"""Text bars shared by the panes (rich Text, no widget state)."""

from __future__ import annotations

SPARKS = "▁▂▃▄▅▆▇█"


def level_bar(db: float, width: int, floor: float = -60.0) -> str:
    """A left-to-right bar for a level in dB between ``floor`` and 0."""
    fraction = min(1.0, max(0.0, (db - floor) / -floor))
    filled = round(fraction * width)
    return "█" * filled + "·" * (width - filled)


def centred_bar(value: float, width: int, span: float = 3.0) -> str:
    """A bar growing left or right of the middle for a value in [-span, span] (clipped)."""
    half = width // 2
    cells = round(min(1.0, abs(value) / span) * half)
    left = " " * (half - cells) + "█" * cells if value < 0 else " " * half
    right = "█" * cells + " " * (half - cells) if value > 0 else " " * half
    return left + "│" + right


def sparkline(values: list[float], width: int, top: float | None = None) -> str:
    """The last ``width`` values as block characters, scaled to ``top`` (default: their max)."""
    values = values[-width:]
    if not values:
        return ""
    high = top if top is not None else max(max(values), 1e-9)
    return "".join(SPARKS[min(len(SPARKS) - 1, int(v / high * (len(SPARKS) - 1) + 0.5))]
                   if high > 0 else SPARKS[0] for v in values)

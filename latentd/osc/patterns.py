"""OSC 1.0 address patterns (``?``, ``*``, ``[...]``, ``[!...]``, ``{a,b}``) as regular
expressions, matched against the daemon's concrete addresses."""

from __future__ import annotations

import re
from functools import lru_cache

SPECIAL = set("?*[]{}")


def is_pattern(address: str) -> bool:
    return any(c in SPECIAL for c in address)


@lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Raises ValueError for a malformed pattern (unclosed bracket or brace)."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "?":
            out.append("[^/]")
        elif c == "*":
            out.append("[^/]*")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                raise ValueError("unclosed '[' in address pattern")
            body = pattern[i + 1 : end]
            negate = body.startswith("!")
            body = body[1:] if negate else body
            parts = [re.escape(ch) if ch != "-" else "-" for ch in body]
            out.append(f"[{'^' if negate else ''}{''.join(parts)}]")
            i = end
        elif c == "{":
            end = pattern.find("}", i + 1)
            if end < 0:
                raise ValueError("unclosed '{' in address pattern")
            options = pattern[i + 1 : end].split(",")
            out.append("(?:" + "|".join(re.escape(o) for o in options) + ")")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def matches(pattern: str, addresses: list[str]) -> list[str]:
    regex = compile_pattern(pattern)
    return [a for a in addresses if regex.match(a)]

"""OSC 1.0 address patterns (``?``, ``*``, ``[...]``, ``[!...]``, ``{a,b}``) matched against
the daemon's concrete addresses.

The matcher walks the address once per pattern token, keeping the set of positions reached,
rather than translating to a regular expression: a regex backtracks exponentially on patterns
such as ``/*****...x`` (tens of seconds for twenty stars), which any client could send to stall
the OSC thread. Every malformed pattern raises :class:`PatternError` with a reason for ``/fail``.
"""

from __future__ import annotations

from functools import lru_cache

SPECIAL = set("?*[]{}")
MAX_PATTERN = 256  # characters; the daemon's own addresses are far shorter
MATCH_STEPS_PER_MESSAGE = 1024  # matching steps that cost one message (see cost)

# tokens: ("char", c), ("any",), ("star",), ("set", negate, ((low, high), ...)), ("alt", options)
Token = tuple


class PatternError(ValueError):
    """A malformed address pattern; the message is the reason sent back."""


def is_pattern(address: str) -> bool:
    return any(c in SPECIAL for c in address)


def _set(body: str) -> Token:
    negate = body.startswith("!")
    body = body[1:] if negate else body
    if not body:
        raise PatternError("empty '[]' set in address pattern")
    ranges, i = [], 0
    while i < len(body):
        # a '-' between two characters makes a range; at either end it is itself
        if i + 2 < len(body) and body[i + 1] == "-":
            low, high = body[i], body[i + 2]
            if low > high:
                raise PatternError(f"reversed range '{low}-{high}' in address pattern")
            ranges.append((low, high))
            i += 3
        else:
            ranges.append((body[i], body[i]))
            i += 1
    return ("set", negate, tuple(ranges))


@lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> tuple[Token, ...]:
    """The pattern's tokens; raises PatternError for a malformed or overlong pattern."""
    if len(pattern) > MAX_PATTERN:
        raise PatternError(f"address pattern longer than {MAX_PATTERN} characters")
    tokens: list[Token] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "?":
            tokens.append(("any",))
        elif c == "*":
            if not tokens or tokens[-1] != ("star",):  # '**' is '*'
                tokens.append(("star",))
        elif c in "[{":
            close = "]" if c == "[" else "}"
            end = pattern.find(close, i + 1)
            if end < 0:
                raise PatternError(f"unclosed '{c}' in address pattern")
            body = pattern[i + 1 : end]
            tokens.append(_set(body) if c == "[" else ("alt", tuple(body.split(","))))
            i = end
        elif c in "]}":
            raise PatternError(f"unmatched '{c}' in address pattern")
        else:
            tokens.append(("char", c))
        i += 1
    return tuple(tokens)


def _step(token: Token, address: str, positions: set[int]) -> set[int]:
    kind, n = token[0], len(address)
    if kind == "char":
        return {p + 1 for p in positions if p < n and address[p] == token[1]}
    if kind == "alt":
        return {p + len(o) for p in positions for o in token[1] if address.startswith(o, p)}
    if kind == "star":
        reached: set[int] = set()
        for p in sorted(positions):
            while p not in reached:
                reached.add(p)
                if p >= n or address[p] == "/":
                    break
                p += 1
        return reached
    found = set()  # "any" and "set" match one character other than '/'
    for p in positions:
        if p >= n or address[p] == "/":
            continue
        if kind == "any":
            found.add(p + 1)
        else:
            inside = any(low <= address[p] <= high for low, high in token[2])
            if inside != token[1]:
                found.add(p + 1)
    return found


def match(pattern: str, address: str) -> bool:
    positions = {0}
    for token in compile_pattern(pattern):
        positions = _step(token, address, positions)
        if not positions:
            return False
    return len(address) in positions


def cost(pattern: str, addresses: int) -> int:
    """What matching ``pattern`` against ``addresses`` addresses costs, in messages (rate-limit
    tokens): the matcher takes up to one step per pattern character and address (more for long
    ``{...}`` lists), about 30 ns each, and a plain message costs about as much as
    :data:`MATCH_STEPS_PER_MESSAGE` steps. At least 1. A pattern longer than
    :data:`MAX_PATTERN` is refused before any matching, so it costs no more than one that long."""
    steps = min(len(pattern), MAX_PATTERN) * addresses
    return max(1, -(-steps // MATCH_STEPS_PER_MESSAGE))


def matches(pattern: str, addresses: list[str]) -> list[str]:
    """The addresses the pattern matches, in order; raises PatternError if it is malformed."""
    compile_pattern(pattern)
    return [a for a in addresses if match(pattern, a)]

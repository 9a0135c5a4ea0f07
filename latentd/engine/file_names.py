"""Bare names for presets, recordings and models: what a client may call a file.

A name becomes a file name inside one directory, so it must never reach outside it. The rule:

* NFC-normalised first (a name typed on macOS arrives decomposed; it names the same file);
* letters and digits of any script, combining marks, space, ``_``, ``-`` and ``.``;
* starts with a letter or a digit (so no hidden files, no ``-option`` look-alikes);
* no ``..`` anywhere;
* at most 64 characters and 192 bytes of UTF-8 (file names are limited to 255 bytes, and the
  temporary and ``-2`` suffixes need room).

Everything else is refused: separators (``/``, ``\\``, and look-alikes such as ``∕`` or ``／``,
which are symbols, not letters), control and format characters (bidirectional overrides
included), other whitespace, symbols and punctuation.
"""

from __future__ import annotations

import unicodedata

MAX_NAME_CHARACTERS = 64
MAX_NAME_BYTES = 192
_PUNCTUATION = frozenset(" _-.")
_LETTERS_AND_DIGITS = ("L", "N")  # Unicode major categories
_MARKS = "M"

RULE = ("use letters or digits (any script), space, '_', '-', '.'; start with a letter or "
        f"digit; no '..'; at most {MAX_NAME_CHARACTERS} characters")


class NameRefused(ValueError):
    """A name that could leave its directory or is not a bare name; the message says why."""


def _allowed(character: str, first: bool) -> bool:
    category = unicodedata.category(character)
    if category[0] in _LETTERS_AND_DIGITS:
        return True
    if first:
        return False
    return category[0] == _MARKS or character in _PUNCTUATION


def check_name(name: str) -> str:
    """The NFC form of ``name`` when it is a bare name; raises NameRefused naming the culprit."""
    if not isinstance(name, str) or not name:
        raise NameRefused(f"a name must be a non-empty string: {RULE}")
    normal = unicodedata.normalize("NFC", name)
    if len(normal) > MAX_NAME_CHARACTERS or len(normal.encode("utf-8", "surrogatepass")) \
            > MAX_NAME_BYTES:
        raise NameRefused(f"name '{normal[:MAX_NAME_CHARACTERS]}...' is too long: at most "
                          f"{MAX_NAME_CHARACTERS} characters ({MAX_NAME_BYTES} bytes of UTF-8)")
    for position, character in enumerate(normal):
        if not _allowed(character, first=position == 0):
            shown = character if character.isprintable() else f"U+{ord(character):04X}"
            raise NameRefused(f"invalid name {normal!r}: character '{shown}' at position "
                              f"{position + 1} is not allowed; {RULE}")
    if ".." in normal:
        raise NameRefused(f"invalid name {normal!r}: '..' is not allowed; {RULE}")
    return normal


def is_bare(name: str) -> bool:
    """True when ``name`` is a bare name already in its normal form, that is when a client
    sending it back gets exactly this name (listings offer only such names)."""
    try:
        return check_name(name) == name
    except NameRefused:
        return False

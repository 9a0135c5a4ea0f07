"""Command-line flags declared on the fields of an options dataclass, so that an option is
declared once: its name, default, help and value type sit on the field, ``add_flags`` gives
argparse one flag per field and ``from_flags`` builds the dataclass from the parsed arguments.

    @dataclass
    class TrainOptions:
        data: Path = field(metadata=flag("dataset folder", parse=Path))  # required
        threads: int = field(default=2, metadata=flag("torch CPU threads", parse=positive(int)))
        resume: bool = field(default=False, metadata=flag("continue from --output"))  # a switch

Without this, a new option was written three times (the flag, the field, the copy from
``args``), and a copy forgotten was a flag that silently did nothing. A field without
``flag`` metadata is not a flag. The flag is ``--field-name`` unless ``names`` says
otherwise; a ``False`` default makes a switch (``store_true``); no default makes the flag
required. argparse's default is the field's, so ``--help`` and the dataclass agree.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import MISSING, Field, dataclass, fields
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")
METADATA_KEY = "flag"


@dataclass(frozen=True)
class Flag:
    """How one field appears on the command line."""

    help: str
    parse: Callable[[str], Any] | None = None  # argparse ``type``: raise ArgumentTypeError
    names: tuple[str, ...] = ()  # default: ("--field-name",)
    choices: tuple[str, ...] | None = None


def flag(help: str, *, parse: Callable[[str], Any] | None = None, names: Sequence[str] = (),
         choices: Sequence[str] | None = None) -> dict[str, Flag]:
    """The field metadata that makes a dataclass field a flag:
    ``field(default=..., metadata=flag(...))`` (a plain ``field``, so that type checkers and
    linters see an ordinary dataclass)."""
    return {METADATA_KEY: Flag(help, parse, tuple(names), None if choices is None
                               else tuple(choices))}


def flag_of(spec: Field[Any]) -> Flag | None:
    """The field's flag, or None for a field that is not on the command line."""
    declared = spec.metadata.get(METADATA_KEY)
    return declared if isinstance(declared, Flag) else None


def flag_names(spec: Field[Any]) -> tuple[str, ...]:
    """The option strings of a field's flag: its declared names or ``--field-name``."""
    declared = flag_of(spec)
    if declared is None:
        raise ValueError(f"{spec.name} is not declared with flag()")
    return declared.names or ("--" + spec.name.replace("_", "-"),)


def add_flags(parser: argparse.ArgumentParser, options: type[DataclassInstance]) -> None:
    """One flag per ``flag`` field of the dataclass ``options``, in field order."""
    for spec in fields(options):
        declared = flag_of(spec)
        if declared is None:
            continue
        settings: dict[str, Any] = {"dest": spec.name, "help": declared.help}
        if spec.default is MISSING and spec.default_factory is MISSING:
            settings["required"] = True
        elif spec.default is False:
            settings.update(action="store_true", default=False)
        else:
            settings["default"] = spec.default
        if settings.get("action") is None:
            if declared.parse is not None:
                settings["type"] = declared.parse
            if declared.choices is not None:
                settings["choices"] = declared.choices
        parser.add_argument(*flag_names(spec), **settings)


def from_flags(options: type[T], args: argparse.Namespace) -> T:
    """The dataclass ``options`` from the parsed values of its flags (``add_flags``)."""
    values = {spec.name: getattr(args, spec.name) for spec in fields(options)
              if flag_of(spec) is not None}
    return options(**values)

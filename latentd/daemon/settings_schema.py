"""Rules for ``latentd serve``'s settings: each setting's type and accepted range, declared
beside the field it guards (``config.py`` writes
``port: int = field(default=57130, metadata=Int(1, 65535).meta)``)
and checked in one place, whether the value came from a TOML file or a flag.

Why bounds and not only types: several settings size buffers (``latency_ms`` the ring,
``block_frames`` every decode's tensors, ``blocksize`` the device's), so a value that is a valid
number can still ask for gigabytes; ``rate_limit`` below a few messages per second makes the
daemon unreachable. A refusal names the setting, the value given and what is accepted, and
``latentd serve`` exits 2 with it (a usage error), never with a traceback.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Sequence
from dataclasses import Field, dataclass
from pathlib import Path
from typing import Any

from latentd.errors import UsageError


class ConfigError(UsageError, ValueError):
    """A bad flag or config value; ``latentd serve`` exits with status 2 (a usage error)."""


class Rule:
    """Checks one setting's value and returns it normalised; raises ConfigError otherwise."""

    optional = False  # None is accepted (and means "choose for me")

    @property
    def meta(self) -> dict[str, Rule]:
        """The field metadata that declares this rule: ``field(default=1, metadata=R().meta)``."""
        return {"rule": self}

    def describe(self) -> str:
        raise NotImplementedError

    def convert(self, value: Any) -> Any:
        """The checked value; raise ValueError or TypeError (with a short reason) if bad."""
        raise NotImplementedError

    def check(self, name: str, value: Any) -> Any:
        if value is None and self.optional:
            return None
        try:
            return self.convert(value)
        except (TypeError, ValueError) as exc:
            reason = f" ({exc})" if str(exc) else ""
            raise ConfigError(f"{name} must be {self.describe()}, got {value!r}{reason}"
                              ) from None


@dataclass
class Int(Rule):
    minimum: int
    maximum: int
    optional: bool = False

    def describe(self) -> str:
        text = f"an integer in {self.minimum}..{self.maximum}"
        return f"{text} (or unset)" if self.optional else text

    def convert(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("")
        if not self.minimum <= value <= self.maximum:
            raise ValueError("")
        return value


@dataclass
class Float(Rule):
    minimum: float
    maximum: float
    optional: bool = False

    def describe(self) -> str:
        text = f"a number in {self.minimum:g}..{self.maximum:g}"
        return f"{text} (or unset)" if self.optional else text

    def convert(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError("")
        if not (math.isfinite(value) and self.minimum <= value <= self.maximum):
            raise ValueError("")
        return float(value)


@dataclass
class FloatOrAuto(Rule):
    """A number in range, or ``auto`` (the daemon chooses: ``latency_ms``, engine/latency.py)."""

    minimum: float
    maximum: float

    def describe(self) -> str:
        return f"auto or {Float(self.minimum, self.maximum).describe()}"

    def convert(self, value: Any) -> float | str:
        if isinstance(value, str) and value.strip().lower() == "auto":
            return "auto"
        return Float(self.minimum, self.maximum).convert(value)

    def check(self, name: str, value: Any) -> Any:
        """A number out of range is refused as any number setting's is (its range only)."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Float(self.minimum, self.maximum).check(name, value)
        return super().check(name, value)


@dataclass
class Text(Rule):
    choices: Sequence[str] = ()
    max_length: int = 4096

    def describe(self) -> str:
        if self.choices:
            return "one of " + ", ".join(self.choices)
        return "a non-empty string"

    def convert(self, value: Any) -> str:
        if not isinstance(value, str) or not value or len(value) > self.max_length:
            raise TypeError("")
        if self.choices and value not in self.choices:
            raise ValueError("")
        return value


@dataclass
class Flag(Rule):
    optional: bool = False

    def describe(self) -> str:
        return "true or false (or unset)" if self.optional else "true or false"

    def convert(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise TypeError("")
        return value


@dataclass
class Output(Rule):
    """``auto``, ``null``, ``wav:PATH`` or ``portaudio[:DEVICE]``."""

    def describe(self) -> str:
        return "auto, null, wav:PATH or portaudio[:DEVICE]"

    def convert(self, value: Any) -> str:
        if not isinstance(value, str):
            raise TypeError("")
        kind, colon, argument = value.partition(":")
        if kind in ("auto", "null") and not colon:
            return value
        if kind == "wav" and argument:
            return value
        if kind == "portaudio":
            return value
        raise ValueError("")


@dataclass
class Address(Rule):
    """An IP address to bind, or ``localhost``: a host name that resolves to several
    addresses would leave which one is bound to chance."""

    def describe(self) -> str:
        return "an IP address such as 127.0.0.1, 0.0.0.0 or ::, or localhost"

    def convert(self, value: Any) -> str:
        if not isinstance(value, str):
            raise TypeError("")
        if value != "localhost":
            ipaddress.ip_address(value)
        return value


@dataclass
class Networks(Rule):
    """A list of networks (``["192.168.1.0/24", "10.0.0.7"]``); at most ``max_count``."""

    max_count: int = 256

    def describe(self) -> str:
        return ('a list of networks, e.g. allow = ["192.168.1.0/24"] in TOML or '
                "--allow 192.168.1.0/24")

    def convert(self, value: Any) -> list[str]:
        if not isinstance(value, list | tuple) or len(value) > self.max_count:
            raise TypeError("")
        for item in value:
            if not isinstance(item, str):
                raise TypeError(f"{item!r} is not a string")
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not a network") from None
        return list(value)


@dataclass
class InputSpec(Rule):
    """``none``, ``wav:PATH`` or ``portaudio[:DEVICE]`` (latentd.audio.input_factory)."""

    def describe(self) -> str:
        return "none, wav:PATH or portaudio[:DEVICE]"

    def convert(self, value: Any) -> str:
        if not isinstance(value, str):
            raise TypeError("")
        kind, colon, argument = value.partition(":")
        if (kind == "none" and not colon) or (kind == "wav" and argument) \
                or kind == "portaudio":
            return value
        raise ValueError("")


@dataclass
class Channels(Rule):
    """Input channels to take, 1-based: ``[1, 2]`` in TOML, ``1,2`` as a flag."""

    maximum: int = 64
    optional: bool = True

    def describe(self) -> str:
        return (f"distinct channel numbers in 1..{self.maximum}, e.g. input_channels = [1, 2] "
                "in TOML or --input-channels 1,2")

    def convert(self, value: Any) -> list[int]:
        if isinstance(value, str):
            try:
                value = [int(part) for part in value.split(",")]
            except ValueError:
                raise ValueError("not numbers") from None
        if not isinstance(value, list | tuple) or not value:
            raise TypeError("")
        if any(isinstance(n, bool) or not isinstance(n, int) for n in value):
            raise TypeError("")
        if any(not 1 <= n <= self.maximum for n in value) or len(set(value)) != len(value):
            raise ValueError("")
        return list(value)


@dataclass
class Folder(Rule):
    optional: bool = False

    def describe(self) -> str:
        return "a folder path"

    def convert(self, value: Any) -> Path:
        if not isinstance(value, str | Path) or not str(value) or "\0" in str(value):
            raise TypeError("")
        return Path(value).expanduser()


def rule_of(spec: Field[Any]) -> Rule:
    """The field's declared rule, or one inferred from its default for a field declared
    without one (a plain ``bool`` switch, say), so no setting goes unchecked."""
    rule = spec.metadata.get("rule")
    if rule is not None:
        return rule
    default = spec.default
    if isinstance(default, bool):
        return Flag()
    if isinstance(default, int):
        return Int(-(2**31), 2**31 - 1)
    if isinstance(default, float):
        return Float(-math.inf, math.inf)
    return Text()

"""The one interface the engine and daemon use for every model, whatever its file format."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import torch

from latentd.errors import LatentdError


class ModelError(LatentdError, ValueError):
    """A model file that cannot be used. The message names the file and what is wrong (exit
    status 1)."""


class Attributes(ABC):
    """A model's named, settable attributes (nn~'s ``get_<name>``/``set_<name>`` pairs)."""

    @property
    @abstractmethod
    def names(self) -> list[str]: ...

    @abstractmethod
    def get(self, name: str) -> tuple[object, ...]: ...

    @abstractmethod
    def set(self, name: str, values: Sequence[object]) -> None: ...


class NoAttributes(Attributes):
    @property
    def names(self) -> list[str]:
        return []

    def get(self, name: str) -> tuple[object, ...]:
        raise KeyError(f"unknown attribute '{name}'")

    def set(self, name: str, values: Sequence[object]) -> None:
        raise KeyError(f"unknown attribute '{name}'")


class Synth(ABC):
    """A streaming latent synthesizer.

    ``decode`` takes latent frames (batch, latent_size, frames) and returns audio
    (batch, channels, frames * ratio). Calls are stateful: block after block continues the same
    sound, delayed by ``latency`` samples. ``reset`` starts again from silence.
    """

    name: str
    sample_rate: int
    latent_size: int
    ratio: int
    channels: int
    latency: int
    methods: list[str]
    attributes: Attributes
    # True when every decode returns a new tensor the model never touches again, so the engine
    # may keep a view of it; a foreign TorchScript model might reuse its output buffer
    fresh_output: bool = False

    @property
    def can_encode(self) -> bool:
        return "encode" in self.methods

    @property
    def has_prior(self) -> bool:
        return "prior" in self.methods

    @abstractmethod
    def decode(self, z: torch.Tensor) -> torch.Tensor: ...

    def encode(self, audio: torch.Tensor) -> torch.Tensor:
        """Audio (batch, channels, samples, a multiple of ratio) -> latent frames, streaming."""
        raise ModelError(f"model '{self.name}' cannot encode (its methods: {self.methods})")

    def prior(self, frames: int, temperature: float = 1.0, batch: int = 1) -> torch.Tensor:
        """The next ``frames`` latent frames sampled from the model's prior, streaming."""
        raise ModelError(f"model '{self.name}' has no prior (its methods: {self.methods})")

    @abstractmethod
    def reset(self) -> None: ...

    def regroup(self, rows: Sequence[int | None]) -> bool:
        """Rearrange the decoder's streaming state over the batch axis before the next decode:
        row ``i`` of the next call continues the stream of old row ``rows[i]``, or starts from a
        reset state where it is None. This is how voices come and go without interrupting the
        voices that stay (issue 20). Returns False when this model cannot do it; the engine
        then keeps the batch at its maximum and skips idle rows."""
        return False

    def warm_up(self, frames: int, batch: int = 1) -> None:
        """TorchScript optimises a function over its first calls: make those before the render
        thread needs the model, so it never pays for them. Ends with a fresh stream."""
        for _ in range(3):
            self.decode(torch.zeros(batch, self.latent_size, frames))
        self.reset()

    def describe(self) -> dict[str, object]:
        """Figures for listings and status replies."""
        return {
            "name": self.name,
            "sample_rate": self.sample_rate,
            "latent_size": self.latent_size,
            "ratio": self.ratio,
            "channels": self.channels,
            "latency_samples": self.latency,
            "latency_ms": round(1000 * self.latency / self.sample_rate, 2),
            "methods": list(self.methods),
            "attributes": list(self.attributes.names),
        }

"""Synths that misbehave on demand, wrapping a real tiny model: for the engine's fault tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import torch

from latentd.models.synth import Synth


class Faulty(Synth):
    """Delegates to ``inner`` until ``fault`` is set; then ``fault(z)`` answers instead (it may
    raise, hang or return anything). ``calls`` counts decodes; ``prior`` is offered when
    ``with_prior`` (zeros), so source hand-over can be tested."""

    fresh_output = True

    def __init__(self, inner: Synth, name: str | None = None, with_prior: bool = False):
        self.inner = inner
        self.name = name or inner.name
        self.sample_rate, self.latent_size = inner.sample_rate, inner.latent_size
        self.ratio, self.channels, self.latency = inner.ratio, inner.channels, inner.latency
        self.methods = ["decode", "prior"] if with_prior else ["decode"]
        self.attributes = inner.attributes
        self.fault: Callable[[torch.Tensor], object] | None = None
        self.calls = 0

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        fault = self.fault
        if fault is not None:
            return fault(z)  # type: ignore[return-value]
        return self.inner.decode(z)

    def prior(self, frames: int, temperature: float = 1.0, batch: int = 1) -> torch.Tensor:
        return torch.zeros(batch, self.latent_size, frames)

    def reset(self) -> None:
        self.inner.reset()


def raising(z: torch.Tensor) -> object:
    raise RuntimeError("the model broke")


class Hang:
    """A fault that blocks the decode until released (forever if never released)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered = threading.Event()

    def __call__(self, z: torch.Tensor) -> object:
        self.entered.set()
        self.release.wait()
        return torch.zeros(z.shape[0], 1, 1)


def wait_for(predicate: Callable[[], bool], timeout: float = 20.0) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False

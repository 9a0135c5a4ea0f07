"""How a loaded nn~ TorchScript file chooses between its rebuilt model and its own methods.

``TorchScriptSynth`` asks :func:`choose` once at load. The rebuilt model is taken when the
export is recognised, the user did not ask for ``--exact-export``, and it is not slower than the
export at one and eight latent frames per call (a short timing at load; the export's caches it
advances are zeroed afterwards, which the rebuilt model also starts from). Otherwise the export's
own methods play, after one log line that says why. The choice is kept in :class:`Route`, which
``latentd info`` prints and which switches to the export, with a log line, when an attribute the
rebuilt model does not follow is set.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

import torch

from latentd.models.rave_rebuild.cached import zero_caches
from latentd.models.rave_rebuild.latency import decode_latency
from latentd.models.rave_rebuild.model import RebuiltRave, rebuild
from latentd.models.rave_rebuild.policy import exact_export, timed_choice
from latentd.models.rave_rebuild.tree import Unrecognised
from latentd.models.torchscript import TorchScriptAttributes, restore_buffers, saved_buffers

log = logging.getLogger("latentd.models")

REBUILT = "rebuilt (latentd streaming core)"
EXPORT = "export's own methods"
# attributes whose effect the rebuilt model reproduces: RAVE's AdaIN switches, which it applies
# through the export's own update_adain (an export with AdaIN layers in its nets is not rebuilt)
FOLLOWED_ATTRIBUTES = frozenset({"learn_target", "reset_target", "learn_source", "reset_source"})
TIMED_FRAMES = (1, 8)
WARM_CALLS = 3


class Route:
    """The path a TorchScript model plays through, and why."""

    def __init__(self, name: str, rebuilt: RebuiltRave | None, reason: str,
                 latency: int | None = None):
        self.name = name
        self.rebuilt = rebuilt
        self.reason = reason
        self.latency = latency  # decode lag behind the trained model, samples; None: unknown

    @property
    def path(self) -> str:
        return REBUILT if self.rebuilt is not None else EXPORT

    def describe(self) -> str:
        return f"{self.path} ({self.reason})"

    def attribute_set(self, attribute: str) -> None:
        """An attribute changed: leave the rebuilt model if it does not follow it."""
        if self.rebuilt is None or attribute in FOLLOWED_ATTRIBUTES:
            return
        self.rebuilt = None
        self.reason = f"attribute '{attribute}' changes the export in a way the rebuilt " \
                      "model does not follow"
        log.warning("%s: switching to the export's own methods: %s", self.name, self.reason)


def _median_ms(call: Any, frames: int, latent_size: int, repeats: int = 3) -> float:
    z = torch.zeros(1, latent_size, frames)
    for _ in range(WARM_CALLS):  # TorchScript optimises over its first calls
        call(z)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call(z)
        times.append(time.perf_counter() - start)
    return 1000 * sorted(times)[len(times) // 2]


def slower_at(export: Any, rebuilt: RebuiltRave, latent_size: int) -> str | None:
    """The first block size at which the rebuilt decode is slower than the export's, as a
    message; None when it is as fast or faster at every size timed. The export's caches are
    put back as they were: when it is chosen, its first block must start where its ``reset``
    (a fresh load) starts. Zeroing them instead made a fresh load play from silence and a reset
    from the saved state, so two voices differed by whether the timing chose the export."""
    saved = saved_buffers(export)
    try:
        with torch.inference_mode():
            for frames in TIMED_FRAMES:
                theirs = _median_ms(export.decode, frames, latent_size)
                ours = _median_ms(rebuilt.decode, frames, latent_size)
                if ours > theirs:
                    return (f"the rebuilt decode took {ours:.2f} ms at {frames} frame(s) per "
                            f"call, the export {theirs:.2f} ms")
    finally:
        if not restore_buffers(export, saved):
            zero_caches(export)  # its calls replaced buffers: silence, the closest we have
        rebuilt.reset()
    return None


def _latency(export: Any) -> int | None:
    try:
        return decode_latency(export, int(export.full_latent_size))
    except (Unrecognised, AttributeError, RuntimeError):
        return None


def choose(name: str, export: Any, latent_size: int, timed: bool | None = None) -> Route:
    """Rebuild ``export`` if latentd may and can, else say why not (one log line). The
    latency is that of the export's stream, which the rebuilt model reproduces."""
    if exact_export():
        return Route(name, None, "--exact-export", _latency(export))
    try:
        rebuilt = rebuild(export)
    except Unrecognised as exc:
        reason = f"not rebuilt: {exc}"
        log.info("%s: playing through the export's own methods; %s", name, reason)
        return Route(name, None, reason)
    latency = _latency(export)
    if timed if timed is not None else timed_choice():
        slower = slower_at(export, rebuilt, latent_size)
        if slower is not None:
            reason = f"not faster: {slower}"
            log.info("%s: playing through the export's own methods; %s", name, reason)
            return Route(name, None, reason, latency)
    log.info("%s: playing through latentd's rebuild of the export (decode latency %s "
             "samples)", name, "unknown" if latency is None else latency)
    return Route(name, rebuilt, "recognised RAVE export", latency)


class RoutedAttributes(TorchScriptAttributes):
    """The export's attributes, telling the route when one is set."""

    def __init__(self, *args: Any, route: Route, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._route = route

    def set(self, name: str, values: Sequence[object]) -> None:
        super().set(name, values)
        self._route.attribute_set(name)

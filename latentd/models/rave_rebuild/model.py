"""A RAVE streaming export rebuilt as plain torch and streamed by latentd's own core.

:func:`rebuild` reads the export's module tree (``tree``, ``blocks``, ``decoders``, ``pqmf``,
``latent``), builds causal plain-torch models that equal the export's cached stream, and streams
them with :func:`latentd.stream.streamify`. The result, :class:`RebuiltRave`, offers the
export's ``decode``, ``encode`` and ``forward`` block by block, with the export's own random
draws in the export's order, and a ``reset`` the export lacks.

Only what the rebuild recognises is rebuilt; anything else raises
:class:`~latentd.models.rave_rebuild.tree.Unrecognised` naming it, and the caller keeps the
export's own methods.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from latentd.models.rave_rebuild.blocks import build
from latentd.models.rave_rebuild.decoders import DecoderPlan, decoder_plan
from latentd.models.rave_rebuild.latent import LatentSpace
from latentd.models.rave_rebuild.pqmf import pqmf_parts, reverse_half
from latentd.models.rave_rebuild.tree import Unrecognised, attribute, child, kind
from latentd.stream import StreamingError, streamify

WRAPPERS = ("VariationalScriptedRAVE",)


def _check_wrapper(export: Any) -> None:
    """The export script's options that change what encode/decode compute."""
    if kind(export) not in WRAPPERS:
        raise Unrecognised(f"the export: wrapper {kind(export)} is not one latentd rebuilds "
                           f"(known: {', '.join(WRAPPERS)})")
    for name, wanted in (("input_mode", "pqmf"), ("output_mode", "pqmf"),
                         ("stereo_mode", False), ("n_channels", 1), ("target_channels", 1)):
        value = attribute(export, name, "the export")
        if value != wanted:
            raise Unrecognised(f"the export: {name} is {value!r}; latentd rebuilds {wanted!r}")
    if "resampler" in dict(export.named_children()):
        raise Unrecognised("the export: it resamples (target_sr); latentd rebuilds exports "
                           "at the model's own rate")


def _stream(model: nn.Module, what: str) -> torch.jit.ScriptModule:
    """The streamed, scripted model. Callers use its compiled ``forward`` directly, never
    ``Module.__call__``, which torch.fx patches process-wide while another model is traced."""
    try:
        streaming = streamify(model)
    except StreamingError as exc:
        raise Unrecognised(f"{what}: {exc}") from exc
    return torch.jit.script(streaming)


class RebuiltRave:
    """The export's methods, rebuilt. Block lengths are whole latent frames (as for the
    export); each method keeps its own stream, and ``forward`` runs ``encode`` then ``decode``
    on those same streams, as the export does."""

    def __init__(self, export: Any):
        _check_wrapper(export)
        self.export = export
        self.latent = LatentSpace(export)
        self.uses_adain = bool(attribute(export, "is_using_adain", "the export"))
        analysis, synthesis, self.bands = pqmf_parts(child(export, "pqmf", ""), "pqmf")
        self.plan: DecoderPlan = decoder_plan(child(export, "decoder", ""), "decoder")
        self.decoder = _stream(self.plan.body, "decoder")
        self.synthesis = _stream(synthesis, "pqmf") if self.bands > 1 else None
        encoder = child(export, "encoder", "")
        if kind(encoder) != "VariationalEncoder":
            raise Unrecognised(f"encoder: block {kind(encoder)} is not one latentd rebuilds")
        self.encoder = _stream(build(child(encoder, "encoder", "encoder"), "encoder.encoder"),
                               "encoder")
        self.analysis = _stream(analysis, "pqmf") if self.bands > 1 else None

    @property
    def streams(self) -> list[torch.jit.ScriptModule]:
        return [s for s in (self.decoder, self.synthesis, self.encoder, self.analysis)
                if s is not None]

    def reset(self) -> None:
        """Every stream back to silence (the export's caches zeroed)."""
        for stream in self.streams:
            stream.reset()

    def regroup(self, rows: list[int]) -> bool:
        """The decode streams' batch rows rearranged for voices (``StreamingModule.regroup``:
        row ``i`` continues old row ``rows[i]``, -1 starts from silence). The encode streams
        are left alone, as for latentd's own models: voices share one encoded input."""
        decode_streams = [s for s in (self.decoder, self.synthesis) if s is not None]
        batches = {s.state_shape[0] if s.state_shape else 0 for s in decode_streams}
        if len(batches) > 1:  # one stream ran at another batch: nothing to rearrange alike
            return False
        return all([bool(s.regroup(rows)) for s in decode_streams])

    def _adain(self) -> None:
        """The export updates its AdaIN flags (from the attributes) on each call; so do we,
        through the export's own method."""
        if self.uses_adain:
            self.export.update_adain()

    def decode(self, z: torch.Tensor, from_forward: bool = False) -> torch.Tensor:
        if not from_forward:
            self._adain()
        bands = self.plan.finish(self.decoder.forward(self.latent.pre_process(z)))
        if self.synthesis is None:
            return bands
        return self.synthesis.forward(reverse_half(bands))

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        self._adain()
        bands = x if self.analysis is None else reverse_half(self.analysis.forward(x))
        stats = self.encoder.forward(bands)
        return self.latent.post_process(self.latent.posterior_sample(stats))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x), from_forward=True)


def rebuild(export: Any) -> RebuiltRave:
    """Rebuild ``export`` or raise :class:`Unrecognised` naming the part that stopped it."""
    with torch.no_grad():
        return RebuiltRave(export)


__all__ = ["RebuiltRave", "rebuild"]

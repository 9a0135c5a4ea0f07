"""The decode latency of a RAVE export: how far its stream lags the model it was trained as.

A cached_conv export is a causal rewrite of a non-causal model, so its output is the trained
model's output delayed by the right-hand padding it turned into waiting. The export does not
state that delay (``latency_model_ms`` showed 0 for it). It is found here by building the
trained (offline, padded) model from the same weights, with cached_conv's padding in either
mode, running it and the causal rebuild on one random latent sequence, and finding the shift
that makes them equal. The noise branch, random, is left out: the waveform's path sets the
latency. A shift that does not make them equal leaves the latency unknown.
"""

from __future__ import annotations

from typing import Any

import torch

from latentd.models.rave_rebuild.cached import offline, offline_padding
from latentd.models.rave_rebuild.decoders import decoder_plan
from latentd.models.rave_rebuild.tree import Unrecognised, child

FRAMES = 16  # latent frames decoded to compare; the shift searched stays within half of them
TOLERANCE = 1e-4  # of the offline output's peak


def _bands(export: Any, z: torch.Tensor) -> torch.Tensor:
    """The decoder's waveform bands (noise left out), as the current build mode makes them."""
    plan = decoder_plan(child(export, "decoder", ""), "decoder")
    bands = plan.body.eval()(z)
    return bands if plan.noise is None else bands[:, : plan.noise.first_channel]


def _synthesis_delay(export: Any, mode: str) -> int:
    """Band samples by which the cached band synthesis lags the trained one: its conv's right
    padding in ``mode``."""
    pqmf = child(export, "pqmf", "")
    if int(pqmf.n_band) == 1:
        return 0
    conv = child(pqmf, "inverse_conv", "pqmf")
    return offline_padding(int(conv.weight.shape[-1]), int(conv.dilation[0]), mode)[1]


def _shift(stream: torch.Tensor, trained: torch.Tensor) -> int | None:
    """The lag at which ``stream`` repeats ``trained``, if any. Compared away from both ends:
    the export's first outputs carry its layers' pre-signal samples (cached_conv does not mask
    them), and the trained model's last ones its right padding. The cross-correlation's peak
    gives the candidate; a sample by sample check confirms it."""
    start, stop = trained.shape[-1] // 4, trained.shape[-1] // 2
    reference = trained[..., start:stop]
    flat_signal = stream[0, 0, start:].double()
    flat_reference = reference[0, 0].double()
    length = flat_reference.shape[-1]
    size = flat_signal.shape[-1] + length
    correlation = torch.fft.irfft(torch.fft.rfft(flat_signal, size)
                                  * torch.fft.rfft(flat_reference.flip(0), size), size)
    lag = int(correlation[length - 1: flat_signal.shape[-1]].argmax().item())
    if start + lag + length > stream.shape[-1]:
        return None
    error = (stream[..., start + lag: start + lag + length] - reference).abs().max().item()
    return lag if error <= TOLERANCE * reference.abs().max().item() else None


def decode_latency(export: Any, latent_size: int) -> int | None:
    """Output samples by which the export's decode lags its trained model; None if unknown.

    Measured on the bands, before the band synthesis: RAVE flips band signs by their parity
    within each call, so when the bands lag by an odd count the export's audio is no plain
    delay of the trained model's (the synthesis then mixes images in); the bands still are.
    """
    torch.manual_seed(0)
    z = torch.randn(1, latent_size, FRAMES)
    bands = int(child(export, "pqmf", "").n_band)
    with torch.no_grad():
        stream = _bands(export, z)
        for mode in ("centered", "causal"):
            try:
                with offline(mode):
                    trained = _bands(export, z)
            except Unrecognised:
                continue
            lag = _shift(stream, trained) if trained.shape == stream.shape else None
            if lag is not None:
                return (lag + _synthesis_delay(export, mode)) * bands
    return None


__all__ = ["decode_latency"]

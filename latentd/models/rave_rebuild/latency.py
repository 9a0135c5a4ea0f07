"""The decode latency of a RAVE export: how far its stream lags the model it was trained as.

A cached_conv export is a causal rewrite of a non-causal model, so its output is the trained
model's output delayed by the right-hand padding it turned into waiting. The export does not
state that delay (``latency_model_ms`` showed 0 for it). It is found here by building the
trained (offline, padded) model from the same weights, with cached_conv's padding in either
mode, running it and the causal rebuild on one random latent sequence, and finding the shift
that makes them equal. The noise branch, random, is left out: the waveform's path sets the
latency. A shift that does not make them equal leaves the latency unknown.

The rebuilt model's stream equals the export's, so its latency is the export's: no more, no
less. Found this way on RAVE 2.3.1's own exports (44.1 kHz): v2, v2 noise, v2 snake 12512
samples (283.7 ms), v2 causal 1696 (38.5 ms), v2 small 5024 (113.9 ms), v1 17040 (386.4 ms),
raspberry 16064 (364.3 ms). v1's bands lag by an odd count (1065 band samples), so the export's
audio is the trained model's with its odd bands' signs inverted, delayed (``trained_decode``);
``tests/models/test_rave_rebuild_latency.py`` checks the export's own audio against it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F

from latentd.models.rave_rebuild.cached import offline, offline_padding
from latentd.models.rave_rebuild.decoders import decoder_plan
from latentd.models.rave_rebuild.pqmf import pqmf_parts
from latentd.models.rave_rebuild.tree import Unrecognised, child

# latent frames decoded to compare, tried in turn; the shift searched stays within a quarter
FRAMES = (32, 64, 256)
MODES = ("centered", "causal")  # cached_conv's padding modes a RAVE model may be trained with
TOLERANCE = 1e-4  # of the offline output's peak


def _waveform(export: Any) -> Callable[[torch.Tensor], torch.Tensor]:
    """The decoder's waveform bands (noise left out) as a function of its latents, built in the
    current build mode."""
    plan = decoder_plan(child(export, "decoder", ""), "decoder")
    body = plan.body.eval()
    channels = None if plan.noise is None else plan.noise.first_channel

    def bands(z: torch.Tensor) -> torch.Tensor:
        out = body(z)
        return out if channels is None else out[:, :channels]

    return bands


def _bands(export: Any, z: torch.Tensor) -> torch.Tensor:
    return _waveform(export)(z)


def trained_decode(export: Any, z: torch.Tensor, mode: str = "centered",
                   odd_band_lag: bool = False) -> torch.Tensor:
    """The trained (offline, ``mode`` padded) model's audio for latents ``z`` (already
    rotated back from the PCA), the noise branch left out. RAVE flips the sign of odd bands
    at even band-rate indices of each call; a stream whose bands lag by an odd count flips
    them at the trained model's odd indices (``odd_band_lag``): RAVE v1's exports do, so their
    audio is the trained model's with its odd bands inverted, delayed."""
    with offline(mode):
        bands = _bands(export, z)
        _, synthesis, _ = pqmf_parts(child(export, "pqmf", ""), "pqmf")
    if bands.shape[1] == 1:  # no band synthesis, nothing flipped
        return bands
    flipped = bands.clone()
    start = 1 if odd_band_lag else 0
    flipped[..., 1::2, start::2] *= -1
    return synthesis(flipped)


def _synthesis_delay(export: Any, mode: str) -> int:
    """Band samples by which the cached band synthesis lags the trained one: its conv's right
    padding in ``mode``."""
    pqmf = child(export, "pqmf", "")
    if int(pqmf.n_band) == 1:
        return 0
    conv = child(pqmf, "inverse_conv", "pqmf")
    return offline_padding(int(conv.weight.shape[-1]), int(conv.dilation[0]), mode)[1]


def _shift(stream: torch.Tensor, trained: torch.Tensor) -> int | None:
    """The lag at which ``stream`` repeats ``trained``, if any, up to a quarter of their length.

    Compared on the second half of the trained output: the causal rebuild's first outputs carry
    its layers' pre-signal samples (cached_conv does not mask them: a delayed branch, a
    transposed conv's bias, run through the next layers), which the long receptive fields of
    RAVE's dilated stacks carry for several latent frames, and the trained model's last ones
    its right padding. The lag of least squared difference on the first band (sliding sums
    through the FFT) is the candidate; a sample by sample check of every band confirms it."""
    total = trained.shape[-1]
    start, length = total // 2, total // 4
    lags = total - start - length + 1
    reference = trained[..., start: start + length]
    signal = stream[0, 0, start:].double()
    flat_reference = reference[0, 0].double()
    size = signal.shape[-1] + length
    correlation = torch.fft.irfft(torch.fft.rfft(signal, size)
                                  * torch.fft.rfft(flat_reference.flip(0), size), size)
    squares = F.pad(signal.square().cumsum(0), (1, 0))
    energy = squares[length: length + lags] - squares[:lags]
    distance = energy - 2 * correlation[length - 1: length - 1 + lags]
    lag = int(distance.argmin().item())
    error = (stream[..., start + lag: start + lag + length] - reference).abs().max().item()
    return lag if error <= TOLERANCE * reference.abs().max().item() else None


def decode_latency(export: Any, latent_size: int) -> int | None:
    """Output samples by which the export's decode lags its trained model; None if unknown.

    Measured on the bands, before the band synthesis: RAVE flips band signs by their parity
    within each call, so when the bands lag by an odd count the export's audio is no plain
    delay of the trained model's (the synthesis then mixes images in); the bands still are.
    Longer sequences are tried when a short one shows no match: the lag found must fall within
    a quarter of the sequence, and RAVE v1's and the small configurations' lags span more
    latent frames than v2's.
    """
    bands = int(child(export, "pqmf", "").n_band)
    models: dict[str, Callable[[torch.Tensor], torch.Tensor] | None] = {}

    def model(mode: str) -> Callable[[torch.Tensor], torch.Tensor] | None:
        """Each model built once (a build copies the weights), None if it cannot be."""
        if mode not in models:
            try:
                with offline(mode):
                    models[mode] = _waveform(export)
            except Unrecognised:
                models[mode] = None
        return models[mode]

    with torch.no_grad():
        stream_model = _waveform(export)
        for frames in FRAMES:
            torch.manual_seed(0)
            z = torch.randn(1, latent_size, frames)
            stream = stream_model(z)
            for mode in MODES:
                trained_model = model(mode)
                if trained_model is None:
                    continue
                trained = trained_model(z)
                lag = _shift(stream, trained) if trained.shape == stream.shape else None
                if lag is not None:
                    return (lag + _synthesis_delay(export, mode)) * bands
    return None


__all__ = ["decode_latency", "trained_decode"]

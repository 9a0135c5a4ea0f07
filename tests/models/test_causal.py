"""A causal model (``lookahead=0``: every pad on the left, in the encoder, the pitch tracker,
the decoder, the oscillator head and the PQMF banks) streams encode -> decode exactly as
offline, with no decoder latency. Checked on default-causal's own architecture (noise off, so
that offline and streamed draw no different random numbers)."""

from dataclasses import replace

import pytest
import torch

from latentd.models.rave import EncoderMean, RaveModel
from latentd.stream import streamify
from latentd.train.recipes import RECIPES

CONFIG = replace(RECIPES["default-causal"].model, noise=False)


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return RaveModel(CONFIG).eval()


def test_the_recipe_is_default_made_causal():
    default = RECIPES["default"].model
    assert CONFIG.causal and not default.causal
    assert replace(RECIPES["default-causal"].model, lookahead=default.lookahead) == replace(
        default, harmonics=32, pitch_latent=True)


def test_encode_then_decode_streams_exactly_with_a_causal_decoder(model):
    decoder, encoder = streamify(model.decoder), streamify(EncoderMean(model.encoder))
    assert decoder.latency == 0
    # every block is a whole frame, so a strided conv reading to the end of its own stride is
    # computed in the same block: a frame of audio in, that frame's latent out, no latency
    assert encoder.latency == 0
    ratio, frames = CONFIG.ratio, 12
    t = torch.arange(ratio * frames) / CONFIG.sample_rate
    audio = (0.3 * torch.sin(2 * torch.pi * 220 * t) * torch.exp(-t)).view(1, 1, -1)
    with torch.inference_mode():
        latents = torch.cat([encoder(audio[..., i: i + ratio])
                             for i in range(0, audio.shape[-1], ratio)], -1)
        played = torch.cat([decoder(latents[..., i: i + 1]) for i in range(frames)], -1)
        offline_latents = model.encode(audio)[0]
        offline = model.decoder(latents)  # what live input plays, computed in one go
    assert (latents - offline_latents).abs().max() <= 1e-4 * offline_latents.abs().max()
    assert offline.abs().max() > 0.01
    assert (played - offline).abs().max() <= 1e-4 * offline.abs().max()


def test_decoding_is_causal_offline_too(model):
    """Changing latent frames from frame 5 on leaves the audio before frame 5 untouched."""
    z = torch.randn(1, CONFIG.latent_size, 10)
    later = z.clone()
    later[..., 5:] += 1.0
    with torch.inference_mode():
        a, b = model.decoder(z), model.decoder(later)
    cut = 5 * CONFIG.ratio
    assert torch.equal(a[..., :cut], b[..., :cut])
    assert not torch.equal(a[..., cut:], b[..., cut:])


def test_the_causal_pitch_tracker_hears_a_new_note_a_lag_span_sooner():
    """Causal YIN measures the newest samples of its span against older ones, so a new note
    reaches the pitch latent about ``max_lag`` samples (25 ms) sooner than measuring the
    oldest; never before the note starts (the span ends at its frame's end)."""
    from latentd.models.oscillator import pitch_to_latent
    from latentd.models.pitch_tracker import PitchTracker

    rate, hop, switch = 44100, 256, 20000
    t = torch.arange(40000) / rate
    audio = 0.3 * torch.where(t < switch / rate, torch.sin(2 * torch.pi * 220 * t),
                              torch.sin(2 * torch.pi * 330 * t)).view(1, 1, -1)
    target = pitch_to_latent(torch.tensor(330.0))

    def first_frame_at_330(tracker: PitchTracker) -> int:
        with torch.inference_mode():
            pitch = tracker(audio)[0, 0]
        hit = ((pitch - target).abs() < 0.01).nonzero()
        return int(hit[0])

    newest = PitchTracker(rate, hop, lookahead=0.0)
    oldest = PitchTracker(rate, hop, lookahead=0.0)
    oldest.newest_first = False
    sooner = first_frame_at_330(oldest) - first_frame_at_330(newest)
    assert sooner * hop >= oldest.max_lag - 2 * hop
    assert (first_frame_at_330(newest) + 1) * hop > switch  # the frame ends after the note starts

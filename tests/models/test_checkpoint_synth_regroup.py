"""LatentdSynth.regroup (voices, issue 20): voices come and go between blocks of the default
model, the voices that stay continue, a new voice starts as a fresh stream.

The default model adds noise drawn per block (``torch.rand_like``), which no two runs share, so
its noise level is set to exactly 0 here: the rest is the shipped model, oscillator and all.
Rows of a batched decode are compared with lone decodes to float32 rounding (a batched
product's rounding depends on its row count); ``tests/stream/test_properties.py`` checks
bit-exactness where the row count is the same.
"""

import time

import pytest
import torch
from torch import nn

from latentd.models.checkpoint import load_model
from latentd.models.checkpoint_synth import LatentdSynth
from latentd.models.latents import LatentStats
from latentd.models.prior import LatentPrior
from latentd.models.rave import RaveConfig, RaveModel
from latentd.models.registry import bundled_default

FRAMES = 32  # per side of a regroup, for the small models
TOLERANCE = 1e-5  # of the reference's peak: float32 rounding of batched products


def quiet_default(script: bool) -> LatentdSynth:
    """The default model with its noise level at exactly zero (so decodes repeat)."""
    path = bundled_default()
    assert path is not None, "the default model ships in the repository"
    model, payload = load_model(path)
    convs = [m for m in model.decoder.noise.modules() if isinstance(m, nn.Conv1d)]
    with torch.no_grad():
        convs[-1].bias.fill_(-1e4)  # sigmoid(-1e4 - 3) == 0.0: the noise is multiplied away
    return LatentdSynth(model, "default (quiet)", script=script,
                        stats=LatentStats.from_checkpoint(payload, path))


@pytest.fixture(scope="module")
def synth():
    return quiet_default(script=True)


def decoded(synth: LatentdSynth, z: torch.Tensor, frames: range) -> torch.Tensor:
    """``z``'s ``frames`` decoded in blocks of ``frames.step`` frames."""
    return torch.cat([synth.decode(z[..., i : i + frames.step]) for i in frames], -1)


def lone(synth: LatentdSynth, track: torch.Tensor, frames: range) -> torch.Tensor:
    """``track`` (latent, frames) decoded alone from a fresh stream, over ``frames``."""
    synth.reset()
    return decoded(synth, track[None], frames)


def assert_close(row: torch.Tensor, reference: torch.Tensor, what: str) -> None:
    peak = float(reference.abs().max())
    assert peak > 1e-3, f"{what}: the reference is silent, nothing is compared"
    error = float((row - reference).abs().max())
    assert error <= TOLERANCE * peak, f"{what}: error {error:.3g} of peak {peak:.3g}"


def test_voices_kept_reordered_and_added_continue_as_if_alone(synth):
    torch.manual_seed(3)
    tracks = torch.randn(5, synth.latent_size, 12) * 0.8
    first, second = range(0, 6), range(6, 12)
    with torch.inference_mode():
        synth.reset()
        decoded(synth, tracks[:3], first)  # voices 0, 1, 2
        assert synth.regroup([2, None, 0, None])  # voice 1 gone, 2 and 0 swapped, 3 and 4 new
        playing = [2, 3, 0, 4]
        after = decoded(synth, tracks[playing], second)
        for row, voice in enumerate(playing):
            if voice in (0, 2):  # kept: its whole stream, alone
                reference = lone(synth, tracks[voice], range(12))[..., 6 * synth.ratio:]
            else:  # new: a fresh stream from the regroup on
                reference = lone(synth, tracks[voice][:, 6:], range(6))
            assert_close(after[row], reference[0], f"voice {voice} in row {row}")


def test_a_small_model_with_an_oscillator_regroups():
    """The oscillator's running phase sum regroups too (the Python path: the property test in
    tests/stream runs it on random architectures)."""
    torch.manual_seed(5)
    config = RaveConfig(latent_size=4, bands=4, capacity=4, ratios=(2, 2), harmonics=4,
                        noise=False, pitch_latent=True, sample_rate=16000)
    synth = LatentdSynth(RaveModel(config), "small", script=False)
    assert synth.latency < FRAMES * synth.ratio / 2, "compare sound, not the silent latency"
    tracks = torch.randn(2, synth.latent_size, 2 * FRAMES)
    with torch.inference_mode():  # blocks of 4 frames: the Python path is slow per call
        decoded(synth, tracks[:1], range(0, FRAMES, 4))
        assert synth.regroup([None, 0])
        after = decoded(synth, tracks.flip(0), range(FRAMES, 2 * FRAMES, 4))
        new = lone(synth, tracks[1][:, FRAMES:], range(0, FRAMES, 4))
        kept = lone(synth, tracks[0], range(0, 2 * FRAMES, 4))[..., FRAMES * synth.ratio:]
    assert_close(after[0], new[0], "new voice")
    assert_close(after[1], kept[0], "kept voice")


def test_a_prior_follows_the_rows():
    torch.manual_seed(6)
    config = RaveConfig(latent_size=4, bands=4, capacity=4, ratios=(2, 2), noise=False)
    prior = LatentPrior(4, hidden_size=16, layers=2).eval().requires_grad_(False)
    synth = LatentdSynth(RaveModel(config), "small", prior=prior)
    with torch.inference_mode():  # temperature 0: the predicted means, repeatable
        synth.decode(torch.zeros(2, 4, 1))
        synth.prior(4, 0.0, batch=2)
        assert synth.regroup([1, None])
        continued = synth.prior(3, 0.0, batch=2)
        synth.reset()
        alone = synth.prior(7, 0.0, batch=1)
    assert torch.allclose(continued[0], alone[0, :, 4:], atol=1e-5), "row 0 continues old row 1"
    assert torch.allclose(continued[1], alone[0, :, :3], atol=1e-5), "row 1 starts afresh"
    assert not torch.allclose(alone[0, :, 4:], alone[0, :, :3], atol=1e-5)


def test_a_shrinking_batch_keeps_the_remaining_voice(synth):
    torch.manual_seed(4)
    tracks = torch.randn(2, synth.latent_size, 8) * 0.8
    with torch.inference_mode():
        synth.reset()
        decoded(synth, tracks, range(4))
        assert synth.regroup([1])
        after = decoded(synth, tracks[1:], range(4, 8))
        reference = lone(synth, tracks[1], range(8))[..., 4 * synth.ratio:]
    assert_close(after[0], reference[0], "the voice that stayed")


def test_rows_out_of_range_are_refused_and_change_nothing(synth):
    z = torch.zeros(2, synth.latent_size, 1)
    with torch.inference_mode():
        synth.reset()
        synth.decode(z)
        for rows in ([2], [0, -2], []):
            with pytest.raises(ValueError, match="regroup"):
                synth.regroup(rows)
        assert synth.decode(z).shape[0] == 2


def test_a_voice_added_after_warm_up_costs_no_compilation():
    """The soak's underruns early in a run: TorchScript's optimising executor compiled
    ``regroup`` and the decoder at a second batch size in the render step that first added a
    voice (72 ms of CPU for a tiny model; a 250 ms ring ran dry on a loaded machine). Scripted
    calls now run without it (``plain_call``). CPU time of this thread, not wall time: a
    stalled machine does not count."""
    torch.manual_seed(4)
    synth = LatentdSynth(RaveModel(RaveConfig.tiny(latent_size=4, capacity=4)), "tiny")
    synth.warm_up(FRAMES // 8)
    z = torch.randn(1, 4, FRAMES // 8)
    synth.decode(z)
    started = time.thread_time()
    synth.regroup([0, None])
    synth.decode(torch.cat([z, z]))
    added_ms = 1000 * (time.thread_time() - started)
    assert added_ms < 40, f"adding a voice after warm_up took {added_ms:.1f} ms of CPU"

import pytest
import torch

from latentd.models.rave import EncoderMean, RaveConfig, RaveModel
from latentd.stream import streamify


def test_config_round_trips_through_a_dict():
    config = RaveConfig.tiny(lookahead=0.25)
    assert RaveConfig.from_dict(config.to_dict()) == config


def test_config_rejects_unknown_keys():
    with pytest.raises(ValueError, match="unknown model config keys"):
        RaveConfig.from_dict({**RaveConfig.tiny().to_dict(), "wings": 2})


def test_shapes_and_ratio():
    config = RaveConfig.tiny()
    model = RaveModel(config).eval()
    audio = torch.randn(3, 1, config.ratio * 10)
    with torch.no_grad():
        reconstruction, mean, logvar = model(audio)
    assert config.ratio == 16
    assert mean.shape == logvar.shape == (3, config.latent_size, 10)
    assert reconstruction.shape == audio.shape


@pytest.mark.parametrize("lookahead", [0.5, 0.0])
def test_decoder_and_encoder_stream_exactly(lookahead):
    torch.manual_seed(0)
    config = RaveConfig.tiny(noise=False, lookahead=lookahead)
    model = RaveModel(config).eval()
    decoder, encoder = streamify(model.decoder), streamify(EncoderMean(model.encoder))
    if lookahead == 0:
        assert decoder.latency == 0
    z = torch.randn(2, config.latent_size, 30)
    audio = torch.randn(2, 1, config.ratio * 30)
    with torch.no_grad():
        offline = model.decoder(z)
        streamed = torch.cat([decoder(z[..., i : i + 3]) for i in range(0, 30, 3)], -1)
        offline_z = model.encode(audio)[0]
        step = config.ratio * 2
        streamed_z = torch.cat([encoder(audio[..., i : i + step])
                                for i in range(0, audio.shape[-1], step)], -1)
    for out, ref, lag in [(streamed, offline, decoder.latency),
                          (streamed_z, offline_z, encoder.latency)]:
        span = ref.shape[-1] - lag
        assert span > ref.shape[-1] // 2
        assert (out[..., lag : lag + span] - ref[..., :span]).abs().max() <= 1e-5 * ref.abs().max()


def test_noise_branch_adds_noise():
    torch.manual_seed(0)
    model = RaveModel(RaveConfig.tiny(noise=True)).eval()
    z = torch.randn(1, 4, 8)
    with torch.no_grad():
        assert not torch.equal(model.decoder(z), model.decoder(z))


def test_sampling_noise_scales_with_noise_scale():
    torch.manual_seed(0)
    mean, logvar = torch.randn(2, 16, 8), torch.full((2, 16, 8), -1.0)
    model = RaveModel(RaveConfig(latent_size=16))
    torch.manual_seed(1)
    full = model.sample(mean, logvar) - mean
    torch.manual_seed(1)
    tenth = model.sample(mean, logvar, 0.1) - mean
    assert full.abs().mean() > 0.3
    assert torch.allclose(tenth, 0.1 * full, atol=1e-6)
    assert torch.equal(model.sample(mean, logvar, 0.0), mean)

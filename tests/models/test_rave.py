import pytest
import torch

from latentd.models.rave import EncoderMean, RaveConfig, RaveModel, repadded_weights
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


@pytest.mark.parametrize("harmonics", [0, 2])
def test_weights_move_between_paddings_unchanged(harmonics):
    """A centred conv is one module, an uneven one a (pad, conv) Sequential: the names differ,
    the tensors do not, and a round trip gives back the same names and values."""
    centred = RaveModel(RaveConfig.tiny(harmonics=harmonics))
    causal_config = RaveConfig.tiny(harmonics=harmonics, lookahead=0.0)
    weights = centred.state_dict()
    with pytest.raises(RuntimeError):  # why the renaming exists
        RaveModel(causal_config).load_state_dict(weights)
    moved = repadded_weights(weights, centred.config, causal_config)
    causal = RaveModel(causal_config)
    causal.load_state_dict(moved)  # strict: every name fits
    assert [v.data_ptr() for v in moved.values()] == [v.data_ptr() for v in weights.values()]
    back = repadded_weights(causal.state_dict(), causal_config, centred.config)
    assert list(back) == list(weights)
    assert all(torch.equal(back[k], weights[k]) for k in weights)


def test_repadding_refuses_other_architecture_changes():
    centred = RaveModel(RaveConfig.tiny())
    with pytest.raises(ValueError, match="only the padding"):
        repadded_weights(centred.state_dict(), centred.config,
                         RaveConfig.tiny(lookahead=0.0, latent_size=6))
    weights = centred.state_dict()
    del weights["decoder.wave.bias"]
    with pytest.raises(ValueError, match=r"lack 'decoder\.wave\.bias'"):
        repadded_weights(weights, centred.config, RaveConfig.tiny(lookahead=0.0))

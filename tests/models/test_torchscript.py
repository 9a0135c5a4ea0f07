"""nn~ TorchScript loading, on look-alikes of RAVE v1 and v2 streaming exports."""

import pytest
import torch
from support.rave import (
    NON_TORCHSCRIPT_KINDS,
    V2_ATTRIBUTES,
    make_no_decode_fixture,
    make_non_torchscript_file,
    make_rave_v1_fixture,
    make_rave_v1_prior_fixture,
    make_rave_v2_fixture,
)

from latentd.models import ModelError, load_synth


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("ts")
    return {
        "v1": make_rave_v1_fixture(root / "v1.ts", latent_size=4, ratio=64, sample_rate=48000),
        "v2": make_rave_v2_fixture(root / "v2.ts", latent_size=6, ratio=128, with_prior=True),
        "v2_stereo": make_rave_v2_fixture(root / "v2s.ts", channels=2, none_attribute=False),
        "v1_prior": make_rave_v1_prior_fixture(root / "prior.ts"),
        "encode_only": make_no_decode_fixture(root / "enc.ts"),
        "unregistered": make_no_decode_fixture(root / "unreg.ts", decode_unregistered=True),
    }


def test_v2_figures_methods_and_attributes(files):
    synth = load_synth(files["v2"])
    assert (synth.sample_rate, synth.latent_size, synth.ratio, synth.channels) == (44100, 6, 128, 1)
    assert set(synth.methods) == {"encode", "decode", "forward", "prior"}
    assert synth.can_encode and synth.has_prior
    assert synth.attributes.names == list(V2_ATTRIBUTES)  # the "none" placeholder is dropped
    assert synth.attributes.get("learn_target") == (False,)
    synth.attributes.set("learn_target", [True])
    assert synth.attributes.get("learn_target") == (True,)
    with pytest.raises(KeyError, match="unknown attribute 'none'"):
        synth.attributes.get("none")


@pytest.mark.parametrize("value", [0.5, 2, -1, 2**40], ids=["0.5", "2", "-1", "2**40"])
def test_a_bool_attribute_takes_only_0_or_1(files, value):
    """TorchScript turned 0.5 or 2 into True without a word (/attr/set answered /done), where
    every OSC flag (/mute) refuses anything but 0 and 1."""
    synth = load_synth(files["v2"])
    with pytest.raises(ValueError, match=r"send 0 or 1|whole number"):
        synth.attributes.set("learn_target", [value])
    assert synth.attributes.get("learn_target") == (False,)
    for accepted, expected in [(1.0, True), (0, False), (True, True), (False, False)]:
        synth.attributes.set("learn_target", [accepted])
        assert synth.attributes.get("learn_target") == (expected,)


def test_v1_figures_from_buffers_without_get_methods(files):
    synth = load_synth(files["v1"])
    assert synth.sample_rate == 48000
    assert (synth.latent_size, synth.ratio, synth.channels) == (4, 64, 1)
    assert set(synth.methods) == {"encode", "decode", "forward"}
    assert synth.attributes.names == []
    assert not synth.has_prior


@pytest.mark.parametrize("version", ["v1", "v2", "v2_stereo"])
@pytest.mark.parametrize("batch", [1, 2])
def test_decode_in_blocks_continues_the_same_sound(files, version, batch):
    torch.manual_seed(0)
    whole, blocks = load_synth(files[version]), load_synth(files[version])
    z = torch.randn(batch, whole.latent_size, 24)
    expected = whole.decode(z)
    got = torch.cat([blocks.decode(z[..., i : i + n]) for i, n in
                     [(0, 1), (1, 3), (4, 8), (12, 12)]], -1)
    assert got.shape == (batch, whole.channels, 24 * whole.ratio)
    assert (got - expected).abs().max() <= 1e-5 * expected.abs().max()


def test_reset_restarts_the_stream(files):
    synth = load_synth(files["v2"])
    z = torch.randn(1, synth.latent_size, 4)
    first = synth.decode(z)
    synth.decode(torch.randn(1, synth.latent_size, 7))
    synth.reset()
    assert torch.equal(synth.decode(z), first)


def test_encode_forward_and_prior(files):
    synth = load_synth(files["v2"])
    audio = torch.randn(2, 1, 128 * 4)
    assert synth.encode(audio).shape == (2, 6, 4)
    assert synth.forward(audio).shape == (2, 1, 128 * 4)
    assert synth.prior(5, temperature=0.5).shape == (1, 6, 5)


def test_wrong_shapes_are_reported(files):
    synth = load_synth(files["v2"])
    with pytest.raises(ModelError, match=r"decode takes \(batch, 6, time\)"):
        synth.decode(torch.zeros(1, 3, 2))


@pytest.mark.parametrize("kind", NON_TORCHSCRIPT_KINDS)
def test_non_torchscript_files_are_refused_by_name(tmp_path, kind):
    path = make_non_torchscript_file(tmp_path / f"{kind}.ts", kind)
    with pytest.raises(ModelError) as caught:
        load_synth(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("name", ["encode_only", "unregistered", "v1_prior"])
def test_models_without_decode_name_the_file_and_their_methods(files, name):
    with pytest.raises(ModelError) as caught:
        load_synth(files[name])
    message = str(caught.value)
    assert str(files[name]) in message
    assert "no usable 'decode' method" in message
    assert "the model has:" in message

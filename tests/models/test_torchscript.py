"""nn~ TorchScript loading, on look-alikes of RAVE v1 and v2 streaming exports."""

from pathlib import Path

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


# --------------------------------------------------------------------------- voices (issue 20)

REAL_RAVE = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "rave" \
    / "rave_raspberry_streaming.ts"


def each_voice_alone(path, z: torch.Tensor) -> torch.Tensor:
    """Each row of ``z`` decoded frame by frame by its own freshly loaded instance."""
    rows = []
    for row in z:
        synth = load_synth(path)
        rows.append(torch.cat([synth.decode(row[None, :, i : i + 1])
                               for i in range(z.shape[-1])], -1))
    return torch.cat(rows)


def batched(synth, z: torch.Tensor) -> torch.Tensor:
    return torch.cat([synth.decode(z[..., i : i + 1]) for i in range(z.shape[-1])], -1)


def test_an_export_that_batches_decodes_each_voice_as_if_alone(tmp_path):
    """Caches of 64 rows (cached_conv): row i continues row i. warm_up=False: every row's
    saved cache is the same (nn~'s test calls warm rows 0-3 only, see the finding below)."""
    path = make_rave_v2_fixture(tmp_path / "v2.ts", warm_up=False)
    synth = load_synth(path)
    synth.decode(torch.zeros(2, synth.latent_size, 1))
    assert synth.batches and not synth.regroup([0, None])  # its sample counters are no caches
    assert "batch kept at the maximum" in synth.describe()["voices"]
    synth.reset()
    z = torch.randn(3, synth.latent_size, 4, generator=torch.Generator().manual_seed(1))
    together, alone = batched(synth, z), each_voice_alone(path, z)
    assert (together - alone).abs().max() <= 1e-6 * alone.abs().max()


def test_an_export_that_cannot_batch_plays_one_instance_per_voice(tmp_path, caplog):
    path = make_rave_v1_fixture(tmp_path / "old.ts", max_batch_size=1)
    with caplog.at_level("WARNING"):
        synth = load_synth(path)
    assert not synth.batches
    assert "cannot change its batch size" in caplog.text
    assert "one call per voice" in synth.describe()["voices"]
    z = torch.randn(2, synth.latent_size, 3, generator=torch.Generator().manual_seed(2))
    synth.warm_up(1, 2)  # loads the instances before playing
    synth.reset()
    assert torch.equal(batched(synth, z), each_voice_alone(path, z))


def test_the_info_command_says_how_an_export_plays_voices(tmp_path, capsys):
    from latentd.cli.main import main

    path = make_rave_v1_fixture(tmp_path / "old.ts", max_batch_size=1)
    assert main(["info", str(path)]) == 0
    assert "one call per voice" in capsys.readouterr().out


@pytest.fixture
def one_thread():
    """The render thread's setting; several intra-op threads may pick other kernels per row
    count."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.mark.skipif(not REAL_RAVE.is_file(), reason=f"no RAVE export at {REAL_RAVE}")
def test_a_real_rave_export_plays_voices_as_if_alone_and_regroups(one_thread):
    """RAVE's own export (acids-rave 2.3.1): each voice of a batched decode equals that voice
    decoded alone (the file saves rows 0-3 warmed differently and the rest zero: every row
    starts from row 0's state); after a regroup a kept voice continues and a new row plays as
    a lone voice does. To float32 rounding: kernels may differ with the row count."""
    synth = load_synth(REAL_RAVE)
    assert synth.batches and "regrouped" in synth.describe()["voices"]
    z = torch.randn(2, synth.latent_size, 3, generator=torch.Generator().manual_seed(3))
    together = batched(synth, z)
    alone = []
    for voice in range(2):
        synth.reset()
        alone.append(batched(synth, z[voice : voice + 1])[0])
        assert_close(together[voice], alone[voice])
    synth.reset()
    synth.decode(z[:, :, :1])
    assert synth.regroup([1, None])  # voice 1 stays (row 0), voice 0 starts again (row 1)
    after = batched(synth, torch.stack([z[1, :, 1:], z[0, :, :2]]))
    assert_close(after[0], alone[1][..., synth.ratio :])
    assert_close(after[1], alone[0][..., : 2 * synth.ratio])


def assert_close(got: torch.Tensor, expected: torch.Tensor) -> None:
    peak = float(expected.abs().max())
    assert peak > 0 and float((got - expected).abs().max()) <= 1e-5 * peak


def test_the_batch_probe_leaves_the_stream_as_a_fresh_load_without_loading_again(files,
                                                                               monkeypatch):
    """The two-row decode that finds whether an export batches must not leave its caches
    behind, and must not load the file again: a load runs the export's ``__setstate__`` under
    the interpreter lock, which stalled a shutdown's deadline for a whole load."""
    path = files["v2"]
    fresh = torch.jit.load(str(path))
    loads = []
    real_load = torch.jit.load
    monkeypatch.setattr(torch.jit, "load", lambda *a, **k: loads.append(a) or real_load(*a, **k))
    synth = load_synth(path)
    assert len(loads) == 1 and synth.batches
    z = torch.randn(1, synth.latent_size, 1, generator=torch.Generator().manual_seed(4))
    with torch.inference_mode():
        assert torch.equal(synth.decode(z), fresh.decode(z))

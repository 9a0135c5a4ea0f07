"""The bundled default model is used only if its sha256 is the released one (docs/default-model.md
records it too); the check hashes each version of the file once per process."""

import hashlib
import os
import pathlib
import shutil

import pytest

import latentd.models.bundled as bundled
import latentd.models.registry as registry
from latentd.models import ModelError, load_synth
from latentd.models.registry import bundled_default, resolve

MODEL_CARD = pathlib.Path(__file__).resolve().parents[2] / "docs" / "default-model.md"


@pytest.mark.parametrize("name", registry.BUNDLED_NAMES)
def test_the_shipped_file_is_the_released_one_and_the_model_card_says_so(name):
    path = registry.bundled_path(name)
    assert path is not None, f"the {name} model's weights are not in the package"
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    assert actual == bundled.BUNDLED_SHA256[name]
    assert bundled.BUNDLED_SHA256[name] in MODEL_CARD.read_text(encoding="utf-8")
    assert bundled.check_bundled(path) == path
    assert resolve(name) == path
    assert bundled_default() == registry.bundled_path("default")


@pytest.fixture
def bundled_copy(tmp_path, monkeypatch):
    """A copy of the shipped weights standing in as the bundled directory."""
    shutil.copyfile(bundled_default(), tmp_path / "default.ckpt")
    monkeypatch.setattr(registry, "BUNDLED_DIR", tmp_path)
    return tmp_path / "default.ckpt"


def corrupt(path: pathlib.Path) -> None:
    """Flip one byte in the middle (same size, a zip the reader might still open)."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_an_intact_copy_loads_as_default(bundled_copy):
    assert load_synth("default", script=False).name == "default"


def test_a_corrupted_copy_is_refused_naming_file_digests_and_remedy(bundled_copy):
    corrupt(bundled_copy)
    actual = hashlib.sha256(bundled_copy.read_bytes()).hexdigest()
    with pytest.raises(ModelError) as refused:
        load_synth("default", script=False)
    message = str(refused.value)
    assert str(bundled_copy) in message
    assert bundled.EXPECTED_SHA256 in message and actual in message
    assert "reinstall latentd" in message


def test_a_file_changed_after_a_passing_check_is_checked_again(bundled_copy):
    assert resolve("default") == bundled_copy
    before = bundled_copy.stat()
    corrupt(bundled_copy)
    # same size; a later mtime is what tells the cache this is another version of the file
    os.utime(bundled_copy, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    with pytest.raises(ModelError, match="not the released file"):
        resolve("default")


def test_each_version_of_the_file_is_hashed_once(bundled_copy, monkeypatch):
    opened = []
    real_open = pathlib.Path.open

    def counting_open(self, *args, **kwargs):
        if self == bundled_copy:
            opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(bundled, "_digest_cache", {})
    monkeypatch.setattr(pathlib.Path, "open", counting_open)
    for _ in range(3):
        bundled.check_bundled(bundled_copy)
    assert len(opened) == 1


# default-causal: the default model fine-tuned with causal padding, for live input -----------

def test_default_causal_is_bundled_and_listed_after_default():
    path = registry.bundled_path("default-causal")
    assert path is not None, "the default-causal model's weights are not in the package"
    assert path.stat().st_size <= 20e6
    assert registry.model_names([])[:2] == ["default", "default-causal"]
    assert registry.list_models([])[:2] == [bundled_default(), path]
    assert registry.listed_name(path, []) == "default-causal"


def test_default_causal_streams_with_latency_zero_and_decodes_finite_audio():
    import torch

    synth = load_synth("default-causal")
    assert synth.name == "default-causal"
    assert synth.latency == 0
    assert synth.can_encode
    # blocks are whole latent frames, so the causal encoder's strided convs, which read to the
    # end of their own frame, yield each frame's latent in the same block (model card, "Latency")
    assert synth.encode_latency == 0
    t = torch.arange(4 * synth.ratio) / synth.sample_rate
    tone = (0.3 * torch.sin(2 * torch.pi * 220.0 * t)).view(1, 1, -1)
    with torch.inference_mode():
        latents = torch.cat([synth.encode(tone[..., i: i + synth.ratio])
                             for i in range(0, tone.shape[-1], synth.ratio)], -1)
        audio = torch.cat([synth.decode(latents[..., i: i + 1]) for i in range(4)], -1)
    assert audio.shape == (1, 1, 4 * synth.ratio)
    assert torch.isfinite(audio).all() and audio.abs().max() > 1e-3


def test_a_corrupted_default_causal_is_refused(tmp_path, monkeypatch):
    shutil.copyfile(registry.bundled_path("default-causal"), tmp_path / "default-causal.ckpt")
    shutil.copyfile(bundled_default(), tmp_path / "default.ckpt")
    monkeypatch.setattr(registry, "BUNDLED_DIR", tmp_path)
    assert load_synth("default-causal", script=False).name == "default-causal"
    corrupt(tmp_path / "default-causal.ckpt")
    with pytest.raises(ModelError, match="bundled default-causal model is not the released"):
        load_synth("default-causal", script=False)
    assert load_synth("default", script=False).name == "default"  # the other is untouched

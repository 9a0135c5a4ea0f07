"""The default recipe meets the issue's limits on the shipped model's architecture."""

import io

import pytest
import torch

from latentd.models.rave import RaveModel
from latentd.stream import streamify
from latentd.train.recipes import RECIPES, TrainRecipe, named_recipe


def test_default_model_properties():
    config = RECIPES["default"].model
    assert config.sample_rate in (44100, 48000)
    assert 8 <= config.latent_size <= 16
    assert config.ratio <= 1024
    model = RaveModel(config).eval()
    latency_ms = streamify(model.decoder).latency / config.sample_rate * 1000
    assert latency_ms <= 150
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    assert buffer.tell() <= 20e6


def test_beta_warms_up_linearly():
    p = RECIPES["default"]
    assert p.beta(0) == 0.0 and p.beta(p.kl_start) == 0.0
    assert p.beta((p.kl_start + p.kl_end) // 2) == pytest.approx(p.kl_beta / 2, rel=1e-3)
    assert p.beta(p.kl_end + 10) == p.kl_beta


def test_recipes_round_trip_through_a_checkpoint_dict():
    for value in RECIPES.values():
        assert TrainRecipe.from_dict(value.to_dict()) == value
    assert named_recipe("tiny", batch_size=3).batch_size == 3
    assert named_recipe("tiny", batch_size=None) == RECIPES["tiny"]
    with pytest.raises(ValueError):
        named_recipe("nope")
    assert isinstance(RECIPES["default"], TrainRecipe)

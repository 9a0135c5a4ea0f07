"""Training recipes: the default one meets the issue's limits on the shipped model's
architecture, and ``resolve_recipe`` picks the recipe a run trains with, without data."""

import io
from dataclasses import fields, replace
from pathlib import Path

import pytest
import torch

from latentd.models.rave import RaveConfig, RaveModel
from latentd.stream import streamify
from latentd.train.errors import TrainingError
from latentd.train.options import TrainOptions
from latentd.train.recipes import (
    RECIPES,
    TrainRecipe,
    named_recipe,
    recipe_overrides,
    resolve_recipe,
)


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


# resolve_recipe: which recipe a run trains with, decided without data or a model -------------

def options(**values):
    """Options whose data folder does not exist: resolution must never read it."""
    return TrainOptions(data=Path("/nonexistent/dataset"), output=Path("/nonexistent/x.ckpt"),
                        **values)


def saved_run(recipe: TrainRecipe) -> dict:
    """The parts of a training checkpoint that resolution reads."""
    return {"config": recipe.model.to_dict(), "training": {"preset": recipe.to_dict()}}


def test_a_new_run_takes_the_named_recipe_and_the_given_overrides():
    recipe = resolve_recipe(options(recipe="tiny", batch_size=3, kl_beta=0.001))
    assert recipe == replace(RECIPES["tiny"], batch_size=3, kl_beta=0.001)
    assert resolve_recipe(options(recipe="tiny")) == RECIPES["tiny"]


def test_every_override_option_is_a_recipe_field_it_overrides():
    recipe_fields = {spec.name for spec in fields(TrainRecipe)}
    overrides = recipe_overrides(options(batch_size=5, learning_rate=1e-3, stft_sizes=(64, 32),
                                         phase_weight=0.5, kl_beta=0.1, latent_noise=0.2,
                                         pitch_weight=2.0, pitch_encoder_start=7))
    assert set(overrides) <= recipe_fields
    assert overrides == {"batch_size": 5, "learning_rate": 1e-3, "stft_sizes": (64, 32),
                         "phase_weight": 0.5, "kl_beta": 0.1, "latent_noise": 0.2,
                         "pitch_weight": 2.0, "pitch_encoder_start": 7}
    assert recipe_overrides(options()) == {}  # None keeps the recipe's value


def test_a_resumed_run_keeps_its_own_recipe_whatever_the_name_says():
    saved = replace(RECIPES["tiny"], kl_beta=0.0005, stft_sizes=(512, 256))
    recipe = resolve_recipe(options(recipe="default", learning_rate=1e-5), resumed=saved_run(saved))
    assert recipe == replace(saved, learning_rate=1e-5)


def test_init_from_a_training_checkpoint_takes_its_recipe():
    saved = replace(RECIPES["tiny"], batch_size=4)
    recipe = resolve_recipe(options(recipe="default", harmonics=2), initial=saved_run(saved))
    assert recipe.batch_size == 4
    assert recipe.model == replace(saved.model, harmonics=2)


def test_init_from_a_released_checkpoint_takes_its_architecture_and_the_named_recipe():
    released = {"config": replace(RaveConfig.tiny(), latent_size=6).to_dict()}  # no training
    recipe = resolve_recipe(options(recipe="tiny", batch_size=3), initial=released)
    assert recipe.model == replace(RaveConfig.tiny(), latent_size=6)
    assert recipe == replace(RECIPES["tiny"], model=recipe.model, batch_size=3)


def test_the_architecture_cannot_change_on_resume():
    saved = saved_run(RECIPES["tiny"])
    with pytest.raises(TrainingError, match="--harmonics cannot change a run being resumed"):
        resolve_recipe(options(recipe="tiny", harmonics=2), resumed=saved)
    with_oscillator = saved_run(replace(RECIPES["tiny"],
                                        model=replace(RaveConfig.tiny(), harmonics=2)))
    with pytest.raises(TrainingError, match="--pitch-latent cannot change a run being resumed"):
        resolve_recipe(options(recipe="tiny", pitch_latent=True), resumed=with_oscillator)
    # the same values as the run's own are no change
    assert resolve_recipe(options(harmonics=2), resumed=with_oscillator).model.harmonics == 2


def test_a_new_run_may_add_an_oscillator_and_measured_pitch():
    recipe = resolve_recipe(options(recipe="tiny", harmonics=2, pitch_latent=True))
    assert recipe.model.harmonics == 2 and recipe.model.pitch_latent
    with pytest.raises(TrainingError, match="--pitch-latent: pitch_latent needs harmonics"):
        resolve_recipe(options(recipe="tiny", pitch_latent=True))


def test_causal_makes_the_padding_causal_for_new_and_initialised_runs_only():
    released = {"config": RaveConfig.tiny().to_dict()}  # centred, no training state
    recipe = resolve_recipe(options(recipe="tiny", causal=True), initial=released)
    assert recipe.model == replace(RaveConfig.tiny(), lookahead=0.0)
    assert resolve_recipe(options(recipe="tiny", causal=True)).model.causal
    with pytest.raises(TrainingError, match="--causal cannot change a run being resumed"):
        resolve_recipe(options(recipe="tiny", causal=True), resumed=saved_run(RECIPES["tiny"]))
    causal_run = saved_run(replace(RECIPES["tiny"], model=recipe.model))
    assert resolve_recipe(options(recipe="tiny", causal=True), resumed=causal_run).model.causal


def test_default_causal_is_default_with_causal_padding():
    default, causal = RECIPES["default"].model, RECIPES["default-causal"].model
    assert causal.causal and causal == replace(default, lookahead=0.0, harmonics=32,
                                               pitch_latent=True)
    assert streamify(RaveModel(causal).decoder).latency == 0

"""Named model-and-training recipes for ``latentd train --config``, and the one function that
decides which recipe a run trains with (``resolve_recipe``).

``default`` is the bundled model's recipe. Its architecture was chosen against the issue's limits
on this 2-core machine (numbers in docs/default-model.md): at one latent frame per block the
streaming decoder's cost is the layer count and the width of its last, fastest-running stage. 32
PQMF bands with two upsampling blocks (8, 4) give 1024 samples per latent frame with few layers
and a last stage at only 1378 Hz, and capacity 48 is the widest that kept decoding above 20x real
time on one busy core. (16 bands with (8, 8) at capacity 64 measured 14-27x depending on load.)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from latentd.models.rave import RaveConfig
from latentd.train.errors import TrainingError

if TYPE_CHECKING:  # options.py imports this module for the recipe names
    from latentd.train.options import TrainOptions


@dataclass(frozen=True)
class TrainRecipe:
    """What ``latentd train`` needs besides data: architecture and optimisation settings.

    The KL weight ramps linearly from 0 at ``kl_start`` to ``kl_beta`` at ``kl_end`` (warm-up:
    the autoencoder first learns to reconstruct, then its latent is pulled towards the prior).
    ``free_bits`` (nats per latent dimension) leaves a little information in every dimension
    unpenalised, so that no dimension collapses onto the prior and stops doing anything, which
    the default model must avoid: every one of its dimensions is a control.
    """

    model: RaveConfig
    batch_size: int = 8
    crop_frames: int = 32  # latent frames per training crop; samples = crop_frames * ratio
    learning_rate: float = 3e-4
    betas: tuple[float, float] = (0.8, 0.99)
    grad_clip: float = 5.0
    stft_sizes: tuple[int, ...] = (2048, 1024, 512, 256, 128)
    kl_beta: float = 0.02
    kl_start: int = 1000
    kl_end: int = 8000
    free_bits: float = 0.05
    # scale of the reparameterisation noise in training (1: the VAE's own). Below 1 the decoder
    # sees small moves of the posterior means that the noise would drown, so directions the
    # encoder barely uses start to pay off and get used: a control that was dead can come alive
    latent_noise: float = 1.0
    adversarial_weight: float = 1.0
    feature_matching_weight: float = 10.0
    phase_weight: float = 0.0  # weight of the phase-sensitive complex STFT term (losses.py)
    phase_sizes: tuple[int, ...] = (4096, 1024)
    pitch_weight: float = 1.0  # octaves of f0 error, when the model has an oscillator
    oscillator_lr_scale: float = 10.0  # the oscillator's learning rate, relative
    # before this step the pitch loss trains the oscillator's head only: reaching the encoder
    # from the start, it flattened the latents (KL at the free-bits floor) in three runs
    pitch_encoder_start: int = 5000
    discriminator_capacity: int = 16
    discriminator_scales: int = 3
    validation_clips: int = 16

    @property
    def crop(self) -> int:
        return self.crop_frames * self.model.ratio

    def beta(self, step: int) -> float:
        if step < self.kl_start:
            return 0.0
        if step >= self.kl_end:
            return self.kl_beta
        return self.kl_beta * (step - self.kl_start) / max(1, self.kl_end - self.kl_start)

    def to_dict(self) -> dict[str, object]:
        """Plain containers for the checkpoint's training state (``weights_only`` loads it)."""
        values = asdict(self)
        values["model"] = self.model.to_dict()
        return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> TrainRecipe:
        """The recipe a checkpoint was trained with, so that resuming never depends on
        today's definition of the named recipe."""
        values = dict(values)
        model = RaveConfig.from_dict(values.pop("model"))
        tuples: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v
                                  for k, v in values.items()}
        return cls(model=model, **tuples)


DEFAULT_MODEL = RaveConfig(sample_rate=44100, channels=1, latent_size=16, bands=32, capacity=48,
                           ratios=(8, 4), dilations=(1, 3, 9), noise=True,
                           amplitude_modulation=True, lookahead=0.5, pqmf_taps_per_band=8)

RECIPES: dict[str, TrainRecipe] = {
    "default": TrainRecipe(model=DEFAULT_MODEL),
    # The models/ package default (512 samples per frame, three upsampling blocks): better time
    # resolution, but about 3x slower to decode at one frame per block.
    "rave512": TrainRecipe(model=RaveConfig(latent_size=16)),
    # The bundled default-causal: default's final architecture (oscillator, measured pitch)
    # with all padding to the left, so encode -> decode streams with latency 0 (live input),
    # and the loss and latent settings default ended with (docs/default-model.md). It is
    # fine-tuned from the released default: --init-from default.ckpt --causal.
    "default-causal": TrainRecipe(
        model=replace(DEFAULT_MODEL, lookahead=0.0, harmonics=32, pitch_latent=True),
        learning_rate=2e-4, stft_sizes=(8192, 4096, 2048, 1024, 512, 256, 128),
        kl_beta=0.0001, kl_start=0, kl_end=0, latent_noise=0.1),
    # A test-sized model: a few training steps take well under a second.
    "tiny": TrainRecipe(model=RaveConfig.tiny(), batch_size=2, crop_frames=256,
                        stft_sizes=(256, 128, 64), kl_start=2, kl_end=4,
                        discriminator_capacity=4, discriminator_scales=2, validation_clips=2),
}


def named_recipe(name: str, **overrides: Any) -> TrainRecipe:
    """The recipe called ``name`` with the overrides that are not None."""
    if name not in RECIPES:
        raise ValueError(f"unknown preset {name!r}; choose one of {sorted(RECIPES)}")
    chosen = RECIPES[name]
    return replace(chosen, **{k: v for k, v in overrides.items() if v is not None})


def recipe_overrides(options: TrainOptions) -> dict[str, Any]:
    """The options named like a recipe field that were given (not None): what a run changes
    in its recipe, whether it starts, resumes or is initialised from another run."""
    names = {spec.name for spec in fields(TrainRecipe)}
    return {spec.name: getattr(options, spec.name) for spec in fields(options)
            if spec.name in names and getattr(options, spec.name) is not None}


def resolve_recipe(options: TrainOptions, resumed: dict[str, Any] | None = None,
                   initial: dict[str, Any] | None = None) -> TrainRecipe:
    """The recipe a run trains with; pure, so it is tested without data or a model.

    ``resumed`` is the checkpoint payload of the run being resumed (``--resume``), ``initial``
    the one of ``--init-from``. A saved run's own recipe wins over today's named one (resuming
    must not depend on how ``default`` is defined now); a released checkpoint given to
    ``--init-from`` has no recipe, so the named recipe is used with that checkpoint's
    architecture. Then the options' overrides, and ``--harmonics`` / ``--pitch-latent`` /
    ``--causal``, which change the architecture and so cannot change a run being resumed.
    """
    overrides = recipe_overrides(options)
    source = resumed if resumed is not None else initial
    if source is not None and isinstance(source.get("training"), dict):
        recipe = replace(TrainRecipe.from_dict(source["training"]["preset"]), **overrides)
    elif initial is not None:
        recipe = replace(named_recipe(options.recipe),
                         model=RaveConfig.from_dict(initial["config"]), **overrides)
    else:
        recipe = named_recipe(options.recipe, **overrides)
    if options.harmonics is not None and options.harmonics != recipe.model.harmonics:
        if resumed is not None:
            raise TrainingError(f"{options.output}: --harmonics cannot change a run being "
                                "resumed; start a new one with --init-from")
        recipe = replace(recipe, model=replace(recipe.model, harmonics=options.harmonics))
    if options.pitch_latent and not recipe.model.pitch_latent:
        if resumed is not None:
            raise TrainingError(f"{options.output}: --pitch-latent cannot change a run being "
                                "resumed; start a new one with --init-from")
        try:
            recipe = replace(recipe, model=replace(recipe.model, pitch_latent=True))
        except ValueError as exc:
            raise TrainingError(f"--pitch-latent: {exc}") from exc
    if options.causal and not recipe.model.causal:
        if resumed is not None:
            raise TrainingError(f"{options.output}: --causal cannot change a run being "
                                "resumed; start a new one with --init-from")
        recipe = replace(recipe, model=replace(recipe.model, lookahead=0.0))
    return recipe


__all__ = ["DEFAULT_MODEL", "RECIPES", "TrainRecipe", "named_recipe", "recipe_overrides",
           "resolve_recipe"]

"""``latentd train``: fit a RaveModel to a dataset on the CPU, in runs that resume.

One run trains until ``--max-minutes`` or ``--max-steps`` (or SIGINT/SIGTERM), saving the
checkpoint every few minutes and at the end. The checkpoint is an ordinary latentd checkpoint
(``load_synth`` plays it) whose ``training`` entry holds what a later ``--resume`` needs: step,
optimizer moments, the batch sampler's RNG, the discriminator when adversarial fine-tuning is
on, and the loss history for the model card. Everything in it is tensors and plain containers,
so it still loads with ``torch.load(weights_only=True)``.
"""

from __future__ import annotations

import math
import signal
import time
from collections.abc import Callable
from typing import Any

import torch

from latentd.models.checkpoint import read_checkpoint, save_checkpoint
from latentd.models.rave import RaveConfig, RaveModel, repadded_weights
from latentd.train.data import CropSampler, validation_batch
from latentd.train.discriminator import MultiScaleDiscriminator
from latentd.train.errors import TrainingDiverged, TrainingError
from latentd.train.losses import (
    discriminator_hinge,
    feature_matching,
    generator_hinge,
    kl_divergence,
    multiscale_stft,
    phase_distance,
    pitch_error,
)
from latentd.train.options import TrainOptions
from latentd.train.oscillator_growth import CONV_QUIET_SHIFT, quiet_conv_branch, silence_inputs
from latentd.train.recipes import resolve_recipe
from latentd.train.splits import read_split
from latentd.train.step_losses import StepLosses, window_means

HISTORY_LIMIT = 5000
# a run whose losses stay non-finite this many steps in a row has diverged: its steps are all
# skipped, so it would only burn CPU; it stops with an error instead (weights stay finite)
DIVERGED_AFTER = 200


class Trainer:
    """Holds the model, optimizers, data and counters of one training run."""

    def __init__(self, options: TrainOptions, log: Callable[[str], None] = print):
        self.options = options
        self.log = log
        torch.set_num_threads(max(1, options.threads))
        resumed = self._checkpoint_to_resume()
        initial = None
        if resumed is None and options.init_from is not None:
            initial = read_checkpoint(options.init_from)
        self.recipe = resolve_recipe(options, resumed, initial)
        config = self.recipe.model
        torch.manual_seed(options.seed)
        self.model = RaveModel(config)
        self.optimizer = torch.optim.Adam(self._parameter_groups(), self.recipe.learning_rate,
                                          betas=self.recipe.betas)
        self.discriminator: MultiScaleDiscriminator | None = None
        self.d_optimizer: torch.optim.Optimizer | None = None
        train_clips = [torch.from_numpy(c.audio)
                       for c in read_split(options.data, "train", config.sample_rate)]
        test_clips = [torch.from_numpy(c.audio)
                      for c in read_split(options.data, "test", config.sample_rate)]
        self.sampler = CropSampler(train_clips, self.recipe.crop, seed=options.seed)
        self.validation = validation_batch(test_clips, self.recipe.crop,
                                           self.recipe.validation_clips)
        self.step = 0
        self.elapsed = 0.0  # training seconds over all runs
        self.adversarial_since: int | None = None
        self.history: list[dict[str, float]] = []
        self.initial_validation: float | None = None
        self.stop_requested = False
        if resumed is not None:
            self._restore(resumed)
        elif initial is not None:
            self._initialise_from(initial)
        self.oscillator_warmup_until = self.step + options.oscillator_warmup
        self.log(f"model: {config.latent_size} latents, {config.ratio} samples/frame at "
                 f"{config.sample_rate} Hz, {self.parameter_count() / 1e6:.2f}M parameters; "
                 f"data: {len(train_clips)} train / {len(test_clips)} test clips; "
                 f"batch {self.recipe.batch_size} x {self.recipe.crop} samples; "
                 f"{torch.get_num_threads()} threads")

    def _parameter_groups(self) -> list[dict[str, Any]]:
        """One group, or two when the decoder has an oscillator: its head learns at
        ``oscillator_lr_scale`` times the rate. Until its pitch is right, the spectral loss only
        pushes its level down, so a head learning at the pace of the trained layers stays
        silent."""
        oscillator = self.model.decoder.oscillator
        if oscillator is None:
            return [{"params": list(self.model.parameters())}]
        own = {id(p) for p in oscillator.parameters()}
        rest = [p for p in self.model.parameters() if id(p) not in own]
        return [{"params": rest},
                {"params": [p for p in oscillator.parameters() if p.requires_grad],
                 "lr": self.recipe.learning_rate * self.recipe.oscillator_lr_scale}]

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.model.parameters())

    # --- checkpoints ---------------------------------------------------------------------

    def _checkpoint_to_resume(self) -> dict[str, Any] | None:
        output = self.options.output
        if not self.options.resume:
            return None
        if not output.is_file():
            self.log(f"--resume: {output} does not exist yet, starting from scratch")
            return None
        payload = read_checkpoint(output)
        if not isinstance(payload.get("training"), dict):
            raise TrainingError(f"{output}: has no training state to resume from (a released "
                               "checkpoint?)")
        return payload

    def _restore(self, payload: dict[str, Any]) -> None:
        state = payload["training"]
        self.model.load_state_dict({k: v.float() if v.is_floating_point() else v
                                    for k, v in payload["weights"].items()})
        try:
            self.optimizer.load_state_dict(state["optimizer"])
        except ValueError as exc:  # saved before the oscillator had its own group
            self.log(f"optimizer moments reset ({exc}); weights, step and history are kept")
        for group, wanted in zip(self.optimizer.param_groups, self._parameter_groups(),
                                 strict=True):
            group["lr"] = wanted.get("lr", self.recipe.learning_rate)
        self._continue_counters(state)
        self.sampler.restore(state["sampler_rng"])
        torch.set_rng_state(state["torch_rng"])
        since = state.get("adversarial_since")
        if since is not None:
            self._enable_adversarial(int(since))
            assert self.discriminator is not None and self.d_optimizer is not None
            self.discriminator.load_state_dict(state["discriminator"])
            self.d_optimizer.load_state_dict(state["d_optimizer"])
        self.log(f"resumed {self.options.output} at step {self.step} "
                 f"({self.elapsed / 60:.1f} min trained so far)")

    def _continue_counters(self, state: dict[str, Any]) -> None:
        """Step, training time and history of a saved run, which a resumed or initialised run
        continues."""
        self.step = int(state.get("step", 0))
        self.elapsed = float(state.get("elapsed_seconds", 0.0))
        self.history = list(state.get("history", []))
        self.initial_validation = state.get("initial_validation")

    def _initialise_from(self, initial: dict[str, Any]) -> None:
        """Weights, step and history of another run; the optimizer starts afresh (its moments
        would not match added layers). Only layers the source lacks may be new."""
        weights = {k: v.float() if v.is_floating_point() else v
                   for k, v in initial["weights"].items()}
        source_config = initial.get("config") or {}
        if source_config.get("lookahead", 0.5) != self.model.config.lookahead:  # --causal
            try:
                weights = repadded_weights(weights, RaveConfig.from_dict(source_config),
                                           self.model.config)
            except ValueError as exc:
                raise TrainingError(f"{self.options.init_from}: cannot change the padding "
                                    f"and more at once ({exc})") from exc
        missing, unexpected = self.model.load_state_dict(weights, strict=False)
        if unexpected or any(not k.startswith("decoder.oscillator.") for k in missing):
            raise TrainingError(f"{self.options.init_from}: weights do not fit this model "
                               f"(missing {missing[:4]}, unexpected {unexpected[:4]})")
        if self.model.config.pitch_latent and not source_config.get("pitch_latent", False):
            silence_inputs(self.model.decoder.inp, self.model.config.measured_latents)
        training = initial.get("training")
        self._continue_counters(training if isinstance(training, dict) else {})
        fresh = sorted({k.split(".")[1] for k in missing})
        self.log(f"initialised from {self.options.init_from} at step {self.step}"
                 + (f"; new layers: {', '.join(fresh)}" if fresh else ""))

    def training_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "step": self.step,
            "elapsed_seconds": self.elapsed,
            "preset": self.recipe.to_dict(),  # the stored key stays "preset"
            "optimizer": self.optimizer.state_dict(),
            "sampler_rng": self.sampler.state(),
            "torch_rng": torch.get_rng_state(),
            "history": self.history[-HISTORY_LIMIT:],
            "initial_validation": self.initial_validation,
            "adversarial_since": self.adversarial_since,
        }
        if self.discriminator is not None and self.d_optimizer is not None:
            state["discriminator"] = self.discriminator.state_dict()
            state["d_optimizer"] = self.d_optimizer.state_dict()
        return state

    def save(self) -> None:
        self.options.output.parent.mkdir(parents=True, exist_ok=True)
        last = self.history[-1] if self.history else {}
        metadata = {
            "trained_by": "latentd train",
            "dataset": str(self.options.data),
            "steps": self.step,
            "training_minutes": round(self.elapsed / 60, 2),
            "validation_stft": last.get("validation_stft"),
            "initial_validation_stft": self.initial_validation,
        }
        save_checkpoint(self.options.output, self.model, metadata=metadata,
                        training_state=self.training_state())

    # --- one step ------------------------------------------------------------------------

    def _enable_adversarial(self, since: int) -> None:
        if self.discriminator is not None:
            return
        self.adversarial_since = since
        self.discriminator = MultiScaleDiscriminator(self.recipe.discriminator_scales,
                                                     self.recipe.discriminator_capacity)
        self.d_optimizer = torch.optim.Adam(self.discriminator.parameters(),
                                            self.recipe.learning_rate, betas=self.recipe.betas)

    def start_adversarial_when_due(self) -> bool:
        """Switch the adversarial stage on when ``--adversarial`` or ``--adversarial-start``
        asks for it now; whether the stage is on."""
        start = self.options.adversarial_start
        if self.discriminator is None and (self.options.adversarial or
                                           (start is not None and self.step >= start)):
            self._enable_adversarial(self.step)
            self.log(f"step {self.step}: adversarial fine-tuning on (encoder frozen)")
        return self.discriminator is not None

    def _oscillator_losses(self, audio: torch.Tensor) -> tuple[torch.Tensor, StepLosses]:
        """The oscillator alone against the audio, the rest of the model fixed: a branch added to
        a trained decoder starts too quiet to learn its harmonic shares, and at a useful level
        its untrained shares only add error next to the trained conv branch (measured: the level
        then gets pushed down), so it first learns to play the notes by itself."""
        oscillator = self.model.decoder.oscillator
        assert oscillator is not None
        with torch.no_grad():
            mean, _ = self.model.encode(audio)
        stft = multiscale_stft(oscillator(mean), audio, self.recipe.stft_sizes)
        return stft, StepLosses(beta=self.recipe.beta(self.step), osc=stft.item())

    def _model_losses(self, audio: torch.Tensor, adversarial: bool
                ) -> tuple[torch.Tensor, StepLosses, torch.Tensor]:
        p = self.recipe
        with torch.set_grad_enabled(not adversarial):
            mean, logvar = self.model.encode(audio)
            z = self.model.sample(mean, logvar, p.latent_noise)
        output = self.model.decoder(z)
        stft = multiscale_stft(output, audio, p.stft_sizes)
        learned = self.model.config.measured_latents  # measured dimensions carry no KL
        kl = kl_divergence(mean[:, learned:], logvar[:, learned:], p.free_bits)
        beta = p.beta(self.step)
        loss = stft + beta * kl
        losses = StepLosses(beta=beta, stft=stft.item(), kl=kl.item())
        if p.phase_weight > 0:
            phase = phase_distance(output, audio, p.phase_sizes)
            loss = loss + p.phase_weight * phase
            losses.phase = phase.item()
        oscillator = self.model.decoder.oscillator
        if oscillator is not None and p.pitch_weight > 0 and not oscillator.pitch_from_latent:
            # on the posterior mean: through the sampled latent the noise makes every pitch guess
            # worse, which teaches the encoder to carry less, not more (KL stayed at ~2 nats)
            guide = mean if self.step >= p.pitch_encoder_start else mean.detach()
            pitch = pitch_error(oscillator.pitch_position(guide), audio, self.model.config)
            loss = loss + p.pitch_weight * pitch
            losses.pitch = pitch.item()
        if adversarial:
            assert self.discriminator is not None
            _, real_features = self.discriminator(audio)
            fake_scores, fake_features = self.discriminator(output)
            generator = generator_hinge(fake_scores)
            matching = feature_matching(real_features, fake_features)
            loss = loss + p.adversarial_weight * generator + p.feature_matching_weight * matching
            losses.gen, losses.fm = generator.item(), matching.item()
        return loss, losses, output

    def train_step(self) -> StepLosses:
        """One optimisation step; returns the losses as floats.

        In the adversarial stage the encoder is frozen (as in RAVE's second phase): the latent
        space the decoder learned stays put while the discriminator sharpens its output.
        """
        p = self.recipe
        self.model.train()
        audio = self.sampler.batch(p.batch_size)
        oscillator = self.model.decoder.oscillator
        if oscillator is not None and self.options.oscillator_warmup > 0 \
                and self.step == self.oscillator_warmup_until:
            quiet_conv_branch(self.model.decoder)
            self.log(f"step {self.step}: oscillator warm-up done; conv branch quietened "
                     f"(amplitude logits -{CONV_QUIET_SHIFT:g}), joint training")
        if oscillator is not None and self.step < self.oscillator_warmup_until:
            loss, losses = self._oscillator_losses(audio)
            adversarial = False
            output = audio
        else:
            adversarial = self.start_adversarial_when_due()
            loss, losses, output = self._model_losses(audio, adversarial)
        if not math.isfinite(loss.item()):
            losses.skipped = True
            return losses
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), p.grad_clip)
        self.optimizer.step()
        if adversarial:
            assert self.discriminator is not None and self.d_optimizer is not None
            real_scores, _ = self.discriminator(audio)
            fake_scores, _ = self.discriminator(output.detach())
            d_loss = discriminator_hinge(real_scores, fake_scores)
            self.d_optimizer.zero_grad(set_to_none=True)
            d_loss.backward()
            self.d_optimizer.step()
            losses.disc = d_loss.item()
        losses.loss = loss.item()
        return losses

    @torch.no_grad()
    def validate(self) -> float:
        """Multi-resolution STFT distance on the fixed held-out batch, posterior mean, eval mode
        (noise seeded, and the training RNG left untouched)."""
        self.model.eval()
        with torch.random.fork_rng():
            torch.manual_seed(0)
            output, _, _ = self.model(self.validation)
            value = float(multiscale_stft(output, self.validation, self.recipe.stft_sizes))
        self.model.train()
        return value

    # --- the run -------------------------------------------------------------------------

    def _request_stop(self, signum: int, frame: object) -> None:
        self.stop_requested = True
        self.log(f"signal {signum}: saving and stopping after this step")

    def run(self) -> dict[str, Any]:
        options = self.options
        start = time.monotonic()
        deadline = start + options.max_minutes * 60 if options.max_minutes else math.inf
        previous = {}
        for number in (signal.SIGINT, signal.SIGTERM):
            try:
                previous[number] = signal.signal(number, self._request_stop)
            except ValueError:  # not the main thread: no handlers, stop by limits only
                break
        try:
            if self.initial_validation is None:
                self.initial_validation = self.validate()
                self.log(f"step {self.step}: validation stft {self.initial_validation:.4f} "
                         "(untrained)")
            last_save = last_log = time.monotonic()
            window: list[StepLosses] = []
            steps_at_log = self.step
            failing = 0
            while not self.stop_requested and time.monotonic() < deadline and (
                    options.max_steps is None or self.step < options.max_steps):
                step_start = time.monotonic()
                window.append(self.train_step())
                self.step += 1
                failing = failing + 1 if window[-1].skipped else 0
                if failing >= DIVERGED_AFTER:
                    break
                self.elapsed += time.monotonic() - step_start
                now = time.monotonic()
                if now - last_log >= options.log_seconds:
                    self._log_window(window, (self.step - steps_at_log) / (now - last_log))
                    window, last_log, steps_at_log = [], now, self.step
                if now - last_save >= options.save_minutes * 60:
                    self._validate_and_save()
                    last_save = time.monotonic()
            if window:
                rate = (self.step - steps_at_log) / max(1e-9, time.monotonic() - last_log)
                self._log_window(window, rate)
            self._validate_and_save()
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
        if failing >= DIVERGED_AFTER:
            raise TrainingDiverged(
                f"training diverged: the losses were not finite for the last {failing} steps "
                f"(to step {self.step}); {options.output} keeps the last finite weights. Lower "
                "--learning-rate, or resume from an earlier checkpoint")
        why = ("signal" if self.stop_requested else
               "max steps" if options.max_steps is not None and self.step >= options.max_steps
               else "time limit")
        self.log(f"stopped ({why}) at step {self.step}, {self.elapsed / 60:.1f} min trained in "
                 f"all; checkpoint {options.output}")
        return {"step": self.step, "history": self.history,
                "initial_validation": self.initial_validation}

    def _log_window(self, window: list[StepLosses], rate: float) -> None:
        """One progress line and one history entry (a plain dict: checkpoints store it) for the
        steps since the last."""
        means = window_means(window)
        skipped = sum(step.skipped for step in window)
        entry = {"step": float(self.step), "minutes": round(self.elapsed / 60, 3),
                 "beta": window[-1].beta, **means}
        self.history.append(entry)
        parts = "  ".join(f"{k} {v:.4f}" for k, v in means.items())
        self.log(f"step {self.step:>7}  {self.elapsed / 60:7.1f} min  {rate:5.2f} step/s  "
                 f"{parts}  beta {entry['beta']:.4f}" + (f"  skipped {skipped}" if skipped else ""))

    def _validate_and_save(self) -> None:
        value = self.validate()
        if self.history and self.history[-1]["step"] == self.step:
            self.history[-1]["validation_stft"] = value
        else:
            self.history.append({"step": float(self.step), "minutes": self.elapsed / 60,
                                 "validation_stft": value})
        self.save()
        self.log(f"step {self.step}: validation stft {value:.4f}; saved {self.options.output}")


def train(options: TrainOptions, log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Build a Trainer and run it; a convenience for the CLI and tests."""
    def printer(line: str) -> None:
        print(line, flush=True)

    return Trainer(options, log or printer).run()

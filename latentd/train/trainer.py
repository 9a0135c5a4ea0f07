"""``latentd train``: fit a RaveModel to a dataset, in runs that resume, on a CPU, a GPU or
several processes under torchrun (DistributedDataParallel, ``distributed.py``).

One run trains until ``--max-minutes`` or ``--max-steps`` (or SIGINT/SIGTERM), saving the
checkpoint every few minutes and at the end. Under torchrun every rank trains on its shard of
the global batch, the ranks agree at each step whether to save or stop (so a signal or the time
limit reaching one rank stops them all after the same step), and rank 0 alone writes. The
checkpoint is an ordinary latentd checkpoint (``load_synth`` plays it) whose ``training``
entry holds what a later ``--resume`` needs: step, optimizer moments, the crop planner's and
each rank's noise RNG, the discriminator when adversarial fine-tuning is on, and the loss
history for the model card. Everything in it is tensors and plain containers
on the CPU, so it still loads with ``torch.load(weights_only=True)`` on any machine.
"""

from __future__ import annotations

import math
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

import torch
from torch.nn.parallel import DistributedDataParallel

from latentd.models.checkpoint import read_checkpoint, save_checkpoint
from latentd.models.rave import RaveConfig, RaveModel, repadded_weights
from latentd.train import distributed
from latentd.train.audio_cache import CachedSplit, cached_split
from latentd.train.board import TrainingBoard
from latentd.train.data import CropPlanner, validation_batch
from latentd.train.device import autocast, gradient_scaler, resolve_device, to_cpu
from latentd.train.discriminator import MultiScaleDiscriminator
from latentd.train.errors import TrainingDiverged, TrainingError
from latentd.train.loader import CropDataset, PlannedBatches, crop_loader
from latentd.train.losses import multiscale_stft
from latentd.train.objective import DiscriminatorObjective, GeneratorObjective, Stage
from latentd.train.options import TrainOptions
from latentd.train.oscillator_growth import CONV_QUIET_SHIFT, quiet_conv_branch, silence_inputs
from latentd.train.progress import step_bar
from latentd.train.recipes import resolve_recipe
from latentd.train.step_losses import StepLosses, window_means

HISTORY_LIMIT = 5000
# a run whose losses stay non-finite this many steps in a row has diverged: its steps are all
# skipped, so it would only burn CPU; it stops with an error instead (weights stay finite)
DIVERGED_AFTER = 200
# under torchrun, rank r's noise generator starts from seed + NOISE_SEED_STRIDE * (r + 1): the
# ranks must not draw the same latent and decoder noise for their different crops
NOISE_SEED_STRIDE = 1_000_003


class Trainer:
    """Holds the model, optimizers, data and counters of one training run."""

    def __init__(self, options: TrainOptions, log: Callable[[str], None] = print,
                 ranks: distributed.Ranks | None = None):
        self.options = options
        self.ranks = ranks or distributed.ranks_from_environment()
        self.device = resolve_device(options.device, self.ranks.local_rank)
        distributed.join(self.ranks, self.device)
        self.log = log if self.ranks.is_main else _quiet
        torch.set_num_threads(max(1, options.threads))
        resumed = self._checkpoint_to_resume()
        initial = None
        if resumed is None and options.init_from is not None:
            initial = read_checkpoint(options.init_from)
        self.recipe = resolve_recipe(options, resumed, initial)
        config = self.recipe.model
        torch.manual_seed(options.seed)
        self.model = RaveModel(config).to(self.device)
        if self.ranks.distributed:
            torch.manual_seed(options.seed + NOISE_SEED_STRIDE * (self.ranks.rank + 1))
        self.optimizer = torch.optim.Adam(self._parameter_groups(), self.recipe.learning_rate,
                                          betas=self.recipe.betas)
        self.scaler = gradient_scaler(self.device, options.precision)
        self.discriminator: MultiScaleDiscriminator | None = None
        self.d_optimizer: torch.optim.Optimizer | None = None
        self.d_step: torch.nn.Module | None = None
        self.d_scaler = gradient_scaler(self.device, options.precision)
        train_split, test_split = self._decoded_splits(config.sample_rate)
        self.train_split = train_split
        self.planner = CropPlanner(list(train_split.lengths), self.recipe.crop, seed=options.seed)
        test_clips = [torch.from_numpy(c.copy()) for c in test_split.clips()]
        self.validation = validation_batch(test_clips, self.recipe.crop,
                                           self.recipe.validation_clips).to(self.device)
        self.batches: PlannedBatches | None = None  # made when the run starts, at its step
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
        self.objective = GeneratorObjective(self.model, self.recipe)
        self._generator_wrapper: tuple[bool, torch.nn.Module] | None = None
        self.oscillator_warmup_until = self.step + options.oscillator_warmup
        self.board = (TrainingBoard(options.log_dir)
                      if options.log_dir is not None and self.ranks.is_main else None)
        world = self.ranks.world_size
        batch = (f"batch {self.recipe.batch_size} per rank x {world} ranks = "
                 f"{self.recipe.batch_size * world} crops" if world > 1
                 else f"batch {self.recipe.batch_size}")
        self.log(f"model: {config.latent_size} latents, {config.ratio} samples/frame at "
                 f"{config.sample_rate} Hz, {self.parameter_count() / 1e6:.2f}M parameters; "
                 f"data: {len(train_split.lengths)} train / {len(test_clips)} test clips; "
                 f"{batch} x {self.recipe.crop} samples; {self.device}, precision "
                 f"{options.precision}; {torch.get_num_threads()} threads"
                 + (f", {options.workers} loader processes" if options.workers else ""))

    def _decoded_splits(self, sample_rate: int) -> tuple[CachedSplit, CachedSplit]:
        """The train and test splits from the decoded cache; on each machine its first rank
        decodes (when the cache is missing or stale) while the others wait."""
        def decode() -> tuple[CachedSplit, CachedSplit]:
            return tuple(cached_split(self.options.data, split, sample_rate,
                                      self.options.data_cache, self.log)
                         for split in ("train", "test"))  # type: ignore[return-value]

        if self.ranks.local_rank == 0:
            splits = decode()
            distributed.barrier()
            return splits
        distributed.barrier()
        return decode()

    def _generator_step(self, stage: Stage) -> torch.nn.Module:
        """The model's objective, in DDP under torchrun. The oscillator's warm-up and the
        adversarial stage (encoder frozen) leave parameters unused, which DDP must be told
        (at the cost of a search of the graph each step); the autoencoder stage uses them all.
        The stage changes a few times a run at most; the wrapper is replaced then (one at a
        time: a DDP wrapper hooks every parameter's gradient until it is dropped)."""
        unused = stage is not Stage.AUTOENCODER
        if self._generator_wrapper is None or self._generator_wrapper[0] != unused:
            self._generator_wrapper = None
            self._generator_wrapper = (unused, self._parallel(self.objective, unused))
        return self._generator_wrapper[1]

    def _parallel(self, module: torch.nn.Module, unused_parameters: bool = False
                  ) -> torch.nn.Module:
        """``module`` in DistributedDataParallel under torchrun (as is otherwise). Some stages
        leave parameters unused (the frozen encoder, the oscillator's warm-up), which DDP must
        be told about."""
        if not self.ranks.distributed:
            return module
        return DistributedDataParallel(
            module, device_ids=[self.device.index] if self.device.type == "cuda" else None,
            find_unused_parameters=unused_parameters)

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
        self.planner.restore(state["sampler_rng"])
        self._restore_noise(state)
        since = state.get("adversarial_since")
        if since is not None:
            self._enable_adversarial(int(since))
            assert self.discriminator is not None and self.d_optimizer is not None
            self.discriminator.load_state_dict(state["discriminator"])
            self.d_optimizer.load_state_dict(state["d_optimizer"])
        self.log(f"resumed {self.options.output} at step {self.step} "
                 f"({self.elapsed / 60:.1f} min trained so far)")

    def _restore_noise(self, state: dict[str, Any]) -> None:
        """Each rank's noise generator as it was saved, when the run is resumed with as many
        ranks; with another number of ranks the generators start afresh from the seed, the
        step and the rank (the crops, weights and optimizer continue exactly either way: only
        the latent and decoder noise draws then differ from an uninterrupted run)."""
        saved = state.get("torch_rng_ranks") or [state["torch_rng"]]
        world, rank = self.ranks.world_size, self.ranks.rank
        if len(saved) == world:
            torch.set_rng_state(saved[rank])
            cuda = state.get("cuda_rng_ranks")
            if self.device.type == "cuda" and cuda is not None and len(cuda) == world:
                torch.cuda.set_rng_state(cuda[rank], self.device)
            return
        torch.manual_seed(self.options.seed + NOISE_SEED_STRIDE * (rank + 1) + self.step)
        self.log(f"noise generators started afresh for {world} ranks (the run was saved with "
                 f"{len(saved)}); crops, weights and optimizer continue exactly")

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
        """What ``--resume`` needs, on the CPU. Under torchrun every rank must call it (it
        gathers each rank's noise generator state)."""
        noise = distributed.gathered(torch.get_rng_state())
        state: dict[str, Any] = {
            "step": self.step,
            "elapsed_seconds": self.elapsed,
            "preset": self.recipe.to_dict(),  # the stored key stays "preset"
            "optimizer": to_cpu(self.optimizer.state_dict()),
            "sampler_rng": self.planner_state(),
            "torch_rng": noise[0],
            "history": self.history[-HISTORY_LIMIT:],
            "initial_validation": self.initial_validation,
            "adversarial_since": self.adversarial_since,
            "world_size": self.ranks.world_size,
        }
        if self.ranks.distributed:
            state["torch_rng_ranks"] = noise
        if self.device.type == "cuda":
            state["cuda_rng_ranks"] = distributed.gathered(
                torch.cuda.get_rng_state(self.device))
        if self.discriminator is not None and self.d_optimizer is not None:
            state["discriminator"] = to_cpu(self.discriminator.state_dict())
            state["d_optimizer"] = to_cpu(self.d_optimizer.state_dict())
        return state

    def planner_state(self) -> torch.Tensor:
        """The crop planner's state before the next step's plan (the loader may have drawn
        plans ahead)."""
        if self.batches is None:
            return self.planner.state()
        return self.batches.state_before(self.step)

    def save(self) -> None:
        """Write the checkpoint: every rank takes part (``training_state``), rank 0 writes."""
        training_state = self.training_state()
        if not self.ranks.is_main:
            return
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
                        training_state=training_state)

    # --- one step ------------------------------------------------------------------------

    def _enable_adversarial(self, since: int) -> None:
        if self.discriminator is not None:
            return
        self.adversarial_since = since
        self.discriminator = MultiScaleDiscriminator(
            self.recipe.discriminator_scales, self.recipe.discriminator_capacity).to(self.device)
        self.d_optimizer = torch.optim.Adam(self.discriminator.parameters(),
                                            self.recipe.learning_rate, betas=self.recipe.betas)
        self.d_step = self._parallel(DiscriminatorObjective(self.discriminator))

    def start_adversarial_when_due(self) -> bool:
        """Switch the adversarial stage on when ``--adversarial`` or ``--adversarial-start``
        asks for it now; whether the stage is on."""
        start = self.options.adversarial_start
        if self.discriminator is None and (self.options.adversarial or
                                           (start is not None and self.step >= start)):
            self._enable_adversarial(self.step)
            self.log(f"step {self.step}: adversarial fine-tuning on (encoder frozen)")
        return self.discriminator is not None

    def _stage(self) -> Stage:
        """The stage of this step, switching the warm-up off and the adversarial stage on when
        their steps come."""
        if self.model.decoder.oscillator is not None and self.options.oscillator_warmup > 0:
            if self.step == self.oscillator_warmup_until:
                quiet_conv_branch(self.model.decoder)
                self.log(f"step {self.step}: oscillator warm-up done; conv branch quietened "
                         f"(amplitude logits -{CONV_QUIET_SHIFT:g}), joint training")
            if self.step < self.oscillator_warmup_until:
                return Stage.OSCILLATOR
        return Stage.ADVERSARIAL if self.start_adversarial_when_due() else Stage.AUTOENCODER

    def train_step(self, audio: torch.Tensor) -> StepLosses:
        """One optimisation step on this rank's crops; returns the losses of the global batch
        as floats (under torchrun: averaged over the ranks, which all skip a step together when
        the loss is not finite on any of them).

        In the adversarial stage the encoder is frozen (as in RAVE's second phase): the latent
        space the decoder learned stays put while the discriminator sharpens its output.
        """
        p = self.recipe
        self.model.train()
        stage = self._stage()
        with autocast(self.device, self.options.precision):
            loss, terms, output = self._generator_step(stage)(audio, self.step, stage,
                                                      self.discriminator)
        values = rank_means(torch.stack([loss.detach().float(),
                                         *(t.float() for t in terms.values())]))
        losses = StepLosses(beta=p.beta(self.step), **dict(zip(terms, values[1:], strict=True)))
        if not math.isfinite(values[0]):
            losses.skipped = True
            return losses
        self.optimizer.zero_grad(set_to_none=True)
        self.scaler.scale(loss).backward()
        self.scaler.unscale_(self.optimizer)
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), p.grad_clip)
        self.scaler.step(self.optimizer)
        self.scaler.update()
        if stage is Stage.ADVERSARIAL:
            assert self.d_step is not None and self.d_optimizer is not None
            with autocast(self.device, self.options.precision):
                d_loss = self.d_step(audio, output.detach())
            self.d_optimizer.zero_grad(set_to_none=True)
            self.d_scaler.scale(d_loss).backward()
            self.d_scaler.step(self.d_optimizer)
            self.d_scaler.update()
            losses.disc = rank_means(d_loss.detach().float().reshape(1))[0]
        losses.loss = values[0]
        return losses

    @torch.no_grad()
    def validate(self) -> float:
        """Multi-resolution STFT distance on the fixed held-out batch, posterior mean, eval mode
        (noise seeded, and the training RNG left untouched)."""
        self.model.eval()
        with torch.random.fork_rng(), distributed.this_rank_only():
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
        self.batches = PlannedBatches(self.planner, self.recipe.batch_size, self.ranks.rank,
                                      self.ranks.world_size, self.step)
        loader = iter(crop_loader(CropDataset(self.train_split, self.recipe.crop), self.batches,
                                  options.workers, pin_memory=self.device.type == "cuda"))
        bar = step_bar() if self.ranks.is_main and sys.stdout.isatty() else None
        audio_every = options.audio_every
        failing = 0
        why = "max steps"
        try:
            if self.initial_validation is None and self.ranks.is_main:
                self.initial_validation = self.validate()
                self.log(f"step {self.step}: validation stft {self.initial_validation:.4f} "
                         "(untrained)")
            last_save = last_log = time.monotonic()
            window: list[StepLosses] = []
            steps_at_log = self.step
            if bar is not None:
                bar.start()
                task = bar.add_task("train", total=options.max_steps, completed=self.step)
            while options.max_steps is None or self.step < options.max_steps:
                # every rank asks, all agree: one rank's signal or clock stops or saves all
                now = time.monotonic()
                signalled, late, save = (flag > 0 for flag in rank_means(torch.tensor(
                    [float(self.stop_requested), float(now >= deadline),
                     float(now - last_save >= options.save_minutes * 60)])))
                if signalled or late:
                    why = "signal" if signalled else "time limit"
                    break
                if save:
                    self._validate_and_save()
                    last_save = time.monotonic()
                step_start = time.monotonic()
                audio = next(loader).to(self.device, non_blocking=True)
                window.append(self.train_step(audio))
                self.step += 1
                failing = failing + 1 if window[-1].skipped else 0
                if failing >= DIVERGED_AFTER:
                    break
                self.elapsed += time.monotonic() - step_start
                now = time.monotonic()
                if bar is not None:
                    bar.update(task, completed=self.step)
                if now - last_log >= options.log_seconds:
                    self._log_window(window, (self.step - steps_at_log) / (now - last_log))
                    window, last_log, steps_at_log = [], now, self.step
                if self.board is not None and self.step % audio_every == 0:
                    self._log_audio()
            if window:
                rate = (self.step - steps_at_log) / max(1e-9, time.monotonic() - last_log)
                self._log_window(window, rate)
            self._validate_and_save()
        finally:
            if bar is not None:
                bar.stop()
            for s, handler in previous.items():
                signal.signal(s, handler)
            if self.board is not None:
                self.board.close()
        if failing >= DIVERGED_AFTER:
            raise TrainingDiverged(
                f"training diverged: the losses were not finite for the last {failing} steps "
                f"(to step {self.step}); {options.output} keeps the last finite weights. Lower "
                "--learning-rate, or resume from an earlier checkpoint")
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
        if self.board is not None:
            self.board.losses(self.step, means, self.optimizer.param_groups[0]["lr"])
        parts = "  ".join(f"{k} {v:.4f}" for k, v in means.items())
        self.log(f"step {self.step:>7}  {self.elapsed / 60:7.1f} min  {rate:5.2f} step/s  "
                 f"{parts}  beta {entry['beta']:.4f}" + (f"  skipped {skipped}" if skipped else ""))

    def _log_audio(self) -> None:
        """Held-out reconstructions for TensorBoard (rank 0, eval mode, seeded noise)."""
        assert self.board is not None
        self.model.eval()
        with torch.no_grad(), torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            output, _, _ = self.model(self.validation[:2])
        self.model.train()
        self.board.audio(self.step, self.validation[:2], output, self.model.config.sample_rate)

    def _validate_and_save(self) -> None:
        """Validation and the checkpoint: rank 0 validates and writes, every rank takes part
        in the save (``save``)."""
        if not self.ranks.is_main:
            self.save()
            return
        value = self.validate()
        if self.board is not None:
            self.board.validation(self.step, value)
        if self.history and self.history[-1]["step"] == self.step:
            self.history[-1]["validation_stft"] = value
        else:
            self.history.append({"step": float(self.step), "minutes": self.elapsed / 60,
                                 "validation_stft": value})
        self.save()
        self.log(f"step {self.step}: validation stft {value:.4f}; saved {self.options.output}")


def _quiet(line: str) -> None:
    """The log of ranks other than 0."""


def rank_means(values: torch.Tensor) -> list[float]:
    """``values`` averaged over the ranks (as they are in one process): the global batch's
    loss means, and flags that are > 0 when any rank raised them."""
    return (distributed.summed(values) / distributed.world_size()).tolist()


def train(options: TrainOptions, log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Build a Trainer and run it (joining and leaving torchrun's process group); the CLI's
    and tests' entry point."""
    def printer(line: str) -> None:
        print(line, flush=True)

    try:
        return Trainer(options, log or printer).run()
    finally:
        distributed.leave()

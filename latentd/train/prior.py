"""``latentd latent-stats`` and ``latentd train-prior``: a model's user latent units, and the
GRU prior (``latentd.models.prior``) fitted to its latents in those units.

Both start from the posterior means the model's own encoder gives for the dataset's clips, so
they describe the trajectories the decoder has learned to play. Encoding is the slow part and
is done once: the latents (and which frames are sounding) are cached (under
``$XDG_CACHE_HOME/latentd``) with a key from the model's weights and the dataset's manifest, so
a second run with other settings starts at once, and a changed model or dataset is never served
stale latents.

Order of operations. The latent stats (``latentd.models.latents``: per-dimension mean and std
of the train split's sounding frames) define the units the prior samples in, so they come
first. ``train-prior`` therefore settles them itself before training: it computes them when the
checkpoint has none, recomputes them when they were computed for other encoder weights (stale),
keeps them otherwise (so the units users know do not shift; ``--refresh-stats`` forces a
recomputation), and writes the prior and the stats it was trained in together in one atomic
write. ``latent-stats`` alone sets the units of a model without a prior; a prior already in the
file stays right, because priors record their units and are converted exactly on load.

Clips are short notes and phrases; the prior must keep playing. So each epoch concatenates the
training clips in a fresh random order into one stream and cuts it into windows: the prior also
learns how one sound fades and the next begins, and a long sampled sequence keeps moving. The
held-out split gives a test NLL per epoch, and the best epoch's weights are kept.
"""

from __future__ import annotations

import copy
import hashlib
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from latentd.models.checkpoint import load_model, update_checkpoint
from latentd.models.latents import LatentStats, convertible, encoder_digest, units_from
from latentd.models.prior import LatentPrior, gaussian_nll, prior_payload
from latentd.models.rave import RaveConfig, RaveModel
from latentd.train.device import resolve_device
from latentd.train.errors import DatasetError
from latentd.train.evaluate import encode_clip
from latentd.train.manifest import MANIFEST, read_manifest
from latentd.train.probe import LOUD_DB, sounding_frames, sweep_user_axes
from latentd.train.progress import Progress
from latentd.train.splits import read_split

CACHE_VERSION = 2  # 2: per-frame "sounding" masks beside the latents


@dataclass
class PriorOptions:
    model: Path
    data: Path
    output: Path
    max_minutes: float = 5.0
    epochs: int = 300
    threads: int = 2
    hidden_size: int = 256
    layers: int = 2
    sequence: int = 64  # frames per training window (about 1.5 s at 1024 samples a frame)
    batch_size: int = 32
    learning_rate: float = 2e-3
    seed: int = 0
    cache: Path | None = None  # a folder; None uses $XDG_CACHE_HOME/latentd
    use_cache: bool = True
    fidelity: float | None = None  # principal axes explaining this share (None: per dimension)
    audible_only: bool = False  # leave out principal axes the decoder does not follow
    refresh_stats: bool = False  # recompute the latent stats even when they are current
    device: str = "auto"  # --device: where the model encodes and the GRU trains


@dataclass
class StatsOptions:
    model: Path
    data: Path
    output: Path
    threads: int = 2
    cache: Path | None = None
    use_cache: bool = True
    device: str = "auto"  # --device: where the model encodes
    fidelity: float | None = None
    audible_only: bool = False


@dataclass
class Latents:
    """Posterior means per clip, (frames, latent) each, and which frames are sounding."""

    train: list[torch.Tensor]
    test: list[torch.Tensor]
    train_sounding: list[torch.Tensor]
    test_sounding: list[torch.Tensor]


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "latentd"


def latents_key(payload: dict[str, Any], data: Path) -> str:
    """What the cached latents depend on: the model's weights and config, and the manifest."""
    digest = hashlib.sha256(f"latents v{CACHE_VERSION}".encode())
    digest.update(repr(payload["config"]).encode())
    for name in sorted(payload["weights"]):
        digest.update(name.encode())
        digest.update(payload["weights"][name].float().numpy().tobytes())
    read_manifest(data)  # a missing or foreign manifest is reported as such
    digest.update((data / MANIFEST).read_bytes())
    return digest.hexdigest()[:20]


def encode_split(model: RaveModel, data: Path, split: str, log: Callable[[str], None]
                 ) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """Posterior means per clip and, per frame, whether it is sounding
    (``probe.sounding_frames``)."""
    clips = read_split(data, split, model.config.sample_rate)
    progress = Progress(len(clips), f"encoding {split}", every=100)
    latents, loud = [], []
    for clip in clips:
        z = encode_clip(model, clip.audio)
        latents.append(z)
        loud.append(sounding_frames(clip.audio, len(z), model.config.ratio))
        progress.advance()
    log(f"encoded {split}: {len(clips)} clips, {sum(len(z) for z in latents)} frames")
    return latents, loud


def dataset_latents(model: RaveModel, payload: dict[str, Any], data: Path,
                    log: Callable[[str], None], cache: Path | None = None,
                    use_cache: bool = True) -> Latents:
    """Train and test latents per clip; from the cache when it fits."""
    key = latents_key(payload, data)
    path = (cache or cache_dir()) / f"latents-{key}.pt"
    if use_cache and path.is_file():
        cached = torch.load(path, weights_only=True)
        if cached.get("key") == key:
            log(f"latents from cache {path}")
            return Latents(cached["train"], cached["test"], cached["train_sounding"],
                           cached["test_sounding"])
    train, train_sounding = encode_split(model, data, "train", log)
    test, test_sounding = encode_split(model, data, "test", log)
    if use_cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        torch.save({"key": key, "train": train, "test": test, "train_sounding": train_sounding,
                    "test_sounding": test_sounding}, temporary)
        temporary.replace(path)
    return Latents(train, test, train_sounding, test_sounding)


def fit_stats(latents: Latents, payload: dict[str, Any], data: Path,
              log: Callable[[str], None] | None = None,
              fidelity: float | None = None, audible_for: RaveModel | None = None
              ) -> LatentStats:
    """User units from the train split's sounding frames, tagged with the encoder they fit;
    with ``fidelity``, principal axes of the learned dimensions (``LatentStats.fit``), and
    with ``audible_for`` (the model) only the axes whose sweep it hears (``audible_axes``)."""
    frames = torch.cat([z[loud] for z, loud in zip(latents.train, latents.train_sounding,
                                                   strict=True)])
    if len(frames) < 2:
        raise DatasetError(f"{data}: the train split has no sounding frames to take latent "
                           "statistics from")
    total = sum(len(z) for z in latents.train)
    stats = LatentStats.fit(frames, {
        "data": str(data), "split": "train", "frames": len(frames), "of_frames": total,
        "selection": f"sounding: within {LOUD_DB:g} dB of the clip's loudest frame",
        "encoder": encoder_digest(payload["weights"], payload["config"])},
        fidelity=fidelity, measured=RaveConfig.from_dict(payload["config"]).measured_latents)
    if audible_for is not None and stats.basis is not None:
        stats = audible_axes(audible_for, stats, log)
    if log is not None:
        log(f"latent stats over {len(frames)} sounding of {total} train frames:\n"
            f"{stats.describe()}")
    return stats


def audible_axes(model: RaveModel, stats: LatentStats,
                 log: Callable[[str], None] | None = None) -> LatentStats:
    """``stats`` without the principal axes that the decoder barely follows.

    Variance ranks the axes by how much the encoder moves along them, not by how much the
    decoder listens: a small model trained as a VAE learns to ignore directions where its
    sampling noise drowned the posterior mean, so such an axis, kept, is a control that does
    nothing. Each axis is swept like ``latentd probe`` does (±3 user units from 0) and kept
    when the sound changes audibly (``Sweep.audible``). The measured dimensions always stay."""
    measured = int(stats.metadata.get("measured", 0))
    sweeps = sweep_user_axes(model.eval(), stats)[measured:]
    numbers = stats.axis_numbers
    heard = [n for n, s in zip(numbers, sweeps, strict=True) if s.audible]
    if not heard:
        raise DatasetError("the decoder follows none of the principal axes: nothing to keep")
    if log is not None and len(heard) < len(sweeps):
        dropped = [n for n in numbers if n not in heard]
        log(f"principal axes {dropped} left out: sweeping them changes the sound less than "
            "probe's audibility threshold")
    return stats.keep_axes(heard)


def stats_to_train_in(payload: dict[str, Any], latents: Latents, data: Path, refresh: bool,
                      log: Callable[[str], None], fidelity: float | None = None,
                      audible_for: RaveModel | None = None) -> LatentStats:
    """The units a prior trains in: the checkpoint's stats when they are current, otherwise
    (none, stale, or ``refresh``) fresh ones from ``data``."""
    stored = LatentStats.from_checkpoint(payload)
    current = encoder_digest(payload["weights"], payload["config"])
    if stored is not None and fidelity is not None \
            and (stored.metadata.get("fidelity") != fidelity
                 or ("axes" in stored.metadata) != (audible_for is not None)):
        refresh = True  # other units asked for
    if stored is not None and not refresh:
        if stored.encoder == current:
            log(f"latent units: the checkpoint's stats (from {stored.metadata.get('data')}, "
                f"{stored.metadata.get('frames')} frames)")
            return stored
        if stored.encoder is None:
            log("latent units: the checkpoint's stats (they name no encoder, so cannot be "
                "checked; --refresh-stats recomputes them)")
            return stored
        log("latent units: the checkpoint's stats were computed for other encoder weights "
            "(stale); recomputing them from the train split")
    else:
        log("latent units: " + ("recomputing" if stored is not None else "computing")
            + " stats from the train split")
    return fit_stats(latents, payload, data, log, fidelity, audible_for)


def write_latent_stats(options: StatsOptions, log: Callable[[str], None] = print
                       ) -> LatentStats:
    """``latentd latent-stats``: compute the user units and write them into a copy of the
    checkpoint (``output`` may be ``model``); every other slot, an attached prior included,
    is kept (the prior records its own units and is converted on load), unless the new units
    lie along other axes than the prior's: no conversion reaches those, so that prior is
    dropped with a note to retrain it, rather than written into a model that would not load."""
    torch.set_num_threads(max(1, options.threads))
    model, payload = load_model(options.model)
    model.to(resolve_device(options.device))
    latents = dataset_latents(model, payload, options.data, log, options.cache,
                              options.use_cache)
    previous = LatentStats.from_checkpoint(payload)
    stats = fit_stats(latents, payload, options.data, log, options.fidelity,
                      model if options.audible_only else None)
    if previous is not None and not previous.matches(stats, rtol=1e-4):
        log("note: this replaces the checkpoint's earlier latent stats, so saved latent values "
            "(presets, scripts) now mean other sounds")
    slots: dict[str, Any] = {"latent_stats": stats.to_payload()}
    prior = payload.get("prior")
    if prior is not None:
        prior_units = units_from((prior.get("metadata") or {}).get("latent_units"),
                                 int(prior["config"]["latent_size"]))
        if not convertible(prior_units, stats):
            slots["prior"] = None
            log("note: the attached prior samples along other latent axes than these stats; "
                "it is dropped: run `latentd train-prior` to train one in them")
    update_checkpoint(options.model, options.output, **slots)
    log(f"wrote {options.output}: latent stats for {stats.latent_size} dimensions")
    return stats


def training_windows(latents: list[torch.Tensor], sequence: int, generator: torch.Generator
                     ) -> torch.Tensor:
    """(count, sequence + 1, latent): the clips in a random order as one stream, cut from a
    random offset into non-overlapping windows (input = [:-1], target = [1:])."""
    order = torch.randperm(len(latents), generator=generator).tolist()
    stream = torch.cat([latents[i] for i in order])
    span = sequence + 1
    offset = int(torch.randint(0, sequence, (1,), generator=generator))
    count = (len(stream) - offset) // span
    if count < 1:
        raise DatasetError(f"only {len(stream)} latent frames: too few for windows of "
                           f"{span}; use a shorter --sequence")
    return stream[offset: offset + count * span].reshape(count, span, -1)


def mean_nll(prior: LatentPrior, batch: torch.Tensor) -> torch.Tensor:
    """Teacher-forced NLL per element (nats) of normalised windows."""
    mean, log_scale, _ = prior.predict(batch[:, :-1])
    return gaussian_nll(batch[:, 1:], mean, log_scale)


def train_prior(options: PriorOptions, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Settle the latent units, train in them, write the best prior and those units into a
    copy of the checkpoint at ``options.output``, and return the prior's metadata."""
    torch.set_num_threads(max(1, options.threads))
    torch.manual_seed(options.seed)
    device = resolve_device(options.device)
    model, payload = load_model(options.model)
    model.to(device)
    latents = dataset_latents(model, payload, options.data, log, options.cache,
                              options.use_cache)
    stats = stats_to_train_in(payload, latents, options.data, options.refresh_stats, log,
                              options.fidelity, model if options.audible_only else None)
    # every frame, silence included: the prior must also learn how a note ends and the next
    # begins; only the units come from the sounding frames
    train = [stats.normalise(z) for z in latents.train]
    test = [stats.normalise(z) for z in latents.test]
    frames = torch.cat(train)
    prior = LatentPrior(stats.latent_size, options.hidden_size, options.layers).to(device)
    prior.center.copy_(frames.mean(dim=0))
    prior.spread.copy_(frames.std(dim=0).clamp(min=1e-3))
    train = [prior.normalise(z) for z in train]
    normalised = torch.cat(train)
    prior.low.copy_(normalised.min(dim=0).values)
    prior.high.copy_(normalised.max(dim=0).values)
    generator = torch.Generator().manual_seed(options.seed)
    test_windows = training_windows([prior.normalise(z) for z in test], options.sequence,
                                    generator).to(device)
    optimizer = torch.optim.Adam(prior.parameters(), options.learning_rate)
    log(f"prior: GRU {options.layers}x{options.hidden_size} on {len(frames)} frames "
        f"({len(train)} clips), {len(test_windows)} test windows of {options.sequence}; "
        f"NLL in nats per dimension (a static unit Gaussian scores 0.500)")
    start, best, best_state, best_epoch, epoch = time.monotonic(), math.inf, None, 0, 0
    deadline = start + options.max_minutes * 60
    train_loss = math.nan
    while epoch < options.epochs and time.monotonic() < deadline:
        epoch += 1
        prior.train()
        batches = training_windows(train, options.sequence, generator).split(options.batch_size)
        total = 0.0
        for batch in batches:
            loss = mean_nll(prior, batch.to(device, non_blocking=True))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(prior.parameters(), 1.0)
            optimizer.step()
            total += float(loss.detach()) * len(batch)
        train_loss = total / sum(len(b) for b in batches)
        prior.eval()
        with torch.no_grad():
            test_loss = float(mean_nll(prior, test_windows))
        if test_loss < best:
            best, best_state, best_epoch = test_loss, copy.deepcopy(prior.state_dict()), epoch
        log(f"epoch {epoch}: train nll {train_loss:.3f}, test nll {test_loss:.3f}"
            f"{' (best)' if best_epoch == epoch else ''}, {time.monotonic() - start:.0f} s")
    if best_state is None:
        raise DatasetError("no epoch finished: raise --max-minutes")
    prior.load_state_dict(best_state)
    prior.cpu()  # checkpoints load on any machine
    metadata = {"epochs": epoch, "best_epoch": best_epoch, "test_nll": round(best, 4),
                "train_nll": round(train_loss, 4), "frames": len(frames),
                "seconds": round(time.monotonic() - start, 1), "sequence": options.sequence,
                "data": str(options.data), "seed": options.seed}
    update_checkpoint(options.model, options.output,
                      prior=prior_payload(prior, metadata, units=stats),
                      latent_stats=stats.to_payload())
    log(f"wrote {options.output}: prior from epoch {best_epoch} (test nll {best:.3f}), in the "
        "latent units of its stats")
    return metadata


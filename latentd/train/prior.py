"""``latentd train-prior``: fit the GRU prior (``latentd.models.prior``) to a model's latents.

The training data are the posterior means the model's own encoder gives for the dataset's
clips, so the prior learns the trajectories the decoder has learned to play. Encoding is the
slow part and is done once: the latents are cached (under ``$XDG_CACHE_HOME/latentd``) with a
key from the model's weights and the dataset's manifest, so a second run with other settings
starts training at once, and a changed model or dataset is never served stale latents.

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

from latentd.models.checkpoint import attach_prior, load_model
from latentd.models.prior import LatentPrior, gaussian_nll, prior_payload
from latentd.models.rave import RaveModel
from latentd.train.audio import DatasetError
from latentd.train.data import load_split
from latentd.train.evaluate import encode_clip
from latentd.train.manifest import MANIFEST, read_manifest
from latentd.train.progress import Progress


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


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "latentd"


def latents_key(payload: dict[str, Any], data: Path) -> str:
    """What the cached latents depend on: the model's weights and config, and the manifest."""
    digest = hashlib.sha256()
    digest.update(repr(payload["config"]).encode())
    for name in sorted(payload["weights"]):
        digest.update(name.encode())
        digest.update(payload["weights"][name].float().numpy().tobytes())
    read_manifest(data)  # a missing or foreign manifest is reported as such
    digest.update((data / MANIFEST).read_bytes())
    return digest.hexdigest()[:20]


def encode_split(model: RaveModel, data: Path, split: str, log: Callable[[str], None]
                 ) -> list[torch.Tensor]:
    clips = load_split(data, split, model.config.sample_rate)
    progress = Progress(len(clips), f"encoding {split}", every=100)
    latents = []
    for clip in clips:
        latents.append(encode_clip(model, clip.numpy()))
        progress.advance()
    log(f"encoded {split}: {len(clips)} clips, {sum(len(z) for z in latents)} frames")
    return latents


def dataset_latents(model: RaveModel, payload: dict[str, Any], options: PriorOptions,
                    log: Callable[[str], None]) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    """(train, test) latents per clip, (frames, latent) each; from the cache when it fits."""
    key = latents_key(payload, options.data)
    path = (options.cache or cache_dir()) / f"latents-{key}.pt"
    if options.use_cache and path.is_file():
        cached = torch.load(path, weights_only=True)
        if cached.get("key") == key:
            log(f"latents from cache {path}")
            return cached["train"], cached["test"]
    train = encode_split(model, options.data, "train", log)
    test = encode_split(model, options.data, "test", log)
    if options.use_cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        torch.save({"key": key, "train": train, "test": test}, temporary)
        temporary.replace(path)
    return train, test


def windows(latents: list[torch.Tensor], sequence: int, generator: torch.Generator
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


def nll(prior: LatentPrior, batch: torch.Tensor) -> torch.Tensor:
    """Teacher-forced NLL per element (nats) of normalised windows."""
    mean, log_scale, _ = prior.predict(batch[:, :-1])
    return gaussian_nll(batch[:, 1:], mean, log_scale)


def train_prior(options: PriorOptions, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Train, attach the best prior to a copy of the checkpoint at ``options.output``, and
    return its metadata."""
    torch.set_num_threads(max(1, options.threads))
    torch.manual_seed(options.seed)
    model, payload = load_model(options.model)
    train, test = dataset_latents(model, payload, options, log)
    frames = torch.cat(train)
    prior = LatentPrior(model.config.latent_size, options.hidden_size, options.layers)
    prior.center.copy_(frames.mean(dim=0))
    prior.spread.copy_(frames.std(dim=0).clamp(min=1e-3))
    train = [prior.normalise(z) for z in train]
    normalised = torch.cat(train)
    prior.low.copy_(normalised.min(dim=0).values)
    prior.high.copy_(normalised.max(dim=0).values)
    generator = torch.Generator().manual_seed(options.seed)
    test_windows = windows([prior.normalise(z) for z in test], options.sequence, generator)
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
        batches = windows(train, options.sequence, generator).split(options.batch_size)
        total = 0.0
        for batch in batches:
            loss = nll(prior, batch)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(prior.parameters(), 1.0)
            optimizer.step()
            total += float(loss.detach()) * len(batch)
        train_loss = total / sum(len(b) for b in batches)
        prior.eval()
        with torch.no_grad():
            test_loss = float(nll(prior, test_windows))
        if test_loss < best:
            best, best_state, best_epoch = test_loss, copy.deepcopy(prior.state_dict()), epoch
        log(f"epoch {epoch}: train nll {train_loss:.3f}, test nll {test_loss:.3f}"
            f"{' (best)' if best_epoch == epoch else ''}, {time.monotonic() - start:.0f} s")
    if best_state is None:
        raise DatasetError("no epoch finished: raise --max-minutes")
    prior.load_state_dict(best_state)
    metadata = {"epochs": epoch, "best_epoch": best_epoch, "test_nll": round(best, 4),
                "train_nll": round(train_loss, 4), "frames": len(frames),
                "seconds": round(time.monotonic() - start, 1), "sequence": options.sequence,
                "data": str(options.data), "seed": options.seed}
    attach_prior(options.model, options.output, prior_payload(prior, metadata))
    log(f"wrote {options.output}: prior from epoch {best_epoch} (test nll {best:.3f})")
    return metadata


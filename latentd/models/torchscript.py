"""nn~-compatible TorchScript files (RAVE ``export --streaming``, nn_tilde modules).

Such a file already streams: its convs keep caches inside, so it is called block after block.
A method ``M`` is usable when the module has a buffer ``M_params`` = [in_channels, in_ratio,
out_channels, out_ratio]. nn_tilde also registers ``<attribute>_params`` buffers for attributes,
so attributes are told apart through ``get_attributes()``.

Voices (issue 20) decode as one batch. RAVE's cached convs keep their caches in buffers of 64
rows (``pad``, ``cache``) and use the first ``batch`` of them, so row ``i`` always continues row
``i``'s stream, and rows beyond the batch keep whatever they last held. The file saves those
rows as its export's test calls left them: rows 0-3 warmed differently, the rest zero. So at
load every row is given row 0's saved state, the state a lone voice starts from; and when every
buffer with that row count is such a cache, ``regroup`` rearranges their rows (a new row takes
row 0's saved state). Otherwise ``regroup`` says False and the engine keeps the batch at its
maximum. Exports made with caches of one row (old cached_conv) cannot change their batch at
all: found at load by a decode of two rows, told in the log and ``latentd info``, and such an
export then decodes each voice through its own instance of the file, one call per voice.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Sequence
from pathlib import Path

import torch

from latentd.models.synth import Attributes, ModelError, Synth

log = logging.getLogger(__name__)
CACHE_NAMES = ("pad", "cache")  # cached_conv's per-row state buffers
NOT_PER_ROW = ("running_mean", "running_var")  # batch norm: per channel, whatever its count


def saved_buffers(module: torch.jit.ScriptModule) -> dict[str, torch.Tensor]:
    """A copy of every buffer of ``module`` (its streaming caches among them), for
    ``restore_buffers`` after calls that must leave the stream as it was."""
    return {name: b.clone() for name, b in module.named_buffers()}


def restore_buffers(module: torch.jit.ScriptModule, saved: dict[str, torch.Tensor]) -> bool:
    """Put ``saved`` back; False when that could not be done (a call replaced or added
    buffers), and the caller must load the file again to get the state it saved."""
    try:
        for name, value in saved.items():
            *path, leaf = name.split(".")
            owner = module
            for step in path:  # ScriptModules have no get_submodule
                owner = getattr(owner, step)
            setattr(owner, leaf, value)
        return {name for name, _ in module.named_buffers()} == set(saved)
    except Exception:
        return False


def is_torchscript_archive(path: str | Path) -> bool:
    """TorchScript archives carry compiled ``code/``; plain ``torch.save`` archives do not."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any("/code/" in name for name in archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


def _call_list(module: torch.jit.ScriptModule, method: str) -> list[str] | None:
    if not hasattr(module, method):
        return None
    try:
        return [str(name) for name in getattr(module, method)()]
    except Exception:
        return None


class TorchScriptAttributes(Attributes):
    """``instances``: every instance of the file that plays a voice (more than ``module``
    when the export cannot batch); a set reaches them all."""

    def __init__(self, module: torch.jit.ScriptModule, names: list[str],
                 instances: Sequence[torch.jit.ScriptModule] = ()):
        self._module = module
        self._names = names
        self._instances = instances

    @property
    def names(self) -> list[str]:
        return list(self._names)

    def _check(self, name: str) -> None:
        if name not in self._names:
            raise KeyError(f"unknown attribute '{name}' (the model has: {self._names})")

    def get(self, name: str) -> tuple[object, ...]:
        self._check(name)
        value = getattr(self._module, f"get_{name}")()
        return tuple(value) if isinstance(value, (list, tuple)) else (value,)

    def set(self, name: str, values: Sequence[object]) -> None:
        self._check(name)
        setter = getattr(self._module, f"set_{name}")
        values = _as_declared(name, setter, values)
        try:
            setter(*values)
        except RuntimeError as exc:  # TorchScript reports wrong types/arity as RuntimeError
            raise ValueError(f"set_{name}{tuple(values)}: {str(exc).splitlines()[0]}") from exc
        for other in self._instances:
            if other is not self._module:
                getattr(other, f"set_{name}")(*values)

    def copy_to(self, module: torch.jit.ScriptModule) -> None:
        """Give another instance of the file this one's attribute values."""
        for name in self._names:
            getattr(module, f"set_{name}")(*self.get(name))


def _as_declared(name: str, setter: object, values: Sequence[object]) -> list[object]:
    """Numbers fitted to the setter's declared argument types, as the OSC controls are: a
    ``bool`` takes 0 or 1 (TorchScript itself turns 0.5 or 2 into True without a word, where
    ``/mute 0.5`` is refused), an ``int`` a whole number (Pd sends 1 as 1.0). Raises ValueError
    naming the argument; what it cannot judge it passes on for TorchScript to check."""
    try:
        kinds = [str(argument.type) for argument in setter.schema.arguments[1:]]  # type: ignore[attr-defined]
    except AttributeError:
        return list(values)
    fitted: list[object] = []
    for position, value in enumerate(values, 1):
        kind = kinds[position - 1] if position <= len(kinds) else None
        if isinstance(value, (int, float)) and kind in ("bool", "int"):
            if value != int(value):
                raise ValueError(f"set_{name}: argument {position} must be a whole number, "
                                 f"got {value:g}")
            if kind == "bool" and value not in (0, 1):
                raise ValueError(f"set_{name}: argument {position} is a bool: send 0 or 1, "
                                 f"got {value:g}")
            value = bool(value) if kind == "bool" else int(value)
        fitted.append(value)
    return fitted


class TorchScriptSynth(Synth):
    """A synth over an nn~ TorchScript file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = self.path.stem
        self.module = self._load()
        # nn_tilde lists a placeholder "none" with no accessors: keep only real attributes
        attribute_names = [a for a in _call_list(self.module, "get_attributes") or []
                           if hasattr(self.module, f"get_{a}") and hasattr(self.module, f"set_{a}")]
        declared = _call_list(self.module, "get_methods")
        buffers = dict(self.module.named_buffers())
        candidates = declared if declared is not None else [
            name[: -len("_params")] for name in buffers
            if name.endswith("_params") and "." not in name
        ]
        self.methods = [m for m in candidates
                        if m not in attribute_names and f"{m}_params" in buffers
                        and hasattr(self.module, m)]
        self.params = {m: [int(v) for v in buffers[f"{m}_params"].tolist()] for m in self.methods}
        if "decode" not in self.methods:
            raise ModelError(f"{self.path}: no usable 'decode' method (a method needs a "
                             f"'<name>_params' buffer); the model has: {self.methods or 'none'}")
        latent, in_ratio, channels, out_ratio = self.params["decode"]
        self.latent_size, self.channels = latent, channels
        self.ratio = in_ratio // max(out_ratio, 1)
        self.sample_rate = self._sample_rate()
        # RAVE exports do not state their latency (their caches hide it); latentd's own do
        latency = getattr(self.module, "latency", 0)
        self.latency = latency if isinstance(latency, int) else 0
        self.batches = self._can_batch()
        self._batch = 0  # rows of the last decode
        self._caches, self._fresh = self._row_caches()
        # one instance per voice when the export cannot batch; [0] is self.module
        self._instances: list[torch.jit.ScriptModule] = [self.module]
        # RAVE exports play through a rebuilt model when latentd recognises them (issue 21)
        from latentd.models.rave_rebuild.fast_path import RoutedAttributes, choose
        self.route = choose(self.name, self.module, self.latent_size)
        self.latency = self.latency if self.route.latency is None else self.route.latency
        self.attributes: TorchScriptAttributes = RoutedAttributes(
            self.module, attribute_names, self._instances, route=self.route)
        if not self.batches:
            log.warning("%s: this export cannot change its batch size (its caches hold one "
                        "row); voices decode through one instance of it each, one call per "
                        "voice", self.path)

    def _can_batch(self) -> bool:
        """Whether a decode of two rows works. The module's buffers (its caches) are put back
        afterwards, so the first real block starts where a fresh load starts; the file is
        loaded again only when they cannot be. Not a copy or a second load by default: both
        run the export's ``__setstate__``, which holds the interpreter lock for as long as it
        takes and so stalls every other thread (a shutdown's deadline included)."""
        saved = saved_buffers(self.module)
        try:
            with torch.inference_mode():
                out = self.module.decode(torch.zeros(2, self.latent_size, 1))
            able = isinstance(out, torch.Tensor) and out.dim() == 3 and out.shape[0] == 2
        except Exception:
            able = False
        changed = not restore_buffers(self.module, saved)
        if changed:
            self.module = self._load()
        return able

    def _row_caches(self) -> tuple[list[str], list[torch.Tensor]]:
        """The names of the export's per-row caches, every row set to row 0's saved state,
        and a copy of that state; none when other non-empty buffers (batch norm statistics
        aside) have the same row count: state that cannot be told from weights (``regroup``
        then says False, and the rows stay as saved)."""
        if not self.batches:
            return [], []
        buffers = dict(self.module.named_buffers())
        caches = {name: b for name, b in buffers.items()
                  if name.rsplit(".", 1)[-1] in CACHE_NAMES and b.dim() >= 1}
        counts = {b.shape[0] for b in caches.values()}
        if len(counts) != 1:
            return [], []
        rows = counts.pop()
        if rows < 2 or any(b.numel() and b.shape[0] == rows and name not in caches
                           and name.rsplit(".", 1)[-1] not in NOT_PER_ROW
                           for name, b in buffers.items() if b.dim() >= 1):
            return [], []
        with torch.no_grad():
            for cache in caches.values():
                cache[1:].copy_(cache[:1].expand_as(cache[1:]))
        return list(caches), [cache[0].clone() for cache in caches.values()]

    def regroup(self, rows: Sequence[int | None]) -> bool:
        """Rows of cached_conv's caches rearranged in place; a new row takes the saved state
        a lone voice starts from. False for exports with other per-row state."""
        if self.route.rebuilt is not None:  # the rebuilt model's own streams (issue 21)
            return self.route.rebuilt.regroup([-1 if r is None else int(r) for r in rows])
        if not self._caches:
            return False
        # looked up again: an export's forward may put a new tensor in a buffer's place
        buffers = dict(self.module.named_buffers())
        caches = [buffers[name] for name in self._caches]
        limit = caches[0].shape[0]
        if not rows or len(rows) > limit or any(
                row is not None and not 0 <= row < self._batch for row in rows):
            raise ValueError(f"model '{self.name}': cannot regroup {list(rows)}: rows must be "
                             f"among the {self._batch} decoded last (or None for a new one), "
                             f"1 to {limit} of them")
        index = torch.tensor([0 if row is None else row for row in rows])
        with torch.no_grad():
            for cache, fresh in zip(caches, self._fresh, strict=True):
                moved = cache.index_select(0, index)
                for i, row in enumerate(rows):
                    if row is None:
                        moved[i].copy_(fresh)
                cache[: len(rows)].copy_(moved)
        self._batch = len(rows)
        return True

    def describe(self) -> dict[str, object]:
        if not self.batches:
            voices = ("one call per voice (this export cannot change its batch size: one "
                      "instance of it per voice)")
        elif self._caches:
            voices = "one batched call (rows kept per voice, regrouped as voices come and go)"
        else:
            voices = "one batched call (rows kept per voice, batch kept at the maximum)"
        return {**super().describe(), "voices": voices}

    def _load(self) -> torch.jit.ScriptModule:
        if not self.path.is_file():
            raise ModelError(f"{self.path}: no such file")
        try:
            module = torch.jit.load(str(self.path), map_location="cpu")
        except Exception as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(f"{self.path}: not a TorchScript model ({first})") from exc
        return module.eval()

    def _sample_rate(self) -> int:
        for read in (lambda m: m.sr, lambda m: m.get_sample_rate(), lambda m: m.sampling_rate):
            try:
                value = read(self.module)
            except Exception:
                continue
            if isinstance(value, torch.Tensor):
                value = value.flatten()[0].item()
            if isinstance(value, (int, float)) and value > 0:
                return int(value)
        raise ModelError(f"{self.path}: no sample rate found (looked for the 'sr' attribute, "
                         "get_sample_rate() and the 'sampling_rate' buffer)")

    def _check(self, method: str, x: torch.Tensor) -> None:
        in_channels = self.params[method][0]
        if x.dim() != 3 or x.shape[1] != in_channels:
            raise ModelError(f"{self.name}.{method} takes (batch, {in_channels}, time), "
                             f"got {tuple(x.shape)}")

    def _run(self, method: str, x: torch.Tensor) -> torch.Tensor:
        self._check(method, x)
        with torch.inference_mode():
            rebuilt = self.route.rebuilt
            if rebuilt is not None and method in ("decode", "encode", "forward"):
                return getattr(rebuilt, method)(x)
            return getattr(self.module, method)(x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        if self.batches or z.dim() != 3 or z.shape[0] <= 1:
            out = self._run("decode", z)
            self._batch = z.shape[0]
            return out
        while len(self._instances) < z.shape[0]:  # warm_up(batch) loads them before playing
            instance = self._load()
            self.attributes.copy_to(instance)
            self._instances.append(instance)
        self._check("decode", z)
        with torch.inference_mode():
            return torch.cat([instance.decode(z[i : i + 1])
                              for i, instance in enumerate(self._instances[: z.shape[0]])])

    def encode(self, audio: torch.Tensor) -> torch.Tensor:
        if "encode" not in self.methods:
            return super().encode(audio)
        return self._run("encode", audio)

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        return self._run("forward", audio)

    def prior(self, frames: int, temperature: float = 1.0, batch: int = 1) -> torch.Tensor:
        """RAVE's ``prior`` takes a temperature signal at the latent rate, one value a frame."""
        if "prior" not in self.methods:
            return super().prior(frames, temperature, batch)
        return self._run("prior", torch.full((batch, 1, frames), float(temperature)))

    def warm_up(self, frames: int, batch: int = 1) -> None:
        """Warm the loaded module itself: a reset would reload it cold. Zero latents leave the
        caches close to a fresh start."""
        for _ in range(3):
            self.decode(torch.zeros(batch, self.latent_size, frames))

    def reset(self) -> None:
        """Exports keep their caches private and have no reset, so the file is loaded again."""
        if self.route.rebuilt is not None:
            self.route.rebuilt.reset()
            return
        self.module = self._load()
        self._instances[:] = [self.module] + [self._load() for _ in self._instances[1:]]
        self._batch = 0
        self._caches, self._fresh = self._row_caches()
        self.attributes = TorchScriptAttributes(self.module, self.attributes.names,
                                                self._instances)

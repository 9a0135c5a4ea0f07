"""Tiny TorchScript stand-ins for RAVE exports, with the interface nn~ sees.

Real RAVE exports cannot be downloaded in tests, so these builders script small modules that
copy the *interface* of the files RAVE's own export scripts write (method names and signatures,
``<method>_params`` buffers, labels, nn_tilde attributes, sample-rate fields, streaming caches),
with a few seeded fixed-weight convolutions in place of the trained networks.

Sources read for the interface (acids-ircam/RAVE, acids-ircam/nn_tilde, acids-ircam/cached_conv):

* v1 (``export_rave.py``, RAVE 1.x): a plain ``nn.Module`` (no nn_tilde). Buffers
  ``encode_params`` = [1, 1, cropped_latent, ratio], ``decode_params`` = [cropped_latent, ratio,
  1 (2 if stereo), 1], ``forward_params`` = [1, 1, 1 (2), 1], ``sampling_rate`` (0-d int64),
  ``latent_size`` (0-d, the full latent size), ``max_batch_size`` (0-d), ``latent_pca``,
  ``latent_mean``. Methods ``encode``, ``encode_amortized`` (returns (mean, std), no params),
  ``decode``, ``forward``. No ``get_methods``/``get_attributes``, no labels, no ``sr``: nn~ then
  falls back to "every method that has a ``<name>_params`` attribute".
* v1 prior (``export_prior.py``): a separate file, ``forward(temp)`` with ``forward_params`` =
  [1, ratio, latent, ratio] and a ``previous_step`` buffer; no sample rate at all.
* v2 (``scripts/export.py`` on nn_tilde's ``Module``): ``encode``, ``decode(z,
  from_forward=False)`` and ``forward`` registered with params [ch, 1, latent, ratio],
  [latent, ratio, ch, 1], [ch, 1, ch, 1]; ``prior`` ([1, ratio, latent, ratio]) registered only
  when exported with a prior (the ``prior`` method exists anyway and returns
  ``torch.tensor(0)``). ``get_methods()``, ``get_attributes()`` (nn_tilde 1.5 starts that list
  with the placeholder ``"none"``, which has no getter/setter), attributes ``learn_target``,
  ``reset_target``, ``learn_source``, ``reset_source``: each a ``(bool,)`` tuple, a
  ``get_<name>() -> bool``, a ``set_<name>(bool) -> int`` (0 = ok) and a float
  ``<name>_params`` buffer holding the type hash ([0.] = bool). ``<method>_input_labels`` /
  ``<method>_output_labels`` string lists. The sample rate is the plain int attribute ``sr``
  (there is no ``get_sample_rate``). ``set_stereo_mode(stereo: Tensor)`` is exported but is no
  nn~ attribute.
* Streaming (cached_conv): each conv keeps its past in a buffer of shape (MAX_BATCH_SIZE=64,
  channels, pad) and uses ``cache[:batch]``, so any batch up to 64 works and batch row ``i``
  always continues row ``i``'s stream. nn_tilde's ``register_method`` test-calls every method
  with zeros (batch 1, then batch 4) before saving, so saved caches are warm, not zero.

Differences from real exports (on purpose, for testable exactness): no PQMF, no noise (v2
variational exports pad latents with ``randn``, v1 exports sample the posterior unless exported
``DETERMINISTIC``; here both paths are deterministic), and the prior reads temperature per frame
(the real one averages it over the call).

The decoder adds a 220 Hz tone, so zero latents decode to audible sound, as with trained models.
"""

import math
import pickle
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

MAX_BATCH_SIZE = 64  # cached_conv.MAX_BATCH_SIZE
NN_TILDE_TEST_BUFFER = 8192  # nn_tilde.Module.register_method(test_buffer_size=...)
V2_ATTRIBUTES = ("learn_target", "reset_target", "learn_source", "reset_source")
TYPE_HASH_BOOL = 0.0  # nn_tilde TYPE_HASH {bool: 0, int: 1, float: 2, str: 3, Tensor: 4}
TONE_HZ = 220.0


def _seeded(generator: torch.Generator, *shape: int, fan_in: int, gain: float = 1.0):
    return torch.randn(*shape, generator=generator) * (gain / math.sqrt(fan_in))


def _save(module: nn.Module, path: "str | Path") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.jit.script(module.eval()).save(str(path))
    return path


# --------------------------------------------------------------------------- streaming layers


class _CachedStridedEncoder(nn.Module):
    """Strided conv (kernel 2*ratio, stride ratio) whose left context is the previous call's tail.

    Frames are computed one at a time with same-shaped ops, so encoding blocks whose lengths are
    multiples of ``ratio`` gives bit-for-bit the frames one call on the whole signal gives.
    """

    ratio: int
    streaming: bool

    def __init__(self, in_channels: int, out_channels: int, ratio: int,
                 generator: torch.Generator, max_batch_size: int, streaming: bool):
        super().__init__()
        self.ratio = ratio
        self.streaming = streaming
        self.register_buffer("weight", _seeded(generator, out_channels, in_channels, 2 * ratio,
                                               fan_in=in_channels * 2 * ratio, gain=4.0))
        self.register_buffer("bias", _seeded(generator, out_channels, fan_in=4))
        self.register_buffer("cache", torch.zeros(max_batch_size, in_channels, ratio))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, r = x.shape[0], self.ratio
        if self.streaming:
            past = self.cache[:b]
        else:
            past = torch.zeros(b, x.shape[1], r, dtype=x.dtype, device=x.device)
        joined = torch.cat([past, x], -1)
        if self.streaming:
            self.cache[:b].copy_(joined[..., joined.shape[-1] - r:])
        frames: list[torch.Tensor] = []
        for t in range(x.shape[-1] // r):
            window = joined[..., t * r: t * r + 2 * r].contiguous()
            frames.append(F.conv1d(window, self.weight, self.bias))
        if len(frames) == 0:
            return torch.zeros(b, self.weight.shape[0], 0, dtype=x.dtype, device=x.device)
        return torch.cat(frames, -1)


class _CachedDecoder(nn.Module):
    """Causal latent conv (kernel 3) -> tanh -> transposed conv (x ratio, overlap-add cached).

    A 220 Hz tone indexed by each batch row's absolute sample count is mixed in before the final
    ``0.5 * tanh``. Frames are computed one at a time with same-shaped ops, so decoding block by
    block gives bit-for-bit what one call gives.
    """

    ratio: int
    streaming: bool
    tone_step: float
    tone_gain: float

    def __init__(self, latent_size: int, out_channels: int, ratio: int, sample_rate: int,
                 generator: torch.Generator, max_batch_size: int, streaming: bool,
                 hidden: int = 8, tone_gain: float = 0.25):
        super().__init__()
        self.ratio = ratio
        self.streaming = streaming
        self.tone_step = 2.0 * math.pi * TONE_HZ / sample_rate  # radians per sample
        self.tone_gain = tone_gain
        self.register_buffer("w_in", _seeded(generator, hidden, latent_size, 3,
                                             fan_in=latent_size * 3, gain=1.5))
        self.register_buffer("b_in", _seeded(generator, hidden, fan_in=4))
        self.register_buffer("w_up", _seeded(generator, hidden, out_channels, 2 * ratio,
                                             fan_in=hidden * 2, gain=1.0))
        self.register_buffer("latent_cache", torch.zeros(max_batch_size, latent_size, 2))
        self.register_buffer("overlap_cache", torch.zeros(max_batch_size, out_channels, ratio))
        self.register_buffer("sample_index", torch.zeros(max_batch_size, dtype=torch.long))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        b, n_frames, r = z.shape[0], z.shape[-1], self.ratio
        channels = self.w_up.shape[1]
        if self.streaming:
            past = self.latent_cache[:b]
            tail = self.overlap_cache[:b].clone()
            start = self.sample_index[:b].clone()
        else:
            past = torch.zeros(b, z.shape[1], 2, dtype=z.dtype, device=z.device)
            tail = torch.zeros(b, channels, r, dtype=z.dtype, device=z.device)
            start = torch.zeros(b, dtype=torch.long, device=z.device)
        joined = torch.cat([past, z], -1)
        offsets = torch.arange(r, device=z.device).unsqueeze(0)
        frames: list[torch.Tensor] = []
        for t in range(n_frames):
            h = torch.tanh(F.conv1d(joined[..., t: t + 3].contiguous(), self.w_in, self.b_in))
            grain = F.conv_transpose1d(h, self.w_up, None, stride=r)  # (b, channels, 2 * r)
            y = grain[..., :r] + tail
            tail = grain[..., r:]
            index = (start + t * r).unsqueeze(-1) + offsets
            tone = torch.sin(index.double() * self.tone_step).to(y.dtype).unsqueeze(1)
            frames.append(0.5 * torch.tanh(y + self.tone_gain * tone))
        if self.streaming:
            self.latent_cache[:b].copy_(joined[..., joined.shape[-1] - 2:])
            self.overlap_cache[:b].copy_(tail)
            self.sample_index[:b] += n_frames * r
        if len(frames) == 0:
            return torch.zeros(b, channels, 0, dtype=z.dtype, device=z.device)
        return torch.cat(frames, -1)


class _FixturePrior(nn.Module):
    """Stateful AR(1) walk in latent space, driven by a deterministic per-row step counter.

    Input: temperature signal (batch, 1, frames); output (batch, latent_size, frames).
    """

    latent_size: int

    def __init__(self, latent_size: int, max_batch_size: int):
        super().__init__()
        self.latent_size = latent_size
        self.register_buffer("previous_step", torch.zeros(max_batch_size, latent_size))
        self.register_buffer("step", torch.zeros(max_batch_size, dtype=torch.long))
        self.register_buffer("phases", torch.arange(latent_size).double() * 0.618 + 0.1)

    def forward(self, temp: torch.Tensor) -> torch.Tensor:
        b, n_frames = temp.shape[0], temp.shape[-1]
        out = torch.zeros(b, self.latent_size, n_frames, dtype=temp.dtype, device=temp.device)
        previous = self.previous_step[:b].clone()
        step = self.step[:b].clone()
        for i in range(n_frames):
            # RAVE's prior: softplus(temp) / log(2), there averaged over the call
            scale = F.softplus(temp[:, :, i].contiguous()) / math.log(2.0)  # (b, 1)
            angle = (step + 1).double().unsqueeze(-1) * (self.phases + 0.37) * 1.7
            previous = 0.95 * previous + 0.3 * scale * torch.sin(angle).to(temp.dtype)
            out[:, :, i] = previous
            step = step + 1
        self.previous_step[:b].copy_(previous)
        self.step[:b].copy_(step)
        return out


class _DumbPrior(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


# --------------------------------------------------------------------------- v2


class _RaveV2Export(nn.Module):
    """The surface of ``scripts/export.py``'s ScriptedRAVE (nn_tilde.Module) after scripting."""

    sr: int
    n_channels: int
    target_channels: int
    full_latent_size: int
    latent_size: int
    stereo_mode: bool
    is_using_adain: bool
    input_mode: str
    output_mode: str
    _has_prior: bool
    _methods: list[str]
    _attributes: list[str]

    def __init__(self, latent_size: int, ratio: int, sample_rate: int, channels: int,
                 full_latent_size: int, with_prior: bool, streaming: bool,
                 max_batch_size: int, none_attribute: bool, warm_up: bool, seed: int):
        super().__init__()
        generator = torch.Generator().manual_seed(seed)
        self.sr = sample_rate
        self.n_channels = channels
        self.target_channels = channels
        self.full_latent_size = full_latent_size
        self.latent_size = latent_size
        self.stereo_mode = False
        self.is_using_adain = False
        self.input_mode = "pqmf"
        self.output_mode = "pqmf"
        self._methods = []
        self._attributes = ["none"] if none_attribute else []

        for name in V2_ATTRIBUTES:  # nn_tilde register_attribute(name, False)
            setattr(self, name, (False,))
            self.register_buffer(f"{name}_params", torch.Tensor([TYPE_HASH_BOOL]))
            self._attributes.append(name)

        self.register_buffer("latent_pca", torch.eye(full_latent_size))
        self.register_buffer("latent_mean", torch.zeros(full_latent_size))
        variance = torch.linspace(1.0, 0.1, full_latent_size)
        self.register_buffer("fidelity", torch.cumsum(variance, 0) / variance.sum())

        self.encoder = _CachedStridedEncoder(channels, full_latent_size, ratio, generator,
                                             max_batch_size, streaming)
        self.decoder = _CachedDecoder(full_latent_size, channels, ratio, sample_rate, generator,
                                      max_batch_size, streaming)
        self._has_prior = with_prior
        self.prior_module = _FixturePrior(latent_size, max_batch_size) if with_prior \
            else _DumbPrior()

        audio = [f"(signal) Channel {c}" for c in range(1, channels + 1)]
        latents = [f"(signal) Latent dimension {i + 1}" for i in range(latent_size)]
        self._register("encode", channels, 1, latent_size, ratio, audio, latents, warm_up)
        self._register("decode", latent_size, ratio, channels, 1, latents, audio, warm_up)
        self._register("forward", channels, 1, channels, 1, audio, audio, warm_up)
        if with_prior:
            self._register("prior", 1, ratio, latent_size, ratio,
                           ["(signal) model input 0"],
                           [f"(signal) model output {i}" for i in range(latent_size)], warm_up)

    def _register(self, name: str, in_channels: int, in_ratio: int, out_channels: int,
                  out_ratio: int, input_labels: list, output_labels: list, warm_up: bool):
        """As nn_tilde.Module.register_method: params buffer, labels, test calls, listing."""
        self.register_buffer(f"{name}_params",
                             torch.tensor([in_channels, in_ratio, out_channels, out_ratio]))
        setattr(self, f"{name}_input_labels", list(input_labels))
        setattr(self, f"{name}_output_labels", list(output_labels))
        if warm_up:
            with torch.no_grad():
                for batch in (1, 4):
                    x = torch.zeros(batch, in_channels, NN_TILDE_TEST_BUFFER // in_ratio)
                    y = getattr(self, name)(x)
                    assert y.shape == (batch, out_channels, NN_TILDE_TEST_BUFFER // out_ratio)
        self._methods.append(name)

    def post_process_latent(self, z: torch.Tensor) -> torch.Tensor:
        z = z - self.latent_mean.unsqueeze(-1)
        z = F.conv1d(z, self.latent_pca.unsqueeze(-1))
        return z[:, : self.latent_size]

    def pre_process_latent(self, z: torch.Tensor) -> torch.Tensor:
        # real variational exports pad with torch.randn; zeros keep the fixture deterministic
        pad = torch.zeros(z.shape[0], self.full_latent_size - z.shape[1], z.shape[-1],
                          dtype=z.dtype, device=z.device)
        z = torch.cat([z, pad], 1)
        z = F.conv1d(z, self.latent_pca.T.unsqueeze(-1))
        return z + self.latent_mean.unsqueeze(-1)

    @torch.jit.export
    def set_stereo_mode(self, stereo: torch.Tensor):
        self.stereo_mode = bool(stereo)

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.post_process_latent(self.encoder(x))

    @torch.jit.export
    def decode(self, z: torch.Tensor, from_forward: bool = False) -> torch.Tensor:
        n_batch = z.shape[0]
        if self.stereo_mode:
            n_batch = int(n_batch / 2)
        y = self.decoder(self.pre_process_latent(z))
        if y.shape[-1] > z.shape[-1] * self.decode_params[1]:
            y = y[..., : z.shape[-1] * self.decode_params[1]]
        if self.stereo_mode:
            y = torch.cat([y[:n_batch], y[n_batch:]], 1)
        return y

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x), from_forward=True)

    @torch.jit.export
    def prior(self, temp: torch.Tensor) -> torch.Tensor:
        if self._has_prior:
            return self.prior_module.forward(temp)
        return torch.tensor(0)

    @torch.jit.export
    def get_methods(self) -> list[str]:
        return self._methods

    @torch.jit.export
    def get_attributes(self) -> list[str]:
        return self._attributes

    @torch.jit.export
    def get_learn_target(self) -> bool:
        return self.learn_target[0]

    @torch.jit.export
    def set_learn_target(self, learn_target: bool) -> int:
        self.learn_target = (learn_target,)
        return 0

    @torch.jit.export
    def get_learn_source(self) -> bool:
        return self.learn_source[0]

    @torch.jit.export
    def set_learn_source(self, learn_source: bool) -> int:
        self.learn_source = (learn_source,)
        return 0

    @torch.jit.export
    def get_reset_target(self) -> bool:
        return self.reset_target[0]

    @torch.jit.export
    def set_reset_target(self, reset_target: bool) -> int:
        self.reset_target = (reset_target,)
        return 0

    @torch.jit.export
    def get_reset_source(self) -> bool:
        return self.reset_source[0]

    @torch.jit.export
    def set_reset_source(self, reset_source: bool) -> int:
        self.reset_source = (reset_source,)
        return 0


def make_rave_v2_fixture(path: "str | Path", latent_size: int = 4, ratio: int = 64,
                         sample_rate: int = 44100, with_prior: bool = False, *,
                         channels: int = 1, full_latent_size: "int | None" = None,
                         streaming: bool = True, max_batch_size: int = MAX_BATCH_SIZE,
                         none_attribute: bool = True, warm_up: bool = True,
                         seed: int = 0) -> Path:
    """Write a RAVE v2 ``--streaming`` export look-alike (nn_tilde 1.5 era) to ``path``.

    ``channels``: audio channels (encode in, decode out). ``full_latent_size``: the trained
    latent size (>= latent_size; extra dims are zero-padded in decode, cropped in encode).
    ``streaming=False`` writes a non-cached export: each call starts from silence (clicks at
    block edges). ``none_attribute=False`` gives an empty-start attribute list (older nn_tilde).
    ``warm_up=False`` skips nn_tilde's zero test calls, so saved caches are all zero.
    """
    full = latent_size if full_latent_size is None else full_latent_size
    if full < latent_size:
        raise ValueError("full_latent_size must be >= latent_size")
    module = _RaveV2Export(latent_size, ratio, sample_rate, channels, full, with_prior,
                           streaming, max_batch_size, none_attribute, warm_up, seed)
    return _save(module, path)


# --------------------------------------------------------------------------- v1


class _RaveV1Export(nn.Module):
    """The surface of ``export_rave.py``'s TraceModel (RAVE 1.x, cached_conv buffer convs)."""

    trained_cropped: bool
    deterministic: bool
    cropped_latent_size: int
    stereo: bool

    def __init__(self, latent_size: int, ratio: int, sample_rate: int, full_latent_size: int,
                 streaming: bool, max_batch_size: int, warm_up: bool, seed: int):
        super().__init__()
        generator = torch.Generator().manual_seed(seed)
        self.encoder = _CachedStridedEncoder(1, full_latent_size, ratio, generator,
                                             max_batch_size, streaming)
        self.decoder = _CachedDecoder(full_latent_size, 1, ratio, sample_rate, generator,
                                      max_batch_size, streaming)
        self.register_buffer("latent_pca", torch.eye(full_latent_size))
        self.register_buffer("latent_mean", torch.zeros(full_latent_size))
        self.register_buffer("latent_size", torch.tensor(full_latent_size))
        self.register_buffer("sampling_rate", torch.tensor(sample_rate))
        self.register_buffer("max_batch_size", torch.tensor(max_batch_size))
        self.trained_cropped = False
        self.deterministic = True
        self.cropped_latent_size = latent_size
        self.stereo = False
        if warm_up:  # export_rave.py runs encode on zeros(1, 1, 2**14), then model(x)
            with torch.no_grad():
                x = torch.zeros(1, 1, 2**14)
                self.encode(x)
                self.forward(x)
        self.register_buffer("encode_params", torch.tensor([1, 1, latent_size, ratio]))
        self.register_buffer("decode_params", torch.tensor([latent_size, ratio, 1, 1]))
        self.register_buffer("forward_params", torch.tensor([1, 1, 1, 1]))

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        z = self.encoder(x)  # deterministic: the posterior mean
        z = z - self.latent_mean.unsqueeze(-1)
        z = F.conv1d(z, self.latent_pca.unsqueeze(-1))
        return z[:, : self.cropped_latent_size]

    @torch.jit.export
    def encode_amortized(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mean = self.encode(x)
        return mean, torch.full_like(mean, 1e-4)

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        pad_size = int(self.latent_size.item()) - z.shape[1]
        pad = torch.zeros(z.shape[0], pad_size, z.shape[-1], dtype=z.dtype, device=z.device)
        z = torch.cat([z, pad], 1)
        z = F.conv1d(z, self.latent_pca.T.unsqueeze(-1))
        z = z + self.latent_mean.unsqueeze(-1)
        return self.decoder(z)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))


def make_rave_v1_fixture(path: "str | Path", latent_size: int = 4, ratio: int = 64,
                         sample_rate: int = 44100, *, full_latent_size: "int | None" = None,
                         streaming: bool = True, max_batch_size: int = MAX_BATCH_SIZE,
                         warm_up: bool = True, seed: int = 0) -> Path:
    """Write a RAVE v1 ``export_rave.py --cached true`` look-alike (deterministic) to ``path``.

    ``full_latent_size`` defaults to 2 * latent_size (the ``latent_size`` buffer holds it; the
    params use the cropped size). ``max_batch_size=1`` imitates files made with an old
    cached_conv whose caches only hold one batch row.
    """
    full = 2 * latent_size if full_latent_size is None else full_latent_size
    if full < latent_size:
        raise ValueError("full_latent_size must be >= latent_size")
    module = _RaveV1Export(latent_size, ratio, sample_rate, full, streaming, max_batch_size,
                           warm_up, seed)
    return _save(module, path)


class _RaveV1Prior(nn.Module):
    """The surface of ``export_prior.py``'s TraceModel: ``forward(temp)`` only, no sample rate."""

    data_size: int

    def __init__(self, latent_size: int, ratio: int, max_batch_size: int):
        super().__init__()
        self.data_size = latent_size
        self.pretrained = _FixturePrior(latent_size, max_batch_size)
        self.register_buffer("forward_params", torch.tensor([1, ratio, latent_size, ratio]))

    def forward(self, temp: torch.Tensor) -> torch.Tensor:
        return self.pretrained(temp)


def make_rave_v1_prior_fixture(path: "str | Path", latent_size: int = 4, ratio: int = 64, *,
                               max_batch_size: int = MAX_BATCH_SIZE) -> Path:
    """Write a v1-style standalone prior file (``prior_*.ts``) to ``path``."""
    return _save(_RaveV1Prior(latent_size, ratio, max_batch_size), path)


# --------------------------------------------------------------------------- refusals


class _EncodeOnly(nn.Module):
    """nn_tilde-style module whose only registered method is ``encode``."""

    sr: int
    _methods: list[str]
    _attributes: list[str]

    ratio: int

    def __init__(self, latent_size: int, ratio: int, sample_rate: int):
        super().__init__()
        self.sr = sample_rate
        self._methods = ["encode"]
        self._attributes = ["none"]
        self.ratio = ratio
        self.encoder = _CachedStridedEncoder(1, latent_size, ratio,
                                             torch.Generator().manual_seed(0), MAX_BATCH_SIZE,
                                             True)
        self.register_buffer("encode_params", torch.tensor([1, 1, latent_size, ratio]))
        self.encode_input_labels = ["(signal) Channel 1"]
        self.encode_output_labels = [f"(signal) Latent dimension {i + 1}"
                                     for i in range(latent_size)]

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x)

    @torch.jit.export
    def get_methods(self) -> list[str]:
        return self._methods

    @torch.jit.export
    def get_attributes(self) -> list[str]:
        return self._attributes


class _EncodeOnlyWithStrayDecode(_EncodeOnly):
    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """A ``decode`` TorchScript method that nn~ cannot use: no params, not listed."""
        return torch.zeros(z.shape[0], 1, z.shape[-1] * self.ratio)


def make_no_decode_fixture(path: "str | Path", latent_size: int = 4, ratio: int = 64,
                           sample_rate: int = 44100, *, decode_unregistered: bool = False
                           ) -> Path:
    """A valid nn~ TorchScript whose only registered method is ``encode``.

    ``decode_unregistered=True`` adds a ``decode`` method that has no ``decode_params`` buffer
    and is not in ``get_methods()`` (nn~ would not offer it either).
    """
    cls = _EncodeOnlyWithStrayDecode if decode_unregistered else _EncodeOnly
    return _save(cls(latent_size, ratio, sample_rate), path)


NON_TORCHSCRIPT_KINDS = ("torch_save", "pickle", "random", "empty", "truncated", "text")


def make_non_torchscript_file(path: "str | Path", kind: str = "torch_save") -> Path:
    """Write a ``.ts``-named file that ``torch.jit.load`` must refuse.

    kinds: ``torch_save`` (a ``torch.save`` zip of a state dict: a zip, but no TorchScript code),
    ``pickle`` (plain pickle), ``random`` (4 KiB of seeded random bytes), ``empty``,
    ``truncated`` (the first half of a valid v2 fixture), ``text`` (a short text file).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "torch_save":
        torch.save({"state_dict": {"decoder.weight": torch.zeros(4, 4)}}, str(path))
    elif kind == "pickle":
        path.write_bytes(pickle.dumps({"decode_params": [4, 64, 1, 1], "sr": 44100}))
    elif kind == "random":
        generator = torch.Generator().manual_seed(1234)
        data = torch.randint(0, 256, (4096,), generator=generator, dtype=torch.uint8)
        path.write_bytes(bytes(data.tolist()))
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "truncated":
        make_rave_v2_fixture(path)
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "text":
        path.write_text("this is not a model\n")
    else:
        raise ValueError(f"unknown kind {kind!r}; one of {NON_TORCHSCRIPT_KINDS}")
    return path

"""Stateful layers that replace padded ops when a model is streamified.

Every layer here works on (batch, channels, time) blocks and keeps what it needs from earlier
blocks in buffers, so that a stream cut into blocks gives the offline result, delayed.

Two mechanisms are shared by all of them:

* ``warmup`` counts the leading input samples that arrive before the signal itself. Upstream
  layers already lag the offline output, so their first samples stand for offline positions
  below zero, where the offline model sees zero padding. Those samples are overwritten with the
  padding value here so that the stream matches the offline edge exactly.
* a ``delay`` (in input samples) held in the same cache as the receptive-field history. It pads
  a layer's input delay up to what the layer needs (a stride multiple, or enough lag for its
  padding) without a separate module.

State is created lazily for the batch size, dtype and device of the incoming block. A block with
a different batch size starts the stream afresh, which is what a host changing its voice count
expects.
"""



import torch
import torch.nn.functional as F
from torch import nn


class _Cached(nn.Module):
    """Base for layers holding a time cache of ``history`` samples of their (masked) input."""

    history: int
    warmup: int
    pending: int
    pad_value: float
    cache: torch.Tensor

    def __init__(self, history: int, warmup: int, pad_value: float = 0.0):
        super().__init__()
        self.history = history
        self.warmup = warmup
        self.pending = warmup
        self.pad_value = pad_value
        # stream state is a plain attribute, not a buffer: it is rebuilt lazily for each input's
        # batch/dtype/device, stays out of state_dict, and is cheap to reassign every block
        self.cache = torch.zeros(0)

    @torch.jit.export
    def reset(self) -> None:
        self.cache = self.cache.new_zeros(0)
        self.pending = self.warmup

    def _prepare(self, x: torch.Tensor) -> torch.Tensor:
        """Start state for a new batch size/dtype/device, then mask the pre-signal samples."""
        if (
            self.cache.shape[:-1] != x.shape[:-1]
            or self.cache.dtype != x.dtype
            or self.cache.device != x.device
        ):
            shape = list(x.shape[:-1])
            shape.append(self.history)
            self.cache = x.new_full(shape, self.pad_value)
            self.pending = self.warmup
        if self.pending > 0:
            n = min(self.pending, x.shape[-1])
            x = x.clone()
            x.narrow(-1, 0, n).fill_(self.pad_value)
            self.pending -= n
        return x

    def _with_history(self, x: torch.Tensor) -> torch.Tensor:
        """Prepend the cache and keep the newest ``history`` samples for the next block."""
        if self.history == 0:
            return x
        joined = torch.cat([self.cache, x], -1)
        self.cache = joined[..., joined.shape[-1] - self.history :].detach()
        return joined


class DelayLine(_Cached):
    """A pure delay of ``delay`` samples; aligns parallel branches and pads to a stride grid."""

    def __init__(self, delay: int):
        super().__init__(delay, 0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self._prepare(x)
        joined = self._with_history(x)
        return joined[..., : x.shape[-1]]


class ConstantPadStream(_Cached):
    """Streaming form of a constant left pad on time (``F.pad``, ``nn.ConstantPad1d``).

    Offline, the pad inserts ``left`` constant samples before the signal. In the stream this is a
    delay: the lag shrinks by ``left`` and the samples that fall in the pad region take the pad
    value. ``delay`` is added when the input lags less than ``left``. ``other_pad`` holds pads on
    non-time axes, which are applied as is.
    """

    other_pad: list[int]  # TorchScript needs the element type of a possibly empty list

    def __init__(self, delay: int, warmup: int, value: float, other_pad: list[int]):
        super().__init__(delay, warmup, value)
        self.other_pad = other_pad

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if len(self.other_pad) > 0:
            x = F.pad(x, [0, 0] + self.other_pad, value=self.pad_value)  # noqa: RUF005
        x = self._prepare(x)
        joined = self._with_history(x)
        return joined[..., : x.shape[-1]]


class StreamConv1d(_Cached):
    """Conv1d with cached padding.

    The convolution runs unpadded on the cache followed by the block. The cache holds the kernel's
    span ``(k - 1) * dilation`` plus ``delay`` extra samples. Ungrouped convs run as one
    time-major matrix product (frames x taps*channels by taps*channels x out): on short blocks
    PyTorch's conv kernels are slow (dilated ones fall back to a reference kernel) and a
    channel-major product makes the BLAS repack the weights on every call, while this layout
    costs little more than reading the weights once.
    """

    def __init__(self, conv: nn.Conv1d, weight: torch.Tensor, bias: torch.Tensor | None,
                 delay: int, warmup: int):
        span = (conv.kernel_size[0] - 1) * conv.dilation[0]
        super().__init__(span + delay, warmup)
        self.span = span
        self.delay = delay
        self.stride = conv.stride[0]
        self.dilation = conv.dilation[0]
        self.groups = conv.groups
        self.kernel_size = conv.kernel_size[0]
        self.out_channels = conv.out_channels
        self.use_matmul = self.groups == 1
        weight = weight.detach()
        if self.use_matmul:  # one copy of the weights, in the layout the path reads
            self.register_buffer("weight", torch.zeros(0))
            self.register_buffer("weight_t",
                                 weight.reshape(self.out_channels, -1).t().contiguous())
        else:
            self.register_buffer("weight", weight.clone())
            self.register_buffer("weight_t", torch.zeros(0))
        if bias is None:
            self.register_buffer("bias", torch.zeros(self.out_channels, dtype=weight.dtype))
        else:
            self.register_buffer("bias", bias.detach().clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self._prepare(x)
        joined = self._with_history(x)
        if self.delay > 0:
            joined = joined[..., : joined.shape[-1] - self.delay]
        if not self.use_matmul:
            return F.conv1d(joined, self.weight, self.bias, self.stride, 0, self.dilation,
                            self.groups)
        batch, channels = joined.shape[0], joined.shape[1]
        if self.kernel_size == 1:
            picked = joined if self.stride == 1 else joined[..., :: self.stride]
            frames = picked.shape[-1]
            rows = picked.transpose(1, 2).reshape(batch * frames, channels)
        else:
            # (batch, channels, frames, taps) -> (batch * frames, channels * taps)
            taps = joined.unfold(-1, self.span + 1, self.stride)[..., :: self.dilation]
            frames = taps.shape[2]
            rows = taps.permute(0, 2, 1, 3).reshape(batch * frames, channels * self.kernel_size)
        out = torch.addmm(self.bias, rows, self.weight_t)
        return out.view(batch, frames, self.out_channels).transpose(1, 2)


class StreamConvTranspose1d(_Cached):
    """ConvTranspose1d with a cached overlap tail.

    Each block is transposed-convolved without padding; the part of the result that reaches past
    the block (the kernel's overlap beyond the stride) is kept and added to the head of the next
    block's output. Offline padding and output padding only crop the offline output, so they turn
    into latency. This holds for any kernel, stride, dilation, padding and groups.

    Ungrouped layers run as one time-major matrix product whose columns are, per output channel,
    the kernel laid out densely (dilation gaps as zeros) and padded to ``q`` whole strides; the
    ``q`` stride-sized pieces are then overlap-added. That is several times faster on short blocks
    than PyTorch's transposed conv, which falls back to a slow kernel there.
    """

    tail: torch.Tensor

    def __init__(self, conv: nn.ConvTranspose1d, weight: torch.Tensor,
                 bias: torch.Tensor | None, warmup: int):
        super().__init__(0, warmup)
        self.stride = conv.stride[0]
        self.dilation = conv.dilation[0]
        self.groups = conv.groups
        self.out_channels = conv.out_channels
        span = (conv.kernel_size[0] - 1) * self.dilation + 1
        self.pieces = -(-span // self.stride)  # q: strides covered by the kernel
        self.tail_length = (self.pieces - 1) * self.stride
        self.use_matmul = self.groups == 1
        weight = weight.detach()
        if self.use_matmul:
            dense = weight.new_zeros(weight.shape[0], self.out_channels,
                                     self.pieces * self.stride)
            dense[:, :, : span : self.dilation] = weight
            self.register_buffer("weight", torch.zeros(0))
            self.register_buffer("weight_matrix", dense.reshape(weight.shape[0], -1))
        else:
            self.register_buffer("weight", weight.clone())
            self.register_buffer("weight_matrix", torch.zeros(0))
        if bias is None:
            self.register_buffer("bias", torch.zeros(self.out_channels, dtype=weight.dtype))
        else:
            self.register_buffer("bias", bias.detach().clone())
        self.tail = torch.zeros(0, self.out_channels, self.tail_length)

    @torch.jit.export
    def reset(self) -> None:
        self.cache = self.cache.new_zeros(0)
        self.tail = self.tail.new_zeros(0, self.out_channels, self.tail_length)
        self.pending = self.warmup

    def _full(self, x: torch.Tensor) -> torch.Tensor:
        """The unpadded transposed conv of the block, (batch, out, (frames + q - 1) * stride)."""
        batch, frames = x.shape[0], x.shape[-1]
        length = (frames + self.pieces - 1) * self.stride
        if not self.use_matmul:
            full = F.conv_transpose1d(x, self.weight, None, self.stride, 0, 0, self.groups,
                                      self.dilation)
            return F.pad(full, [0, length - full.shape[-1]])
        rows = x.transpose(1, 2).reshape(batch * frames, x.shape[1])
        cols = torch.mm(rows, self.weight_matrix).view(batch, frames, self.out_channels,
                                                       self.pieces, self.stride)
        out = x.new_zeros(batch, self.out_channels, frames + self.pieces - 1, self.stride)
        for i in range(self.pieces):
            out.narrow(2, i, frames).add_(cols.select(3, i).permute(0, 2, 1, 3))
        return out.view(batch, self.out_channels, length)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.tail.shape[0] != x.shape[0] or self.tail.dtype != x.dtype \
                or self.tail.device != x.device:
            self.tail = x.new_zeros(x.shape[0], self.out_channels, self.tail_length)
        x = self._prepare(x)
        length = x.shape[-1] * self.stride
        full = self._full(x)
        if self.tail_length > 0:
            full.narrow(2, 0, self.tail_length).add_(self.tail)
            self.tail = full[..., length:].clone()
        return full[..., :length] + self.bias.unsqueeze(-1)

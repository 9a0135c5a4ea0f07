"""Stateful layers that replace padded ops when a model is streamified.

Every layer here takes (batch, channels, time) blocks and keeps what it needs from earlier blocks,
so that a stream cut into blocks gives the offline result, delayed.

Layout. The layers work *time-major*: their state is (batch, time, channels) and their outputs are
(batch, channels, time) views of (batch, time, channels) memory. A matrix product per conv then
reads its input rows and writes its output rows with no transposing copy in between, pointwise
ops between layers keep that layout (PyTorch follows the input's strides), and gathering a
kernel's taps copies whole channel rows. Inputs of any layout are accepted; only speed depends on
it.

Three mechanisms are shared by all of them:

* ``warmup`` counts the leading input samples that arrive before the signal itself. Upstream
  layers already lag the offline output, so their first samples stand for offline positions
  below zero, where the offline model sees zero padding. Those samples are overwritten with the
  padding value here so that the stream matches the offline edge exactly.
* a ``delay`` (in input samples) held in the same cache as the receptive-field history. It pads
  a layer's input delay up to what the layer needs (a stride multiple, or enough lag for its
  padding) without a separate module.
* state is created on the first block after :meth:`reset` (``fresh``), for that block's batch
  size, dtype and device. :class:`~latentd.stream.module.StreamingModule` resets every layer when
  the batch size, dtype or device of its input changes, so the layers check nothing per block.
  Once the state exists and no pre-signal sample is left to mask, a layer is ``steady``: one
  flag test per block, then the plain cached computation.
* ``regroup(index, fresh)`` rearranges the state over the batch axis between blocks (voices,
  issue 20): new row ``i`` takes old row ``index[i]``, or a reset row's state where ``fresh[i]``
  (pad-valued history, its own ``warmup`` still to mask). Rows that still have pre-signal samples
  to mask while others do not are tracked per row (``pending_rows``), on the starting path only,
  so the steady path stays as it was.

Per-block cost. At one latent frame per block a decoder's blocks are a few samples long, so the
fixed cost of each op counts. Every figure that shapes a layer's path (kernel, stride, history,
rank...) is a TorchScript constant (``__constants__``): scripting specialises each layer and
drops the branches it never takes. The products are ``addmm`` with a non-constant ``beta``, which
keeps TorchScript from splitting them into a product and a separate bias add, on the (in, out)
weight matrix as stored (``F.linear``'s transposed layout is slower for few rows), except for
layers of ``CHANNELS_FIRST_BYTES`` or more, which run channels first (see there). What is left
per block is mostly the products themselves: reading the weights once, at the memory bandwidth
of one core, is the floor (``bench/stream_profile.py`` measures the split).
"""

from typing import Tuple  # noqa: UP035 (TorchScript reads this annotation)

import torch
import torch.nn.functional as F
from torch import nn

# matmul layers whose weights take at least this many bytes run their product channels first,
# (out x in) by (in x rows), from weights stored (out, in): read from memory (weights beyond the
# caches, as in a large decoder called once per block), MKL reads them about twice as fast that
# way as in the (in x out) layout when the product has a few rows (RAVE v1's 512-channel convs at
# one latent frame per block: 4 rows, 816 -> 458 us); smaller layers, read from the caches, keep
# the (in x out) layout, which is faster there (latentd's default decoder: 20% slower otherwise)
CHANNELS_FIRST_BYTES = 2 * 1024 * 1024
# ...except products of fewer rows than this, which read the same (out, in) memory as the
# transposed right operand, rows by (in x out): MKL runs them at its matrix-vector speed (RAVE
# v2's 1536-channel conv at 2 rows: 1624 -> 788 us; 1 to 3 rows as fast as 1), which neither
# layout reaches from 4 or 8 rows on
FEW_ROWS = 4


def _product_layout(matrix: torch.Tensor) -> Tuple[torch.Tensor, bool]:  # noqa: UP006
    """The (in x out) weight matrix as the product reads it, and whether it runs channels
    first: then it is a transposed view of (out, in) memory."""
    if matrix.numel() * matrix.element_size() >= CHANNELS_FIRST_BYTES:
        return matrix.t().contiguous().t(), True
    return matrix.contiguous(), False


def _masked_rows(x: torch.Tensor, pending_rows: torch.Tensor, dim: int, start: int,
                 value: float) -> torch.Tensor:
    """Fill each row's still-pending samples of ``x`` (batch first; ``dim`` is a row's time
    axis) from ``start`` with ``value``, in place; the counts left per row."""
    left = pending_rows.clone()
    for row in range(pending_rows.size(0)):
        n = min(int(pending_rows[row]), x.size(dim + 1) - start)
        if n > 0:
            x[row].narrow(dim, start, n).fill_(value)
            left[row] -= n
    return left


def _regrouped_rows(pending: int, pending_rows: torch.Tensor, index: torch.Tensor,
                    fresh: torch.Tensor, warmup: int) -> torch.Tensor:
    """Per-row pending counts after a regroup: kept rows bring theirs, fresh rows start at
    ``warmup``."""
    index = index.cpu()
    if pending_rows.numel() > 0:
        kept = pending_rows.index_select(0, index)
    else:
        kept = torch.full(index.shape, pending, dtype=torch.long)
    return torch.where(fresh.cpu(), torch.full_like(kept, warmup), kept)


def _settled(rows: torch.Tensor) -> Tuple[int, torch.Tensor]:  # noqa: UP006
    """(the most any row has pending, the per-row counts or an empty tensor when all rows
    agree): rows at the same point of their warm-up share the plain scalar path."""
    most = int(rows.max())
    return most, rows if int(rows.min()) != most else rows.new_zeros(0)


def _regrouped(state: torch.Tensor, index: torch.Tensor, fresh: torch.Tensor,
               value: float) -> torch.Tensor:
    """``state``'s rows (batch first) in the new order, fresh rows filled with ``value``."""
    out = state.index_select(0, index)
    shape = [fresh.size(0)] + [1 for _ in range(out.dim() - 1)]
    return out.masked_fill_(fresh.view(shape), value)


class _Cached(nn.Module):
    """Base for layers holding a time-major cache of the last ``history`` samples of their
    (masked) input. ``axis`` is the time axis once time is moved next to the batch axis: 1,
    or 0 for a rank-1 value."""

    __constants__ = ["history", "warmup", "pad_value", "axis"]  # noqa: RUF012

    pending: int
    pending_rows: torch.Tensor  # per row while rows differ, else empty
    fresh: bool
    steady: bool
    cache: torch.Tensor

    def __init__(self, history: int, warmup: int, pad_value: float = 0.0, rank: int = 3):
        super().__init__()
        self.history = history
        self.warmup = warmup
        self.pending = warmup
        self.pending_rows = torch.zeros(0, dtype=torch.long)
        self.pad_value = pad_value
        self.axis = 1 if rank > 1 else 0
        self.fresh = True
        self.steady = False  # state made and nothing left to mask: the per-block fast path
        self.one = 1.0  # addmm's beta, read at run time (see the module docstring)
        # stream state is a plain attribute, not a buffer: it is rebuilt lazily for each input's
        # batch/dtype/device, stays out of state_dict, and is cheap to reassign every block
        self.cache = torch.zeros(0)

    @torch.jit.export
    def reset(self) -> None:
        self.cache = self.cache.new_zeros(0)
        self.pending = self.warmup
        self.pending_rows = torch.zeros(0, dtype=torch.long)
        self.fresh = True
        self.steady = False

    @torch.jit.export
    def can_regroup(self, batch: int) -> bool:
        """True when the state has ``batch`` rows on its first axis (or none yet)."""
        return self.fresh or (self.axis == 1 and self.cache.size(0) == batch)

    @torch.jit.export
    def regroup(self, index: torch.Tensor, fresh: torch.Tensor) -> None:
        self._regroup_cache(index, fresh)

    def _regroup_cache(self, index: torch.Tensor, fresh: torch.Tensor) -> None:
        if self.fresh:  # no state yet: every row starts fresh anyway
            return
        rows = _regrouped_rows(self.pending, self.pending_rows, index, fresh, self.warmup)
        self.cache = _regrouped(self.cache, index, fresh, self.pad_value)
        self.pending, self.pending_rows = _settled(rows)
        self.steady = self.pending == 0

    def _start(self, xt: torch.Tensor) -> None:
        """Pad-valued history for a time-major block's batch, channels, dtype and device."""
        shape = [n for n in xt.shape]
        shape[self.axis] = self.history
        self.cache = xt.new_full(shape, self.pad_value)
        self.pending = self.warmup
        self.fresh = False

    def _mask(self, joined: torch.Tensor, start: int) -> None:
        """Overwrite the still-pending pre-signal samples, which begin at ``start``, in place."""
        if self.pending_rows.numel() > 0:  # rows regrouped at different points of warm-up
            rows = _masked_rows(joined, self.pending_rows, self.axis - 1, start, self.pad_value)
            self.pending, self.pending_rows = _settled(rows)
            return
        n = min(self.pending, joined.size(self.axis) - start)
        joined.narrow(self.axis, start, n).fill_(self.pad_value)
        self.pending -= n

    def _starting(self, xt: torch.Tensor) -> torch.Tensor:
        """:meth:`_with_history` for the first blocks of a stream: make the state, mask."""
        if self.fresh:
            self._start(xt)
        if self.history == 0:
            if self.pending > 0:
                xt = xt.clone()
                self._mask(xt, 0)
            joined = xt
        else:
            joined = torch.cat([self.cache, xt], self.axis)
            if self.pending > 0:
                self._mask(joined, self.history)
            self.cache = joined.narrow(self.axis, xt.size(self.axis), self.history)
        self.steady = self.pending == 0
        return joined

    def _with_history(self, xt: torch.Tensor) -> torch.Tensor:
        """The cache followed by the (masked) time-major block; keeps the newest ``history``
        samples (a view: the joined tensor is new every block, so nothing aliases)."""
        if not self.steady:
            return self._starting(xt)
        if self.history == 0:
            return xt
        joined = torch.cat([self.cache, xt], self.axis)
        self.cache = joined.narrow(self.axis, xt.size(self.axis), self.history)
        return joined

    def _time_major(self, x: torch.Tensor) -> torch.Tensor:
        """(batch, channels..., time) -> (batch, time, channels...), a view (its own inverse)."""
        if self.axis == 0:
            return x
        return x.transpose(1, -1)


class DelayLine(_Cached):
    """A pure delay of ``delay`` samples; aligns parallel branches and pads to a stride grid."""

    def __init__(self, delay: int, rank: int = 3):
        super().__init__(delay, 0, rank=rank)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        xt = self._time_major(x)
        joined = self._with_history(xt)
        return self._time_major(joined.narrow(self.axis, 0, xt.size(self.axis)))


class RunningSum(nn.Module):
    """Cumulative sum along the last axis, with the total carried between blocks.

    Pre-signal samples are zeroed first (the offline sum starts at the signal's first sample).
    Summed in blocks, the rounding differs from one offline pass only in the last bits; sum in
    float64 where the total grows large, as a phase accumulator's does.
    """

    __constants__ = ["warmup"]  # noqa: RUF012

    pending: int
    pending_rows: torch.Tensor  # per row while rows differ, else empty
    fresh: bool
    carry: torch.Tensor

    def __init__(self, warmup: int):
        super().__init__()
        self.warmup = warmup
        self.pending = warmup
        self.pending_rows = torch.zeros(0, dtype=torch.long)
        self.fresh = True
        self.carry = torch.zeros(0)

    @torch.jit.export
    def reset(self) -> None:
        self.pending = self.warmup
        self.pending_rows = torch.zeros(0, dtype=torch.long)
        self.fresh = True
        self.carry = self.carry.new_zeros(0)

    @torch.jit.export
    def can_regroup(self, batch: int) -> bool:
        return self.fresh or (self.carry.dim() > 1 and self.carry.size(0) == batch)

    @torch.jit.export
    def regroup(self, index: torch.Tensor, fresh: torch.Tensor) -> None:
        """A fresh row carries a zero total, which adds nothing, as a fresh stream's first
        block does."""
        if self.fresh:
            return
        rows = _regrouped_rows(self.pending, self.pending_rows, index, fresh, self.warmup)
        self.carry = _regrouped(self.carry, index, fresh, 0.0)
        self.pending, self.pending_rows = _settled(rows)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.pending > 0:
            x = x.clone()
            if self.pending_rows.numel() > 0:
                rows = _masked_rows(x, self.pending_rows, x.dim() - 2, 0, 0.0)
                self.pending, self.pending_rows = _settled(rows)
            else:
                n = min(self.pending, x.size(-1))
                x.narrow(-1, 0, n).zero_()
                self.pending -= n
        total = torch.cumsum(x, dim=-1)
        if self.fresh:
            self.fresh = False
        else:
            total = total + self.carry
        self.carry = total.narrow(-1, total.size(-1) - 1, 1)
        return total


class ConstantPadStream(_Cached):
    """Streaming form of a constant left pad on time (``F.pad``, ``nn.ConstantPad1d``).

    Offline, the pad inserts ``left`` constant samples before the signal. In the stream this is a
    delay: the lag shrinks by ``left`` and the samples that fall in the pad region take the pad
    value. ``delay`` is added when the input lags less than ``left``. ``other_pad`` holds pads on
    non-time axes, which are applied as is.
    """

    __constants__ = [*_Cached.__constants__, "pads_others"]  # noqa: RUF012
    other_pad: list[int]  # TorchScript needs the element type of a possibly empty list

    def __init__(self, delay: int, warmup: int, value: float, other_pad: list[int],
                 rank: int = 3):
        super().__init__(delay, warmup, value, rank)
        self.other_pad = other_pad
        self.pads_others = len(other_pad) > 0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.pads_others:
            x = F.pad(x, [0, 0] + self.other_pad, value=self.pad_value)  # noqa: RUF005
        xt = self._time_major(x)
        joined = self._with_history(xt)
        return self._time_major(joined.narrow(self.axis, 0, xt.size(self.axis)))


class StreamConv1d(_Cached):
    """Conv1d with cached padding.

    The convolution runs unpadded on the cache followed by the block. The cache holds the kernel's
    span ``(k - 1) * dilation`` plus ``delay`` extra samples (fewer where ``delay`` is negative:
    each frame then reads up to ``-delay`` samples into its own stride). Ungrouped convs run as one
    time-major matrix product, (frames x taps*channels) by (taps*channels x out): on short blocks
    PyTorch's conv kernels are slow (dilated ones fall back to a reference kernel), and the
    time-major layout makes the taps whole channel rows of the cache, so gathering them is a
    plain row copy (none at all for a 1x1 conv).
    """

    __constants__ = [*_Cached.__constants__, "span", "delay", "stride", "dilation",  # noqa: RUF012
                     "groups", "kernel_size", "in_channels", "out_channels", "use_matmul",
                     "channels_first", "few_rows"]
    weight: torch.Tensor  # buffers: typed here for mypy (Module.__getattr__ is Tensor | Module)
    weight_t: torch.Tensor
    bias: torch.Tensor

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
        self.in_channels = conv.in_channels
        self.out_channels = conv.out_channels
        self.use_matmul = self.groups == 1
        self.channels_first = False
        self.few_rows = FEW_ROWS
        weight = weight.detach()
        if self.use_matmul:  # one copy of the weights, in the layout the path reads:
            # rows ordered (tap, in channel), matching the gathered time-major taps
            matrix, self.channels_first = _product_layout(
                weight.permute(2, 1, 0).reshape(-1, self.out_channels))
            self.register_buffer("weight", torch.zeros(0))
            self.register_buffer("weight_t", matrix)
        else:
            self.register_buffer("weight", weight.clone())
            self.register_buffer("weight_t", torch.zeros(0))
        if bias is None:
            self.register_buffer("bias", torch.zeros(self.out_channels, dtype=weight.dtype))
        else:
            self.register_buffer("bias", bias.detach().clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        xt = x.transpose(1, 2)
        joined = self._with_history(xt)  # (batch, history + block, channels)
        if not self.use_matmul:
            # a negative delay (a frame reading into its own stride) leaves nothing to drop
            joined = joined.narrow(1, 0, joined.size(1) - max(self.delay, 0)).transpose(1, 2)
            return F.conv1d(joined, self.weight, self.bias, self.stride, 0, self.dilation,
                            self.groups)
        batch, frames = xt.size(0), xt.size(1) // self.stride
        if self.kernel_size == 1:
            rows = joined
            if self.stride > 1:
                rows = rows[:, :: self.stride]
            if self.delay > 0:
                rows = rows.narrow(1, 0, frames)
            rows = rows.reshape(batch * frames, self.in_channels)
        else:
            # (batch, frames, taps * channels): frame f reads samples f*stride + tap*dilation of
            # the freshly concatenated, hence contiguous, cache and block (with no cache, a frame
            # reading only its own stride, the block is a transposed view: made contiguous)
            joined = joined.contiguous()
            channels = self.in_channels
            taps = joined.as_strided(
                [batch, frames, self.kernel_size, channels],
                [joined.size(1) * channels, self.stride * channels, self.dilation * channels, 1])
            rows = taps.reshape(batch * frames, self.kernel_size * channels)
        if self.channels_first and rows.size(0) >= self.few_rows:  # (out, batch * frames)
            out = torch.addmm(self.bias.unsqueeze(1), self.weight_t.t(), rows.t(),
                              beta=self.one)
            return out.view(self.out_channels, batch, frames).permute(1, 0, 2)
        out = torch.addmm(self.bias, rows, self.weight_t, beta=self.one)
        return out.view(batch, frames, self.out_channels).transpose(1, 2)


class StreamConvTranspose1d(_Cached):
    """ConvTranspose1d, streamed.

    Offline padding and output padding only crop the offline output, so they turn into latency;
    the stream computes the unpadded transposed conv. This holds for any kernel, stride,
    dilation, padding and groups.

    Ungrouped layers run in polyphase form, as a cached conv over input frames. The kernel, laid
    out densely (dilation gaps as zeros) and padded to ``q`` whole strides, is cut into ``q``
    stride-sized pieces: output stride-chunk ``n`` is the sum over ``i`` of piece ``i`` applied
    to input frame ``n - i``. So the layer keeps the last ``q - 1`` input frames, gathers ``q``
    frames per output chunk and makes every chunk, time-major, in one matrix product
    (frames x q*in by q*in x stride*out), bias included: no overlap-add and no output tail. The
    weights read per block are the kernel's, as for a transposed conv, and on short blocks this
    is several times faster than PyTorch's transposed conv, which falls back to a slow kernel.

    Grouped layers run PyTorch's transposed conv on the block and keep the part of its output
    that reaches past the block (the overlap beyond the stride), added to the next block's head.
    """

    __constants__ = [*_Cached.__constants__, "stride", "dilation", "groups",  # noqa: RUF012
                     "in_channels", "out_channels", "pieces", "tail_length", "use_matmul",
                     "channels_first", "few_rows"]
    tail: torch.Tensor
    weight: torch.Tensor
    weight_matrix: torch.Tensor
    bias: torch.Tensor

    def __init__(self, conv: nn.ConvTranspose1d, weight: torch.Tensor,
                 bias: torch.Tensor | None, warmup: int):
        span = (conv.kernel_size[0] - 1) * conv.dilation[0] + 1
        stride = conv.stride[0]
        pieces = -(-span // stride)  # q: strides covered by the kernel
        use_matmul = conv.groups == 1
        super().__init__(pieces - 1 if use_matmul else 0, warmup)
        self.stride = stride
        self.dilation = conv.dilation[0]
        self.groups = conv.groups
        self.in_channels = conv.in_channels
        self.out_channels = conv.out_channels
        self.pieces = pieces
        self.tail_length = 0 if use_matmul else (pieces - 1) * stride
        self.use_matmul = use_matmul
        self.channels_first = False
        self.few_rows = FEW_ROWS
        weight = weight.detach()
        if bias is None:
            bias = torch.zeros(self.out_channels, dtype=weight.dtype)
        bias = bias.detach()
        if use_matmul:
            dense = weight.new_zeros(weight.shape[0], self.out_channels, pieces * stride)
            dense[:, :, : span : self.dilation] = weight
            # rows (tap, in): tap j reads frame n - (q - 1 - j), so it holds piece q - 1 - j;
            # columns (phase, out): the output chunk, time-major
            matrix = dense.view(weight.shape[0], self.out_channels, pieces, stride).flip(2)
            matrix, self.channels_first = _product_layout(
                matrix.permute(2, 0, 3, 1).reshape(pieces * weight.shape[0], -1))
            self.register_buffer("weight", torch.zeros(0))
            self.register_buffer("weight_matrix", matrix)
            self.register_buffer("bias", bias.repeat(stride))
        else:
            self.register_buffer("weight", weight.clone())
            self.register_buffer("weight_matrix", torch.zeros(0))
            self.register_buffer("bias", bias.clone())
        self.tail = torch.zeros(0)

    @torch.jit.export
    def reset(self) -> None:
        self.cache = self.cache.new_zeros(0)
        self.tail = self.tail.new_zeros(0)
        self.pending = self.warmup
        self.pending_rows = torch.zeros(0, dtype=torch.long)
        self.fresh = True
        self.steady = False

    @torch.jit.export
    def regroup(self, index: torch.Tensor, fresh: torch.Tensor) -> None:
        if not self.fresh and self.tail_length > 0:  # a reset row carries no overlap
            self.tail = _regrouped(self.tail, index, fresh, 0.0)
        self._regroup_cache(index, fresh)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        xt = x.transpose(1, 2)  # (batch, frames, in)
        batch, frames = xt.size(0), xt.size(1)
        length = frames * self.stride
        if self.use_matmul:
            joined = self._with_history(xt)  # (batch, q - 1 + frames, in)
            if self.pieces == 1:
                rows = joined.reshape(batch * frames, self.in_channels)
            else:
                channels = self.in_channels
                taps = joined.as_strided([batch, frames, self.pieces, channels],
                                         [joined.size(1) * channels, channels, channels, 1])
                rows = taps.reshape(batch * frames, self.pieces * channels)
            if self.channels_first and rows.size(0) >= self.few_rows:
                # rows (phase, out) of the product: one copy to time order
                out = torch.addmm(self.bias.unsqueeze(1), self.weight_matrix.t(), rows.t(),
                                  beta=self.one)
                return out.view(self.stride, self.out_channels, batch, frames) \
                    .permute(2, 1, 3, 0).reshape(batch, self.out_channels, length)
            out = torch.addmm(self.bias, rows, self.weight_matrix, beta=self.one)
            return out.view(batch, length, self.out_channels).transpose(1, 2)
        if self.fresh:
            # the overlap carried into the next block, time-major (batch, tail, out)
            self.tail = xt.new_zeros(batch, self.tail_length, self.out_channels)
        xt = self._with_history(xt)
        full = F.conv_transpose1d(xt.transpose(1, 2), self.weight, None, self.stride, 0, 0,
                                  self.groups, self.dilation)
        full = F.pad(full, [0, length + self.tail_length - full.size(-1)]).transpose(1, 2)
        if self.tail_length > 0:
            full.narrow(1, 0, self.tail_length).add_(self.tail)
            self.tail = full.narrow(1, length, self.tail_length)
        return (full.narrow(1, 0, length) + self.bias).transpose(1, 2)

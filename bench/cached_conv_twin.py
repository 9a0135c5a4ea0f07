"""The benchmark decoder rebuilt with cached_conv's layers, sharing the plain model's weights.

cached_conv (``pip install cached-conv``, the ``bench`` extra) is what RAVE itself streams with:
the model is written against its layer classes and a global switch, ``use_cached_conv(True)``,
must be on when the layers are built. Comparing against it on the same architecture and the same
weights isolates the streaming machinery: both sides run the same convolutions, so any speed
difference is in how the caches, delays and branch alignment are done.

Mirroring rules (from cached_conv/convs.py, 2.5.0):

* ``cc.Conv1d(..., padding=(left, right))`` becomes causal with a cache of ``left + right``
  samples and reports ``cumulative_delay`` = upstream delay + ``right`` (divided by the stride).
* ``cc.ConvTranspose1d`` keeps a ``2 * padding`` overlap tail; it is only correct when
  ``kernel - stride == 2 * padding``, which ``bench.decoders`` guarantees.
* a residual add is ``cc.AlignBranches(branch, nn.Identity(), delays=[branch_delay, 0])``, which
  delays the skip path by the branch's delay with a cached pad.
* every cache is a buffer of ``MAX_BATCH_SIZE`` (64) rows, created on the first call: batch size
  is fixed by the first call, and the module scripts only after that call.
"""


import argparse
import sys

import cached_conv as cc
import torch
from torch import nn

from latentd.stream import streamify

try:
    from bench.decoders import RAVE_V2_SCALE, SMALL, Decoder, Residual, Stage, build
except ImportError:  # run as ``python bench/...``: the folder itself is on sys.path
    from decoders import RAVE_V2_SCALE, SMALL, Decoder, Residual, Stage, build


class _CachedResidual(nn.Module):
    """RAVE's cached residual: the skip path is delayed to meet the conv branch."""

    def __init__(self, plain: Residual):
        super().__init__()
        dilation = plain.conv.dilation[0]
        channels = plain.conv.in_channels
        conv = cc.Conv1d(channels, channels, 3, dilation=dilation,
                         padding=cc.get_padding(3, dilation=dilation))
        # CachedSequential reports its *last* layer's delay, so the chain must carry it along
        mix = cc.Conv1d(channels, channels, 1, cumulative_delay=conv.cumulative_delay)
        _copy(plain.conv, conv)
        _copy(plain.mix, mix)
        branch = cc.CachedSequential(nn.LeakyReLU(plain.act1.negative_slope), conv,
                                     nn.LeakyReLU(plain.act2.negative_slope), mix)
        self.cumulative_delay = branch.cumulative_delay
        self.aligned = cc.AlignBranches(branch, nn.Identity(),
                                        delays=[branch.cumulative_delay, 0])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outs = self.aligned(x)
        return outs[0] + outs[1]


def _copy(source: nn.Module, target: nn.Module) -> None:
    """Copy weight and bias, insisting on equal shapes (a silent broadcast would be a lie)."""
    for name in ("weight", "bias"):
        src, dst = getattr(source, name), getattr(target, name)
        if src is None and dst is None:
            continue
        if src is None or dst is None or src.shape != dst.shape:
            raise ValueError(f"{name}: cannot copy {type(source).__name__} into "
                             f"{type(target).__name__}")
        with torch.no_grad():
            dst.copy_(src)
        dst.requires_grad_(False)


class CachedConvTwin(nn.Module):
    """``decoder``'s architecture and weights in cached_conv layers; call it block after block.

    ``latency`` is the output delay in audio samples that cached_conv itself reports
    (``cumulative_delay``); :func:`check` confirms it against the offline output.
    """

    latency: int

    def __init__(self, decoder: Decoder):
        super().__init__()
        previous = cc.USE_BUFFER_CONV  # the switch is global: restore it for other code
        cc.use_cached_conv(True)
        try:
            self.net = self._build(decoder)
        finally:
            cc.use_cached_conv(previous)
        self.latency = int(self.net.cumulative_delay)
        for parameter in self.parameters():
            parameter.requires_grad_(False)

    @staticmethod
    def _build(decoder: Decoder) -> cc.CachedSequential:
        plain_inp = decoder.inp
        inp = cc.Conv1d(plain_inp.in_channels, plain_inp.out_channels, plain_inp.kernel_size[0],
                        padding=cc.get_padding(plain_inp.kernel_size[0]))
        _copy(plain_inp, inp)
        layers: list[nn.Module] = [inp]
        delay = inp.cumulative_delay  # in samples at the current rate
        for stage in decoder.stages:
            assert isinstance(stage, Stage)
            up = stage.up
            kernel, stride, padding = up.kernel_size[0], up.stride[0], up.padding[0]
            if kernel - stride != 2 * padding:
                raise ValueError("cached_conv's ConvTranspose1d needs kernel - stride == 2 pad")
            twin_up = cc.ConvTranspose1d(up.in_channels, up.out_channels, kernel, stride, padding,
                                         cumulative_delay=delay)
            _copy(up, twin_up)
            delay = twin_up.cumulative_delay
            layers += [nn.LeakyReLU(stage.act.negative_slope), twin_up]
            for plain in stage.residuals:
                residual = _CachedResidual(plain)
                delay += residual.cumulative_delay
                layers.append(residual)
        out = decoder.out
        twin_out = cc.Conv1d(out.in_channels, out.out_channels, out.kernel_size[0],
                             padding=cc.get_padding(out.kernel_size[0]), cumulative_delay=delay)
        _copy(out, twin_out)
        delay = twin_out.cumulative_delay
        synthesis = decoder.synthesis
        twin_synthesis = cc.ConvTranspose1d(
            synthesis.in_channels, synthesis.out_channels, synthesis.kernel_size[0],
            synthesis.stride[0], synthesis.padding[0], bias=False, cumulative_delay=delay)
        _copy(synthesis, twin_synthesis)
        layers += [nn.LeakyReLU(decoder.out_act.negative_slope), twin_out, twin_synthesis]
        return cc.CachedSequential(*layers, cumulative_delay=0)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z)


def scripted(twin: CachedConvTwin, example: torch.Tensor) -> torch.jit.ScriptModule:
    """TorchScript the twin, as RAVE exports do, ready to start a fresh stream.

    cached_conv creates its caches on the first call (``init_cache`` is ``@torch.jit.unused``),
    so that call happens here first, with ``example`` fixing the channels. The call advances the
    stream; zeroing the caches afterwards (they are the twin's only buffers, and all start at
    zero) puts it back at the start.
    """
    with torch.inference_mode():
        twin(example)
    script = torch.jit.script(twin)
    with torch.inference_mode():  # the caches were made in inference mode: change them there
        for buffer in script.buffers():
            buffer.zero_()
    return script


def find_delay(offline: torch.Tensor, streamed: torch.Tensor, limit: int) -> int:
    """The shift ``d`` minimising ``|streamed[d:] - offline|`` over 0..limit (brute force: exact,
    and cheap for the lengths the check uses)."""
    best, best_error = 0, float("inf")
    for d in range(limit + 1):
        span = min(offline.shape[-1], streamed.shape[-1] - d)
        error = (streamed[..., d : d + span] - offline[..., :span]).abs().mean().item()
        if error < best_error:
            best, best_error = d, error
    return best


def check(decoder: Decoder, frames: int = 48, block: int = 1) -> dict[str, float]:
    """Stream ``frames`` latent frames through a fresh twin and compare with the offline model.

    Returns the delay found by search, the twin's own ``latency``, and the max error relative to
    the offline peak, both over everything the stream has reached (``edge_error``) and after the
    first ``warm`` frames (``steady_error``). cached_conv does not mask the samples that upstream
    layers emit for offline positions before the signal starts (streamify's ``warmup``), so its
    first frames differ from the offline edge; after one receptive field it should be exact.
    """
    torch.manual_seed(1)
    twin = CachedConvTwin(decoder)
    warm = streamify(decoder).receptive_field
    if frames <= 2 * warm:
        raise ValueError(f"need more than {2 * warm} frames to see past the edge")
    z = torch.randn(1, decoder.config.latent, frames)
    with torch.inference_mode():
        offline = decoder(z)
        streamed = torch.cat([twin(z[..., i : i + block]) for i in range(0, frames, block)], -1)
    found = find_delay(offline, streamed, min(2 * twin.latency + 64, streamed.shape[-1] // 2))
    span = min(offline.shape[-1], streamed.shape[-1] - twin.latency)
    error = (streamed[..., twin.latency : twin.latency + span] - offline[..., :span]).abs()
    peak = offline.abs().max()
    skip = warm * decoder.config.samples_per_frame
    return {"found_delay": found, "latency": twin.latency, "warm_frames": warm,
            "edge_error": (error.max() / peak).item(),
            "steady_error": (error[..., skip:].max() / peak).item()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="stream both decoders and compare with their offline output")
    args = parser.parse_args(argv)
    if not args.check:
        parser.print_help()
        return 0
    torch.set_num_threads(1)
    worst = 0.0
    for config, frames in ((SMALL, 64), (RAVE_V2_SCALE, 48)):
        result = check(build(config), frames)
        worst = max(worst, result["steady_error"])
        print(f"{config.name}: cached_conv latency {result['latency']} samples, delay found by "
              f"search {result['found_delay']}; max |twin - offline| / peak: "
              f"{result['edge_error']:.1e} over all, {result['steady_error']:.1e} after the first "
              f"{result['warm_frames']} frames (cached_conv does not mask the start-up edge)")
    return 0 if worst <= 1e-5 else 1


if __name__ == "__main__":
    sys.exit(main())

"""A self-contained demonstration of the streaming core, for a fresh checkout."""

from __future__ import annotations

import time

import torch
from torch import nn

from latentd.stream import streamify


class _Residual(nn.Module):
    def __init__(self, channels: int, dilation: int):
        super().__init__()
        self.conv = nn.Conv1d(channels, channels, 3, padding=dilation, dilation=dilation)
        self.mix = nn.Conv1d(channels, channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.mix(nn.functional.leaky_relu(self.conv(x), 0.2))


def small_decoder(latent: int = 8, ratios: tuple[int, ...] = (4, 4, 4, 2)) -> nn.Module:
    """A RAVE-like decoder in plain torch layers: latent frames in, audio out."""
    channels = 64
    layers: list[nn.Module] = [nn.Conv1d(latent, channels, 3, padding=1)]
    for ratio in ratios:
        out = max(channels // 2, 16)
        layers += [nn.LeakyReLU(0.2),
                   nn.ConvTranspose1d(channels, out, 2 * ratio, ratio, ratio // 2),
                   _Residual(out, 1), _Residual(out, 3), _Residual(out, 9)]
        channels = out
    layers += [nn.LeakyReLU(0.2), nn.Conv1d(channels, 1, 7, padding=3), nn.Tanh()]
    return nn.Sequential(*layers)


def run_demo(blocks: int = 1, seconds: float = 5.0, sample_rate: int = 44100) -> int:
    torch.manual_seed(0)
    torch.set_num_threads(1)
    model = small_decoder().eval()
    stream = streamify(model)
    frames = max(blocks, int(seconds * sample_rate / stream.ratio) // blocks * blocks)
    z = torch.randn(1, 8, frames)
    with torch.inference_mode():
        offline = model(z)
        start = time.perf_counter()
        pieces = [stream(z[..., i : i + blocks]) for i in range(0, frames, blocks)]
        elapsed = time.perf_counter() - start
    streamed = torch.cat(pieces, -1)
    span = offline.shape[-1] - stream.latency
    error = (streamed[..., stream.latency :][..., :span] - offline[..., :span]).abs().max()
    audio_seconds = streamed.shape[-1] / sample_rate
    print(f"decoder: {int(stream.ratio)} samples per latent frame, "
          f"latency {stream.latency} samples ({1000 * stream.latency / sample_rate:.1f} ms)")
    print(f"streamed {audio_seconds:.1f} s in blocks of {blocks} frame(s): "
          f"{elapsed / audio_seconds:.3f} s compute per s of audio")
    print(f"max |stream - offline| = {error.item():.2e} (peak {offline.abs().max().item():.2f})")
    return 0 if error <= 1e-5 * max(offline.abs().max().item(), 1e-9) else 1

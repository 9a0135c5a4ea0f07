"""The renderer's per-block fast paths: they engage when nothing moves, never hide a change, and
never let a model's reused output buffer leak into blocks already handed on."""

import numpy as np
import torch

from latentd.engine.controls import Event
from latentd.engine.renderer import Renderer
from latentd.models.synth import NoAttributes, Synth


class BufferReusingSynth(Synth):
    """Writes every block into the same tensor, as a foreign TorchScript model may."""

    def __init__(self) -> None:
        self.name, self.sample_rate, self.latent_size = "reuse", 44100, 2
        self.ratio, self.channels, self.latency = 64, 1, 0
        self.methods, self.attributes = ["decode"], NoAttributes()
        self._out = torch.zeros(1, 1, 64)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        self._out.fill_(float(z[0, 0, -1]) * 0.1)
        return self._out

    def reset(self) -> None:
        self._out.zero_()


def clock(frame: int) -> float:
    return 0.0


def test_a_reused_output_buffer_does_not_change_blocks_already_rendered():
    renderer = Renderer(BufferReusingSynth())
    renderer.bus.post(Event("glide", (0.0,)))
    renderer.bus.post(Event("latent", (1.0,)))
    first = renderer.render(clock)
    renderer.bus.post(Event("latent", (3.0,)))
    renderer.render(clock)
    assert np.allclose(first, 0.1)


def test_a_long_glide_settles_into_the_steady_path():
    renderer = Renderer(BufferReusingSynth())
    renderer.bus.post(Event("glide", (2000.0,)))
    renderer.bus.post(Event("latent", (0.7, -0.3)))
    frames = [renderer.latent_frames(clock) for _ in range(12000)]  # 17 s at 1.45 ms a frame
    assert frames[-1] is frames[-2]  # cached: nothing moves any more
    assert np.array_equal(frames[-1][0, :, 0], np.array([0.7, -0.3], np.float32))


def test_the_steady_path_still_hears_every_change():
    renderer = Renderer(BufferReusingSynth())
    renderer.bus.post(Event("glide", (0.0,)))
    for _ in range(3):
        steady = renderer.latent_frames(clock)
    assert renderer.latent_frames(clock) is steady
    renderer.bus.post(Event("bias", (0.5,), index=0))
    moved = renderer.latent_frames(clock)
    assert moved is not steady and moved[0, 0, 0] == np.float32(0.5)

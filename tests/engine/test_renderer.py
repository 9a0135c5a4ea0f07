"""The renderer's per-block fast paths: they engage when nothing moves, never hide a change, and
never let a model's reused output buffer leak into blocks already handed on. And its take-over
of a swap: the incoming renderer gets the shared state, the outgoing one private copies."""

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


class SizedSynth(BufferReusingSynth):
    """Another model for a swap: its own latent size, with or without a prior."""

    def __init__(self, latent_size: int, prior: bool = False) -> None:
        super().__init__()
        self.latent_size, self._prior = latent_size, prior

    @property
    def has_prior(self) -> bool:
        return self._prior

    def prior(self, frames: int, temperature: float = 1.0, batch: int = 1) -> torch.Tensor:
        return torch.zeros(batch, self.latent_size, frames)


def test_take_over_hands_the_shared_state_to_the_incoming_renderer():
    old = Renderer(BufferReusingSynth())
    old.bus.post(Event("glide", (0.0,)))
    old.bus.post(Event("latent", (0.5, -0.25)))
    old.bus.post(Event("gain", (-6.0,), at=1e12))  # a timed event still waiting
    old.latent_frames(clock)
    old.output.gain, old.output.mute_level = 0.5, 0.25
    shared_bus, shared_scheduler, controls = old.bus, old.scheduler, old.controls
    new = Renderer(BufferReusingSynth())

    assert new.take_over(old, controls) is None
    assert new.controls is controls and new.bus is shared_bus
    assert new.scheduler is shared_scheduler and len(new.scheduler) == 1
    assert (new.output.gain, new.output.mute_level) == (0.5, 0.25)
    assert np.array_equal(new.smoothed, old.smoothed)  # the glide goes on where it was
    assert new.smoothed is not old.smoothed
    # the outgoing renderer keeps private copies: nothing it does reaches the new model
    assert old.controls is not controls and old.bus is not shared_bus
    assert old.scheduler is not shared_scheduler and len(old.scheduler) == 0
    assert np.array_equal(old.controls.voices[0].latent, controls.voices[0].latent)
    old.controls.voices[0].latent[0] = 9.0
    assert controls.voices[0].latent[0] == np.float32(0.5)
    shared_bus.post(Event("latent", (1.0,), index=1))
    old.latent_frames(clock)
    assert controls.voices[0].latent[1] == np.float32(-0.25)  # old did not drain it
    new.latent_frames(clock)
    assert controls.voices[0].latent[1] == np.float32(1.0)


def test_take_over_fits_the_controls_to_another_latent_size():
    old = Renderer(BufferReusingSynth())
    old.bus.post(Event("latent", (0.5, -0.25)))
    old.latent_frames(clock)
    controls = old.controls
    new = Renderer(SizedSynth(3))
    new.take_over(old, controls)
    assert controls.latent_size == 3
    assert np.array_equal(controls.voices[0].latent, np.array([0.5, -0.25, 0.0], np.float32))
    assert np.array_equal(new.smoothed, controls.stacked("latent"))  # starts at the target
    assert old.controls.latent_size == 2  # its copy keeps its own size


def test_take_over_gives_up_a_source_the_incoming_model_lacks():
    old = Renderer(SizedSynth(2, prior=True))
    old.bus.post(Event("source", ("prior",)))
    old.latent_frames(clock)
    controls = old.controls
    assert controls.source == "prior"
    assert Renderer(SizedSynth(2, prior=True)).take_over(old, controls) is None
    assert controls.source == "prior"
    assert Renderer(SizedSynth(2)).take_over(old, controls) == "prior"
    assert controls.source == "manual"
    controls.source = "prior"  # a silent stand-in keeps the performer's choice
    assert Renderer(SizedSynth(2)).take_over(old, controls, keep_source=False) is None
    assert controls.source == "prior"

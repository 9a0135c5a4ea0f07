"""The engine's model loads (load_queue.ModelLoads), apart from any engine: a load is prepared
on the queue's worker (pre-rolled with the latents playing now, fitted to the new size) and
handed on; a failure is reported, never raised into the caller."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import torch
from support.engines import tiny_synth
from support.faulty import Faulty

from latentd.engine.controls import Controls
from latentd.engine.load_queue import LoadQueueFull, ModelLoads
from latentd.engine.pipe import RenderPipe
from latentd.engine.renderer import Renderer
from latentd.models.synth import Synth


class Answers:
    """What the queue answered, from its thread."""

    def __init__(self) -> None:
        self.ready: list[tuple[str, RenderPipe, Any]] = []
        self.failed: list[tuple[str, str, Any]] = []

    def on_ready(self, name: str, pipe: RenderPipe, reply: Any) -> None:
        self.ready.append((name, pipe, reply))

    def on_failed(self, name: str, reason: str, reply: Any) -> None:
        self.failed.append((name, reason, reply))


def loads(loader: Any, playing: np.ndarray, answers: Answers, **options: Any) -> ModelLoads:
    def make_pipe(synth: Synth) -> RenderPipe:
        return RenderPipe(Renderer(synth, 2, Controls(synth.latent_size)), synth.sample_rate,
                          synth.channels)

    return ModelLoads(loader, block_frames=2, torch_threads=1, playing=lambda: playing,
                      make_pipe=make_pipe, on_ready=answers.on_ready,
                      on_failed=answers.on_failed, **options)


def test_a_load_is_prerolled_with_the_playing_latents_fitted_to_its_size():
    seen: list[torch.Tensor] = []
    incoming = Faulty(tiny_synth(seed=2, name="six", latent_size=6))
    incoming.fault = lambda z: (seen.append(z.clone()), incoming.inner.decode(z))[1]
    playing = np.array([[0.5, -1.0, 2.0, 0.25]], np.float32)  # the 4-dim model playing now
    answers = Answers()
    loads(lambda name: incoming, playing, answers).submit("six", reply="client").join(60)
    assert answers.failed == []
    [(name, pipe, reply)] = answers.ready
    assert (name, reply) == ("six", "client") and pipe.renderer.synth is incoming
    assert seen and all(z.shape == (1, 6, 2) for z in seen)  # the render thread's shape
    expected = np.array([0.5, -1.0, 2.0, 0.25, 0.0, 0.0], np.float32)
    assert np.array_equal(seen[-1][0, :, 0].numpy(), expected)


def test_a_failing_or_missing_loader_is_reported_with_its_reason():
    answers = Answers()
    playing = np.zeros((1, 4), np.float32)
    loads(None, playing, answers).submit("any", reply="a").join(60)

    def broken(name: str) -> Synth:
        raise FileNotFoundError(f"no model named '{name}'")

    loads(broken, playing, answers).submit("gone", reply="b").join(60)
    assert answers.ready == []
    assert answers.failed == [("any", "engine has no model loader", "a"),
                              ("gone", "no model named 'gone'", "b")]


def test_loads_past_the_bound_are_refused_and_the_loader_may_change_between_loads():
    release = threading.Event()
    answers = Answers()

    def held(name: str) -> Synth:
        release.wait(30)
        return tiny_synth(seed=1, name=name)

    model_loads = loads(held, np.zeros((1, 4), np.float32), answers, max_waiting=1)
    thread = model_loads.submit("first")
    for _ in range(200):  # the first load has left the queue for its worker
        if not model_loads.queue._waiting:
            break
        threading.Event().wait(0.01)
    model_loads.submit("second")
    try:
        model_loads.submit("third")
        raise AssertionError("a third load was queued past the bound")
    except LoadQueueFull:
        pass
    model_loads.loader = lambda name: tiny_synth(seed=5, name=f"{name}-replaced")
    release.set()
    thread.join(60)
    assert [pipe.renderer.synth.name for _, pipe, _ in answers.ready] \
        == ["first", "second-replaced"]

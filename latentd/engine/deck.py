"""The deck: which models play now. The current pipe, the one fading out after a swap, and the
crossfade between them; and, when the render thread hangs, which of them it hung in.

Only the render thread changes the deck, except the render watchdog once it has given the render
thread up (``abandon_stuck``): then no render thread runs until the watchdog starts the next one.
``mix`` reads the deck into locals once, so a thread abandoned inside it, when it comes back,
only ever touches the pipes it had, never ones swapped in meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from latentd.engine.controls import Controls
from latentd.engine.pipe import PipeClock, RenderPipe
from latentd.engine.swap import Crossfade
from latentd.engine.watchdog import SilentSynth
from latentd.models.synth import Synth


class Deck:
    def __init__(self, pipe: RenderPipe, fade_frames: int):
        self.pipe = pipe
        self.fading: RenderPipe | None = None
        self.crossfade: Crossfade | None = None
        self.fade_frames = fade_frames
        self.pulling: RenderPipe | None = None  # the pipe being pulled now: blamed for a stall

    def begin(self, pipe: RenderPipe, controls: Controls) -> str | None:
        """``pipe`` takes over the controls (``Renderer.take_over``) and fades in over the current
        one (swap.py). Returns the source given up when the new model cannot play it."""
        given_up = pipe.renderer.take_over(self.pipe.renderer, controls)
        self.fading, self.pipe = self.pipe, pipe
        self.crossfade = Crossfade(self.fade_frames)
        return given_up

    def mix(self, frames: int, clock_at: PipeClock) -> np.ndarray:
        """The next chunk, ``frames`` long, crossfaded while a swap runs."""
        return self._mixed(lambda pipe: pipe.pull(frames, clock_at), clock_at)

    def mix_rendered(self, at_least: int, clock_at: PipeClock) -> np.ndarray:
        """The next chunk, as long as whole blocks of the model playing make it (at least
        ``at_least`` frames: ``RenderPipe.pull_rendered``), crossfaded while a swap runs."""
        return self._mixed(lambda pipe: pipe.pull_rendered(at_least, clock_at), clock_at)

    def _mixed(self, pull: Callable[[RenderPipe], np.ndarray],
               clock_at: PipeClock) -> np.ndarray:
        """The playing model's chunk from ``pull``; the model fading out gives as many frames."""
        pipe, fading, crossfade = self.pipe, self.fading, self.crossfade
        self.pulling = pipe
        chunk = pull(pipe)
        if fading is not None and crossfade is not None:
            self.pulling = fading
            chunk = crossfade.mix(fading.pull(len(chunk), clock_at), chunk)
        self.pulling = None
        return chunk

    def settle(self) -> None:
        """After a chunk is taken: a finished crossfade lets the outgoing model go."""
        if self.crossfade is not None and self.crossfade.finished:
            self.fading, self.crossfade = None, None

    def abandon_stuck(self, silent_pipe: Callable[[Synth], RenderPipe],
                      controls: Controls) -> bool:
        """Watchdog thread, the render thread given up: the model it was stuck in is never
        called again (SilentSynth replaces it in its renderer). True when that model was only
        fading out: it is dropped and the current one plays on. Otherwise a silent stand-in
        (``silent_pipe``) takes the controls until the next load."""
        stuck = self.pulling
        if stuck is not None and stuck is self.fading and stuck is not self.pipe:
            stuck.renderer.synth = SilentSynth(stuck.renderer.synth)
            self.fading, self.crossfade = None, None
            return True
        stalled = self.pipe
        replacement = silent_pipe(stalled.renderer.synth)
        replacement.renderer.take_over(stalled.renderer, controls, keep_source=False)
        for pipe in (stalled, self.fading):
            if pipe is not None:
                pipe.renderer.synth = SilentSynth(pipe.renderer.synth)
        self.pipe, self.fading, self.crossfade = replacement, None, None
        return False


"""Voices (issue 20) in the renderer: one batched decode per block, each voice's audio equal to
that voice rendered alone, and voice-count changes that the voices staying never hear.

Both batching paths are checked: a model that regroups its streaming state per row (a latentd
checkpoint, as loaded) and one that cannot (``Synth.regroup`` answering False: the RAVE
look-alike TorchScript export, and a checkpoint wrapped to refuse), where the batch stays at
max voices and idle rows are decoded but not heard.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from support.engines import tiny_model, tiny_synth
from support.rave import make_rave_v2_fixture

from latentd.engine.controls import Controls, Event, VoiceState
from latentd.engine.renderer import Renderer
from latentd.models.checkpoint_synth import LatentdSynth
from latentd.models.synth import Synth
from latentd.models.torchscript import TorchScriptSynth

BLOCK = 2
CLOCK = lambda frame: 0.0  # noqa: E731 (events here are all "now")


class NoRegroup(Synth):
    """A checkpoint that says it cannot regroup: the engine's fixed-batch path."""

    def __init__(self, inner: Synth):
        self.inner = inner
        for name in ("name", "sample_rate", "latent_size", "ratio", "channels", "latency",
                     "methods", "attributes", "fresh_output"):
            setattr(self, name, getattr(inner, name))
        self.calls: list[tuple[int, ...]] = []

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        self.calls.append(tuple(z.shape))
        return self.inner.decode(z)

    def reset(self) -> None:
        self.inner.reset()


_SCRIPTED: dict[str, Synth] = {}  # scripting is slow: one model per kind, reset per use


def checkpoint(regroups: bool) -> Synth:
    synth = _SCRIPTED.get("checkpoint")
    if synth is None:
        synth = _SCRIPTED["checkpoint"] = tiny_synth(seed=3)
    synth.reset()
    return synth if regroups else NoRegroup(synth)


@pytest.fixture(scope="module")
def rave_path(tmp_path_factory):
    return make_rave_v2_fixture(tmp_path_factory.mktemp("rave") / "rave.ts", latent_size=4)


def make(kind: str, rave_path) -> Synth:
    """A fresh stream of the kind's model (the same instance, reset: renders here take turns)."""
    if kind == "rave":
        synth = _SCRIPTED.get("rave")
        if synth is None:
            synth = _SCRIPTED["rave"] = TorchScriptSynth(rave_path)
        synth.reset()
        return synth
    return checkpoint(kind == "regroups")


def same(batched: np.ndarray, alone: np.ndarray) -> bool:
    """Equal up to float32 summation order: torch may pick another kernel for another batch
    size (a difference of about 1e-8 here, against a signal of about 0.1)."""
    return bool(np.allclose(batched, alone, rtol=1e-5, atol=1e-6))


def voice(latent, source="manual", glide_ms=30.0) -> VoiceState:
    state = VoiceState.neutral(4)
    state.latent[:] = latent
    state.source, state.glide_ms = source, glide_ms
    return state


LATENTS = [[1.0, -0.5, 0.2, 0.0], [-1.2, 0.8, 0.0, 0.4], [0.3, 0.3, -0.9, 1.1]]
SOURCES = ["manual", "drift", "manual"]
START = 5  # voice 2 starts at this block, mid-stream


def rows_of(renderer: Renderer, blocks: int, at_block: dict[int, list[Event]] | None = None
            ) -> list[np.ndarray]:
    """Each block's decoded rows (rows, channels, samples), posting ``at_block``'s events."""
    out = []
    for b in range(blocks):
        for event in (at_block or {}).get(b, []):
            renderer.bus.post(event)
        renderer.render(CLOCK)
        out.append(renderer.last_rows.copy())
    return out


@pytest.mark.parametrize("kind", ["regroups", "fixed batch", "rave"])
def test_each_voice_of_a_batched_render_equals_that_voice_rendered_alone(kind, rave_path):
    """Voices with different latents and sources, one started mid-stream (``/voices`` at
    block START): every row of every block equals a render of that voice alone (its own
    model instance, its drift seeded as the voice's). One decode call per block."""
    synth = make(kind, rave_path)
    controls = Controls(4, [voice(LATENTS[0]), voice(LATENTS[1], "drift")])
    batched = Renderer(synth, BLOCK, controls, seed=7, max_voices=3)
    third = [Event("voices", (3,)), *(Event("latent", tuple(LATENTS[2]), voice=2),
                                      Event("glide", (30.0,), voice=2))]
    blocks = 12
    together = rows_of(batched, blocks, {START: third})
    calls = list(getattr(synth, "calls", []))
    regrouped = batched.regroups
    assert regrouped is (kind == "regroups")
    assert batched.rows == 3  # 3 voices now, and max 3 rows
    if isinstance(synth, NoRegroup):
        assert calls == [(3, 4, BLOCK)] * blocks  # one batched call per block
    for i in range(3):
        alone_synth = make(kind, rave_path)
        # the RAVE look-alike's rows each carry their own saved cache and sample count (as
        # nn~'s warm-up leaves a real export's), so there voice i alone is row i with the
        # other rows silent-neutral: its row must not depend on the other voices
        row = i if kind == "rave" else 0
        others = [voice([0.0] * 4) for _ in range(row)]
        if i < 2:
            alone = Renderer(alone_synth, BLOCK,
                             Controls(4, [*others, voice(LATENTS[i], SOURCES[i])]),
                             seed=7 + i - row, max_voices=3)
            pairs = zip(together, rows_of(alone, blocks), strict=True)
            continue_with = None
        else:  # a new voice starts neutral (latents 0) and glides to what it is sent
            alone = Renderer(alone_synth, BLOCK, Controls(4, [*others, voice([0.0] * 4)]),
                             seed=7 + i - row, max_voices=3)
            continue_with = {0 if regrouped else START: [
                Event("latent", tuple(LATENTS[2]), voice=row),
                Event("glide", (30.0,), voice=row)]}
            if regrouped:  # a new row starts from a reset state: a stream begun at START
                pairs = zip(together[START:], rows_of(alone, blocks - START, continue_with),
                            strict=True)
            else:  # a fixed batch: its row decoded neutral latents (0) until START
                pairs = zip(together, rows_of(alone, blocks, continue_with), strict=True)
        for b, (rows, one) in enumerate(pairs):
            assert same(rows[i], one[row]), (kind, i, b, np.abs(rows[i] - one[row]).max())
    assert np.abs(together[-1][2]).max() > 0  # the late voice sounds


@pytest.mark.parametrize("kind", ["regroups", "fixed batch"])
def test_voice_count_changes_leave_the_staying_voices_sample_exact(kind, rave_path):
    """Voices 1 and 2 come and go under playback (4 -> 2 -> 3 -> 1 ... voices): voice 0's
    audio, and voice 1's while it stays, are those of a render where the count never
    changed; every block comes, of the same length."""
    controls = Controls(4, [voice(LATENTS[0]), voice(LATENTS[1], "drift")])
    changing = Renderer(make(kind, rave_path), BLOCK, controls, seed=7, max_voices=4)
    other = LatentdSynth(tiny_model(3), "tiny", script=False)  # same weights, its own stream
    steady = Renderer(other if kind == "regroups" else NoRegroup(other), BLOCK,
                      Controls(4, [voice(LATENTS[0]), voice(LATENTS[1], "drift")]), seed=7,
                      max_voices=4)
    changes = {2: [Event("voices", (4,))], 5: [Event("voices", (2,))], 7: [Event("voices", (3,))],
               9: [Event("voices", (1,))]}
    counts = {2: 4, 5: 2, 7: 3, 9: 1}
    blocks = 12
    mixed = []
    for b in range(blocks):
        for event in changes.get(b, []):
            changing.bus.post(event)
        out = changing.render(CLOCK)
        steady.render(CLOCK)
        assert len(out) == BLOCK * changing.synth.ratio and np.isfinite(out).all()
        mixed.append(out)
        count = next((counts[k] for k in sorted(counts, reverse=True) if k <= b), 2)
        assert changing.voice_count == count
        assert same(changing.last_rows[0], steady.last_rows[0]), b
        if b < 9:  # voice 1 plays until the count falls to 1
            assert same(changing.last_rows[1], steady.last_rows[1]), b


def test_the_batch_of_a_model_that_cannot_regroup_stays_at_max_voices():
    synth = checkpoint(False)
    renderer = Renderer(synth, BLOCK, Controls(4), max_voices=5)
    renderer.render(CLOCK)
    renderer.bus.post(Event("voices", (2,)))
    renderer.render(CLOCK)
    assert synth.calls == [(5, 4, BLOCK)] * 2 and renderer.voice_count == 2


def test_voices_beyond_the_limit_or_the_count_are_refused_with_the_range():
    failures = []
    renderer = Renderer(checkpoint(True), BLOCK, Controls(4), max_voices=3,
                        on_error=lambda event, reason: failures.append(reason))
    renderer.bus.post(Event("voices", (4,)))
    renderer.bus.post(Event("gain", (-6.0,), voice=2))
    renderer.render(CLOCK)
    assert failures == ["voices 4 is outside [1, 3] (the daemon's --max-voices)",
                        "voice 2 is outside [0, 0] (1 voices play: /voices sets how many)"]
    assert renderer.voice_count == 1


def test_glide_source_and_gain_are_each_voices_own():
    renderer = Renderer(checkpoint(True), BLOCK, Controls(4), max_voices=2)
    renderer.bus.post(Event("voices", (2,)))
    renderer.bus.post(Event("glide", (0.0,), voice=1))
    renderer.bus.post(Event("latent", (1.0,), index=0, voice=1))
    renderer.bus.post(Event("latent", (1.0,), index=0, voice=0))
    renderer.bus.post(Event("source", ("drift",), voice=1))
    renderer.bus.post(Event("gain", (-6.0,), voice=1))
    frames = renderer.latent_frames(CLOCK)
    voices = renderer.controls.voices
    assert voices[0].source == "manual" and voices[1].source == "drift"
    assert voices[0].gain_db == 0.0 and voices[1].gain_db == -6.0
    assert 0 < frames[0, 0, 0] < 1.0  # voice 0 glides (50 ms), voice 1 drifts around 1
    assert voices[0].glide_ms == 50.0 and voices[1].glide_ms == 0.0


def test_voice_count_changes_under_real_time_playback_never_underrun(tmp_path):
    """The null output paced in real time, a render thread, /voices changed five times in a
    second while recording: no underrun, no render failure, the recording never silent."""
    import time

    import soundfile
    from support.engines import null_engine

    synth = tiny_synth(seed=3)
    engine = null_engine(tmp_path, synth, voices=1, max_voices=4, latency_ms=80.0)
    engine.post(Event("latent", tuple(LATENTS[0])))
    engine.start()
    try:
        path = engine.record_start("voices")
        for count in (3, 1, 4, 2, 1):
            engine.post(Event("voices", (count,)))
            engine.post(Event("latent", tuple(LATENTS[1]), voice=count - 1))
            time.sleep(0.2)
        engine.record_stop()
        assert engine.ring.underruns == 0
        assert engine.health.errors == 0 and engine.pipe.renderer.voice_count == 1
    finally:
        engine.stop()
    audio, _ = soundfile.read(path, dtype="float32")
    assert len(audio) >= 0.25 * synth.sample_rate  # (a loaded CI machine renders less)
    assert np.isfinite(audio).all() and np.abs(audio).max() <= 1.0
    silent = np.abs(audio.reshape(len(audio), -1)).max(axis=1) < 1e-6
    runs = np.diff(np.flatnonzero(np.diff(np.r_[0, silent.astype(int), 0])))[::2]
    assert (runs.max() if len(runs) else 0) < 0.01 * synth.sample_rate  # voice 0 never stops


def test_presets_recall_every_voice_or_one_voice():
    """A saved ensemble comes back voice by voice (latents, gain, pan, source, glide); one
    voice takes a preset's first voice and the others stay as they are."""
    from latentd.engine.preset_schema import validate
    from latentd.engine.presets import snapshot

    saved = Controls(4, [voice(LATENTS[0], glide_ms=10.0), voice(LATENTS[1], "drift")])
    saved.voices[1].gain_db, saved.voices[1].pan = -6.0, 0.5
    preset = validate(snapshot(saved), 4)
    renderer = Renderer(checkpoint(True), BLOCK, Controls(4), max_voices=2)
    renderer.bus.post(Event("voices", (2,)))
    renderer.bus.post(Event("preset", (preset, 0.0)))
    renderer.latent_frames(CLOCK)
    for got, want in zip(renderer.controls.voices, saved.voices, strict=True):
        assert np.allclose(got.latent, want.latent)  # a morph of 0 s: a + (b - a) * 1
        assert (got.gain_db, got.pan, got.source, got.glide_ms) == \
            (want.gain_db, want.pan, want.source, want.glide_ms)
    renderer.bus.post(Event("voice_preset", (preset, 0.0), voice=1))
    renderer.latent_frames(CLOCK)
    first, second = renderer.controls.voices
    assert np.allclose(second.latent, saved.voices[0].latent) and second.pan == 0.0
    assert second.source == "manual" and np.allclose(first.latent, saved.voices[0].latent)

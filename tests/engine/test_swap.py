"""Model swaps: steady loudness (pre-roll + correlation-aware crossfade), the name the client
asked for in /done, and the source kept when the new model can play it."""

import numpy as np
import soundfile
from support.engines import tiny_synth, wav_engine
from support.faulty import Faulty

from latentd.engine.controls import Event
from latentd.engine.swap import Crossfade, preroll_frames
from latentd.models.checkpoint_synth import LatentdSynth
from latentd.models.registry import bundled_default


def window_rms_db(audio: np.ndarray, start: int, end: int, window: int) -> np.ndarray:
    frames = audio[start:end][: (end - start) // window * window].reshape(-1, window)
    return 20 * np.log10(np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1)) + 1e-12)


def test_reloading_the_same_model_keeps_the_level_within_1_db(tmp_path):
    path = bundled_default()
    assert path is not None
    engine = wav_engine(tmp_path, LatentdSynth.from_checkpoint(path), block_frames=1)
    engine.loader = lambda name: LatentdSynth.from_checkpoint(path)
    engine.post(Event("latent", (0.5, -0.5, 0.3, 0.0)))
    engine.start()
    engine.render_offline(0.6)
    engine.load_model("default").join(60)
    engine.render_offline(0.5)
    engine.stop(fade_seconds=0)
    audio, rate = soundfile.read(tmp_path / "out.wav", dtype="float32")
    levels = window_rms_db(audio, int(0.3 * rate), int(1.1 * rate), int(0.02 * rate))
    reference = np.median(levels[:12])  # the 0.24 s before the swap at 0.6 s
    assert reference > -40  # a sound, not silence
    # before the pre-roll the fresh model dipped the level by 10 dB for about 100 ms
    assert np.abs(levels - reference).max() < 1.0, np.round(levels - reference, 1)


def test_the_crossfade_keeps_power_for_uncorrelated_and_correlated_signals():
    rng = np.random.default_rng(0)
    size = 4096
    for old, new in [(rng.standard_normal((size, 1)), rng.standard_normal((size, 1))),
                     (np.sin(np.arange(size) * 0.05)[:, None],) * 2]:
        fade = Crossfade(size)
        mixed = np.concatenate([fade.mix(old[i:i + 256].astype(np.float32) * 0.3,
                                         new[i:i + 256].astype(np.float32) * 0.3)
                                for i in range(0, size, 256)])
        expected = np.sqrt(np.mean((0.3 * old) ** 2))
        for part in np.split(mixed, 8):
            assert abs(20 * np.log10(np.sqrt(np.mean(part ** 2)) / expected)) < 1.0


def test_preroll_covers_the_receptive_field_in_whole_blocks():
    synth = tiny_synth()
    frames = preroll_frames(synth, 4)
    assert frames % 4 == 0 and frames >= synth.decoder_stream.receptive_field
    assert frames * synth.ratio / synth.sample_rate >= 0.5


def test_done_echoes_the_name_asked_for(tmp_path):
    engine = wav_engine(tmp_path, tiny_synth())
    engine.loader = lambda name: tiny_synth(seed=4, name="stem-of-the-file")
    notices = []
    engine.listeners.append(notices.append)
    engine.start()
    engine.load_model("what-the-client-sent", reply="client").join(60)
    engine.render_offline(0.2)
    assert [n.args for n in notices if n.kind == "done"] == [("what-the-client-sent",)]
    assert engine.model_name == engine.snapshot().model == "what-the-client-sent"


def test_the_source_is_kept_when_the_new_model_has_it(tmp_path):
    engine = wav_engine(tmp_path, Faulty(tiny_synth(), with_prior=True))
    engine.loader = lambda name: Faulty(tiny_synth(seed=4, name=name), with_prior=True)
    notices = []
    engine.listeners.append(notices.append)
    engine.post(Event("source", ("prior",)))
    engine.start()
    engine.render_offline(0.05)
    engine.load_model("also-prior").join(60)
    engine.render_offline(0.05)
    assert engine.controls.source == "prior"
    assert [n.args for n in notices if n.kind == "done"] == [("also-prior",)]


def test_a_source_the_new_model_lacks_falls_back_to_manual_and_says_so(tmp_path):
    engine = wav_engine(tmp_path, Faulty(tiny_synth(), with_prior=True))
    engine.loader = lambda name: tiny_synth(seed=4, name=name)
    notices = []
    engine.listeners.append(notices.append)
    engine.post(Event("source", ("prior",)))
    engine.start()
    engine.render_offline(0.05)
    engine.load_model("no-prior").join(60)
    engine.render_offline(0.05)
    assert engine.controls.source == "manual"
    assert [n.args for n in notices if n.kind == "done"] == [("no-prior", "source", "manual")]

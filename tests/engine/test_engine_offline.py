"""The engine on the WAV backend: exact, repeatable, faster than real time."""

import numpy as np
import soundfile
import torch
from support.engines import tiny_model, tiny_synth, wav_engine

from latentd.engine.controls import Event
from latentd.models.checkpoint_synth import LatentdSynth


def test_render_equals_offline_decode_of_the_same_trajectory(tmp_path):
    model = tiny_model()
    synth = LatentdSynth(model, "tiny")
    engine = wav_engine(tmp_path, synth, block_frames=2)
    engine.post(Event("glide", (0.0,)))
    engine.start()
    frame_seconds = synth.ratio / synth.sample_rate
    trajectory = []
    rng = np.random.default_rng(0)
    for _ in range(20):
        values = rng.uniform(-2, 2, synth.latent_size).astype(np.float32)
        engine.post(Event("latent", tuple(float(v) for v in values)))
        engine.render_offline(2 * frame_seconds)
        trajectory += [values, values]
    engine.stop(fade_seconds=0)
    rendered, rate = soundfile.read(tmp_path / "out.wav", dtype="float32")
    assert rate == synth.sample_rate and len(rendered) == 40 * synth.ratio
    z = torch.from_numpy(np.stack(trajectory, axis=-1)[None])
    with torch.no_grad():
        offline = model.decoder(z)[0, 0].numpy()
    lag = synth.latency
    span = len(offline) - lag
    assert np.abs(offline).max() < 0.9  # the limiter must not be engaged for an exact match
    np.testing.assert_allclose(rendered[lag : lag + span], offline[:span], atol=2e-5)


def test_timed_event_lands_on_the_first_frame_heard_at_or_after_its_time(tmp_path):
    synth = tiny_synth()
    seen = []
    decode = synth.decode
    synth.decode = lambda z: (seen.append(z.clone()), decode(z))[1]
    engine = wav_engine(tmp_path, synth, block_frames=4)
    engine.post(Event("glide", (0.0,)))
    engine.start()
    t0 = engine.clock.time_of(0)
    frame = synth.ratio / synth.sample_rate
    heard = t0 + synth.latency / synth.sample_rate
    engine.post(Event("latent", (3.0,), index=1, at=heard + 9.5 * frame))  # between 9 and 10
    engine.render_offline(16 * frame)
    engine.stop(fade_seconds=0)
    latents = torch.cat(seen, -1)[0, 1]
    assert latents[:10].abs().max() == 0
    assert torch.all(latents[10:] == 3.0)


def test_late_events_apply_at_once_and_are_reported(tmp_path):
    synth = tiny_synth()
    engine = wav_engine(tmp_path, synth)
    notices = []
    engine.listeners.append(notices.append)
    engine.start()
    engine.render_offline(0.01)
    engine.post(Event("gain", (-6.0,), at=engine.clock.time_of(0) - 1.0, reply="me"))
    engine.render_offline(0.01)
    engine.stop(fade_seconds=0)
    assert engine.controls.gain_db == -6.0
    late = [n for n in notices if n.kind == "late"]
    assert len(late) == 1 and late[0].reply == "me" and late[0].args[0] >= 1.0


def test_output_stays_inside_unit_range_with_huge_gain(tmp_path):
    synth = tiny_synth()
    engine = wav_engine(tmp_path, synth)
    engine.post(Event("gain", (24.0,)))
    engine.post(Event("latent", (8.0, -8.0, 8.0, -8.0)))
    engine.start()
    engine.render_offline(0.5)
    engine.stop(fade_seconds=0)
    rendered, _ = soundfile.read(tmp_path / "out.wav", dtype="float32")
    assert np.abs(rendered).max() <= 1.0
    assert np.abs(rendered).max() > 0.5


def test_mute_fades_to_silence_without_a_click(tmp_path):
    synth = tiny_synth()
    engine = wav_engine(tmp_path, synth)
    engine.post(Event("latent", (2.0, -2.0, 1.0, 0.5)))
    engine.start()
    engine.render_offline(0.2)
    engine.post(Event("mute", (True,)))
    engine.render_offline(0.2)
    engine.stop(fade_seconds=0)
    rendered, rate = soundfile.read(tmp_path / "out.wav", dtype="float32")
    tail = rendered[int(0.2 * rate) + int(0.02 * rate) :]
    assert np.abs(tail).max() == 0.0
    before = np.abs(np.diff(rendered[int(0.1 * rate) : int(0.2 * rate)])).max()
    during = np.abs(np.diff(rendered[int(0.2 * rate) - 1 : int(0.22 * rate)])).max()
    assert during <= before  # no step larger than the sound's own: no click
    assert np.abs(rendered[int(0.2 * rate) : int(0.203 * rate)]).max() > 0  # a fade, not a cut


def test_unavailable_source_is_refused_with_a_notice(tmp_path):
    synth = tiny_synth()
    engine = wav_engine(tmp_path, synth)
    notices = []
    engine.listeners.append(notices.append)
    engine.start()
    engine.post(Event("source", ("prior",), reply="client"))
    engine.render_offline(0.01)
    assert engine.controls.source == "manual"
    assert any(n.kind == "fail" and "prior" in n.args[0] for n in notices)

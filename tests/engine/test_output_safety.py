"""Whatever a model returns and whatever gain is asked, what leaves the output stage and the
renderer is finite and inside [-1, 1]; non-finite samples become counted silence."""

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from support.engines import tiny_synth
from support.faulty import Faulty

from latentd.engine.health import ModelHealth
from latentd.engine.output_stage import OutputStage
from latentd.engine.renderer import Renderer

SPECIAL = [np.nan, np.inf, -np.inf, 1e30, -1e30, 3.4e38, 1e-45, 0.0, 1.0, -1.0]
samples = st.one_of(st.sampled_from(SPECIAL),
                    st.floats(allow_nan=True, allow_infinity=True, width=64))
gains = st.one_of(st.sampled_from([np.nan, np.inf, -np.inf, 1e308, -1e308, 24.0, 0.0]),
                  st.floats(allow_nan=True, allow_infinity=True))
dtypes = st.sampled_from([np.float32, np.float64, np.float16])


def cast(value: float, dtype) -> float:
    with np.errstate(all="ignore"):  # 1e30 in float16 is inf: that is the point
        return float(np.array(value).astype(dtype))


def blocks(dtype):
    return hnp.arrays(dtype, st.tuples(st.integers(1, 64), st.integers(1, 2)),
                      elements=samples.map(lambda v: cast(v, dtype)))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(dtypes.flatmap(blocks), gains, st.booleans()), min_size=1,
                max_size=6))
def test_output_stage_output_is_finite_and_inside_unit_range(steps):
    stage = OutputStage(44100, health=ModelHealth())
    for audio, gain_db, muted in steps:
        with np.errstate(all="ignore"):
            before = audio.copy()
        out = stage.process(audio, gain_db, muted)
        assert out.dtype == np.float32
        assert np.all(np.isfinite(out)) and np.abs(out).max() <= 1.0
        assert np.array_equal(audio, before, equal_nan=True)  # the input is never written


def test_nonfinite_samples_are_counted_and_the_rest_still_limited():
    health = ModelHealth()
    stage = OutputStage(44100, health=health)
    audio = np.full((512, 1), 0.5, np.float32)
    audio[::2] = np.nan
    out = stage.process(audio, 0.0, False)
    assert health.nonfinite_samples == 256 and stage.nonfinite_samples == 256
    assert np.all(out[::2] == 0.0) and np.allclose(out[1::2], 0.5)
    loud = np.full((512, 1), 1e30, np.float32)
    loud[0] = np.inf
    out = stage.process(loud, 24.0, False)
    assert np.all(np.isfinite(out)) and np.abs(out).max() <= 1.0


def test_a_nan_gain_keeps_the_last_gain():
    stage = OutputStage(44100)
    audio = np.full((256, 1), 0.1, np.float32)
    stage.process(audio, -6.0, False)
    out = stage.process(audio, float("nan"), False)
    assert np.allclose(out, 0.1 * 10 ** (-6 / 20), rtol=1e-4)


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float64, st.just((1, 1, 4 * 64)), elements=samples),
       st.sampled_from([torch.float32, torch.float64, torch.float16]), gains)
def test_renderer_output_is_finite_and_inside_unit_range_for_any_model_output(
        values, dtype, gain_db):
    faulty = Faulty(SYNTH)
    with np.errstate(all="ignore"):
        answer = torch.from_numpy(values).to(dtype)
    faulty.fault = lambda z: answer
    renderer = Renderer(faulty, block_frames=4)
    renderer.controls.gain_db = gain_db
    for _ in range(3):
        out = renderer.render(lambda j: 0.0)
        assert np.all(np.isfinite(out)) and np.abs(out).max() <= 1.0


SYNTH = tiny_synth()


class NanExport(torch.nn.Module):
    """An nn~-style TorchScript export whose decode answers NaN and 1e30."""

    sr: int

    def __init__(self):
        super().__init__()
        self.sr = 44100
        self.register_buffer("decode_params", torch.tensor([4, 64, 1, 1]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        out = torch.full((z.shape[0], 1, z.shape[-1] * 64), 1e30)
        out[..., ::2] = float("nan")
        return out


def test_a_torchscript_model_answering_nan_and_1e30_is_played_finite_and_limited(tmp_path):
    import soundfile
    from support.engines import wav_engine

    from latentd.models.torchscript import TorchScriptSynth

    path = tmp_path / "nan.ts"
    torch.jit.script(NanExport()).save(str(path))
    engine = wav_engine(tmp_path, TorchScriptSynth(path), block_frames=4)
    engine.start()
    engine.render_offline(0.3)
    engine.stop(fade_seconds=0)
    audio, _ = soundfile.read(tmp_path / "out.wav", dtype="float32")
    assert np.all(np.isfinite(audio)) and np.abs(audio).max() <= 1.0
    t = engine.snapshot()
    assert t.nonfinite_samples > 1000 and t.peak_db[0] > -3.0  # the 1e30 half, limited


def test_latents_from_a_model_prior_are_made_finite():
    """One NaN in the glide's state would stay there and silence every later block."""
    from latentd.engine.controls import Controls, Event
    from latentd.engine.sources import MAX_MODEL_LATENT, PriorSource

    def bad_prior(frames, temperature=1.0, batch=1):
        values = torch.tensor([np.nan, np.inf, -1e30, 0.5])
        return values.repeat(batch, SYNTH.latent_size, frames)[..., :frames]

    faulty = Faulty(SYNTH, with_prior=True)
    faulty.prior = bad_prior
    frame = PriorSource(faulty, chunk=4).next_frame(Controls(SYNTH.latent_size))
    assert np.all(np.isfinite(frame)) and np.abs(frame).max() <= MAX_MODEL_LATENT
    renderer = Renderer(faulty, block_frames=4)
    renderer.bus.post(Event("source", ("prior",)))
    for _ in range(4):
        renderer.render(lambda j: 0.0)
    assert np.all(np.isfinite(renderer.smoothed))

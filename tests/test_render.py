"""``latentd render``: offline demo through the engine, measured afterwards; bad arguments give
a non-zero exit status and a message."""

import numpy as np
import pytest
import soundfile
import torch

from latentd.__main__ import main
from latentd.models.checkpoint import attach_prior, save_checkpoint
from latentd.models.prior import LatentPrior, prior_payload
from latentd.models.rave import RaveConfig, RaveModel
from latentd.render import MAX_SILENCE_S, measure

RATE = 44100


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    root = tmp_path_factory.mktemp("render")
    torch.manual_seed(0)
    model = RaveModel(RaveConfig.tiny(noise=False, bands=4, ratios=(4, 4), latent_size=4))
    plain = root / "plain.ckpt"
    save_checkpoint(plain, model)
    with_prior = root / "prior.ckpt"
    attach_prior(plain, with_prior, prior_payload(LatentPrior(4, hidden_size=8, layers=1)))
    return plain, with_prior


@pytest.mark.parametrize("source", ["drift", "manual", "prior"])
def test_renders_each_source_and_reports_the_check(models, tmp_path, capsys, source):
    out = tmp_path / "demo.wav"
    code = main(["render", str(models[1]), "--seconds", "1.5", "--source", source, "-o",
                 str(out), "--block-frames", "8", "--latents", "0.5", "-0.5"])
    assert code == 0
    audio, rate = soundfile.read(out, dtype="float32")
    assert rate == RATE and len(audio) == int(1.5 * RATE)
    assert np.isfinite(audio).all() and np.abs(audio).max() > 1e-4
    printed = capsys.readouterr().out
    assert "peak" in printed and "longest silence" in printed


def test_drift_moves_and_manual_holds(models, tmp_path):
    from latentd.train.metrics import rms_db

    wobble = {}
    for source in ("drift", "manual"):
        out = tmp_path / f"{source}.wav"
        assert main(["render", str(models[0]), "--seconds", "2", "--source", source, "-o",
                     str(out), "--block-frames", "8", "--drift-rate", "2"]) == 0
        audio, _ = soundfile.read(out, dtype="float32")
        wobble[source] = rms_db(audio[RATE // 10:], RATE, 0.05).std()  # level over time, dB
    assert wobble["drift"] > 10 * wobble["manual"]


def test_prior_needs_a_model_with_a_prior(models, tmp_path, capsys):
    code = main(["render", str(models[0]), "--source", "prior", "-o", str(tmp_path / "x.wav")])
    assert code == 2
    assert "has no prior" in capsys.readouterr().err
    assert not (tmp_path / "x.wav").exists()


@pytest.mark.parametrize("argv", [["--seconds", "0"], ["--seconds", "nan"],
                                  ["--source", "none"], ["--block-frames", "0"]])
def test_bad_arguments_exit_2(models, tmp_path, argv):
    with pytest.raises(SystemExit) as exit_info:
        main(["render", str(models[0]), "-o", str(tmp_path / "x.wav"), *argv])
    assert exit_info.value.code == 2


def test_source_input_needs_an_input_file(models, tmp_path, capsys):
    assert main(["render", str(models[0]), "-o", str(tmp_path / "x.wav"), "--source",
                 "input"]) == 2
    assert "--source input needs --input FILE" in capsys.readouterr().err
    assert not (tmp_path / "x.wav").exists()


def test_missing_model_folder_and_too_many_latents(models, tmp_path, capsys):
    assert main(["render", str(tmp_path / "nope.ckpt"), "-o", str(tmp_path / "x.wav")]) == 1
    assert "not found" in capsys.readouterr().err
    assert main(["render", str(models[0]), "-o", str(tmp_path / "no" / "x.wav")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["render", str(models[0]), "-o", str(tmp_path / "x.wav"), "--latents",
                 *["0"] * 5]) == 2
    assert "4 dimensions" in capsys.readouterr().err


def test_measure_finds_clipping_and_the_longest_silence():
    t = np.arange(3 * RATE) / RATE
    audio = 0.5 * np.sin(2 * np.pi * 220 * t)
    audio[RATE: RATE + int(1.5 * RATE)] = 0.0  # 1.5 s of silence
    audio[10] = 1.0
    check = measure(audio.astype(np.float32)[:, None], RATE)
    assert check.clipped == 1 and check.peak_dbfs == pytest.approx(0.0)
    assert check.longest_silence_s == pytest.approx(1.5, abs=0.06)
    assert not check.ok
    assert check.describe().endswith(
        "check FAILED: clipping: 1 samples at or beyond full scale (peak 0.0 dBFS; allowed: "
        "none); silence: 1.50 s below -60 dBFS (allowed: 0.00 s)")
    assert "no clipping" not in check.describe()  # read as a pass before
    clean = measure((0.5 * np.sin(2 * np.pi * 220 * t))[:, None], RATE)
    assert clean.ok and clean.longest_silence_s == 0 and clean.clipped == 0
    assert clean.peak_dbfs == pytest.approx(-6.02, abs=0.01)
    assert MAX_SILENCE_S < 1.5


def test_check_flag_fails_a_silent_render(models, tmp_path, monkeypatch, capsys):
    import latentd.render as render_module

    silent = render_module.RenderCheck(1.0, -120.0, -130.0, 0, 1.0 + MAX_SILENCE_S)
    monkeypatch.setattr(render_module, "render", lambda *a, **k: silent)
    argv = ["render", str(models[0]), "-o", str(tmp_path / "x.wav")]
    assert main(argv) == 0
    assert main([*argv, "--check"]) == 1
    printed = capsys.readouterr().out
    assert "check FAILED: silence: 1.00 s below -60 dBFS (allowed: 0.00 s)" in printed
    assert "clipping" not in printed.split("FAILED")[1]


def test_latent_values_are_user_units_when_the_model_has_stats(models, tmp_path, capsys):
    """--latents 0 on a model with latent stats plays its typical sound: the same audio as the
    stats' mean given in raw units to the same weights without stats (once the glide from the
    controls' initial 0 has settled: that 0 is itself in different units)."""
    from latentd.models.checkpoint import update_checkpoint
    from latentd.models.latents import LatentStats

    stats = LatentStats(torch.tensor([0.5, -0.5, 0.25, 0.0]), torch.tensor([0.5, 2.0, 1.0, 1.0]))
    user = tmp_path / "user.ckpt"
    update_checkpoint(models[0], user, latent_stats=stats.to_payload())
    renders = {}
    for name, model, latents in (("user", user, ["0"] * 4),
                                 ("raw", models[0], [str(float(v)) for v in stats.mean])):
        out = tmp_path / f"{name}.wav"
        assert main(["render", str(model), "--seconds", "1", "--source", "manual", "-o",
                     str(out), "--block-frames", "8", "--latents", *latents]) == 0
        renders[name] = soundfile.read(out, dtype="float32")[0]
        assert f"latent values in {'normalised' if name == 'user' else 'raw'} units" in (
            capsys.readouterr().out)
    assert np.abs(renders["user"]).max() > 1e-4
    settled = slice(int(0.7 * RATE), None)  # 14 glide time constants
    np.testing.assert_allclose(renders["user"][settled], renders["raw"][settled], atol=1e-5)


def test_the_model_latency_is_trimmed_from_the_file(models, tmp_path):
    """The stream's first ``latency`` samples are silent by construction; the file skips them
    and still holds the seconds asked for."""
    from latentd.models import load_synth

    synth = load_synth(models[0])
    assert synth.latency > 0  # the fixture model looks ahead: there is a lead to trim
    out = tmp_path / "lead.wav"
    assert main(["render", str(models[0]), "--seconds", "1", "--source", "manual", "-o",
                 str(out), "--latents", "1.0"]) == 0
    audio, _ = soundfile.read(out, dtype="float32")
    assert len(audio) == RATE
    assert np.abs(audio[: synth.latency]).max() > 1e-4  # untrimmed, these were exact zeros


@pytest.mark.parametrize(("flag", "value"), [("--drift-depth", "-1"), ("--temperature", "-0.5")])
def test_negative_depth_or_temperature_is_a_usage_error(tmp_path, capsys, flag, value):
    with pytest.raises(SystemExit) as exit_info:
        main(["render", "-o", str(tmp_path / "x.wav"), flag, value])
    assert exit_info.value.code == 2 and flag in capsys.readouterr().err


# ----------------------------------------------------------------------------- --input (issue 19)
def _tone(seconds: float, rate: int = RATE, channels: int = 1) -> np.ndarray:
    """A harmonic tone with a moving loudness, (samples, channels) float32."""
    t = np.arange(int(seconds * rate)) / rate
    mono = (0.3 * np.sin(2 * np.pi * 220 * t) + 0.1 * np.sin(2 * np.pi * 660 * t)) \
        * (0.6 + 0.4 * np.sin(2 * np.pi * 1.5 * t))
    return np.repeat(mono[:, None], channels, axis=1).astype(np.float32)


def _offline_reference(model_path, audio: np.ndarray) -> tuple[np.ndarray, int]:
    """The model's own offline encode -> decode of ``audio`` (one call each, fresh state), and
    the edge (samples) where offline zero padding and the streams' start legitimately differ."""
    from latentd.models import load_synth
    from latentd.models.rave import EncoderMean

    synth = load_synth(str(model_path))
    x = torch.from_numpy(np.ascontiguousarray(audio.T))[None]
    with torch.inference_mode():
        if hasattr(synth, "model"):  # a latentd checkpoint: the unstreamed networks
            model = synth.model
            out = model.decoder(EncoderMean(model.encoder)(x))
            edge = synth.encode_latency + synth.latency
        else:  # an nn~ export: one call on the whole signal from fresh caches
            out = synth.decode(synth.encode(x[..., : x.shape[-1] // synth.ratio * synth.ratio]))
            edge = 0
    return out[0].numpy().T, edge


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    from support.rave import make_rave_v1_fixture, make_rave_v2_fixture

    root = tmp_path_factory.mktemp("exports")
    return {"v1": make_rave_v1_fixture(root / "v1.ts"), "v2": make_rave_v2_fixture(root / "v2.ts")}


@pytest.mark.parametrize("kind", ["checkpoint", "v1", "v2"])
def test_input_transfer_equals_the_models_offline_encode_decode(models, exports, tmp_path,
                                                                kind):
    model = models[0] if kind == "checkpoint" else exports[kind]
    audio = _tone(1.2)
    soundfile.write(tmp_path / "in.wav", audio, RATE, subtype="FLOAT")
    out = tmp_path / "out.wav"
    assert main(["render", str(model), "--input", str(tmp_path / "in.wav"), "-o", str(out),
                 "--block-frames", "4"]) == 0
    got, rate = soundfile.read(out, dtype="float32", always_2d=True)
    assert rate == RATE and len(got) == len(audio)  # the input's length
    reference, edge = _offline_reference(model, audio)
    n = min(len(reference), len(got)) - edge
    assert n > RATE // 2
    peak = np.abs(reference[edge:n]).max()
    assert peak > 1e-3
    error = np.abs(got[edge:n] - reference[edge:n]).max()
    assert error <= 1e-4 * peak, f"{kind}: error {error:.3g} of peak {peak:.3g}"


def test_input_transfer_of_a_folder_resamples_and_picks_channels(models, tmp_path, capsys):
    folder = tmp_path / "takes"
    folder.mkdir()
    soundfile.write(folder / "a.wav", _tone(0.5, 48000, 2), 48000)
    soundfile.write(folder / "b.flac", _tone(0.4, 22050, 3), 22050)
    (folder / "notes.txt").write_text("not audio")
    out = tmp_path / "out"
    assert main(["render", str(models[0]), "--input", str(folder), "-o", str(out),
                 "--input-channels", "2", "--block-frames", "8"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["a.wav", "b.wav"]
    for name, seconds in (("a.wav", 0.5), ("b.wav", 0.4)):
        audio, rate = soundfile.read(out / name, dtype="float32")
        assert rate == RATE and abs(len(audio) - seconds * RATE) <= 1
        assert np.isfinite(audio).all() and np.abs(audio).max() > 1e-4
    assert "wrote" in capsys.readouterr().out


def test_input_transfer_shows_progress_on_long_files(models, tmp_path, capsys, monkeypatch):
    import latentd.transfer as transfer_module

    monkeypatch.setattr(transfer_module, "LONG_SECONDS", 0.5)
    soundfile.write(tmp_path / "in.wav", _tone(1.5), RATE)
    assert main(["render", str(models[0]), "--input", str(tmp_path / "in.wav"), "-o",
                 str(tmp_path / "out.wav"), "--block-frames", "8"]) == 0
    err = capsys.readouterr().err  # not a terminal: plain percentages
    assert "in.wav: 100%" in err


@pytest.mark.parametrize("problem", ["missing", "not audio", "channel", "source"])
def test_input_transfer_refusals_are_usage_errors(models, tmp_path, capsys, problem):
    soundfile.write(tmp_path / "in.wav", _tone(0.2), RATE)
    (tmp_path / "junk.wav").write_bytes(b"RIFF not really")
    args = {"missing": ["--input", str(tmp_path / "nope.wav")],
            "not audio": ["--input", str(tmp_path / "junk.wav")],
            "channel": ["--input", str(tmp_path / "in.wav"), "--input-channels", "3"],
            "source": ["--input", str(tmp_path / "in.wav"), "--source", "drift"]}[problem]
    assert main(["render", str(models[0]), "-o", str(tmp_path / "o.wav"), *args]) == 2
    assert "error" in capsys.readouterr().err

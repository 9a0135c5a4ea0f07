"""A tiny training run end to end: checkpoint that plays, exact resume, adversarial stage."""

import numpy as np
import pytest
import torch

soundfile = pytest.importorskip("soundfile", reason="soundfile is a train dependency")

from latentd.__main__ import main  # noqa: E402
from latentd.models import load_synth  # noqa: E402
from latentd.models.checkpoint import read_checkpoint, release_checkpoint  # noqa: E402
from latentd.models.rave import RaveModel  # noqa: E402
from latentd.train.dataset_wav import build  # noqa: E402
from latentd.train.errors import TrainingError  # noqa: E402
from latentd.train.losses import kl_divergence  # noqa: E402
from latentd.train.options import TrainOptions  # noqa: E402
from latentd.train.trainer import Trainer  # noqa: E402

from .conftest import crops, train_tiny  # noqa: E402


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    root = tmp_path_factory.mktemp("train")
    source = root / "src"
    source.mkdir()
    rate = 44100
    t = np.arange(rate) / rate
    for number, frequency in enumerate((110, 220, 330, 440, 550)):
        envelope = np.exp(-3 * t)
        audio = 0.4 * envelope * np.sin(2 * np.pi * frequency * t)
        soundfile.write(source / f"{number}.wav", audio.astype(np.float32), rate)
    build(source, root / "data", seconds=0.5, min_seconds=0.25, test_fraction=0.2,
          log=lambda _: None)
    return root / "data"


run = train_tiny


def test_checkpoint_plays_and_resumes_exactly(dataset, tmp_path):
    straight = run(dataset, tmp_path / "straight.ckpt", 4)
    run(dataset, tmp_path / "split.ckpt", 2)
    resumed = run(dataset, tmp_path / "split.ckpt", 4, resume=True)
    assert resumed.step == 4
    for (name, a), (_, b) in zip(straight.model.state_dict().items(),
                                 resumed.model.state_dict().items(), strict=True):
        assert torch.equal(a, b), name  # same batches, same noise, same Adam moments
    payload = torch.load(tmp_path / "split.ckpt", weights_only=True)
    assert payload["training"]["step"] == 4
    assert payload["metadata"]["steps"] == 4
    assert len(payload["training"]["history"]) >= 1
    synth = load_synth(tmp_path / "split.ckpt", script=False)
    audio = synth.decode(torch.zeros(1, synth.latent_size, 3))
    assert audio.shape == (1, 1, 3 * synth.ratio) and torch.isfinite(audio).all()


def test_release_drops_training_state(dataset, tmp_path):
    run(dataset, tmp_path / "train.ckpt", 1)
    release_checkpoint(tmp_path / "train.ckpt", tmp_path / "ship.ckpt")
    shipped = read_checkpoint(tmp_path / "ship.ckpt")
    assert "training" not in shipped and shipped["metadata"]["steps"] == 1
    assert (tmp_path / "ship.ckpt").stat().st_size < (tmp_path / "train.ckpt").stat().st_size
    load_synth(tmp_path / "ship.ckpt", script=False)


def test_adversarial_stage_starts_at_its_step_and_resumes(dataset, tmp_path):
    trainer = run(dataset, tmp_path / "adv.ckpt", 3, adversarial_start=2)
    assert trainer.adversarial_since == 2
    state = read_checkpoint(tmp_path / "adv.ckpt")["training"]
    assert state["adversarial_since"] == 2 and "discriminator" in state
    resumed = run(dataset, tmp_path / "adv.ckpt", 4, resume=True)
    assert resumed.discriminator is not None and resumed.step == 4


def test_losses_go_down_on_a_tiny_model(dataset, tmp_path):
    trainer = run(dataset, tmp_path / "fit.ckpt", 25, learning_rate=3e-3)
    first, last = trainer.history[0]["stft"], trainer.history[-1]["stft"]
    assert last < first


def test_cli_trains_and_refuses_to_resume_a_released_model(dataset, tmp_path, capsys):
    output = tmp_path / "cli.ckpt"
    args = ["train", "--data", str(dataset), "-o", str(output), "--config", "tiny",
            "--max-steps", "1", "--threads", "1"]
    assert main(args) == 0
    assert "saved" in capsys.readouterr().out
    release_checkpoint(output, output)
    assert main([*args, "--resume"]) == 1
    assert "no training state" in capsys.readouterr().err


def test_loss_windows_can_be_changed_on_resume(dataset, tmp_path, capsys):
    output = tmp_path / "windows.ckpt"
    args = ["train", "--data", str(dataset), "-o", str(output), "--config", "tiny",
            "--threads", "1"]
    assert main([*args, "--max-steps", "1"]) == 0
    assert main([*args, "--max-steps", "2", "--resume", "--stft-sizes", "512,256"]) == 0
    preset = read_checkpoint(output)["training"]["preset"]
    assert list(preset["stft_sizes"]) == [512, 256]
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--stft-sizes", "512,x"])
    assert exit_info.value.code == 2
    assert "expected sizes" in capsys.readouterr().err


def test_kl_weight_can_be_lowered_on_resume(dataset, tmp_path):
    output = tmp_path / "kl.ckpt"
    args = ["train", "--data", str(dataset), "-o", str(output), "--config", "tiny",
            "--threads", "1"]
    assert main([*args, "--max-steps", "1"]) == 0
    before = read_checkpoint(output)["training"]["preset"]["kl_beta"]
    assert main([*args, "--max-steps", "2", "--resume", "--kl-beta", "0.001"]) == 0
    preset = read_checkpoint(output)["training"]["preset"]
    assert preset["kl_beta"] == pytest.approx(0.001) != before
    assert main([*args, "--max-steps", "3", "--resume"]) == 0  # the lower weight stays
    assert read_checkpoint(output)["training"]["preset"]["kl_beta"] == pytest.approx(0.001)


def test_latent_noise_is_kept_in_the_run_and_can_change_on_resume(dataset, tmp_path):
    output = tmp_path / "noise.ckpt"
    args = ["train", "--data", str(dataset), "-o", str(output), "--config", "tiny",
            "--threads", "1"]
    assert main([*args, "--max-steps", "1"]) == 0
    assert read_checkpoint(output)["training"]["preset"]["latent_noise"] == 1.0
    assert main([*args, "--max-steps", "2", "--resume", "--latent-noise", "0.1"]) == 0
    assert main([*args, "--max-steps", "3", "--resume"]) == 0
    assert read_checkpoint(output)["training"]["preset"]["latent_noise"] == pytest.approx(0.1)
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--latent-noise", "-1"])
    assert exit_info.value.code == 2


def test_init_from_adds_an_oscillator_and_keeps_the_trained_weights(dataset, tmp_path):
    run(dataset, tmp_path / "base.ckpt", 2)
    base = read_checkpoint(tmp_path / "base.ckpt")
    options = TrainOptions(data=dataset, output=tmp_path / "grown.ckpt", recipe="tiny",
                           max_steps=4, threads=1, log_seconds=0.0, harmonics=4,
                           init_from=tmp_path / "base.ckpt")
    grown = Trainer(options, log=lambda _: None)
    state = grown.model.state_dict()
    assert grown.model.config.harmonics == 4 and grown.step == 2
    for name, value in base["weights"].items():
        assert torch.equal(state[name], value.float()), name
    assert any(name.startswith("decoder.oscillator.") for name in state)
    grown.run()
    assert grown.step == 4 and "pitch" in grown.history[-1]
    assert read_checkpoint(tmp_path / "grown.ckpt")["config"]["harmonics"] == 4
    synth = load_synth(tmp_path / "grown.ckpt", script=False)
    assert torch.isfinite(synth.decode(torch.zeros(1, synth.latent_size, 2))).all()


def test_harmonics_cannot_change_on_resume(dataset, tmp_path):
    run(dataset, tmp_path / "plain.ckpt", 1)
    with pytest.raises(TrainingError, match="--init-from"):
        run(dataset, tmp_path / "plain.ckpt", 2, resume=True, harmonics=4)


def test_init_from_a_released_checkpoint_takes_its_architecture(dataset, tmp_path):
    from dataclasses import replace

    from latentd.models.checkpoint import save_checkpoint
    from latentd.models.rave import RaveConfig, RaveModel

    other = RaveModel(replace(RaveConfig.tiny(), latent_size=6))
    save_checkpoint(tmp_path / "other.ckpt", other)
    trainer = run(dataset, tmp_path / "x.ckpt", 1, init_from=tmp_path / "other.ckpt", harmonics=2)
    assert trainer.model.config == replace(other.config, harmonics=2)
    state = trainer.model.state_dict()
    for name, value in other.state_dict().items():
        if not name.startswith("decoder.oscillator."):
            assert state[name].shape == value.shape, name


def test_oscillator_learns_at_its_own_rate_and_resumes(dataset, tmp_path):
    first = run(dataset, tmp_path / "osc.ckpt", 1, harmonics=2)
    rest, oscillator = first.optimizer.param_groups
    assert oscillator["lr"] == pytest.approx(rest["lr"] * first.recipe.oscillator_lr_scale)
    fixed = first.model.decoder.oscillator.upsample.ramp.weight
    assert all(p is not fixed for p in oscillator["params"])
    resumed = run(dataset, tmp_path / "osc.ckpt", 2, resume=True)
    assert [g["lr"] for g in resumed.optimizer.param_groups] == [rest["lr"], oscillator["lr"]]


@pytest.mark.parametrize(("flag", "value"), [("--harmonics", "-3"), ("--pitch-weight", "nan"),
                                             ("--learning-rate", "0"), ("--batch-size", "0"),
                                             ("--phase-weight", "-1"), ("--threads", "0")])
def test_bad_training_numbers_are_usage_errors(dataset, tmp_path, capsys, flag, value):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--data", str(dataset), "-o", str(tmp_path / "x.ckpt"), "--config", "tiny",
              flag, value])
    assert exit_info.value.code == 2
    assert flag in capsys.readouterr().err
    assert not (tmp_path / "x.ckpt").exists()


def test_pitch_loss_reaches_the_encoder_only_from_its_start_step(dataset, tmp_path,
                                                                monkeypatch):
    """Before ``pitch_encoder_start`` only the oscillator's head learns pitch. The spectral loss
    is zeroed (and the KL weight is 0 this early) so that any encoder gradient is the pitch's."""
    import latentd.train.objective as objective_module

    monkeypatch.setattr(objective_module, "multiscale_stft", lambda out, ref, sizes: out.sum() * 0)
    options = TrainOptions(data=dataset, output=tmp_path / "p.ckpt", recipe="tiny", max_steps=1,
                           threads=1, log_seconds=0.0, harmonics=2, pitch_encoder_start=1)
    trainer = Trainer(options, log=lambda _: None)
    assert trainer.recipe.pitch_encoder_start == 1 and trainer.recipe.beta(1) == 0.0

    def encoder_gradient() -> float:
        losses = trainer.train_step(crops(trainer, 2))
        assert losses.pitch is not None and losses.pitch > 0
        trainer.step += 1
        return sum(float(p.grad.abs().sum()) for p in trainer.model.encoder.parameters()
                   if p.grad is not None)

    assert encoder_gradient() == 0.0  # step 0
    assert encoder_gradient() > 0.0  # step 1


def test_a_diverged_run_stops_with_an_error_and_keeps_finite_weights(dataset, tmp_path,
                                                                    monkeypatch, capsys):
    import latentd.train.objective as objective_module
    import latentd.train.trainer as trainer_module

    output = tmp_path / "nan.ckpt"
    args = ["train", "--data", str(dataset), "-o", str(output), "--config", "tiny",
            "--threads", "1"]
    assert main([*args, "--max-steps", "1"]) == 0
    monkeypatch.setattr(trainer_module, "DIVERGED_AFTER", 3)
    monkeypatch.setattr(objective_module, "multiscale_stft",
                        lambda out, ref, sizes: out.sum() * float("nan"))
    assert main([*args, "--max-steps", "50", "--resume"]) == 1
    assert "training diverged" in capsys.readouterr().err
    payload = read_checkpoint(output)
    assert payload["training"]["step"] == 4  # 1 good step, then 3 skipped
    assert all(torch.isfinite(w).all() for w in payload["weights"].values()
               if w.is_floating_point())


def test_init_from_with_measured_pitch_starts_where_the_trained_decoder_was(dataset, tmp_path):
    run(dataset, tmp_path / "base.ckpt", 2)
    from latentd.models.checkpoint import load_model

    base_model, _ = load_model(tmp_path / "base.ckpt")
    options = TrainOptions(data=dataset, output=tmp_path / "pitched.ckpt", recipe="tiny",
                           max_steps=4, threads=1, log_seconds=0.0, harmonics=4,
                           pitch_latent=True, init_from=tmp_path / "base.ckpt")
    pitched = Trainer(options, log=lambda _: None)
    assert pitched.model.config.pitch_latent and pitched.model.config.measured_latents == 2
    z = torch.randn(1, pitched.model.config.latent_size, 6)
    with torch.no_grad():
        # the decoder ignores the measured dimensions at first, and plays what it played
        trained = base_model.eval().decoder.inp(torch.cat([torch.zeros_like(z[:, :2]),
                                                           z[:, 2:]], 1))
        grown = pitched.model.eval().decoder.inp(z)
    assert torch.allclose(trained, grown, atol=1e-5)
    pitched.run()
    assert "pitch" not in pitched.history[-1]  # the pitch is measured, not learned
    assert read_checkpoint(tmp_path / "pitched.ckpt")["config"]["pitch_latent"] is True
    synth = load_synth(tmp_path / "pitched.ckpt")  # scripted: the tracker streams and scripts
    t = torch.arange(synth.ratio * 8) / 44100
    latents = synth.encode((0.3 * torch.sin(2 * torch.pi * 220 * t)).view(1, 1, -1))
    assert torch.isfinite(synth.decode(latents)).all()


def test_measured_dimensions_carry_no_kl(dataset, tmp_path):
    trainer = run(dataset, tmp_path / "m.ckpt", 1, harmonics=2, pitch_latent=True)
    audio = crops(trainer, 2)
    with torch.no_grad():
        mean, logvar = trainer.model.encode(audio)
    # a measured dimension (log variance pinned at -10) would cost at least 4.5 nats per frame
    assert kl_divergence(mean[:, :1], logvar[:, :1]).item() > 4.5
    assert trainer.history[-1]["kl"] < 4.5


def test_pitch_latent_cannot_change_on_resume(dataset, tmp_path):
    run(dataset, tmp_path / "plain.ckpt", 1, harmonics=2)
    with pytest.raises(TrainingError, match="--init-from"):
        run(dataset, tmp_path / "plain.ckpt", 2, resume=True, pitch_latent=True)


def test_pitch_latent_without_an_oscillator_is_a_clear_error(dataset, tmp_path):
    with pytest.raises(TrainingError, match="harmonics"):
        run(dataset, tmp_path / "bad.ckpt", 1, pitch_latent=True)


def test_oscillator_warmup_trains_the_oscillator_alone_then_everything(dataset, tmp_path):
    run(dataset, tmp_path / "base.ckpt", 1)
    trainer = run(dataset, tmp_path / "warm.ckpt", 3, harmonics=2, pitch_latent=True,
                  init_from=tmp_path / "base.ckpt", oscillator_warmup=2)
    base = read_checkpoint(tmp_path / "base.ckpt")["weights"]
    warm = read_checkpoint(tmp_path / "warm.ckpt")["weights"]
    assert [set(entry) & {"osc", "stft"} for entry in trainer.history[-2:]] == [
        {"osc"}, {"osc"}]  # steps 2 and 3 (the base run made step 1): the oscillator alone
    options = TrainOptions(data=dataset, output=tmp_path / "warm.ckpt", recipe="tiny",
                           max_steps=4, resume=True, threads=1, log_seconds=0.0)
    resumed = Trainer(options, log=lambda _: None)
    for name, value in base.items():  # nothing outside the oscillator moved in the warm-up
        if name.startswith("decoder.inp."):  # (rescaled once, by silence_inputs)
            continue
        assert torch.equal(resumed.model.state_dict()[name], value.float()), name
    assert any(not torch.equal(warm[name], RaveModel(resumed.model.config).state_dict()[name])
               for name in warm if name.startswith("decoder.oscillator.head"))  # it learned
    resumed.run()
    assert "stft" in resumed.history[-1] and "osc" not in resumed.history[-1]
    after = resumed.model.state_dict()
    assert any(not torch.equal(after[name], value.float()) for name, value in base.items())


def test_the_conv_branch_is_quietened_once_when_the_warmup_ends(dataset, tmp_path):
    from latentd.train.oscillator_growth import CONV_QUIET_SHIFT

    run(dataset, tmp_path / "base.ckpt", 1)
    base = read_checkpoint(tmp_path / "base.ckpt")["weights"]["decoder.amplitude.bias"]
    trainer = run(dataset, tmp_path / "one.ckpt", 4, harmonics=2, pitch_latent=True,
                  init_from=tmp_path / "base.ckpt", oscillator_warmup=2)
    assert [set(e) & {"osc", "stft"} for e in trainer.history[-3:]] == [
        {"osc"}, {"osc"}, {"stft"}]
    shift = trainer.model.decoder.amplitude.bias.detach() - base.float()
    # one joint step moves the bias by about the learning rate, not by the shift
    assert torch.allclose(shift, torch.full_like(shift, -CONV_QUIET_SHIFT), atol=0.05)
    again = run(dataset, tmp_path / "one.ckpt", 5, resume=True)  # resumed: no second shift
    moved = again.model.decoder.amplitude.bias.detach() - trainer.model.decoder.amplitude.bias
    assert moved.abs().max() < 0.05


def test_init_from_with_causal_keeps_every_trained_weight(dataset, tmp_path):
    """Padding changes no weight: a centred run initialises a causal one tensor for tensor,
    although uneven pads rename the convs (models.rave.repadded_weights)."""
    run(dataset, tmp_path / "centred.ckpt", 2, harmonics=2)
    centred = read_checkpoint(tmp_path / "centred.ckpt")
    options = TrainOptions(data=dataset, output=tmp_path / "causal.ckpt", recipe="tiny",
                           max_steps=3, threads=1, log_seconds=0.0, causal=True,
                           init_from=tmp_path / "centred.ckpt")
    causal = Trainer(options, log=lambda _: None)
    assert causal.model.config.causal and causal.step == 2
    values = list(causal.model.state_dict().values())
    assert len(values) == len(centred["weights"])
    for value, trained in zip(values, centred["weights"].values(), strict=True):
        assert torch.equal(value, trained.float())
    causal.run()
    assert read_checkpoint(tmp_path / "causal.ckpt")["config"]["lookahead"] == 0.0

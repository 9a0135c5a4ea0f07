"""``--device`` and ``--precision``: what runs on this machine's CPU, and the GPU paths where
the hardware is present."""

import argparse

import pytest
import torch

pytest.importorskip("soundfile", reason="soundfile is a train dependency")

from latentd.models.checkpoint import read_checkpoint
from latentd.train.device import autocast, device_name, mps_available, resolve_device
from latentd.train.errors import TrainingError
from latentd.train.objective import Stage
from latentd.train.options import TrainOptions
from latentd.train.trainer import Trainer

from .conftest import crops, train_tiny

run = train_tiny


@pytest.mark.parametrize("text", ["auto", "cpu", "cuda", "cuda:1", "mps"])
def test_device_names_are_checked(text):
    assert device_name(text) == text
    for bad in ("gpu", "cuda:", "cuda:x", "tpu"):
        with pytest.raises(argparse.ArgumentTypeError):
            device_name(bad)


def test_auto_is_cpu_without_an_accelerator_and_cuda_is_refused_clearly():
    if torch.cuda.is_available() or mps_available():
        pytest.skip("this machine has an accelerator: auto picks it")
    assert resolve_device("auto") == torch.device("cpu")
    with pytest.raises(TrainingError, match="no CUDA device"):
        resolve_device("cuda")


def test_bf16_autocast_runs_the_model_in_bf16_and_the_losses_in_float32(note_dataset, tmp_path):
    options = TrainOptions(data=note_dataset, output=tmp_path / "bf16.ckpt", recipe="tiny",
                           threads=1, device="cpu", precision="bf16")
    trainer = Trainer(options, log=lambda _: None)
    audio = crops(trainer, 2)
    with torch.no_grad():
        torch.manual_seed(0)
        full, _, _ = trainer.objective(audio, 0, Stage.AUTOENCODER)
        torch.manual_seed(0)
        with autocast(trainer.device, "bf16"):
            half, terms, output = trainer.objective(audio, 0, Stage.AUTOENCODER)
    assert output.dtype == torch.bfloat16  # the model ran under autocast
    assert half.dtype == terms["stft"].dtype == torch.float32  # the losses did not
    assert float(half) == pytest.approx(float(full), rel=0.05) and float(half) != float(full)
    losses = trainer.train_step(audio)  # and a whole step, with the optimizer
    assert not losses.skipped and all(p.dtype == torch.float32 and torch.isfinite(p).all()
                                      for p in trainer.model.parameters())


def test_16_mixed_uses_a_gradient_scaler(note_dataset, tmp_path):
    trainer = run(note_dataset, tmp_path / "16.ckpt", device="cpu", precision="16-mixed")
    assert trainer.scaler.is_enabled() and trainer.step == 1
    assert all(torch.isfinite(p).all() for p in trainer.model.parameters())


def test_the_training_state_is_saved_on_the_cpu(note_dataset, tmp_path):
    run(note_dataset, tmp_path / "cpu.ckpt", device="cpu")
    state = read_checkpoint(tmp_path / "cpu.ckpt")["training"]
    tensors = [v for s in state["optimizer"]["state"].values() for v in s.values()]
    assert tensors and all(t.device.type == "cpu" for t in tensors)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device on this machine")
def test_a_run_started_on_cuda_resumes_on_the_cpu_and_back(note_dataset, tmp_path):
    output = tmp_path / "moved.ckpt"
    run(note_dataset, output, steps=1, device="cuda")
    assert run(note_dataset, output, steps=2, device="cpu", resume=True).step == 2
    resumed = run(note_dataset, output, steps=3, device="cuda", resume=True, precision="bf16")
    assert resumed.step == 3 and next(resumed.model.parameters()).is_cuda


@pytest.mark.skipif(not mps_available(), reason="no Apple MPS device on this machine")
def test_mps_trains_and_saves_for_the_cpu(note_dataset, tmp_path):
    run(note_dataset, tmp_path / "mps.ckpt", device="mps")
    assert run(note_dataset, tmp_path / "mps.ckpt", steps=2, device="cpu", resume=True).step == 2

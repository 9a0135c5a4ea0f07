"""The model commands (``latentd.cli.models``) as a user runs them: real files, exit statuses.

One true subprocess per exit status (0, 1 and argparse's 2) checks what the shell sees; every
other fact is checked through the same entry point in this process (``latentd.cli.main.main``),
which spares a Python and torch start-up per command."""

import subprocess
import sys

import pytest
import torch

from latentd.cli.main import main
from latentd.models.checkpoint import save_checkpoint
from latentd.models.rave import RaveConfig, RaveModel


def latentd(*args, env=None):
    """The real command in its own process."""
    return subprocess.run([sys.executable, "-m", "latentd", *args], capture_output=True,
                          text=True, env=env, timeout=300)


@pytest.fixture
def run(capsys):
    """``latentd ARGS`` in this process: (exit status, stdout, stderr), argparse's own usage
    errors (``SystemExit``) included."""
    def call(*args):
        capsys.readouterr()  # only this command's output
        try:
            status = main([str(a) for a in args])
        except SystemExit as exit_:
            status = exit_.code
        out = capsys.readouterr()
        return status, out.out, out.err
    return call


def _tiny_checkpoint(path):
    torch.manual_seed(0)
    model = RaveModel(RaveConfig.tiny())
    save_checkpoint(path, model)
    return model


def test_export_info_and_models(tmp_path, run, monkeypatch):
    checkpoint = tmp_path / "tiny.ckpt"
    _tiny_checkpoint(checkpoint)
    exported = tmp_path / "tiny.ts"
    result = latentd("export", str(checkpoint), "-o", str(exported))  # exit 0, as a shell sees
    assert result.returncode == 0, result.stderr
    assert exported.is_file()
    assert "wrote" in result.stdout and "nn~ methods" in result.stdout, result.stdout
    status, out, err = run("info", exported)
    assert status == 0, err
    assert "latent_size: 4" in out and "ratio: 16" in out
    monkeypatch.setenv("LATENTD_MODEL_PATH", str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    status, out, err = run("models")
    assert status == 0, err
    assert "tiny.ckpt" in out and "tiny.ts" in out
    assert "encode,decode,forward" in out


def test_errors_exit_nonzero_with_a_message(tmp_path, run):
    bad = tmp_path / "bad.ts"
    bad.write_text("hello")
    result = latentd("info", str(bad))  # exit 1 and the message, as a shell sees them
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "not a model file" in result.stderr
    status, _, err = run("export", tmp_path / "missing.ckpt", "-o", tmp_path / "x.ts")
    assert status != 0 and "not found" in err


def test_export_keeps_the_checkpoints_prior(tmp_path, run):
    from latentd.models.prior import LatentPrior, prior_payload

    torch.manual_seed(0)
    model = RaveModel(RaveConfig.tiny())
    prior = LatentPrior(model.config.latent_size, hidden_size=8, layers=1)
    checkpoint = tmp_path / "with_prior.ckpt"
    save_checkpoint(checkpoint, model, prior=prior_payload(prior))
    exported = tmp_path / "with_prior.ts"
    status, out, err = run("export", checkpoint, "-o", exported)
    assert status == 0, err
    assert "prior" in out
    _, info, _ = run("info", exported)
    assert "prior" in info, info


def test_properties_measures_a_checkpoint(tmp_path, run):
    checkpoint = tmp_path / "tiny.ckpt"
    model = _tiny_checkpoint(checkpoint)
    status, out, err = run("properties", checkpoint)
    assert status == 0, err
    rows = dict(line.strip().split(": ", 1) for line in out.splitlines())
    assert int(rows["parameters"]) == sum(p.numel() for p in model.parameters())
    assert int(rows["latent_size"]) == 4 and int(rows["samples_per_frame"]) == 16
    assert float(rows["decode_realtime_factor_cpu"]) > 0
    status, out, err = run("properties", "--config", "tiny")
    assert status == 0, err
    assert "latency_ms" in out


def test_properties_refuses_what_it_cannot_measure(tmp_path, run):
    checkpoint = tmp_path / "tiny.ckpt"
    _tiny_checkpoint(checkpoint)
    exported = tmp_path / "tiny.ts"
    assert run("export", checkpoint, "-o", exported)[0] == 0
    status, _, err = run("properties", exported)
    assert status == 1
    assert err == f"latentd properties: error: {exported}: a TorchScript file; " \
        "properties measures a latentd checkpoint (.ckpt)\n"
    both = latentd("properties", str(checkpoint), "--config", "tiny")  # argparse's exit 2
    assert both.returncode == 2 and "not allowed with argument" in both.stderr

"""The model commands (``latentd.cli.models``) as a user runs them: a real subprocess, real
files, exit statuses."""

import subprocess
import sys

import torch

from latentd.models.checkpoint import save_checkpoint
from latentd.models.rave import RaveConfig, RaveModel


def latentd(*args, env=None):
    return subprocess.run([sys.executable, "-m", "latentd", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def test_export_info_and_models(tmp_path):
    torch.manual_seed(0)
    checkpoint = tmp_path / "tiny.ckpt"
    save_checkpoint(checkpoint, RaveModel(RaveConfig.tiny()))
    exported = tmp_path / "tiny.ts"
    result = latentd("export", str(checkpoint), "-o", str(exported))
    assert result.returncode == 0, result.stderr
    assert exported.is_file()
    info = latentd("info", str(exported))
    assert info.returncode == 0, info.stderr
    assert "latent_size: 4" in info.stdout and "ratio: 16" in info.stdout
    env = {"LATENTD_MODEL_PATH": str(tmp_path), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path)}
    listing = latentd("models", env=env)
    assert listing.returncode == 0, listing.stderr
    assert "tiny.ckpt" in listing.stdout and "tiny.ts" in listing.stdout
    assert "encode,decode,forward" in listing.stdout


def test_errors_exit_nonzero_with_a_message(tmp_path):
    bad = tmp_path / "bad.ts"
    bad.write_text("hello")
    result = latentd("info", str(bad))
    assert result.returncode != 0
    assert "not a model file" in result.stderr
    missing = latentd("export", str(tmp_path / "missing.ckpt"), "-o", str(tmp_path / "x.ts"))
    assert missing.returncode != 0 and "not found" in missing.stderr


def test_export_keeps_the_checkpoints_prior(tmp_path):
    from latentd.models.prior import LatentPrior, prior_payload

    torch.manual_seed(0)
    model = RaveModel(RaveConfig.tiny())
    prior = LatentPrior(model.config.latent_size, hidden_size=8, layers=1)
    checkpoint = tmp_path / "with_prior.ckpt"
    save_checkpoint(checkpoint, model, prior=prior_payload(prior))
    exported = tmp_path / "with_prior.ts"
    result = latentd("export", str(checkpoint), "-o", str(exported))
    assert result.returncode == 0, result.stderr
    assert "prior" in result.stdout
    info = latentd("info", str(exported))
    assert "prior" in info.stdout, info.stdout


def test_properties_measures_a_checkpoint(tmp_path):
    torch.manual_seed(0)
    model = RaveModel(RaveConfig.tiny())
    checkpoint = tmp_path / "tiny.ckpt"
    save_checkpoint(checkpoint, model)
    result = latentd("properties", str(checkpoint))
    assert result.returncode == 0, result.stderr
    rows = dict(line.strip().split(": ", 1) for line in result.stdout.splitlines())
    assert int(rows["parameters"]) == sum(p.numel() for p in model.parameters())
    assert int(rows["latent_size"]) == 4 and int(rows["samples_per_frame"]) == 16
    assert float(rows["decode_realtime_factor_cpu"]) > 0
    recipe = latentd("properties", "--config", "tiny")
    assert recipe.returncode == 0, recipe.stderr
    assert "latency_ms" in recipe.stdout


def test_properties_refuses_what_it_cannot_measure(tmp_path):
    torch.manual_seed(0)
    checkpoint = tmp_path / "tiny.ckpt"
    save_checkpoint(checkpoint, RaveModel(RaveConfig.tiny()))
    exported = tmp_path / "tiny.ts"
    assert latentd("export", str(checkpoint), "-o", str(exported)).returncode == 0
    code = latentd("properties", str(exported))
    assert code.returncode == 1
    assert code.stderr == f"latentd properties: error: {exported}: a TorchScript file; " \
        "properties measures a latentd checkpoint (.ckpt)\n"
    both = latentd("properties", str(checkpoint), "--config", "tiny")
    assert both.returncode == 2 and "not allowed with argument" in both.stderr

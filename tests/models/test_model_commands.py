"""``latentd models``, ``latentd info`` and ``latentd serve --model``: the model directories
shown, and names resolved by the same rule as OSC (latentd/cli/models.py, registry.py)."""

import os
import subprocess
import sys

import pytest
from support.rave import make_non_torchscript_file

from latentd.__main__ import main
from latentd.models.checkpoint import save_checkpoint
from latentd.models.rave import RaveConfig, RaveModel


@pytest.fixture
def setup(tmp_path, monkeypatch):
    models, outside, missing = tmp_path / "models", tmp_path / "outside", tmp_path / "missing"
    models.mkdir()
    outside.mkdir()
    save_checkpoint(models / "pad.ckpt", RaveModel(RaveConfig.tiny()))
    save_checkpoint(outside / "secret.ckpt", RaveModel(RaveConfig.tiny()))
    (models / "escape.ckpt").symlink_to(outside / "secret.ckpt")
    make_non_torchscript_file(models / "junk.ts", "random")
    xdg = tmp_path / "xdg"
    monkeypatch.setenv("LATENTD_MODEL_PATH", f"{models}{os.pathsep}{missing}")
    monkeypatch.setenv("XDG_DATA_HOME", str(xdg))
    monkeypatch.chdir(tmp_path)
    return models, missing, xdg / "latentd" / "models"


def test_models_prints_each_directory_and_what_it_holds(setup, capsys):
    models, missing, user = setup
    assert main(["models"]) == 0
    lines = capsys.readouterr().out.splitlines()
    headers = [line for line in lines if not line.startswith("  ")]
    assert headers[1:] == [f"{models} (LATENTD_MODEL_PATH)",
                           f"{missing} (LATENTD_MODEL_PATH, does not exist)",
                           f"{user} (user models, does not exist)"]
    assert "(bundled" in headers[0]
    rows = {line.split()[0]: line for line in lines if line.startswith("  ")}
    assert "44100 Hz" in rows["pad"] and str(models / "pad.ckpt") in rows["pad"]
    assert "left out: links outside" in rows["escape.ckpt"]
    assert "not loadable" in rows["junk"]
    assert "default" in rows


def test_info_refuses_a_name_leading_out_but_takes_the_path(setup, capsys):
    models, _, _ = setup
    assert main(["info", "escape"]) == 1
    assert "links outside" in capsys.readouterr().err
    assert main(["info", str(models / "escape.ckpt")]) == 0
    assert "latent_size" in capsys.readouterr().out
    assert main(["info", "pad"]) == 0


def test_serve_refuses_a_model_name_leading_out(setup, tmp_path):
    """The real command (serve leaves through os._exit, so it runs in a subprocess)."""
    result = subprocess.run([sys.executable, "-m", "latentd", "serve", "--model", "escape",
                             "--output", "null", "--duration", "0.1"],
                            capture_output=True, text=True, timeout=120, env=os.environ.copy())
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "links outside" in result.stderr


@pytest.mark.parametrize(("flag", "says"), [("--no-trusted-models", "refused over OSC"),
                                            ("--trusted-models", "load over OSC")])
def test_serve_says_at_start_whether_osc_loads_code(setup, flag, says):
    import socket

    with socket.socket() as probe:  # a free port (TCP and UDP are both bound by the daemon)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = subprocess.run([sys.executable, "-m", "latentd", "serve", "--model", "pad",
                             "--output", "null", "--duration", "0.5", "--port", str(port),
                             flag], capture_output=True, text=True, timeout=120,
                            env=os.environ.copy())
    assert result.returncode == 0, result.stderr
    assert f".ts models (TorchScript: code) {'are ' if 'refused' in says else ''}{says}" \
        in result.stderr

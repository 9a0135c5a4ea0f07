"""``latentd models``, ``latentd info`` and ``latentd serve --model``: the model directories
shown, and names resolved by the same rule as OSC (latentd/cli/models.py, registry.py)."""

import os
import subprocess
import sys

import pytest
from support.osc import free_port
from support.rave import make_non_torchscript_file

from latentd.__main__ import main
from latentd.models.checkpoint import save_checkpoint
from latentd.models.rave import RaveConfig, RaveModel


def _tree(root):
    """Model directories as a user may have them: a checkpoint, a link leading out of its
    directory, a junk .ts; the environment that points latentd at them."""
    models, outside, missing = root / "models", root / "outside", root / "missing"
    models.mkdir()
    outside.mkdir()
    save_checkpoint(models / "pad.ckpt", RaveModel(RaveConfig.tiny()))
    save_checkpoint(outside / "secret.ckpt", RaveModel(RaveConfig.tiny()))
    (models / "escape.ckpt").symlink_to(outside / "secret.ckpt")
    make_non_torchscript_file(models / "junk.ts", "random")
    xdg = root / "xdg"
    env = {"LATENTD_MODEL_PATH": f"{models}{os.pathsep}{missing}", "XDG_DATA_HOME": str(xdg)}
    return models, missing, xdg / "latentd" / "models", env


@pytest.fixture
def setup(tmp_path, monkeypatch):
    models, missing, user, env = _tree(tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    return models, missing, user


SERVE_RUNS = {
    "escape": ["--model", "escape", "--output", "null", "--duration", "0.1"],
    **{flag: ["--model", "pad", "--output", "null", "--duration", "0.5", "--port", "PORT", flag]
       for flag in ("--no-trusted-models", "--trusted-models")},
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The real ``latentd serve`` runs of this module (serve leaves through os._exit, so each
    is a subprocess), started together: each is its own process with its own port, and their
    start-ups (Python, torch, the model) overlap instead of adding up. Each run's
    (exit status, stdout, stderr), by the name in SERVE_RUNS."""
    root = tmp_path_factory.mktemp("serve")
    env = {**os.environ, **_tree(root)[3]}
    processes, ports = {}, set()
    for name, args in SERVE_RUNS.items():
        while (port := free_port()) in ports:  # free for UDP and TCP, and not the other run's
            pass
        ports.add(port)
        args = [str(port) if a == "PORT" else a for a in args]
        processes[name] = subprocess.Popen([sys.executable, "-m", "latentd", "serve", *args],
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                           text=True, cwd=root, env=env)
    results = {}
    try:
        for name, process in processes.items():
            out, err = process.communicate(timeout=120)
            results[name] = (process.returncode, out, err)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    return results


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


def test_serve_refuses_a_model_name_leading_out(served):
    """The real command (serve leaves through os._exit, so it runs in a subprocess)."""
    status, out, err = served["escape"]
    assert status == 1, (out, err)
    assert "links outside" in err


@pytest.mark.parametrize(("flag", "says"), [("--no-trusted-models", "refused over OSC"),
                                            ("--trusted-models", "load over OSC")])
def test_serve_says_at_start_whether_osc_loads_code(served, flag, says):
    status, _, err = served[flag]
    assert status == 0, err
    assert f".ts models (TorchScript: code) {'are ' if 'refused' in says else ''}{says}" \
        in err

"""``latentd serve`` as a process: flags, config, start line, signals, offline render."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime

import pytest
import soundfile
import torch
from daemon.test_input import serve_in_process
from support.serve import free_port, osc, rest_of_stderr, serve, stop_with, wait_for_line

from latentd.__main__ import main
from latentd.models.checkpoint import save_checkpoint
from latentd.models.rave import RaveConfig, RaveModel


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("model") / "tiny.ckpt"
    save_checkpoint(path, RaveModel(RaveConfig.tiny(noise=False, bands=4, ratios=(4, 4),
                                                    capacity=4, latent_size=4)))
    return path


def shutdown_seconds(log: str) -> float:
    """From the log's 'stopping' line to its 'stopped' line (asctime stamps)."""
    stamps = {}
    for line in log.splitlines():
        for word in ("stopping", "stopped"):
            if f" {word}" in line and word not in stamps:
                stamps[word] = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
    assert set(stamps) == {"stopping", "stopped"}, log
    return (stamps["stopped"] - stamps["stopping"]).total_seconds()


@pytest.mark.parametrize("flags", [["--port", "0"], ["--port", "70000"], ["--threads", "0"],
                                   ["--latency-ms", "-5"], ["--no-such-flag"],
                                   ["--block-frames", "x"]])
def test_bad_flags_exit_2_with_a_message(flags, capsys):
    try:
        status = main(["serve", *flags])
    except SystemExit as exit_:  # argparse's own usage errors
        status = exit_.code
    assert status == 2
    assert "error" in capsys.readouterr().err


@pytest.mark.parametrize("content, message", [
    ("port = 'many'", "port must be an integer in 1..65535, got 'many'"),
    ("[serve]\nwings = 3", "unknown setting 'wings'"),
    ("this is not toml", "not valid TOML"),
])
def test_bad_config_exits_2(tmp_path, content, message, capsys):
    config = tmp_path / "latentd.toml"
    config.write_text(content)
    assert main(["serve", "--config", str(config)]) == 2
    assert message in capsys.readouterr().err


def test_unknown_model_exits_nonzero_with_the_reason(tmp_path, capsys):
    status = serve_in_process("--model", str(tmp_path / "nope.ckpt"), "--output", "null")
    assert status == 1
    assert "not found" in capsys.readouterr().err


def test_start_line_config_debug_log_and_sigterm(tmp_path, model):
    """One debug-level daemon: the config file and a flag that wins over it, the start line,
    /status, a recording and a model load over OSC, SIGTERM's prompt orderly stop, and the log
    lines the operator needs (model loads, recordings, the shutdown's steps)."""
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(model, models / "other.ckpt")
    port = free_port()
    config = tmp_path / "latentd.toml"
    config.write_text(f"[serve]\nmodel = '{model}'\noutput = 'null'\nport = {port}\n"
                      f"block_frames = 4\nlatency_ms = 60\n"
                      f"recordings_dir = '{tmp_path / 'rec'}'\npresets_dir = '{tmp_path / 'p'}'\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "latentd", "serve", "--config", str(config),
         "--latency-ms", "90", "--log-level", "debug"],  # the flag wins
        env=dict(os.environ, LATENTD_MODEL_PATH=str(models)), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        line = wait_for_line(process, "playing")
        assert "'tiny'" in line and f"127.0.0.1:{port}" in line and "latency" in line
        reply = osc(port, "/status")
        fields = dict(zip(reply[1][::2], reply[1][1::2], strict=True))
        chunk_ms = 1000 * 4 * 64 / 44100  # the ring tops up in whole 4-frame blocks
        assert fields["latency_ring_ms"] == pytest.approx(90.0 + chunk_ms, abs=0.01)
        assert fields["block"] == 4
        assert osc(port, "/record/start", "take")[0] == "/done"
        recording_since = time.monotonic()
        assert osc(port, "/model/load", "other.ckpt", timeout=30)[0] == "/done"
        time.sleep(max(0.0, 1.0 - (time.monotonic() - recording_since)))  # a 1 s take at least
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        log = rest_of_stderr(process)
        # the daemon's own shutdown (fade, joins, finishing the recording) is prompt; the
        # interpreter's exit after it (torch's teardown) takes seconds on a loaded machine,
        # so it is bounded only by the wait above
        assert shutdown_seconds(log) < 1.5
    finally:
        process.kill()
    audio, rate = soundfile.read(tmp_path / "rec" / "take.wav", dtype="float32")
    assert len(audio) > 0.5 * rate
    for line in ("loading model 'other.ckpt' (requested over OSC)", "loaded model 'other.ckpt'",
                 f"recording to {tmp_path / 'rec' / 'take.wav'}",
                 f"recording finished: {tmp_path / 'rec' / 'take.wav'}",
                 "shutdown: stopping the engine", "DEBUG"):
        assert line in log, f"{line!r} not in the log:\n{log}"


def test_sigint_exits_0(model):
    port = free_port()
    process = serve("--model", str(model), "--output", "null", "--port", str(port),
                    "--block-frames", "4")
    try:
        wait_for_line(process, "playing")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        process.kill()


def test_wav_output_renders_offline(tmp_path, model):
    from latentd.models.registry import load_synth

    out = tmp_path / "render.wav"
    result = subprocess.run([sys.executable, "-m", "latentd", "serve", "--model", str(model),
                             "--output", f"wav:{out}", "--duration", "2", "--block-frames", "4",
                             "--port", "9999"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    audio, rate = soundfile.read(out, dtype="float32")
    assert len(audio) == 2 * rate
    assert abs(audio).max() > 0.01
    # the file starts at the first sample of sound, as `latentd render` does: the model's
    # latency (exact zeros by construction) is not written
    latency = load_synth(str(model)).latency
    assert latency > 0
    assert (audio[:latency] != 0).any(), "the file starts with the model's latency as zeros"
    assert "--port ignored: an offline render (--output wav:) has no OSC" in result.stderr


def test_wav_output_needs_a_duration_that_fits(tmp_path, model, capsys):
    status = serve_in_process("--model", str(model), "--output", f"wav:{tmp_path / 'x.wav'}")
    assert status == 2
    assert "needs --duration SECONDS" in capsys.readouterr().err
    assert not (tmp_path / "x.wav").exists()
    status = serve_in_process("--model", str(model), "--output", f"wav:{tmp_path / 'y.wav'}",
                              "--duration", "86400")
    assert status == 2
    assert "does not fit in a WAV file (4 GiB at most: 24342 s at 44100 Hz, 1 ch)" \
        in capsys.readouterr().err
    assert not (tmp_path / "y.wav").exists()


def test_null_output_honours_duration(model):
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "latentd", "serve", "--model", str(model),
                             "--output", "null", "--port", str(free_port()), "--duration", "1.5",
                             "--block-frames", "4"],
                            capture_output=True, text=True, timeout=120)
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert "ran for --duration 1.5 s" in result.stderr
    assert "stopped" in result.stderr
    assert seconds < 60


def test_port_in_use_is_reported(model):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "latentd", "serve", "--model", str(model),
                                 "--output", "null", "--port", str(port)],
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_sigterm_stops_an_offline_render_early_with_a_valid_file(tmp_path, model):
    out = tmp_path / "long.wav"
    process = serve("--model", str(model), "--output", f"wav:{out}", "--duration", "3600",
                    "--block-frames", "4")
    try:
        wait_for_line(process, "playing")
        time.sleep(0.5)
        status, seconds, log = stop_with(process)
        assert status == 0, log
    finally:
        process.kill()
    assert "(stopped early)" in log, log
    assert seconds < 5.0
    info = soundfile.info(out)
    assert 0 < info.frames < 3600 * info.samplerate

"""How ``latentd serve`` ends: SIGTERM at any moment (a TorchScript load included) exits 0, and
the shutdown's deadline ends a process whose orderly stop hangs."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest
from pythonosc.osc_message_builder import OscMessageBuilder
from support.engines import tiny_model
from support.serve import free_port, osc, rest_of_stderr, serve, stop_with, wait_for_line
from support.slow_model import write_slow_model
from support.tools import real_rave_export

from latentd.models.checkpoint import save_checkpoint


@pytest.fixture
def rave():
    return real_rave_export()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A small checkpoint for the daemons whose first model is not the subject: it starts
    faster than the bundled default."""
    path = tmp_path_factory.mktemp("tiny") / "tiny.ckpt"
    save_checkpoint(path, tiny_model())
    return path


def test_sigterm_during_the_first_torchscript_load_exits_0(rave):
    for _ in range(3):  # it aborted (-6) or died by the signal every time before
        process = serve("--model", str(rave), "--output", "null", "--port", str(free_port()))
        try:
            wait_for_line(process, "loading model")
            status, seconds, err = stop_with(process)
        finally:
            process.kill()
        assert status == 0, err
        assert "during the model load" in err, err
        assert seconds < 5.0, f"exit took {seconds:.2f} s"


LOAD_SECONDS = 2.0


@pytest.fixture(scope="module")
def slow_model(tmp_path_factory):
    return write_slow_model(tmp_path_factory.mktemp("slow") / "slow.ts", LOAD_SECONDS)


def test_sigterm_during_a_slow_torchscript_first_load_exits_0(slow_model):
    """The load runs torch for seconds (a TorchScript ``__setstate__``): the signal always
    lands inside it. Before: killed by the signal (status -15), no orderly stop. torch holds
    the interpreter lock through this load, so the stop comes when the load returns."""
    process = serve("--model", str(slow_model), "--output", "null", "--port", str(free_port()))
    try:
        wait_for_line(process, "loading model")
        time.sleep(0.3)
        status, seconds, err = stop_with(process)
    finally:
        process.kill()
    assert status == 0, err
    assert "SIGTERM during the model load: stopping" in err, err
    assert "playing" not in err
    assert seconds < LOAD_SECONDS + 5.0, f"exit took {seconds:.2f} s"


def test_sigterm_during_a_torchscript_load_over_osc_exits_0(slow_model, tiny, tmp_path):
    """Before: the orderly stop returned while the loader thread was inside torch, and the
    interpreter's exit aborted (-6, "terminate called without an active exception") or waited
    for the load."""
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy(slow_model, models / "slow.ts")
    port = free_port()
    env = dict(os.environ, LATENTD_MODEL_PATH=str(models))
    process = subprocess.Popen([sys.executable, "-m", "latentd", "serve", "--model", str(tiny),
                                "--output", "null", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_line(process, "playing")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(_message("/model/load", "slow.ts"), ("127.0.0.1", port))
        wait_for_line(process, "loading model 'slow.ts'")
        time.sleep(0.3)
        status, seconds, err = stop_with(process)
    finally:
        process.kill()
    assert status == 0, err
    assert "stopped (" in err
    assert seconds < LOAD_SECONDS + 5.0, f"exit took {seconds:.2f} s"


def _message(address, *args):
    builder = OscMessageBuilder(address)
    for arg in args:
        builder.add_arg(arg)
    return builder.build().dgram


def run_snippet(code: str, timeout: float = 30) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                            text=True, timeout=timeout)
    return result, time.monotonic() - started


def test_a_hung_orderly_stop_is_ended_by_the_deadline_with_status_1():
    result, seconds = run_snippet("""
        import logging, os, signal, sys, time
        from latentd.daemon.shutdown import Shutdown
        logging.basicConfig(level="INFO")
        shutdown = Shutdown(deadline_seconds=0.5).install()
        os.kill(os.getpid(), signal.SIGTERM)
        shutdown.requested.wait(5)
        shutdown.at("closing a device that never answers")
        time.sleep(30)
    """)
    assert result.returncode == 1, result.stderr
    assert "still at step: closing a device that never answers" in result.stderr
    assert seconds < 10


def test_exit_now_skips_atexit_hooks_but_flushes_the_logs():
    result, _ = run_snippet("""
        import atexit, logging, sys, time
        from latentd.daemon.shutdown import exit_now
        logging.basicConfig(level="INFO", stream=sys.stderr)
        atexit.register(lambda: time.sleep(60))  # what PortAudio's terminate does on dead JACK
        print("buffered", end="")
        logging.getLogger("t").info("last line")
        exit_now(0)
    """)
    assert result.returncode == 0
    assert result.stdout == "buffered"
    assert "last line" in result.stderr


def test_a_second_signal_while_stopping_exits_at_once():
    result, seconds = run_snippet("""
        import os, signal, time
        from latentd.daemon.shutdown import Shutdown
        shutdown = Shutdown(deadline_seconds=20).install()
        os.kill(os.getpid(), signal.SIGINT)
        shutdown.requested.wait(5)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(30)
    """)
    assert result.returncode == 1
    assert seconds < 10


def test_sighup_stops_in_order_like_sigterm(tiny, tmp_path):
    """A daemon started from a terminal that closes finishes its recording and exits 0."""
    port = free_port()
    process = serve("--model", str(tiny), "--output", "null", "--port", str(port),
                    "--block-frames", "4", "--recordings-dir", str(tmp_path))
    try:
        wait_for_line(process, "playing")
        assert osc(port, "/record/start", "take")[0] == "/done"
        time.sleep(0.5)
        process.send_signal(signal.SIGHUP)
        assert process.wait(timeout=10) == 0
        log = rest_of_stderr(process)
    finally:
        process.kill()
    assert f"recording finished: {tmp_path / 'take.wav'}" in log, log


def test_sigterm_while_the_engine_starts_exits_0_without_opening_osc(rave):
    """The ring's prefill runs the TorchScript model's first (slow) calls on the main thread."""
    port = free_port()
    process = serve("--model", str(rave), "--output", "null", "--port", str(port),
                    "--log-level", "debug")
    try:
        wait_for_line(process, "shutdown: starting the engine")
        status, seconds, log = stop_with(process)
        assert status == 0, log
    finally:
        process.kill()
    assert "stopping before the start was complete" in log, log
    assert "playing" not in log and "OSC udp" not in log
    assert seconds < 5.0

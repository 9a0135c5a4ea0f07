"""``latentd serve --input`` (issue 19): the settings, the start line, the status fields, and
every bad input refused at start with exit status 2 and a clear message, as a real process."""

import argparse
import logging
import shutil
import signal
import subprocess
import sys

import numpy as np
import pytest
import soundfile
import torch
from support.serve import free_port, osc, serve, stop_with, wait_for_line

from latentd.__main__ import main
from latentd.daemon.config import SOURCES as CONFIG_SOURCES
from latentd.daemon.config import add_arguments, build
from latentd.daemon.serve import live_resampler
from latentd.engine.control_names import SOURCES
from latentd.models.checkpoint import save_checkpoint
from latentd.models.rave import RaveConfig, RaveModel

RATE = 44100


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("model") / "tiny.ckpt"
    save_checkpoint(path, RaveModel(RaveConfig.tiny(noise=False, bands=4, ratios=(4, 4),
                                                    capacity=4, latent_size=4)))
    return path


@pytest.fixture(scope="module")
def take(tmp_path_factory):
    path = tmp_path_factory.mktemp("takes") / "take.flac"
    t = np.arange(RATE) / RATE
    soundfile.write(path, (0.4 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), RATE)
    return path


def run_serve(model, *flags, timeout=120):
    return subprocess.run([sys.executable, "-m", "latentd", "serve", "--model", str(model),
                           "--output", "null", "--port", str(free_port()), "--block-frames", "4",
                           *flags], capture_output=True, text=True, timeout=timeout)


def test_the_config_knows_every_source():
    assert CONFIG_SOURCES == SOURCES


@pytest.mark.parametrize("flags, message", [
    (["--input", "mic"], "input must be none, wav:PATH or portaudio[:DEVICE]"),
    (["--input", "wav:"], "input must be none, wav:PATH or portaudio[:DEVICE]"),
    (["--input-channels", "0"], "input_channels must be distinct channel numbers"),
    (["--input-channels", "1,1"], "input_channels must be distinct channel numbers"),
    (["--input-channels", "one"], "input_channels must be distinct channel numbers"),
])
def test_bad_input_settings_exit_2(flags, message, capsys):
    assert main(["serve", *flags]) == 2
    assert message in capsys.readouterr().err


def test_input_settings_from_the_config_file(tmp_path):
    from argparse import Namespace

    from latentd.daemon.config import build

    config = tmp_path / "latentd.toml"
    config.write_text('[serve]\ninput = "wav:take.wav"\ninput_channels = [2, 1]\n'
                      'source = "input"\ninputs_dir = "takes"\n')
    built = build(Namespace(config=config))
    assert (built.input, built.input_channels, built.source) == ("wav:take.wav", [2, 1],
                                                                 "input")
    assert str(built.inputs_dir) == "takes"


def serve_in_process(*flags) -> int:
    """``latentd serve`` through the same CLI entry (``main``) in this process: the same
    checks, the same one-line report and its exit status. Past its start the command leaves
    through ``exit_now`` (``os._exit``), which would end the test run: here that exit is raised
    as ``SystemExit`` with the status, and the process-wide state the start sets (the stop
    signals' handlers, the root logger, the export policy) is put back afterwards.
    ``test_a_bad_input_is_refused_at_start_with_exit_2_by_a_real_process`` checks the real
    exit."""
    from latentd.daemon import shutdown
    from latentd.models.rave_rebuild import policy

    def leave(status: int) -> None:
        raise SystemExit(status)

    handlers = {sig: signal.getsignal(sig) for sig in shutdown.STOP_SIGNALS}
    root = logging.getLogger()
    root_state = (list(root.handlers), root.level)
    exact = policy.exact_export()
    real_exit, shutdown.exit_now = shutdown.exit_now, leave
    try:
        return main(["serve", *flags])
    except SystemExit as exit_:
        return exit_.code
    finally:
        shutdown.exit_now = real_exit
        policy.set_exact_export(exact)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        for handler in list(root.handlers):
            if handler not in root_state[0]:
                root.removeHandler(handler)
        for handler in root_state[0]:
            root.addHandler(handler)
        root.setLevel(root_state[1])


def bad_input(problem, take, tmp_path) -> tuple[list[str], str]:
    """The flags of one bad input and what the refusal must say."""
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF....WAVEfmt nothing more")
    slow = tmp_path / "slow.wav"
    soundfile.write(slow, np.zeros(400, np.float32), 400)
    return {
        "missing": (["--input", f"wav:{tmp_path / 'nope.wav'}"], "cannot read input file"),
        "unreadable": (["--input", f"wav:{junk}"], "cannot read input file"),
        "channel": (["--input", f"wav:{take}", "--input-channels", "2"],
                    "has 1 channel(s); --input-channels asks for 2"),
        "odd rate": (["--input", f"wav:{slow}"], "sample rate 400 Hz is outside"),
        "no device": (["--input", "portaudio:no-such-device-latentd-test"],
                      "no input device 'no-such-device-latentd-test'"),
        "source without input": (["--source", "input"], "--source input needs an input"),
    }[problem]


def test_a_bad_input_is_refused_at_start_with_exit_2_by_a_real_process(model, take, tmp_path):
    """The exit status as the shell sees it (``exit_now``'s ``os._exit``), once; the device
    case keeps PortAudio out of the test process."""
    flags, message = bad_input("no device", take, tmp_path)
    result = run_serve(model, *flags)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("problem", ["missing", "unreadable", "channel", "odd rate",
                                     "source without input"])
def test_bad_inputs_are_refused_at_start_with_exit_2(model, take, tmp_path, problem, capsys):
    flags, message = bad_input(problem, take, tmp_path)
    status = serve_in_process("--model", str(model), "--output", "null", "--port",
                              str(free_port()), "--block-frames", "4", *flags)
    err = capsys.readouterr().err
    assert status == 2, err
    assert message in err
    assert "Traceback" not in err


def test_serve_plays_a_looping_file_and_plays_on_when_it_disappears(model, take, tmp_path):
    """One daemon playing a looping file through the input source: the start line and the
    status fields say so. Then the file is cut: a file deleted while looping keeps playing from
    its open descriptor on Linux, so the reader's failure is made real by truncating it: the
    next read at the loop point fails or reads nothing; either way the daemon logs, reports
    input none and plays on."""
    moving = tmp_path / "moving.flac"
    shutil.copy(take, moving)
    port = free_port()
    daemon = serve("--model", str(model), "--output", "null", "--port", str(port),
                   "--block-frames", "4", "--input", f"wav:{moving}", "--source", "input",
                   "--input-channels", "1")
    try:
        line = wait_for_line(daemon, ": playing ", timeout=120)
        assert f"input {moving} (input " in line and "source input" in line, line
        _address, args = osc(port, "/status")
        fields = dict(zip(args[::2], args[1::2], strict=True))
        assert fields["input"] == str(moving) and fields["source"] == "input"
        assert fields["latency_input_ms"] > 0
        names = list(fields)  # the input's fields together, in this order (others may follow)
        at = names.index("latency_input_ms")
        assert names[at: at + 3] == ["latency_input_ms", "latency_encoder_ms", "input"]
        moving.write_bytes(b"")  # the file is cut under the reader
        wait_for_line(daemon, "input lost", timeout=20)
        _address, args = osc(port, "/status")
        fields = dict(zip(args[::2], args[1::2], strict=True))
        assert fields["input"] == "none", "the lost input is still reported"
        assert fields["underruns"] < 50, "the output did not play on"
    finally:
        status, _, log = stop_with(daemon)
    assert status == 0, log


class _Live:
    realtime = True


class _Offline:
    realtime = False


def test_the_resampler_follows_the_input_unless_chosen():
    """``--resampler auto``: the low-latency one when a live input is open (a performer plays
    through the model), the flat one otherwise; a choice given is kept."""
    assert live_resampler("auto", _Live()) == "latency"  # type: ignore[arg-type]
    assert live_resampler("auto", None) == "quality"
    assert live_resampler("auto", _Offline()) == "quality"  # type: ignore[arg-type]
    assert live_resampler("quality", _Live()) == "quality"  # type: ignore[arg-type]
    assert live_resampler("latency", None) == "latency"


def test_the_resampler_setting_is_checked(capsys):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert build(parser.parse_args(["--resampler", "latency"])).resampler == "latency"
    assert build(parser.parse_args([])).resampler == "auto"
    with pytest.raises(SystemExit) as refused:  # argparse's choices: exit 2, the choices
        main(["serve", "--resampler", "fast"])
    assert refused.value.code == 2
    assert "--resampler" in capsys.readouterr().err

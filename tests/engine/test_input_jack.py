"""Live input through a real JACK server (issue 19): ``jackd -d dummy``, ``latentd serve --model
default --input portaudio:N --output portaudio:N --source input`` (one duplex stream, one JACK
client), a second JACK client playing a harmonic tone into the daemon's input port, and two
capture clients recording the tone and the daemon's output with their JACK cycle times.

With ``/source input`` the output has the tone's pitch (the default model's latent 0 is its
pitch, measured), follows its loudness, and its sound starts no later than the reported input
to output latency plus one block after the tone does.

Run as a script, this file is the player: ``play DEVICE SECONDS`` plays silence until a line on
stdin, then the schedule below.
"""

from __future__ import annotations

import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from support.jack import (
    RATE,
    Capture,
    JackServer,
    Osc,
    free_udp_port,
    jack_output_device,
    popen,
    running_jack,
    start_daemon,
    stop_process,
    tail,
    wait_until,
)
from support.latency_probe import measure, start_input_daemon
from support.tools import require_tool

HERE = Path(__file__).resolve()
F0 = 220.0
LEAD, LOUD, QUIET = 1.0, 2.5, 2.0  # seconds of silence, then loud, quiet, loud
LOUD_AMP, QUIET_AMP = 0.3, 0.03  # 20 dB apart
TOTAL = LEAD + LOUD + QUIET + LOUD
MARGIN_MS = 40.0  # a loaded CI machine: scheduling and the envelope's 5 ms windows


def schedule(frames: np.ndarray) -> np.ndarray:
    """The player's signal at these frame indices (after the go)."""
    t = frames / RATE
    amplitude = np.where(t < LEAD, 0.0, np.where(t < LEAD + LOUD, LOUD_AMP, np.where(
        t < LEAD + LOUD + QUIET, QUIET_AMP, np.where(t < TOTAL, LOUD_AMP, 0.0))))
    tone = sum(np.sin(2 * np.pi * F0 * k * t) / k for k in range(1, 6)) / 1.5
    return (amplitude * tone).astype(np.float32)


def _play_main(device: int) -> int:
    import sounddevice as sd

    state = {"go": False, "frame": 0}

    def callback(outdata, frames, time_info, status):
        if not state["go"]:
            outdata.fill(0.0)
            return
        start = state["frame"]
        outdata[:, 0] = schedule(np.arange(start, start + frames))
        state["frame"] = start + frames

    with sd.OutputStream(device=device, channels=1, samplerate=RATE, dtype="float32",
                         latency="low", callback=callback):
        print("ready", flush=True)
        sys.stdin.readline()
        state["go"] = True
        while state["frame"] < (TOTAL + 0.5) * RATE:
            time.sleep(0.02)
    return 0


# ----------------------------------------------------------------------------- analysis
def envelope_db(audio: np.ndarray, window: int = 240) -> np.ndarray:
    count = len(audio) // window
    power = np.mean(np.square(audio[: count * window].reshape(count, window),
                              dtype=np.float64), axis=1)
    return 10 * np.log10(power + 1e-12)


def f0_of(audio: np.ndarray, low: float = 80.0, high: float = 1000.0) -> float:
    """Autocorrelation pitch with parabolic refinement."""
    audio = audio - audio.mean()
    spectrum = np.fft.rfft(audio, 2 * len(audio))
    corr = np.fft.irfft(np.abs(spectrum) ** 2)[: len(audio)]
    lo, hi = int(RATE / high), int(RATE / low)
    lag = lo + int(np.argmax(corr[lo:hi]))
    a, b, c = corr[lag - 1], corr[lag], corr[lag + 1]
    shift = 0.5 * (a - c) / (a - 2 * b + c) if (a - 2 * b + c) != 0 else 0.0
    return RATE / (lag + shift)


@pytest.fixture(scope="module")
def jack(tmp_path_factory):
    with running_jack(tmp_path_factory.mktemp("jack")) as server:
        yield server


def test_the_default_model_follows_a_tone_played_into_its_jack_input(jack, tmp_path):
    device = jack_output_device(jack.env)
    before = jack.ports()
    daemon = start_daemon(jack, Path("default"), device, tmp_path, 1, 200.0,
                          extra=("--input", f"portaudio:{device}", "--source", "input",
                                 "--input-channels", "1"))
    player = None
    try:
        inputs = [name for name in jack.new_ports(before, 10.0, output=False)
                  if name.split(":")[0] == daemon.ports[0].split(":")[0]]
        assert inputs, f"the daemon has no JACK input port: {sorted(jack.ports())}"
        log = daemon.log.read_text(errors="replace")
        assert "duplex" in log, tail(daemon.log)
        before_player = jack.ports()
        player = popen([sys.executable, str(HERE), "play", str(device)], tmp_path / "play.log",
                       {**jack.env, "PYTHONPATH": str(HERE.parents[1])}, stdin=subprocess.PIPE)
        assert wait_until(lambda: "ready" in (tmp_path / "play.log").read_text(errors="replace"),
                          60), tail(tmp_path / "play.log")
        tone_port = jack.new_ports(before_player, 10.0, output=True)[0]
        for name, port in jack.ports().items():  # the daemon hears the player only
            if port.is_output and inputs[0] in port.connections and name != tone_port:
                jack.disconnect(name, inputs[0])
        jack.connect(tone_port, inputs[0])
        heard = Capture(jack, device, tone_port, TOTAL + 1.5, tmp_path).start()
        played = Capture(jack, device, daemon.ports[0], TOTAL + 1.5, tmp_path).start()
        with Osc(daemon.port) as osc:
            status = osc.status()
        assert status["input"].startswith("portaudio:") and status["source"] == "input"
        player.stdin.write(b"go\n")
        player.stdin.flush()
        tone, out = heard.finish(), played.finish()
    finally:
        if player is not None:
            stop_process(player, signal.SIGKILL)
        stop_process(daemon.process)
    assert daemon.process.returncode in (0, -signal.SIGTERM), tail(daemon.log)

    # when the tone started, on the JACK timeline, and when the output changed
    start_frame = int(np.flatnonzero(np.abs(tone.audio) > 0.01)[0])
    tone_wall = tone.wall_of(start_frame)
    first = out.frame_at(tone_wall)
    # one block (one latent frame) of the model, from its start line: "(44100 Hz, ... N
    # samples/frame)"
    words = log.split(" samples/frame")[0].split()
    block = 1000 * int(words[-1]) / int(log.split("playing 'default' (")[1].split(" Hz")[0])
    reported = status["latency_ms"] + status["latency_input_ms"] + status["latency_encoder_ms"]
    env = envelope_db(out.audio)
    pre = env[max(0, (first - RATE // 2) // 240): first // 240]
    rise = np.flatnonzero(env[first // 240:] > pre.max() + 6.0)
    assert len(rise), "the output never followed the tone"
    delay_ms = 1000 * rise[0] * 240 / RATE
    print(f"input-to-output delay {delay_ms:.1f} ms; reported {reported:.1f} ms "
          f"(+ one block {block:.1f} ms)")
    assert delay_ms <= reported + block + MARGIN_MS, (delay_ms, reported, status)

    # pitch: the middle of each loud stretch, past the delay
    lag = int((reported + block) / 1000 * RATE)
    cents = []
    for since_tone in (1.0, LOUD + QUIET + 1.0):
        lo = first + lag + int(since_tone * RATE)
        cents.append(1200 * np.log2(f0_of(out.audio[lo: lo + RATE // 2]) / F0))
    print(f"pitch error in cents: {[round(c, 1) for c in cents]}")
    assert max(abs(c) for c in cents) <= 50, cents

    # loudness: quiet input, quieter output; the envelopes move together
    def level(seconds_from_tone: float) -> float:
        lo = first + lag + int(seconds_from_tone * RATE)
        return float(np.mean(env[lo // 240: (lo + RATE // 2) // 240]))

    loud_db = level(1.0)
    quiet_db = level(LOUD + 1.0)
    loud_again_db = level(LOUD + QUIET + 1.0)
    print(f"output levels: loud {loud_db:.1f}, quiet {quiet_db:.1f}, loud {loud_again_db:.1f} dB")
    assert loud_db > quiet_db + 6 and loud_again_db > quiet_db + 6


def test_default_causal_delay_is_within_the_reported_latency(jack, tmp_path):
    """``default-causal`` (the model live input is for), one duplex stream, ``/glide 0``: a
    probe client plays tone bursts into the daemon's input and records its output in the same
    JACK callback (latency_probe.py), so the delay is counted in frames; JACK's own delay
    between two clients (the probe wired to itself) is taken out. Every burst comes back within
    the reported input-to-output latency plus one block (the margin is for a loaded CI machine;
    the figures are bench/input_latency.py's)."""
    device = jack_output_device(jack.env)
    graph = statistics.median(measure(jack, device, "click", 3.0, tmp_path))
    daemon, into = start_input_daemon(jack, "default-causal", device, tmp_path)
    try:
        with Osc(daemon.port) as osc:
            osc.send("/glide", 0.0)
            delays = measure(jack, device, "tone", 7.0, tmp_path, into, daemon.ports[0])
            status = osc.status()
    finally:
        stop_process(daemon.process)
    block_ms = 1000 * 1024 / 44100
    reported = status["latency_ms"] + status["latency_input_ms"] + status["latency_encoder_ms"]
    measured = [1000 * (d - graph) / RATE for d in delays]
    print(f"default-causal: measured {[round(m, 1) for m in measured]} ms, reported "
          f"{reported:.1f} ms + one block {block_ms:.1f} ms")
    assert len(measured) >= 4, (delays, tail(daemon.log))
    assert max(measured) <= reported + block_ms + MARGIN_MS, (measured, status)
    # nothing comes back before the streamed encoder's frame: the sound went through the model
    assert min(measured) >= block_ms, (measured, status)


def test_an_input_device_that_disappears_leaves_the_output_playing(tmp_path):
    """The JACK server dies under a daemon whose input is on it and whose output is not: a log
    line says the input was lost, ``/status.reply`` says ``input none``, the output plays on,
    and the input is asked for again (a log line says it is still missing)."""
    import torch

    from latentd.models.checkpoint import save_checkpoint
    from latentd.models.rave import RaveConfig, RaveModel

    for tool in ("jackd", "jack_lsp"):
        require_tool(tool, "jackd2")
    torch.manual_seed(0)
    model = tmp_path / "tiny.ckpt"
    save_checkpoint(model, RaveModel(RaveConfig.tiny(noise=False, bands=4, ratios=(4, 4),
                                                     capacity=4, latent_size=4)))
    server = JackServer(tmp_path / "jack")
    (tmp_path / "jack").mkdir()
    server.start()
    process = None
    try:
        device = jack_output_device(server.env)
        port = free_udp_port()
        log = tmp_path / "latentd.log"
        process = popen([sys.executable, "-m", "latentd", "serve", "--model", str(model),
                         "--output", "null", "--input", f"portaudio:{device}", "--source",
                         "input", "--port", str(port), "--block-frames", "4"], log,
                        server.env, stdin=subprocess.DEVNULL)
        assert wait_until(lambda: "playing" in log.read_text(errors="replace"), 120), tail(log)
        with Osc(port) as osc:
            assert osc.status()["input"].startswith("portaudio:")
            stop_process(server.process, signal.SIGKILL)  # the device disappears
            assert wait_until(lambda: "input lost" in log.read_text(errors="replace"), 20), \
                tail(log)
            first = osc.status()
            time.sleep(1.0)
            later = osc.status()
        # it is asked for again, with backoff, and the log says why it is still missing
        # (PortAudio cannot reach a JACK server that quit: see PortAudioInput.reopen)
        assert wait_until(lambda: "input still missing" in log.read_text(errors="replace"),
                          10), tail(log)
        assert first["input"] == "none" and later["input"] == "none"
        assert later["uptime"] > first["uptime"] and later["ring_fill"] > 0
        assert later["underruns"] - first["underruns"] < 5  # the output plays on
        assert process.poll() is None
    finally:
        if process is not None:
            stop_process(process)
        server.stop()


if __name__ == "__main__":
    if sys.argv[1] == "play":
        sys.exit(_play_main(int(sys.argv[2])))
    sys.exit(f"unknown command {sys.argv[1:]}")

"""A JACK client that measures input-to-output delay in frames: one duplex stream plays a burst
schedule out of its output port and records its input port in the same callback, so a frame
played and a frame heard share one index and the delay needs no wall clocks.

Wired ``probe:out -> daemon:in`` and ``daemon:out -> probe:in`` it measures the daemon's whole
input-to-output delay plus JACK's own graph delay; wired ``probe:out -> probe:in`` (loopback) it
measures the graph delay alone, which is subtracted (``measure``).

Run as a script, this file is the probe: ``DEVICE KIND SECONDS OUT`` plays silence until a line
on stdin, then the schedule, and saves ``played`` and ``heard`` to OUT (npz).
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve()
RATE = 48000
LEAD_SECONDS = 1.0  # silence before the first burst: the model settles on silence
EVERY_SECONDS = 1.0  # one burst per second
ON_SECONDS = 0.4  # each burst lasts this long (tone) or one sample (click)
WINDOW = 48  # envelope window, 1 ms at 48 kHz
F0 = 220.0


def schedule(kind: str, seconds: float) -> np.ndarray:
    """The probe's signal: ``click`` (one sample at 0.5 per burst: the dry path, exact by
    cross-correlation) or ``tone`` (a harmonic 220 Hz tone burst: the model path)."""
    total = int(seconds * RATE)
    signal = np.zeros(total, np.float32)
    t = np.arange(int(ON_SECONDS * RATE)) / RATE
    tone = (0.3 * sum(np.sin(2 * np.pi * F0 * k * t) / k for k in range(1, 6)) / 1.5
            ).astype(np.float32)
    for start in burst_starts(seconds):
        if kind == "click":
            signal[start] = 0.5
        else:
            end = min(total, start + len(tone))
            signal[start:end] = tone[: end - start]
    return signal


def burst_starts(seconds: float) -> list[int]:
    count = int((seconds - LEAD_SECONDS - ON_SECONDS) // EVERY_SECONDS)
    return [int((LEAD_SECONDS + k * EVERY_SECONDS) * RATE) for k in range(max(0, count))]


def envelope_db(audio: np.ndarray) -> np.ndarray:
    count = len(audio) // WINDOW
    power = np.mean(np.square(audio[: count * WINDOW].reshape(count, WINDOW),
                              dtype=np.float64), axis=1)
    return 10 * np.log10(power + 1e-12)


def onset_delays(played: np.ndarray, heard: np.ndarray, rise_db: float = 10.0) -> list[int]:
    """Per burst, frames from the burst's start to where the heard envelope first rises
    ``rise_db`` above its level in the 150 ms before the burst (to WINDOW frames)."""
    env = envelope_db(heard)
    seconds = len(played) / RATE
    delays = []
    for start in burst_starts(seconds):
        w = start // WINDOW
        before = env[max(0, w - 150 * RATE // 1000 // WINDOW): w]
        if not len(before):
            continue
        after = env[w: w + int(EVERY_SECONDS * RATE) // WINDOW - 1]
        rise = np.flatnonzero(after > before.max() + rise_db)
        if len(rise):
            delays.append(int(rise[0]) * WINDOW)
    return delays


def click_delays(played: np.ndarray, heard: np.ndarray) -> list[int]:
    """Per click, the lag of the heard signal's largest peak within the burst period: exact."""
    delays = []
    for start in burst_starts(len(played) / RATE):
        after = np.abs(heard[start: start + int(0.5 * RATE)])
        if len(after) and after.max() > 0.05:
            delays.append(int(np.argmax(after)))
    return delays


@dataclass
class Probe:
    """The probe client as a subprocess; ``port_in``/``port_out`` its JACK ports."""

    process: subprocess.Popen
    out: Path
    log: Path
    port_in: str
    port_out: str

    def run(self, seconds: float) -> tuple[np.ndarray, np.ndarray]:
        """Play the schedule now; (played, heard), frame-aligned."""
        assert self.process.stdin is not None
        self.process.stdin.write(b"go\n")
        self.process.stdin.flush()
        self.process.wait(timeout=seconds + 60)
        data = np.load(self.out)
        return data["played"], data["heard"]


def start_probe(jack, device: int, kind: str, seconds: float, workdir: Path) -> Probe:
    """The probe on ``jack``, ready and unconnected (PortAudio's own wiring undone)."""
    from support.jack import popen, tail, wait_until

    before = jack.ports()
    out = workdir / f"probe-{kind}-{time.monotonic_ns()}.npz"
    log = out.with_suffix(".log")
    process = popen([sys.executable, str(HERE), str(device), kind, str(seconds), str(out)], log,
                    jack.env, stdin=subprocess.PIPE)
    if not wait_until(lambda: "ready" in log.read_text(errors="replace"), 60):
        raise RuntimeError(f"the probe did not start:\n{tail(log)}")
    port_in = jack.new_ports(before, 10.0, output=False)[0]
    port_out = jack.new_ports(before, 10.0, output=True)[0]
    for name, port in jack.ports().items():
        for other in port.connections:
            if port.is_output and other == port_in:
                jack.disconnect(name, port_in)
            if name == port_out:
                jack.disconnect(port_out, other)
    return Probe(process, out, log, port_in, port_out)


def start_input_daemon(jack, model: str, device: int, workdir: Path, latency_ms: str = "auto",
                       block_frames: int = 1):
    """``latentd serve --model MODEL`` with ``/source input`` on one duplex stream of the JACK
    device; returns (the daemon, its JACK input port)."""
    from support.jack import start_daemon

    before = jack.ports()
    daemon = start_daemon(jack, Path(model), device, workdir, block_frames, latency_ms,
                          extra=("--input", f"portaudio:{device}", "--source", "input",
                                 "--input-channels", "1"))
    client = daemon.ports[0].split(":")[0]
    into = next(name for name in jack.new_ports(before, 10.0, output=False)
                if name.split(":")[0] == client)
    return daemon, into


def wire_only(jack, source: str, destination: str) -> None:
    """``destination`` hears ``source`` and nothing else."""
    for name, port in jack.ports().items():
        if port.is_output and destination in port.connections and name != source:
            jack.disconnect(name, destination)
    jack.connect(source, destination)


def measure(jack, device: int, kind: str, seconds: float, workdir: Path,
            into: str | None = None, back: str | None = None) -> list[int]:
    """Per-burst delays in frames through ``into`` -> ... -> ``back`` (a daemon's input and
    output ports), or the probe's own loopback when both are None (JACK's graph delay)."""
    probe = start_probe(jack, device, kind, seconds, workdir)
    try:
        if into is None or back is None:
            wire_only(jack, probe.port_out, probe.port_in)
        else:
            wire_only(jack, probe.port_out, into)
            wire_only(jack, back, probe.port_in)
        played, heard = probe.run(seconds)
    finally:
        from support.jack import stop_process

        stop_process(probe.process)
    return click_delays(played, heard) if kind == "click" else onset_delays(played, heard)


def _probe_main(device: int, kind: str, seconds: float, out: str) -> int:
    import sounddevice as sd

    played = schedule(kind, seconds)
    heard = np.zeros_like(played)
    state = {"go": False, "frame": 0}

    def callback(indata, outdata, frames, time_info, status):  # copies only
        if not state["go"]:
            outdata.fill(0.0)
            return
        start = state["frame"]
        take = max(0, min(frames, len(played) - start))
        outdata[:take, 0] = played[start: start + take]
        outdata[take:] = 0.0
        heard[start: start + take] = indata[:take, 0]
        state["frame"] = start + frames

    with sd.Stream(device=(device, device), channels=(1, 1), samplerate=RATE, dtype="float32",
                   blocksize=256, latency="low", callback=callback):
        print("ready", flush=True)
        sys.stdin.readline()
        state["go"] = True
        deadline = time.monotonic() + seconds + 30
        while state["frame"] < len(played) and time.monotonic() < deadline:
            time.sleep(0.02)
    np.savez(out, played=played, heard=heard)
    return 0


if __name__ == "__main__":
    sys.exit(_probe_main(int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4]))

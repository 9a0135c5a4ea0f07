"""Real JACK plumbing for tests/engine/test_jack.py: a ``jackd -d dummy`` server, ``latentd
serve`` on PortAudio's JACK device, a second JACK client capturing what the daemon plays, and a
small OSC client.

Every process is started in its own session, ended by its pid, and told to end when the test
process dies (PR_SET_PDEATHSIG). Logs go to files, never to pipes: jackd and the daemon may log
at any time, and a full pipe would block them mid-test.

Run as a script, this file is the capture client (``capture``) or lists PortAudio's JACK output
device (``device``). Both run in subprocesses because PortAudio enumerates host APIs once, when
sounddevice is imported, and the test process may have imported it before jackd was running.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

JACK_API = "JACK Audio Connection Kit"
RATE = 48000
PERIOD = 256
HERE = Path(__file__).resolve()


# ----------------------------------------------------------------------------- processes
def stop_process(process: subprocess.Popen | None, sig: int = signal.SIGTERM,
                 timeout: float = 10.0) -> int | None:
    """Signal our own child by its pid, wait, and kill it if it will not go."""
    if process is None:
        return None
    if process.poll() is None:
        try:
            process.send_signal(sig)
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
        except ProcessLookupError:
            pass
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return None


def _die_with_parent(sig: int) -> None:
    """In the child, before exec: get ``sig`` when the test process dies, however it dies (a
    CI timeout's SIGKILL included), so nothing we started outlives the test run."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, sig)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the fixtures' own teardown still ends them


def popen(args: list[str], log: Path | None, env: dict[str, str] | None = None,
          death: int = signal.SIGKILL, **kwargs) -> subprocess.Popen:
    """A child in its own session (a terminal's Ctrl-C reaches the test, which ends it in
    order), logging to a file, never to a pipe: a full pipe would block it mid-test."""
    out = open(log, "wb") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    try:
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True,
                                preexec_fn=lambda: _die_with_parent(death), **kwargs)
    finally:
        if log is not None:
            out.close()


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_until(predicate, timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


# ----------------------------------------------------------------------------- jackd
@dataclass
class Port:
    name: str
    properties: set[str]
    connections: list[str]

    @property
    def is_output(self) -> bool:
        return "output" in self.properties


@dataclass
class JackServer:
    """``jackd -d dummy`` under a unique server name; ``env`` points every client at it."""

    workdir: Path
    name: str = field(default_factory=lambda: f"latentd-test-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    process: subprocess.Popen | None = None

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["JACK_DEFAULT_SERVER"] = self.name
        env["JACK_NO_AUDIO_RESERVATION"] = "1"
        env["JACK_NO_START_SERVER"] = "1"  # a client must never start some other server
        return env

    @property
    def log(self) -> Path:
        return self.workdir / "jackd.log"

    def start(self, timeout: float = 30.0) -> None:
        self.process = popen(
            ["jackd", "-n", self.name, "-d", "dummy", "-r", str(RATE), "-p", str(PERIOD)],
            self.log, self.env, death=signal.SIGTERM, stdin=subprocess.DEVNULL)  # cleans up shm

        def answers() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"jackd exited with {self.process.returncode}:\n"
                                   f"{tail(self.log)}")
            result = subprocess.run(["jack_lsp"], capture_output=True, text=True,
                                    env=self.env, timeout=10)
            return result.returncode == 0 and "system:playback_1" in result.stdout

        if not wait_until(answers, timeout, 0.2):
            self.stop()
            raise RuntimeError(f"jackd '{self.name}' did not answer jack_lsp within "
                               f"{timeout} s:\n{tail(self.log)}")

    def stop(self) -> None:
        status = stop_process(self.process)
        if status is not None and status < 0 and status != -signal.SIGTERM:
            # a killed jackd (a test of a dying server) leaves its entry in JACK's registry of
            # servers, 8 per machine, and only a server of the same name reclaims it: start one
            # and stop it in order, or later tests on this machine get "Too many servers"
            with contextlib.suppress(RuntimeError):
                self.start()
            stop_process(self.process)
        # semaphores of clients that were killed outlive the server; they carry its unique name
        for leftover in Path("/dev/shm").glob(f"jack_sem.*_{self.name}_*"):
            leftover.unlink(missing_ok=True)

    def ports(self) -> dict[str, Port]:
        """Every port with its properties and connections (``jack_lsp -c -p``)."""
        result = subprocess.run(["jack_lsp", "-c", "-p"], capture_output=True, text=True,
                                env=self.env, timeout=10, check=True)
        ports: dict[str, Port] = {}
        current: Port | None = None
        for line in result.stdout.splitlines():
            if not line.strip():
                continue
            if not line[0].isspace():
                current = ports.setdefault(line, Port(line, set(), []))
            elif current is not None and line.strip().startswith("properties:"):
                props = line.split(":", 1)[1]
                current.properties = {p.strip() for p in props.split(",") if p.strip()}
            elif current is not None:
                current.connections.append(line.strip())
        return ports

    def connect(self, source: str, destination: str) -> None:
        subprocess.run(["jack_connect", source, destination], env=self.env, timeout=10,
                       check=True, capture_output=True)

    def disconnect(self, source: str, destination: str) -> None:
        subprocess.run(["jack_disconnect", source, destination], env=self.env, timeout=10,
                       check=True, capture_output=True)

    def new_ports(self, before: dict[str, Port], timeout: float, output: bool) -> list[str]:
        """Ports that appeared since ``before`` (outputs or inputs), waiting up to ``timeout``."""
        found: list[str] = []

        def appeared() -> bool:
            nonlocal found
            found = sorted(name for name, port in self.ports().items()
                           if name not in before and port.is_output == output)
            return bool(found)

        wait_until(appeared, timeout, 0.1)
        return found


@contextlib.contextmanager
def running_jack(workdir: Path) -> Iterator[JackServer]:
    """A JACK dummy server for the block, after checking its tools (a skip with the reason, or
    a failure under LATENTD_REQUIRE_TOOLS=1), stopped afterwards whatever happened."""
    from support.tools import require_tool  # here: this file also runs as a script

    for tool in ("jackd", "jack_lsp", "jack_connect", "jack_disconnect"):
        require_tool(tool, "jackd2")
    workdir.mkdir(parents=True, exist_ok=True)
    server = JackServer(workdir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def jack_output_device(env: dict[str, str]) -> int:
    """PortAudio's index of the JACK output device, asked in a fresh process."""
    result = subprocess.run([sys.executable, str(HERE), "device"], capture_output=True,
                            text=True, env=env, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"no PortAudio JACK device: {result.stdout}{result.stderr}")
    return int(result.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- latentd
@dataclass
class Daemon:
    process: subprocess.Popen
    log: Path
    port: int
    ports: list[str]  # its JACK output ports

    def alive(self) -> bool:
        return self.process.poll() is None


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_daemon(jack: JackServer, model: Path, device: int | str, workdir: Path,
                 block_frames: int, latency_ms: float, timeout: float = 120.0,
                 extra: tuple[str, ...] = ()) -> Daemon:
    """``latentd serve`` on the JACK device (``portaudio:DEVICE``: a number or a name such as
    ``JACK``); returns once it logged its start line and its JACK port exists."""
    before = jack.ports()
    port = free_udp_port()
    log = workdir / "latentd.log"
    process = popen(
        [sys.executable, "-m", "latentd", "serve", "--model", str(model), *extra,
         "--output", f"portaudio:{device}", "--port", str(port),
         "--block-frames", str(block_frames), "--blocksize", str(PERIOD),
         "--latency-ms", str(latency_ms), "--presets-dir", str(workdir / "presets"),
         "--recordings-dir", str(workdir / "recordings")],
        log, jack.env, stdin=subprocess.DEVNULL)
    try:
        def started() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"latentd exited with {process.returncode}:\n{tail(log)}")
            return "playing" in log.read_text(errors="replace")

        if not wait_until(started, timeout, 0.1):
            raise RuntimeError(f"latentd did not start within {timeout} s:\n{tail(log)}")
        ports = jack.new_ports(before, 10.0, output=True)
        if not ports:
            raise RuntimeError(f"latentd has no JACK output port: {sorted(jack.ports())}")
        return Daemon(process, log, port, ports)
    except BaseException:
        stop_process(process, signal.SIGKILL)
        raise


# ----------------------------------------------------------------------------- OSC
class Osc:
    """A UDP OSC client with its own socket, so the daemon's replies come back to it."""

    def __init__(self, port: int):
        self.address = ("127.0.0.1", port)
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))

    def close(self) -> None:
        self.socket.close()

    def __enter__(self) -> Osc:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(self, address: str, *args: object) -> float:
        """Send one message; returns time.time() just before it left."""
        from pythonosc.osc_message_builder import OscMessageBuilder

        builder = OscMessageBuilder(address)
        for arg in args:
            builder.add_arg(arg)
        data = builder.build().dgram
        sent = time.time()
        self.socket.sendto(data, self.address)
        return sent

    def status(self, timeout: float = 5.0) -> dict[str, object]:
        """``/status`` -> ``/status.reply`` name/value pairs as a dict."""
        from pythonosc.osc_message import OscMessage

        self.send("/status")
        deadline = time.monotonic() + timeout
        while True:
            self.socket.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                message = OscMessage(self.socket.recvfrom(65536)[0])
            except TimeoutError as exc:
                raise AssertionError(f"no /status.reply within {timeout} s") from exc
            if message.address == "/status.reply":
                params = message.params
                return dict(zip(params[::2], params[1::2], strict=True))


# ----------------------------------------------------------------------------- capture
@dataclass
class Recording:
    """What the capture client heard, and when: ``starts[k]`` frames had been captured before
    the callback that ran at wall time ``walls[k]``."""

    audio: np.ndarray  # (frames,) float32
    walls: np.ndarray  # (callbacks,) time.time() inside each callback
    starts: np.ndarray  # (callbacks,) frame index of each callback's first frame
    status_flags: int  # callbacks PortAudio flagged (input overflow)
    rate: int = RATE

    def wall_of(self, frame: int, neighbourhood: float = 0.25) -> float:
        """The wall time at which ``frame`` entered the JACK graph.

        A callback runs at or after the start of its JACK cycle, never before, so over nearby
        callbacks min(wall - first_frame / rate) is the cycle timeline with the scheduling
        delay of the capture process taken out. Only callbacks near ``frame`` count, so a cycle
        the capture missed elsewhere cannot shift it.
        """
        near = np.abs(self.starts - frame) <= neighbourhood * self.rate
        if not near.any():
            raise AssertionError(f"no capture callback near frame {frame}")
        anchor = float(np.min(self.walls[near] - self.starts[near] / self.rate))
        return anchor + frame / self.rate

    def frame_at(self, wall: float) -> int:
        """The captured frame entering the graph at ``wall`` (the inverse of wall_of)."""
        near = np.abs(self.walls - wall) <= 0.25
        if not near.any():
            raise AssertionError(f"the capture has no callback near t={wall:.3f}")
        anchor = float(np.min(self.walls[near] - self.starts[near] / self.rate))
        return round((wall - anchor) * self.rate)


class Capture:
    """A second JACK client (sounddevice in a subprocess) recording one daemon port."""

    def __init__(self, jack: JackServer, device: int, source: str, seconds: float,
                 workdir: Path):
        self.jack = jack
        self.device = device
        self.source = source
        self.seconds = seconds
        self.out = workdir / f"capture-{uuid.uuid4().hex[:8]}.npz"
        self.log = self.out.with_suffix(".log")
        self.process: subprocess.Popen | None = None
        self.port = ""
        self.connected_at = 0.0

    def start(self, timeout: float = 60.0) -> Capture:
        before = self.jack.ports()
        self.process = popen(
            [sys.executable, str(HERE), "capture", str(self.device), str(self.seconds),
             str(self.out)], self.log, self.jack.env, stdin=subprocess.DEVNULL)
        try:
            def ready() -> bool:
                if self.process.poll() is not None:
                    raise RuntimeError(f"capture client exited with {self.process.returncode}:"
                                       f"\n{tail(self.log)}")
                return "ready" in self.log.read_text(errors="replace")

            if not wait_until(ready, timeout, 0.05):
                raise RuntimeError(f"capture client not ready within {timeout} s:\n"
                                   f"{tail(self.log)}")
            inputs = self.jack.new_ports(before, 10.0, output=False)
            if len(inputs) != 1:
                raise RuntimeError(f"expected one new JACK input port, found {inputs}")
            self.port = inputs[0]
            # PortAudio may have wired the client to system:capture_*; hear the daemon only
            for name, port in self.jack.ports().items():
                if port.is_output and self.port in port.connections and name != self.source:
                    self.jack.disconnect(name, self.port)
            self.jack.connect(self.source, self.port)
            self.connected_at = time.time()
            connections = self.jack.ports()[self.port].connections
            if connections != [self.source]:
                raise RuntimeError(f"capture port {self.port} is connected to {connections}")
        except BaseException:
            self.stop()
            raise
        return self

    def finish(self) -> Recording:
        """Wait for the capture to end and load it."""
        assert self.process is not None
        try:
            self.process.wait(timeout=self.seconds + 60)
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(f"capture did not finish:\n{tail(self.log)}") from exc
        finally:
            self.stop()
        if self.process.returncode != 0 or not self.out.exists():
            raise AssertionError(f"capture failed ({self.process.returncode}):\n"
                                 f"{tail(self.log)}")
        data = np.load(self.out)
        return Recording(data["audio"], data["walls"], data["starts"], int(data["flags"]))

    def stop(self) -> None:
        stop_process(self.process, signal.SIGKILL)


class StallProbe:
    """An unrelated process that notes how late its own 10 ms sleeps wake up: how long the
    machine left ordinary processes without a CPU. Said alongside an underrun, it tells a
    starved machine from a slow daemon."""

    def __init__(self, workdir: Path):
        self.out = workdir / f"stalls-{uuid.uuid4().hex[:8]}.txt"
        self.process = popen([sys.executable, str(HERE), "stalls", str(self.out)], None,
                             stdin=subprocess.PIPE)

    def finish(self) -> float:
        """The longest stall seen, in ms."""
        try:
            self.process.communicate(b"", timeout=10)  # end of stdin: stop
        finally:
            stop_process(self.process, signal.SIGKILL)
        try:
            return float(self.out.read_text().strip() or "nan")
        except (OSError, ValueError):
            return float("nan")


# ----------------------------------------------------------------------------- analysis
def onset(audio: np.ndarray, start: int, period: int, threshold: float = 1e-3) -> int | None:
    """The first frame at or after ``start + period`` where the audio stops repeating itself
    every ``period`` frames. Constant latents make the decoder's output exactly periodic (one
    latent frame), and JACK passes float samples through untouched, so a repeat error above
    ``threshold`` (the steady state's is ~1e-7) is the first sample a control change altered."""
    diff = np.abs(audio[start + period:] - audio[start:len(audio) - period])
    late = np.flatnonzero(diff > threshold)
    return None if len(late) == 0 else start + period + int(late[0])


def longest_zero_run(audio: np.ndarray) -> int:
    """Longest run of exact zeros: what the daemon's ring plays when it underruns."""
    zero = np.concatenate([[False], audio == 0.0, [False]])
    edges = np.flatnonzero(np.diff(zero.astype(np.int8)))
    return int(np.max(edges[1::2] - edges[::2])) if len(edges) else 0


def log_spectrum(audio: np.ndarray, size: int = 1024) -> np.ndarray:
    """Mean power spectrum in dB over Hann-windowed frames (half overlap)."""
    hop = size // 2
    count = (len(audio) - size) // hop + 1
    frames = np.stack([audio[i * hop:i * hop + size] for i in range(count)]) * np.hanning(size)
    power = np.mean(np.abs(np.fft.rfft(frames, axis=1)) ** 2, axis=0)
    return 10 * np.log10(power + 1e-12)


def spectral_distance_db(a: np.ndarray, b: np.ndarray, floor_db: float = 60.0) -> float:
    """Mean absolute difference of two log spectra, over bins within ``floor_db`` of the
    loudest bin of either (where there is sound to compare)."""
    sa, sb = log_spectrum(a), log_spectrum(b)
    loud = np.maximum(sa, sb) > max(sa.max(), sb.max()) - floor_db
    return float(np.mean(np.abs(sa - sb)[loud]))


def rms(audio: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))


# ----------------------------------------------------------------------------- subprocesses
def _device_main() -> int:
    import sounddevice as sd

    for api in sd.query_hostapis():
        if api["name"] == JACK_API:
            for index in api["devices"]:
                if sd.query_devices(index)["max_output_channels"] > 0:
                    print(index)
                    return 0
    print(f"PortAudio sees no {JACK_API} output device: {sd.query_hostapis()}")
    return 1


def _capture_main(device: int, seconds: float, out: str) -> int:
    import sounddevice as sd

    total = int(seconds * RATE)
    audio = np.zeros(total, np.float32)
    slots = total // 16 + 1024  # callbacks are at least 16 frames
    walls = np.zeros(slots, np.float64)
    starts = np.zeros(slots, np.int64)
    state = {"frames": 0, "calls": 0, "flags": 0}

    def callback(indata, frames, time_info, status):  # no allocation, no locks, no printing
        now = time.time()
        done = state["frames"]
        take = min(frames, total - done)
        if take > 0:
            audio[done:done + take] = indata[:take, 0]
        call = state["calls"]
        if call < slots:
            walls[call] = now
            starts[call] = done
            state["calls"] = call + 1
        if status:
            state["flags"] += 1
        state["frames"] = done + frames

    with sd.InputStream(device=device, channels=1, samplerate=RATE, dtype="float32",
                        latency="low", callback=callback):
        print("ready", flush=True)
        deadline = time.monotonic() + seconds + 30
        while state["frames"] < total and time.monotonic() < deadline:
            time.sleep(0.02)
    calls = state["calls"]
    np.savez(out, audio=audio[:min(total, state["frames"])], walls=walls[:calls],
             starts=starts[:calls], flags=state["flags"])
    print(f"captured {state['frames']} frames in {calls} callbacks, {state['flags']} flagged",
          flush=True)
    return 0 if state["frames"] >= total else 1


def _stalls_main(out: str) -> int:
    import threading

    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    worst = 0.0
    while not done.is_set():
        before = time.perf_counter()
        time.sleep(0.01)
        worst = max(worst, time.perf_counter() - before - 0.01)
    Path(out).write_text(f"{1000 * worst:.1f}\n")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "stalls":
        sys.exit(_stalls_main(sys.argv[2]))
    if sys.argv[1] == "device":
        sys.exit(_device_main())
    if sys.argv[1] == "capture":
        sys.exit(_capture_main(int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]))
    sys.exit(f"unknown command {sys.argv[1:]}")

"""The Pd patches in a real Pd against a real daemon: a driver patch opens the control patch and
a bare [latentd], the test drives every control through its receive name (FUDI over UDP into the
driver), and checks each address family's effect on the daemon (read back over OSC and from its
debug log) and that replies and telemetry reach Pd (the driver prints what comes out)."""

import contextlib
import queue
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile
from patches.pd_patch import PD_DIR
from pythonosc.osc_message import OscMessage
from pythonosc.osc_message_builder import OscMessageBuilder
from support.serve import free_port
from support.tools import require_tool

DRIVER = """#N canvas 0 0 600 400 12;
#X obj 10 10 latentd-control 127.0.0.1 {daemon} {control_port};
#X obj 10 50 latentd 127.0.0.1 {daemon} {raw_port};
#X obj 10 80 print raw;
#X obj 200 50 r ld-out;
#X obj 200 80 print ctl;
#X obj 10 150 netreceive -u {commands};
#X obj 10 180 list;
#X obj 10 210 t a a;
#X obj 100 240 list split 1;
#X obj 10 240 list split 1;
#X obj 10 270 list trim;
#X obj 10 300 send;
#X obj 300 10 r ld-raw;
#X obj 400 50 latentd 127.0.0.1 {daemon} 2 {voice_port};
#X obj 400 80 print two;
#X obj 400 10 r ld-two;
#X connect 1 0 2 0;
#X connect 3 0 4 0;
#X connect 5 0 6 0;
#X connect 6 0 7 0;
#X connect 7 1 8 0;
#X connect 8 0 11 1;
#X connect 7 0 9 0;
#X connect 9 1 10 0;
#X connect 10 0 11 0;
#X connect 12 0 1 0;
#X connect 13 0 14 0;
#X connect 15 0 13 0;
"""
pytestmark = [pytest.mark.pd, pytest.mark.slow]

# FUDI `ld-glide 0;` into [netreceive] becomes `0` sent to the receive name ld-glide; `ld-raw
# ...` goes into the bare [latentd], `ld-two ...` into the one for voice 2


class Lines:
    """A process's output lines, read by a thread, searchable while it runs."""

    def __init__(self, stream) -> None:
        self.lines: list[str] = []
        self._new: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))
            self._new.put(line)

    def wait_for(self, text: str, after: int = 0, timeout: float = 8.0) -> str:
        """The first line from index ``after`` on that contains ``text``."""
        deadline = time.monotonic() + timeout
        while True:
            for line in self.lines[after:]:
                if text in line:
                    return line
            if time.monotonic() > deadline:
                tail = "\n".join(line for line in self.lines[after:]
                                 if "meter" not in line and "latent.state" not in line
                                 and "status.reply" not in line)
                raise AssertionError(f"{text!r} not seen in {timeout} s; saw:\n{tail}")
            with contextlib.suppress(queue.Empty):
                self._new.get(timeout=0.1)


class Subscriber:
    """The test's own OSC client: subscribed on its socket, keeping the latest telemetry."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.latest: dict[str, list] = {}
        self.history: list[tuple[float, str, list]] = []
        self.running = True
        threading.Thread(target=self._read, daemon=True).start()
        self.send("/notify", 1)

    def send(self, address: str, *args) -> None:
        builder = OscMessageBuilder(address)
        for arg in args:
            builder.add_arg(arg)
        self.socket.sendto(builder.build().dgram, ("127.0.0.1", self.port))

    def _read(self) -> None:
        while self.running:
            try:
                data = self.socket.recv(65536)
            except (TimeoutError, OSError):
                continue
            message = OscMessage(data)
            self.latest[message.address] = message.params
            self.history.append((time.monotonic(), message.address, message.params))

    def status(self) -> dict:
        return self.pairs("/status.reply")

    def pairs(self, address: str) -> dict:
        """A name/value telemetry message (/status.reply, /controls.state) as a dict."""
        params = self.latest.get(address, [])
        return dict(zip(params[::2], params[1::2], strict=False))

    def until(self, check, timeout: float = 5.0, what: str = "") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.05)
        raise AssertionError(f"not within {timeout} s: {what}; latest {self.latest}")

    def latent(self, index: int) -> float:
        return self.latest.get("/latent.state", [float("nan")] * 16)[index]

    def latent_near(self, index: int, value: float, timeout: float = 5.0) -> None:
        self.until(lambda: abs(self.latent(index) - value) < 0.02, timeout,
                   f"latent {index} = {value}")


@pytest.fixture(scope="module")
def daemon(tmp_path_factory):
    """A real `latentd serve` on a free port with its own presets and recordings folders; its
    debug log names every command it receives. One for the module (a start costs 10-20 s on a
    loaded 2-core machine): each test sets the state it checks first and ends the subscriptions
    it made (``unsubscribe``), so none sees another's clients."""
    root = tmp_path_factory.mktemp("daemon")
    port = free_port()
    presets, recordings = root / "presets", root / "recordings"
    inputs = root / "inputs"
    for folder in (presets, recordings, inputs):
        folder.mkdir()
    tone = 0.5 * np.sin(2 * np.pi * 220 * np.arange(22050) / 44100)
    soundfile.write(inputs / "tone.wav", tone.astype(np.float32), 44100)
    process = subprocess.Popen(
        [sys.executable, "-m", "latentd", "serve", "--output", "null", "--port", str(port),
         "--presets-dir", str(presets), "--recordings-dir", str(recordings),
         "--inputs-dir", str(inputs), "--log-level", "debug"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    log = Lines(process.stderr)
    try:
        log.wait_for("playing", timeout=150)  # a loaded 2-core CI machine took > 60 s
        yield port, presets, recordings, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def unsubscribe(daemon_port: int, ports) -> None:
    """End the subscriptions to ``ports`` (of Pds that have quit: the daemon would keep them
    60 s), as `/notify 0 PORT` from another socket does."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        for port in ports:
            builder = OscMessageBuilder("/notify")
            builder.add_arg(0)
            builder.add_arg(port)
            sender.sendto(builder.build().dgram, ("127.0.0.1", daemon_port))


def test_the_patches_drive_every_address_family_in_a_real_pd(daemon, tmp_path):
    pd = require_tool("pd", "puredata-core")
    port, presets, recordings, log = daemon
    first_line = len(log.lines)  # the shared daemon's log: this test's lines from here on
    commands = free_port()
    control_port, raw_port, voice_port = free_port(), free_port(), free_port()
    driver = tmp_path / "driver.pd"
    driver.write_text(DRIVER.format(daemon=port, control_port=control_port, raw_port=raw_port,
                                    commands=commands, voice_port=voice_port))
    me = Subscriber(port)
    me.send("/glide", 0.0)
    # the control patch's controls must start where the daemon is, not at their bottom
    me.send("/latent", 4, 1.5)
    me.send("/latent", 0, 1.0)
    me.send("/bias", 0, 0.25)
    me.send("/gain", -6.0)
    me.send("/drift/rate", 0.7)
    me.send("/temperature", 0.5)
    me.send("/source", "drift")
    me.latent_near(4, 1.5)
    pd_process = subprocess.Popen([pd, "-nogui", "-nosound", "-noprefs", "-stderr", "-path",
                                   str(PD_DIR), "-open", str(driver)],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = Lines(pd_process.stdout)
    fudi = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def drive(*messages: str) -> int:
        """Send each `receive-name value` to Pd; the index of Pd's next output line."""
        mark = len(out.lines)
        for message in messages:
            fudi.sendto(f"{message};\n".encode(), ("127.0.0.1", commands))
            time.sleep(0.03)
        return mark

    def daemon_got(address: str, count: int, after: int = 0) -> None:
        log.wait_for(f"{address} ({count} args)", after)

    try:
        # both abstractions subscribe on their own ports, and their replies come back there
        out.wait_for(f"ctl: recvport {control_port}")
        out.wait_for(f"raw: recvport {raw_port}")
        # the control patch says its port in the Pd window, as patches/README.md tells users
        out.wait_for(f"latentd: recvport {control_port}")
        out.wait_for("ctl: done /notify 1")
        out.wait_for("raw: done /notify 1")
        out.wait_for("ctl: model list.reply default")  # asked by the control patch at load
        me.until(lambda: me.status().get("clients") == 4, what="4 subscribers")
        # telemetry reaches Pd
        for family in ("meter", "latent.state", "status.reply"):
            out.wait_for(f"raw: {family} ")
            out.wait_for(f"ctl: {family} ")
        # telemetry the patches do not name reaches Pd by its address too (/spectrum ...)
        time.sleep(0.5)
        for address in set(me.latest) - {"/done", "/meter", "/latent.state", "/status.reply"}:
            out.wait_for(f"raw: {address[1:].replace('/', ' ')} ")

        # the controls start where the daemon is: banged, they send what they show
        mark = len(log.lines)
        drive("ld-latent-4 bang", "ld-scale bang", "ld-bias bang", "ld-gain bang",
              "ld-drift-rate bang", "ld-temperature bang", "ld-source bang")
        for address, count in (("/latent", 2), ("/scale", 2), ("/bias", 2), ("/gain", 1),
                               ("/drift/rate", 1), ("/temperature", 1), ("/source", 1)):
            daemon_got(address, count, mark)
        time.sleep(0.5)
        controls = me.pairs("/controls.state")
        assert controls["gain_db"] == pytest.approx(-6)
        assert controls["drift_rate"] == pytest.approx(0.7)
        assert controls["temperature"] == pytest.approx(0.5)
        assert controls["source"] == "drift"
        assert me.latest["/latent.target"][4] == pytest.approx(1.5)
        assert me.latest["/scale.state"][0] == pytest.approx(1.0)
        assert me.latest["/bias.state"][0] == pytest.approx(0.25)
        for address, args in (("/source", ["manual"]), ("/gain", [0.0]), ("/bias", [0, 0.0]),
                              ("/drift/rate", [0.2]), ("/temperature", [1.0])):
            me.send(address, *args)
        # changed behind the patch's back: "resync" shows it again (gain 0, not -6)
        me.until(lambda: me.pairs("/controls.state")["gain_db"] == 0.0, what="gain 0 dB")
        mark = len(log.lines)
        drive("ld-resync bang")
        time.sleep(0.3)
        drive("ld-gain bang")
        daemon_got("/gain", 1, mark)
        time.sleep(0.3)
        assert me.pairs("/controls.state")["gain_db"] == pytest.approx(0.0)

        # latents: every slider; the default model has 8 dimensions, so 8..15 get /fail in Pd
        drive("ld-glide 0")
        daemon_got("/glide", 1)
        me.until(lambda: "/latent.state" in me.latest, what="latent telemetry")
        size = len(me.latest["/latent.state"])
        assert size == 8
        mark = drive(*(f"ld-latent-{dim} {0.25 * (dim + 1)}" for dim in range(16)))
        for dim in range(size):
            me.latent_near(dim, 0.25 * (dim + 1))
        for _ in range(16 - size):
            mark = out.lines.index(out.wait_for("ctl: fail /latent", mark)) + 1
        # the decoded latents reach the patch as well
        out.wait_for("ctl: latent.state 0.25 0.5 0.75 1 1.25 1.5 1.75 2", timeout=5)

        # bias and scale of one dimension: decoded = latent * scale + bias
        drive("ld-index 2", "ld-scale 2")
        me.latent_near(2, 1.5)
        drive("ld-bias 0.5")
        me.latent_near(2, 2.0)
        # /latents, /biases, /scales from the reset buttons, as many values as the model has
        drive("ld-zero bang")
        daemon_got("/latents", size)
        me.latent_near(0, 0.0)
        me.latent_near(2, 0.5)
        drive("ld-reset-bias bang", "ld-reset-scale bang")
        daemon_got("/biases", size)
        daemon_got("/scales", size)
        me.latent_near(2, 0.0)
        drive("ld-latent-2 1")
        me.latent_near(2, 1.0)
        # the raw abstraction: an address with a number in it, /latent/3
        drive("ld-raw latent/3 -0.5")
        me.latent_near(3, -0.5)
        out.wait_for("raw: latent.state 0 0 1 -0.5")

        # gain and mute show in the meters
        me.until(lambda: me.latest.get("/meter", [-120, -120])[1] > -80, what="sound")
        loud = me.latest["/meter"][1]
        drive("ld-gain -40")
        me.until(lambda: me.latest["/meter"][1] < loud - 25, what="gain -40 dB")
        drive("ld-gain 0")
        me.until(lambda: me.latest["/meter"][1] > loud - 3, what="gain 0 dB")
        drive("ld-mute 1")
        me.until(lambda: me.latest["/meter"][0] <= -119, what="mute")
        drive("ld-mute 0")
        me.until(lambda: me.latest["/meter"][0] > -80, what="unmute")

        # the source, and the drift moving the latents
        drive("ld-drift-mode 1", "ld-drift-rate 5", "ld-drift-depth 2", "ld-temperature 0.7",
              "ld-source 1")
        for address in ("/drift/mode", "/drift/rate", "/drift/depth", "/temperature",
                        "/source"):
            daemon_got(address, 1)
        me.until(lambda: me.status().get("source") == "drift", what="source drift")
        since = time.monotonic() + 0.3
        time.sleep(1.3)
        moving = [params[0] for at, address, params in me.history
                  if address == "/latent.state" and at > since]
        assert statistics.pstdev(moving) > 0.05, moving
        drive("ld-source 0", "ld-drift-depth 0")
        me.until(lambda: me.status().get("source") == "manual", what="source manual")

        # the audio input: its trim and dry level, a file from --inputs-dir, its meter in Pd
        mark = len(log.lines)
        drive("ld-input-gain -6", "ld-input-dry -20")
        daemon_got("/input/gain", 1, mark)
        daemon_got("/input/dry", 1, mark)
        mark = drive("ld-input-file symbol tone.wav")
        out.wait_for("ctl: done /input/file tone.wav", mark)
        me.until(lambda: str(me.status().get("input", "none")).endswith("tone.wav"),
                 what="the input file open")
        out.wait_for("ctl: meter.input ", mark)
        mark = len(log.lines)
        drive("ld-raw input gain 0")  # the bare abstraction too
        daemon_got("/input/gain", 1, mark)

        # presets: save, list (the menu), load by name with a morph time, load from the menu
        mark = drive("ld-preset-name symbol warm", "ld-preset-morph 0", "ld-preset-save bang")
        out.wait_for("ctl: done /preset/save warm", mark)
        assert (presets / "warm.json").is_file()
        drive("ld-latent-0 3")
        me.latent_near(0, 3.0)
        mark = drive("ld-preset-load bang")
        out.wait_for("ctl: done /preset/load warm", mark)
        daemon_got("/preset/load", 2)
        me.latent_near(0, 0.0)
        drive("ld-latent-0 3")
        me.latent_near(0, 3.0)
        mark = drive("ld-preset-list bang")
        out.wait_for("ctl: preset list.reply warm", mark)
        mark = drive("ld-preset-pick 0")
        out.wait_for("ctl: done /preset/load warm", mark)
        me.latent_near(0, 0.0)

        # recording
        mark = drive("ld-record 1")
        started = out.wait_for("ctl: done /record/start ", mark)
        me.until(lambda: me.status().get("recording", "none") != "none", what="recording")
        time.sleep(0.3)
        mark = drive("ld-record 0")
        out.wait_for("ctl: done /record/stop ", mark)
        assert (recordings / started.split()[-1]).is_file()

        # models: the menu and a load from it
        mark = drive("ld-model-list bang")
        out.wait_for("ctl: model list.reply default", mark)
        mark = drive("ld-model-pick 0")
        out.wait_for("ctl: done /model/load default", mark, timeout=30)

        # attributes (the default model has none: the failure reaches Pd), status, version,
        # sync
        mark = drive("ld-attr-name symbol learn_target", "ld-attr-value 1", "ld-attr-get bang",
                     "ld-attr-set bang")
        out.wait_for("ctl: fail /attr/get", mark)
        out.wait_for("ctl: fail /attr/set", mark)
        daemon_got("/attr/set", 2)
        mark = drive("ld-status bang", "ld-version bang", "ld-sync bang")
        daemon_got("/status", 0)
        out.wait_for("ctl: version.reply latentd", mark)
        out.wait_for("ctl: synced 1", mark)

        # the bare abstraction speaks the whole vocabulary too
        mark = drive("ld-raw drift rate 0.5", "ld-raw preset save 7", "ld-raw sync 9",
                     "ld-raw version")
        out.wait_for("raw: done /preset/save 7", mark)
        out.wait_for("raw: synced 9", mark)
        out.wait_for("raw: version.reply latentd", mark)
        assert (presets / "7.json").is_file()
        mark = drive("ld-preset-list bang")
        out.wait_for("ctl: preset list.reply 7 warm", mark)  # a number for a name: no error
        time.sleep(0.3)
        play_voices(me, out, drive)
    finally:
        pd_process.terminate()
        try:
            pd_process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pd_process.kill()
        unsubscribe(port, (control_port, raw_port, voice_port))
        me.send("/notify", 0)
        me.running = False
        fudi.close()

    problems = [line for line in out.lines
                if line.startswith("error") or "couldn't create" in line
                or "connection failed" in line or "out of range" in line
                or "no method" in line or "bad arguments" in line]
    assert not problems, "\n".join(problems)
    failed = [line for line in log.lines[first_line:] if "/fail" in line]
    expected = ("/fail /latent ", "/fail /attr/get ", "/fail /attr/set ")
    assert all(any(text in line for text in expected) for line in failed), "\n".join(failed)


def play_voices(me: "Subscriber", out: Lines, drive) -> None:
    """[latentd 127.0.0.1 PORT 2 RECVPORT]: its per-voice messages reach voice 2 and no other,
    global ones stay plain, it outputs voice 2's telemetry by the plain names (not voice 0's),
    and `voice 1` moves it; a voice-0 [latentd] sees the others as `voice N ...`."""
    me.send("/voices", 3)
    me.until(lambda: me.status().get("voices") == 3, what="3 voices")
    me.send("/latent", 0, -2.0)  # voice 0: what the voice-2 instance must not show
    me.latent_near(0, -2.0)
    mark = drive("ld-two latent 0 1.25")
    me.until(lambda: abs(me.latest.get("/voice/2/latent.state", [9])[0] - 1.25) < 0.02,
             what="voice 2's latent 0 = 1.25")
    assert me.latent(0) == pytest.approx(-2.0, abs=0.02)  # voice 0 did not move
    assert me.latest["/voice/1/latent.state"][0] == pytest.approx(0.0, abs=0.02)
    out.wait_for("two: latent.state 1.25 ", mark)  # voice 2's, named as the plain one
    out.wait_for("raw: voice 2 latent.state 1.25 ", mark)  # a voice-0 instance: by voice
    time.sleep(0.3)
    shown = [line for line in out.lines[mark:] if line.startswith("two: latent.state")]
    assert shown and not [line for line in shown if line.startswith("two: latent.state -2")]
    mark = drive("ld-two mute 1", "ld-two drift rate 0.55")
    me.until(lambda: me.latest.get("/voice/2/meter", [0])[0] <= -119, what="voice 2 muted")
    me.until(lambda: me.pairs("/controls.state").get("drift_rate") == pytest.approx(0.55),
             what="drift rate: global, sent plain")
    assert me.pairs("/controls.state")["mute"] == 0  # voice 0 plays on
    out.wait_for("two: meter -120 -120", mark)
    drive("ld-two voice 1", "ld-two latent 1 -0.75", "ld-two voice 0", "ld-two latent 1 0.5")
    me.until(lambda: abs(me.latest["/voice/1/latent.state"][1] + 0.75) < 0.02,
             what="voice 1's latent 1 = -0.75 after `voice 1`")
    me.latent_near(1, 0.5)  # after `voice 0`: the plain address again
    # the control patch: its voice box, then its sliders and notes play that voice
    before = me.latent(3)
    drive("ld-voice 2", "ld-mute 0", "ld-latent-3 0.8")
    me.until(lambda: abs(me.latest["/voice/2/latent.state"][3] - 0.8) < 0.02,
             what="the control patch's slider 3 on voice 2")
    assert me.latent(3) == pytest.approx(before, abs=0.02)  # voice 0's stays
    mark = drive("ld-note 69")
    me.until(lambda: abs(float(me.status().get("voice.2.pitch_hz", 0)) - 440) < 5,
             what="note 69 (440 Hz) on voice 2")
    assert me.status()["voice.2.note"] == "A4"
    drive("ld-note-off bang")
    me.until(lambda: me.status().get("voice.2.held") == -1, what="voice 2's note released")
    drive("ld-voice 0")
    me.send("/voices", 1)


def test_two_abstractions_in_one_pd_listen_on_different_ports(tmp_path):
    pd = require_tool("pd", "puredata-core")
    patch = tmp_path / "two.pd"
    patch.write_text("#N canvas 0 0 400 300 12;\n#X obj 10 10 latentd 127.0.0.1 9;\n"
                     "#X obj 10 40 print one;\n#X obj 200 10 latentd 127.0.0.1 9;\n"
                     "#X obj 200 40 print two;\n#X connect 0 0 1 0;\n#X connect 2 0 3 0;\n")
    result = subprocess.run([pd, "-nogui", "-nosound", "-noprefs", "-stderr", "-path",
                             str(PD_DIR), "-open", str(patch), "-send", "pd quit"],
                            capture_output=True, text=True, timeout=30)
    output = result.stdout + result.stderr
    ports = {line.split(":")[0]: int(line.split()[-1]) for line in output.splitlines()
             if "recvport" in line}
    assert set(ports) == {"one", "two"} and ports["one"] != ports["two"], output
    assert "error" not in output and "couldn't create" not in output, output
    Path(patch).unlink()


def test_two_pds_with_the_same_automatic_port_both_get_replies(daemon, tmp_path):
    """Two Pd processes count $0 alike, so their [latentd] pick the same automatic port; the
    one whose replies the other takes moves up a port after 3 s of silence, and both get the
    telemetry."""
    pd = require_tool("pd", "puredata-core")
    port = daemon[0]
    patch = tmp_path / "one.pd"
    patch.write_text(f"#N canvas 0 0 400 300 12;\n#X obj 10 10 latentd 127.0.0.1 {port};\n"
                     "#X obj 10 40 print out;\n#X connect 0 0 1 0;\n")
    processes, outputs = [], []
    try:
        for _ in range(2):
            process = subprocess.Popen([pd, "-nogui", "-nosound", "-noprefs", "-stderr",
                                        "-path", str(PD_DIR), "-open", str(patch)],
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                       text=True)
            processes.append(process)
            outputs.append(Lines(process.stdout))
            outputs[-1].wait_for("out: latent.state", timeout=10)  # the first one settles
        first_ports = [int(out.wait_for("out: recvport").split()[-1]) for out in outputs]
        assert first_ports[0] == first_ports[1]
        time.sleep(0.5)
        for out in outputs:  # both receive telemetry after the move
            mark = len(out.lines)
            out.wait_for("out: latent.state", mark, timeout=10)
        ports = [[int(line.split()[-1]) for line in out.lines if "recvport" in line][-1]
                 for out in outputs]
        assert ports[0] != ports[1]
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=5)
        unsubscribe(port, {int(line.split()[-1]) for out in outputs for line in out.lines
                           if "recvport" in line})
    for out in outputs:
        assert not [line for line in out.lines if line.startswith("error")], out.lines[:20]


def start_daemon(port: int, folder: Path) -> tuple[subprocess.Popen, Lines]:
    """A `latentd serve` on ``port``, once it plays."""
    process = subprocess.Popen(
        [sys.executable, "-m", "latentd", "serve", "--output", "null", "--port", str(port),
         "--presets-dir", str(folder), "--recordings-dir", str(folder),
         "--log-level", "debug"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    log = Lines(process.stderr)
    log.wait_for("playing", timeout=60)
    return process, log


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_daemon_started_after_the_patch_or_restarted_is_found(tmp_path):
    """Pd first, the daemon later, then restarted: the control patch's [latentd] subscribes
    again by itself (its port moves and 30 s renewals resend /notify); the model menu is
    asked for when the daemon confirms the subscription, not only at load (when no daemon
    answered and the menu stayed empty); and the controls take the new daemon's state (a
    restarted daemon starts at its defaults: a slider left where the old one was would send
    the old value when banged)."""
    pd = require_tool("pd", "puredata-core")
    port = free_port()
    driver = tmp_path / "late.pd"
    commands = free_port()
    driver.write_text(f"#N canvas 0 0 400 300 12;\n#X obj 10 10 latentd-control 127.0.0.1 "
                      f"{port};\n#X obj 10 50 r ld-out;\n#X obj 10 80 print ctl;\n"
                      f"#X obj 10 150 netreceive -u {commands};\n#X obj 10 180 list;\n"
                      "#X obj 10 210 t a a;\n#X obj 100 240 list split 1;\n"
                      "#X obj 10 240 list split 1;\n#X obj 10 270 list trim;\n"
                      "#X obj 10 300 send;\n#X connect 1 0 2 0;\n#X connect 3 0 4 0;\n"
                      "#X connect 4 0 5 0;\n#X connect 5 1 6 0;\n#X connect 6 0 9 1;\n"
                      "#X connect 5 0 7 0;\n#X connect 7 1 8 0;\n#X connect 8 0 9 0;\n")
    pd_process = subprocess.Popen([pd, "-nogui", "-nosound", "-noprefs", "-stderr", "-path",
                                   str(PD_DIR), "-open", str(driver)],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = Lines(pd_process.stdout)
    fudi = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    daemon = None
    try:
        out.wait_for("ctl: recvport")
        time.sleep(1.0)  # the patch's load-time requests have gone unanswered
        daemon, _ = start_daemon(port, tmp_path)
        mark = len(out.lines)
        out.wait_for("ctl: done /notify 1", mark, timeout=35)
        out.wait_for("ctl: model list.reply default", mark, timeout=5)
        out.wait_for("ctl: latent.state ", mark, timeout=5)
        me = Subscriber(port)
        fudi.sendto(b"ld-latent-4 1.5;\n", ("127.0.0.1", commands))  # the slider moved
        me.latent_near(4, 1.5)
        time.sleep(0.5)
        me.running = False

        stop(daemon)
        daemon, log = start_daemon(port, tmp_path)  # a new daemon: latent 4 is 0 again
        mark = len(out.lines)
        out.wait_for("ctl: done /notify 1", mark, timeout=35)
        out.wait_for("ctl: latent.target ", mark, timeout=5)
        time.sleep(0.3)
        fudi.sendto(b"ld-latent-4 bang;\n", ("127.0.0.1", commands))
        sent = log.wait_for("/latent (2 args)")
        me = Subscriber(port)
        me.until(lambda: "/latent.target" in me.latest, what="telemetry")
        time.sleep(0.3)
        me.running = False
        assert me.latest["/latent.target"][4] == pytest.approx(0.0), sent
    finally:
        pd_process.terminate()
        pd_process.wait(timeout=5)
        fudi.close()
        if daemon is not None:
            stop(daemon)

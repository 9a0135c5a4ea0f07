"""End to end against the real ``python -m latentd serve --output null``: models found through
LATENTD_MODEL_PATH and confined to it, both transports, liblo's tools, the malformed-packet
log, and a 10 s flood of 5,000 messages a second (no underrun, bounded memory)."""

import json
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from support.osc import OscDump, SubprocessDaemon, TcpClient, UdpClient, oscsend, wait_until


@pytest.fixture(scope="module")
def served(model_dir, tmp_path_factory):
    # an 80 ms ring, not the tiny model's ~21 ms auto ring: test_model_load_over_osc loads a
    # model while playing, and the loader's full garbage collections hold the interpreter lock
    # 20-34 ms each here (after the start's gc.freeze; 140-180 ms without it), twice that when
    # the hypervisor takes CPU: the auto ring ran dry 2-3 times in full runs. A load that
    # blocked the render thread for real would still drain it.
    daemon = SubprocessDaemon(model_dir / "tiny.ckpt", tmp_path_factory.mktemp("served"),
                              env={"LATENTD_MODEL_PATH": str(model_dir)},
                              extra=("--latency-ms", "80"))
    yield daemon
    daemon.stop()


@pytest.fixture
def udp(served):
    with UdpClient(served.port) as client:
        yield client


def load_answer(client, name, timeout=60.0):
    replies = client.request("/model/load", name)
    if replies:
        return replies[0]
    return client.wait_for(lambda r: r.address in ("/done", "/fail"), timeout=timeout)


def test_status_over_udp_and_tcp(served, udp):
    fields = udp.status()
    assert (fields["model"], fields["latent_size"], fields["block"]) == ("tiny", 4, 4)
    with TcpClient(served.port) as tcp:
        assert tcp.status()["model"] == "tiny"
        assert tcp.ask("/version").address == "/version.reply"


def test_model_list_from_latentd_model_path(udp):
    names = udp.ask("/model/list").args
    assert {"tiny", "other", "ravev2"} <= set(names)
    assert "notes" not in names


@pytest.mark.parametrize("name", ["../models/tiny", "..", "a/b", "/etc/passwd", ".tiny",
                                  "escape", "nope", "tiny/../other", "~/tiny"])
def test_model_load_is_confined(served, udp, model_dir, name):
    reply = load_answer(udp, name)
    assert (reply.address, reply.types, reply.args[0]) == ("/fail", "ss", "/model/load"), reply
    assert udp.status()["model"] == "tiny"


def test_model_load_refuses_absolute_paths(served, udp, model_dir):
    for path in (model_dir / "other.ckpt", model_dir / "escape.ckpt", model_dir / "ravev2.ts"):
        reply = load_answer(udp, str(path))
        assert (reply.address, reply.args[0]) == ("/fail", "/model/load"), reply
    assert udp.status()["model"] == "tiny"


def test_not_osc_is_logged_and_unanswered(served, udp):
    udp.send_raw(b"GET / HTTP/1.0\r\n\r\n")
    assert udp.sync() == []
    wait_until(lambda: any("malformed" in line or "not an OSC" in line for line in served.log),
               message="the malformed packet to be logged")


@pytest.mark.liblo
def test_liblo_against_the_real_daemon(served):
    with OscDump() as dump:
        oscsend(served.port, "/glide", "i", 0)
        oscsend(served.port, "/latents", "ffff", 0.1, -0.4, 1.2, 0)  # the docs' example
        oscsend(served.port, "/notify", "ii", 1, dump.port)
        assert dump.wait_for("/done").args == ["/notify", 1]
        state = dump.wait_for(lambda d: d.address == "/latent.state"
                              and np.allclose(d.args, [0.1, -0.4, 1.2, 0], atol=1e-4))
        assert state.types == "ffff"
        assert dump.wait_for("/meter").types == "ff"
        status = dump.wait_for("/status.reply")
        fields = dict(zip(status.args[::2], status.args[1::2], strict=True))
        assert fields["clients"] >= 1 and fields["underruns"] == 0
        # end the stream: while it lasts, one-shot senders on this host are answered at
        # dump.port (docs/osc.md "Where replies go"), which the next tests' clients are not
        oscsend(served.port, "/notify", "ii", 0, dump.port)
        dump.wait_for(lambda d: d.address == "/done" and d.args == ["/notify", 0])


def test_model_load_over_osc(served, udp):
    """Last in this module (it changes the model). The swap happens, the sound keeps playing
    through it (no underruns piling up), and the sender hears /done /model/load other."""
    before = udp.status()["underruns"]
    assert udp.request("/model/load", "other") == []

    def ended():
        fields = udp.status()
        return fields["model"] == "other" or fields["underruns"] > before + 100

    wait_until(ended, timeout=60, message="the swap")
    time.sleep(1.0)
    crashed = [line for line in served.log if "Exception in thread latentd-render" in line]
    assert not crashed, "the render thread died during the load:\n" + "".join(served.log[-30:])
    assert udp.status()["underruns"] == before, "the sound stopped: underruns after the load"
    assert udp.status()["latent_size"] == 6
    reply = udp.wait_for(lambda r: r.address in ("/done", "/fail"), timeout=5)
    assert (reply.address, reply.args) == ("/done", ["/model/load", "other"]), reply


# --------------------------------------------------------------------------- the flood
SENDER = textwrap.dedent('''
    import json, socket, struct, sys, time
    from pythonosc.osc_message_builder import OscMessageBuilder
    from pythonosc.osc_bundle_builder import OscBundleBuilder
    from pythonosc.osc_message import OscMessage

    port, rate, seconds = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])

    def msg(address, *args):
        b = OscMessageBuilder(address)
        for a in args:
            b.add_arg(a)
        return b.build()

    def dgram(address, *args):
        return msg(address, *args).dgram

    mix = [dgram("/sync", 1), dgram("/latent", 1, 0.5), dgram("/latents", 0.1, 0.2, 0.3, 0.4),
           dgram("/sync", 2), dgram("/bias/2", -0.25), dgram("/gain", -3.0), dgram("/nope"),
           dgram("/sync", 3), dgram("/latent/*", 0.3), dgram("/scale", 0, 1.5),
           dgram("/glide", 20.0), dgram("/sync", 4), dgram("/latent", 9, 0.5),
           dgram("/{bias,scale}/[0-1]", 1.0), dgram("/drift/depth", 1.0), dgram("/sync", 5)]
    replying = sum(1 for d in mix if d.startswith(b"/sync") or d.startswith(b"/nope")
                   or d.startswith(b"/latent\\x00") and b"\\x00\\x00\\x00\\x09" in d)
    main = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    main.bind(("127.0.0.1", 0))
    main.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    main.setblocking(False)
    others = []
    for _ in range(64):  # some packets from many source ports: many "clients"
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        s.setblocking(False)
        others.append(s)
    target = ("127.0.0.1", port)
    counts, sent, drops = {}, 0, 0
    start = time.monotonic()
    while True:
        now = time.monotonic() - start
        if now >= seconds:
            break
        due = int(now * rate) + 1
        while sent < due:
            data = mix[sent % len(mix)]
            sock = others[sent % 64] if sent % 10 == 9 else main
            try:
                sock.sendto(data, target)
            except BlockingIOError:
                drops += 1
            sent += 1
        while True:
            try:
                reply = main.recv(65536)
            except (BlockingIOError, ConnectionRefusedError):
                break
            address = reply[:reply.index(b"\\x00")].decode()
            counts[address] = counts.get(address, 0) + 1
        time.sleep(0.002)
    elapsed = time.monotonic() - start
    time.sleep(0.5)
    while True:
        try:
            reply = main.recv(65536)
        except (BlockingIOError, ConnectionRefusedError):
            break
        address = reply[:reply.index(b"\\x00")].decode()
        counts[address] = counts.get(address, 0) + 1
    print(json.dumps({"sent": sent, "elapsed": elapsed, "counts": counts, "drops": drops,
                      "replying_share": replying / len(mix)}))
''')


@pytest.fixture
def flooded(model_dir, tmp_path):
    # an 80 ms ring: a flood that starves the render thread does so for the whole 10 s and still
    # underruns; what it absorbs is the VM's own stalls (CPU taken by the hypervisor: the auto
    # ring of a 0.4 ms model, 21 ms, ran dry once in 3 runs here with and without this build's
    # changes, while an unflooded second before it did not)
    daemon = SubprocessDaemon(model_dir / "tiny.ckpt", tmp_path / "flood",
                              env={"LATENTD_MODEL_PATH": str(model_dir)},
                              extra=("--latency-ms", "80"))
    yield daemon
    daemon.stop()


@pytest.mark.slow
def test_flood_of_5000_messages_a_second_for_10_s(flooded, tmp_path):
    rate, seconds = 5000.0, 10.0
    with UdpClient(flooded.port) as probe:
        before = probe.status()
        time.sleep(1.0)
        assert probe.status()["underruns"] == before["underruns"], \
            "underruns before any flood: the machine is too busy to judge"
    rss_before = flooded.rss_kib()
    script = tmp_path / "flood.py"
    script.write_text(SENDER)
    sender = subprocess.run([sys.executable, str(script), str(flooded.port), str(rate),
                             str(seconds)], capture_output=True, text=True, timeout=120)
    assert sender.returncode == 0, sender.stderr
    report = json.loads(sender.stdout)
    rss_after = flooded.rss_kib()
    time.sleep(1.5)  # the rate limiter's tokens refill
    with UdpClient(flooded.port) as probe:
        after = probe.status()
    print(f"\nflood: {report}; RSS {rss_before} -> {rss_after} KiB; "
          f"underruns {before['underruns']} -> {after['underruns']}; "
          f"load {after['load']} peak {after['load_peak']}")
    assert report["sent"] >= 0.95 * rate * seconds
    assert report["elapsed"] < seconds + 1.0
    # the audio: no underrun
    assert after["underruns"] == before["underruns"]
    # memory: bounded (tens of MB at most)
    assert rss_after - rss_before < 40 * 1024, f"RSS grew {(rss_after - rss_before) / 1024} MiB"
    # the rate limit (2000/s, bursts of 4000): at most that many packets were handled; and the
    # daemon kept handling them all along (about 90% of the replying ones come from `main`)
    replies = sum(report["counts"].values())
    handled_most = 4000 + 2000 * (report["elapsed"] + 0.6)
    assert replies <= handled_most * report["replying_share"] * 0.9 + 200, report
    assert report["counts"].get("/synced", 0) > 0.25 * 2000 * seconds * 5 / 16 * 0.9, report
    assert set(report["counts"]) <= {"/synced", "/fail", "/status.reply"}, report

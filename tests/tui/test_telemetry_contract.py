"""The telemetry the TUI draws, as docs/osc.md documents it, from a real daemon: /spectrum (32
floats, ~30 Hz), the control states and /latent.names. Types are only i f s (Pd 0.53)."""

from __future__ import annotations

import math
import time
from collections import defaultdict

from support.osc import Reply, SubprocessDaemon

from latentd.engine.spectrum import BANDS
from latentd.tui.state import pairs

CONTROLS = ["source", "glide_ms", "gain_db", "mute", "pan", "drift_mode", "drift_rate",
            "drift_depth", "temperature"]  # pan: voice 0's (issue 20)


def test_subscribers_get_the_documented_telemetry(daemon: SubprocessDaemon) -> None:
    client = daemon.udp()
    try:
        client.send("/notify", 1)
        client.send("/latent", 3, 1.5)
        client.send("/bias", 3, -0.25)
        client.send("/scale", 3, 2.0)
        client.send("/gain", -6.0)
        time.sleep(0.5)
        client.drain()
        start = time.monotonic()
        got: dict[str, list[Reply]] = defaultdict(list)
        for reply in client.replies(2.0):
            got[reply.address].append(reply)
        seconds = time.monotonic() - start
    finally:  # the daemon is shared: leave it as it was
        for address, value in (("/latent", 0.0), ("/bias", 0.0), ("/scale", 1.0)):
            client.send(address, 3, value)
        client.send("/gain", 0.0)
        client.send("/notify", 0)
        client.close()
    for address in ("/spectrum", "/latent.target", "/bias.state", "/scale.state",
                    "/controls.state"):
        rate = len(got[address]) / seconds
        assert 15 <= rate <= 40, (address, rate)
    assert 1 <= len(got["/latent.names"]) <= 6  # ~2 Hz
    spectrum = got["/spectrum"][-1]
    assert spectrum.types == "f" * BANDS
    assert all(math.isfinite(v) and -120.0 <= v <= 40.0 for v in spectrum.args)
    assert any(v > -120.0 for v in spectrum.args)  # the default model is not silent
    assert got["/latent.target"][-1].types == "f" * 8
    assert got["/latent.target"][-1].args[3] == 1.5
    assert got["/bias.state"][-1].args[3] == -0.25
    assert got["/scale.state"][-1].args[3] == 2.0
    controls = got["/controls.state"][-1]
    assert list(pairs(controls.args)) == CONTROLS
    assert set(controls.types) <= {"s", "f", "i"}
    assert pairs(controls.args)["gain_db"] == -6.0
    names = got["/latent.names"][-1]
    assert names.types == "s" * 8
    assert names.args[:2] == ["pitch (measured)", "periodicity (measured)"]

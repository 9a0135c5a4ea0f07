"""One real daemon (``latentd serve --output null``, the default model, a free port) shared by
the TUI's tests (each sets what it checks first): they read its state back over OSC. And
``voices_stream``: the recorded one-voice stream (stream.json) made into three voices' telemetry
as docs/osc.md ("Voices") spells it, for the tests that need no daemon."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.osc import SubprocessDaemon


@pytest.fixture(scope="session")
def daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SubprocessDaemon]:
    running = SubprocessDaemon(Path("default"), tmp_path_factory.mktemp("daemon"))
    try:
        yield running
    finally:
        running.stop()


# per voice: pitch (Hz, note), meter (peak, rms), controls, latent targets (decoded = targets)
VOICES: tuple[tuple[float, str, list[float], dict[str, Any], list[float]], ...] = (
    (220.0, "A3", [], {}, []),  # voice 0: the recorded plain telemetry as it is
    (277.2, "C#4", [-8.0, -14.5],
     {"source": "drift", "glide_ms": 100.0, "gain_db": -6.0, "mute": 0, "pan": -0.5},
     [1.5, 0.2, -0.3, 0.0, 0.4, -1.0, 0.0, 0.7]),
    (329.6, "E4", [-120.0, -120.0],
     {"source": "prior", "glide_ms": 50.0, "gain_db": 0.0, "mute": 1, "pan": 0.5},
     [-2.0, 0.0, 1.0, 0.5, 0.0, 0.0, -0.5, 0.0]),
)


def three_voices() -> list[tuple[str, list[Any]]]:
    """stream.json with ``voices 3`` and each voice's pitch in every /status.reply, and the
    /voice/1/ and /voice/2/ telemetry after it (synthetic until a recording of a real
    three-voice daemon replaces it: the snapshots must not depend on a running model)."""
    recorded = json.loads(Path(__file__).with_name("stream.json").read_text())
    stream: list[tuple[str, list[Any]]] = []
    for address, args in recorded:
        if address == "/status.reply":
            args = [*args, "voices", len(VOICES)]
            for n, (hz, note, *_rest) in enumerate(VOICES):
                args += [f"voice.{n}.pitch_hz", hz, f"voice.{n}.note", note]
        elif address == "/controls.state":
            args = [*args, "pan", 0.0]
        stream.append((address, args))
    for n, (_hz, _note, meter, controls, targets) in enumerate(VOICES[1:], start=1):
        stream.append((f"/voice/{n}/meter", meter))
        stream.append((f"/voice/{n}/controls.state", [x for kv in controls.items() for x in kv]))
        stream.append((f"/voice/{n}/latent.target", targets))
        stream.append((f"/voice/{n}/latent.state", [t * 0.9 for t in targets]))
        stream.append((f"/voice/{n}/bias.state", [0.0] * len(targets)))
        stream.append((f"/voice/{n}/scale.state", [1.0 + 0.5 * n] + [1.0] * 7))
    return stream


@pytest.fixture
def voices_stream() -> list[tuple[str, list[Any]]]:
    return three_voices()

"""Control-to-sound latency through JACK, against the latency the daemon reports.

    python bench/control_latency.py [--quick] [--json PATH]

A real ``jackd -d dummy -r 48000 -p 256`` (its own server name), ``latentd serve`` on
PortAudio's JACK device and a second JACK client capturing the daemon's port with the wall time
of every callback (the plumbing of ``tests/engine/test_jack.py``, ``tests/support/jack.py``).
The model is a tiny random-weight decoder at 48 kHz whose output, under constant latents,
repeats exactly every latent frame (64 samples): the first sample that breaks the repetition
is the first one a control change reached. A client jumps the latents between two points every
0.6 s; each jump's latency is from just before ``sendto`` to that sample entering the JACK
graph, plus the device latency the daemon reports (a DAC would play it that much later, and the
reported latency runs to the DAC). The baseline is the daemon's own ``latency_ms`` from
``/status.reply``; the table gives the measured median, spread and the difference, for the
default ring (``--latency-ms auto``) and a fixed 80 ms ring, both at 4 latent frames a block.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the JACK plumbing the tests use

import torch  # noqa: E402
from support.jack import (  # noqa: E402
    RATE,
    Capture,
    JackServer,
    Osc,
    jack_output_device,
    onset,
    start_daemon,
    stop_process,
)

LATENT_FRAME = 64
BLOCK_FRAMES = 4
A = (3.0, 3.0, -3.0, -3.0)
B = (-3.0, -3.0, 3.0, 3.0)
SPACING = 0.6


def tiny_model(folder: Path) -> Path:
    from latentd.models.checkpoint import save_checkpoint
    from latentd.models.rave import RaveConfig, RaveModel

    torch.manual_seed(0)
    model = RaveModel(RaveConfig.tiny(sample_rate=RATE, noise=False, bands=4, ratios=(4, 4),
                                      capacity=4, latent_size=4))
    assert model.config.bands * math.prod(model.config.ratios) == LATENT_FRAME
    path = folder / "latency.ckpt"
    save_checkpoint(path, model)
    return path


def one_ring(jack: JackServer, device: int, model: Path, ring: str, changes: int,
             workdir: Path) -> dict[str, object]:
    workdir.mkdir(parents=True, exist_ok=True)
    daemon = start_daemon(jack, model, device, workdir, BLOCK_FRAMES,
                          ring)  # type: ignore[arg-type]  # "auto" is a value of the flag
    try:
        with Osc(daemon.port) as client:
            client.send("/glide", 0.0)
            client.send("/latents", *A)
            time.sleep(1.0)
            status = client.status()
            capture = Capture(jack, device, daemon.ports[0], 1.0 + changes * SPACING,
                              workdir).start()
            sent = []
            for k in range(changes):
                time.sleep(max(0.0, capture.connected_at + 0.5 + SPACING * k - time.time()))
                sent.append(client.send("/latents", *(B if k % 2 == 0 else A)))
            recording = capture.finish()
            after = client.status()
    finally:
        stop_process(daemon.process)
    measured = []
    for wall in sent:
        try:  # a capture client starved by a loaded machine has no callback near the send
            at = recording.frame_at(wall)
            first = onset(recording.audio, at - int(0.1 * RATE), LATENT_FRAME)
            if first is None or first < at:
                continue  # not heard, or the output was not steady before it: not counted
            heard = recording.wall_of(first)
        except AssertionError:
            continue  # counted as not heard: the table's "heard" column says how many
        measured.append(1000 * (heard - wall) + float(status["latency_device_ms"]))
    reported = float(status["latency_ms"])
    median = statistics.median(measured) if measured else float("nan")
    return {"ring": ring, "reported_ms": round(reported, 1),
            "ring_ms": float(status["latency_ring_ms"]), "changes": changes,
            "heard": len(measured), "median_ms": round(median, 1),
            "min_ms": round(min(measured, default=float("nan")), 1),
            "max_ms": round(max(measured, default=float("nan")), 1),
            "median_minus_reported_ms": round(median - reported, 1),
            "underruns": int(after["underruns"]) - int(status["underruns"])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 changes a ring instead of 15")
    parser.add_argument("--json", type=Path, help="write the rows here too")
    options = parser.parse_args(argv)
    changes = 5 if options.quick else 15
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        jack = JackServer(root)
        try:
            jack.start()
        except (OSError, RuntimeError) as exc:
            print(f"not available: no JACK dummy server ({exc})")
            return 1
        try:
            device = jack_output_device(jack.env)
            model = tiny_model(root)
            for ring in ("auto", "80"):
                rows.append(one_ring(jack, device, model, ring, changes, root / ring))
        finally:
            jack.stop()
    print(f"jackd -d dummy -r {RATE} -p 256; {BLOCK_FRAMES} latent frames ({BLOCK_FRAMES * 64} "
          "samples) a block; latency = sendto -> first changed sample enters the graph + "
          "reported device latency")
    print(f"{'--latency-ms':>12} {'reported ms':>11} {'measured median':>15} {'min':>6} "
          f"{'max':>6} {'median - reported':>17} {'heard':>6} {'underruns':>9}")
    for row in rows:
        print(f"{row['ring']:>12} {row['reported_ms']:>11.1f} {row['median_ms']:>15.1f} "
              f"{row['min_ms']:>6.1f} {row['max_ms']:>6.1f} "
              f"{row['median_minus_reported_ms']:>+17.1f} {row['heard']:>3}/{row['changes']:<2} "
              f"{row['underruns']:>9}")
    if options.json:
        options.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

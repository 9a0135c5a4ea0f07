"""Input-to-output latency bench (issue 19): measured against reported, part by part.

It starts a real ``jackd -d dummy -r 48000 -p 256``, ``latentd serve --model MODEL --input
portaudio:N --output portaudio:N --source input`` (one duplex stream) and a probe client
(``tests/support/latency_probe.py``) whose one duplex stream plays bursts into the daemon's
input and records the daemon's output in the same callback, so delays are counted in frames:

* graph: the probe's own output wired to its input (JACK's delay between clients, subtracted)
* dry:   clicks through the dry monitor (``/input/dry 0``, the model muted): pure transport,
         capture -> input ring -> render step -> output ring -> device
* model: tone bursts through the model (``/source input``, dry off), onset to onset, at
         ``/glide 0`` and at the default glide
* onset: the same bursts through ``latentd render --input`` (no device; the encoder's and
         decoder's latencies trimmed): the model's own onset response, which no buffer causes

and the daemon's reported parts (``/status.reply``). Medians over the bursts, each pass in its
own probe run.

    python bench/input_latency.py [--model default-causal] [--seconds 12] [--latency-ms auto]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the JACK plumbing the tests use (tests/support)

from support.jack import (  # noqa: E402
    PERIOD,
    RATE,
    Osc,
    jack_output_device,
    running_jack,
    stop_process,
)
from support.latency_probe import measure, start_input_daemon  # noqa: E402
from support.steal import cpu_ticks, steal_share  # noqa: E402


def ms(frames: float) -> float:
    return 1000 * frames / RATE


def summary(name: str, delays: list[int], graph: float) -> str:
    if not delays:
        return f"{name:>6}: no burst came back"
    median = statistics.median(delays) - graph
    return (f"{name:>6}: median {ms(median):6.1f} ms  (min {ms(min(delays) - graph):.1f}, "
            f"max {ms(max(delays) - graph):.1f}, {len(delays)} bursts)")


def offline_onsets(model: str, seconds: float, work: Path) -> list[int]:
    """The model's own onset response: the probe's tone bursts through ``latentd render
    --input`` (encoder and decoder latencies trimmed, glide 0), onset to onset, at 48 kHz."""
    import soundfile
    import soxr
    from support.latency_probe import onset_delays, schedule

    from latentd.transfer import transfer_file

    played = schedule("tone", seconds)
    soundfile.write(work / "bursts.wav", played, RATE, subtype="FLOAT")
    transfer_file(model, work / "bursts.wav", work / "bursts-out.wav", progress=False)
    out, rate = soundfile.read(work / "bursts-out.wav", dtype="float32")
    out = soxr.resample(out, rate, RATE) if rate != RATE else out
    return onset_delays(played, out[: len(played)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default-causal")
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--latency-ms", default="auto")
    parser.add_argument("--block-frames", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running_jack(Path(tmp) / "jack") as jack:
        work = Path(tmp)
        device = jack_output_device(jack.env)
        graph_delays = measure(jack, device, "click", 4.0, work)
        graph = statistics.median(graph_delays) if graph_delays else 0.0
        daemon, into = start_input_daemon(jack, args.model, device, work, args.latency_ms,
                                          args.block_frames)
        try:
            start_line = next(line for line in daemon.log.read_text().splitlines()
                              if "latency" in line and "playing" in line)
            passes: list[str] = []  # underruns and ring after each pass: does auto settle?
            ticks = cpu_ticks()
            with Osc(daemon.port) as osc:

                def after_pass(name: str) -> None:
                    now = osc.status()
                    passes.append(f"{name} {now['underruns']} "
                                  f"({float(now['latency_ring_ms']):.1f} ms)")

                after_pass("start")
                osc.send("/input/dry", 0.0)
                osc.send("/mute", 1)
                time.sleep(0.5)
                dry = measure(jack, device, "click", args.seconds, work, into, daemon.ports[0])
                after_pass("dry")
                osc.send("/input/dry", -120.0)
                osc.send("/mute", 0)
                time.sleep(0.5)
                glided = measure(jack, device, "tone", args.seconds, work, into,
                                 daemon.ports[0])
                after_pass("glided")
                osc.send("/glide", 0.0)
                time.sleep(0.5)
                model = measure(jack, device, "tone", args.seconds, work, into,
                                daemon.ports[0])
                after_pass("model")
                status = osc.status()
            stolen = steal_share(ticks, cpu_ticks())
        finally:
            stop_process(daemon.process)
    offline = offline_onsets(args.model, args.seconds, Path(tempfile.mkdtemp()))
    reported = float(status["latency_ms"]) + float(status["latency_input_ms"]) \
        + float(status["latency_encoder_ms"])
    print(f"jackd -d dummy -r {RATE} -p {PERIOD}; latentd serve --model {args.model} "
          f"--latency-ms {args.latency_ms} --block-frames {args.block_frames}, duplex")
    print(f"start line: {start_line.split('] ')[-1]}")
    print(f" graph: {ms(graph):6.1f} ms  (JACK, probe to itself; subtracted below)")
    print(summary("dry", dry, graph))
    print(summary("model", model, graph) + "  /glide 0")
    print(summary("glided", glided, graph) + "  /glide 50 (the default): the glide's share")
    print(summary("onset", offline, 0.0) + "  the model's own onset response, offline "
          "(latentd render --input: no device, encoder latency trimmed)")
    if dry and model and offline:
        transport = ms(statistics.median(dry) - graph)
        onset = ms(statistics.median(offline))
        encoder = float(status["latency_encoder_ms"])
        rest = ms(statistics.median(model) - graph) - transport - onset - encoder
        print(f"measured parts (medians): transport {transport:.1f} (dry) + model onset "
              f"{onset:.1f} (offline) + encoder frame {encoder:.1f} + the rest {rest:.1f} (the "
              "frame filling, both resamplers, the render step's timing)")
    print("per burst (ms): " + " ".join(f"{ms(d - graph):.0f}" for d in model))
    parts = {k: float(status[k]) for k in ("latency_device_ms", "latency_ring_ms",
                                            "latency_model_ms", "latency_input_ms",
                                            "latency_encoder_ms")}
    print("reported: " + ", ".join(f"{k.removeprefix('latency_')} {v:.1f}"
                                   for k, v in parts.items()) + f" = {reported:.1f} ms")
    print(f"underruns {status['underruns']} (the ring ran dry), device underflows "
          f"{status.get('device_underflows', '?')}; the host took {100 * stolen:.1f}% of the "
          "CPUs (steal, /proc/stat)")
    print("underruns so far (ring latency) after each pass: " + ", ".join(passes))
    print("rerun: .venv/bin/python bench/input_latency.py " + " ".join(sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

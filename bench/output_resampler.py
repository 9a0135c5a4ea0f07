"""The output resampler's streaming modes side by side: soxr HQ (fixed-rate, offline) and one
live mode, soxr HQ variable-rate (``vr``, ``--resampler quality``) or soxr LQ (``--resampler
latency``), from a model's 44.1 kHz to a 48 kHz device, fed model blocks as latentd's render
pipe feeds it.

* hold-back: rendered audio not yet out of the resampler after each block (ms; min, median,
  max), which is latency the listener hears;
* quality, on steady tones across the band: gain error (passband ripple, dB), everything
  that is not the tone (aliasing, imaging, ripple products, noise; dB below the tone), and the
  largest image or alias landing between 22.05 and 24 kHz (dB below the tone);
* the two modes' outputs against each other: how much later the live mode's tone is than HQ's (µs).

    .venv/bin/python bench/output_resampler.py [--block 1024] [--against vr|LQ]
"""

from __future__ import annotations

import argparse

import numpy as np
import soxr

MODEL_RATE, DEVICE_RATE = 44100, 48000
MODES = {"HQ": {"quality": "HQ"}, "vr": {"quality": "HQ", "vr": True},  # --resampler quality
         "LQ": {"quality": "LQ"}}  # --resampler latency (engine/pipe.py LIVE_RESAMPLERS)
TONES_HZ = [50, 440, 1000, 4000, 8000, 12000, 16000, 18000, 19000, 20000]


def stream(audio: np.ndarray, block: int, **mode: object) -> tuple[np.ndarray, np.ndarray]:
    """The resampled stream and, after each block, the model samples' worth held back (in
    device frames)."""
    resampler = soxr.ResampleStream(MODEL_RATE, DEVICE_RATE, 1, dtype="float32", **mode)
    pieces, held, fed, made = [], [], 0, 0
    for start in range(0, len(audio) - block + 1, block):
        out = resampler.resample_chunk(audio[start: start + block, None])
        fed, made = fed + block, made + len(out)
        held.append(fed * DEVICE_RATE / MODEL_RATE - made)
        pieces.append(out[:, 0])
    return np.concatenate(pieces), np.asarray(held)


def tone_errors(out: np.ndarray, freq: float) -> tuple[float, float, float, float]:
    """(gain error dB, not-the-tone dB below it, largest 22.05-24 kHz line dB below it, phase
    in radians) over a steady stretch, the tone fitted by least squares at its frequency."""
    steady = out[DEVICE_RATE // 2: DEVICE_RATE // 2 + DEVICE_RATE]  # 1 s, past the start-up
    t = np.arange(len(steady)) / DEVICE_RATE + 0.5
    basis = np.stack([np.sin(2 * np.pi * freq * t), np.cos(2 * np.pi * freq * t)], 1)
    coef, *_ = np.linalg.lstsq(basis, steady.astype(np.float64), rcond=None)
    fitted = basis @ coef
    amplitude = float(np.hypot(*coef))
    rest = steady - fitted
    gain_db = 20 * np.log10(amplitude / 0.5)
    rest_db = 10 * np.log10(np.mean(rest ** 2) / np.mean(fitted ** 2))
    spectrum = np.abs(np.fft.rfft(steady * np.hanning(len(steady))))
    bins = np.fft.rfftfreq(len(steady), 1 / DEVICE_RATE)
    band = spectrum[bins > MODEL_RATE / 2].max()
    band_db = 20 * np.log10(band / spectrum.max())
    return gain_db, rest_db, band_db, float(np.arctan2(coef[1], coef[0]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--block", type=int, default=1024, help="model samples per render")
    parser.add_argument("--against", choices=["vr", "LQ"], default="vr",
                        help="the live mode compared with HQ (vr: --resampler quality, LQ: "
                        "--resampler latency)")
    args = parser.parse_args()
    block, other = args.block, args.against
    modes = {"HQ": MODES["HQ"], other: MODES[other]}
    print(f"{MODEL_RATE} -> {DEVICE_RATE} Hz, soxr {soxr.__version__}, blocks of {block}")
    silence = np.zeros(block * 400, np.float32)
    print("\nhold-back after each block (ms)   min   median   max")
    for name, mode in modes.items():
        held = stream(silence, block, **mode)[1][20:] / DEVICE_RATE * 1000
        print(f"  {name:31} {held.min():5.2f}  {np.median(held):6.2f}  {held.max():5.2f}")
    t = np.arange(2 * MODEL_RATE) / MODEL_RATE
    print(f"\ntone (Hz)   gain error dB (HQ / {other})   not-the-tone dB (HQ / {other})   "
          f"22.05-24 kHz dB (HQ / {other})   {other} later by (us)")
    worst = {"gain": 0.0, "rest": -999.0, "band": -999.0, "shift": 0.0}
    for freq in TONES_HZ:
        audio = (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
        results = [tone_errors(stream(audio, block, **mode)[0], freq)
                   for mode in modes.values()]
        (g0, r0, b0, p0), (g1, r1, b1, p1) = results
        shift_us = (np.angle(np.exp(1j * (p0 - p1)))) / (2 * np.pi * freq) * 1e6
        print(f"  {freq:6}    {g0:+8.4f} / {g1:+8.4f}      {r0:7.1f} / {r1:7.1f}"
              f"           {b0:7.1f} / {b1:7.1f}          {shift_us:7.2f}")
        if freq <= 18000:
            worst = {"gain": max(worst["gain"], abs(g1)), "rest": max(worst["rest"], r1),
                     "band": max(worst["band"], b1),
                     "shift": max(worst["shift"], abs(shift_us))}
    print(f"\n{other} up to 18 kHz: gain within {worst['gain']:.4f} dB, everything else at most "
          f"{worst['rest']:.1f} dB below the tone, 22.05-24 kHz lines at most "
          f"{worst['band']:.1f} dB, timing within {worst['shift']:.2f} us of HQ's")

if __name__ == "__main__":
    main()

"""``latentd render --input`` on a terminal (issue 19): a long file shows a progress bar redrawn
in place on stderr. stderr is a real pseudo-terminal here (os.openpty), read from its other end
as a terminal emulator would; "long" is shortened so the test stays quick
(tests/test_render.py covers the plain percentages written when stderr is not a terminal)."""

import os
import pty
import sys
import threading

import numpy as np
import soundfile
import torch

import latentd.transfer as transfer_module
from latentd.__main__ import main
from latentd.models.checkpoint import save_checkpoint
from latentd.models.rave import RaveConfig, RaveModel

RATE = 44100


def test_a_long_transfer_draws_a_progress_bar_on_a_terminal(tmp_path, monkeypatch):
    torch.manual_seed(0)
    model = tmp_path / "tiny.ckpt"
    save_checkpoint(model, RaveModel(RaveConfig.tiny(noise=False, bands=4, ratios=(4, 4),
                                                     latent_size=4)))
    monkeypatch.setattr(transfer_module, "LONG_SECONDS", 1.0)
    monkeypatch.setattr(transfer_module, "PROGRESS_SECONDS", 0.25)
    t = np.arange(int(2.0 * RATE)) / RATE
    soundfile.write(tmp_path / "take.wav", (0.3 * np.sin(2 * np.pi * 220 * t)).astype(
        np.float32), RATE)
    leader, follower = pty.openpty()
    chunks: list[bytes] = []

    def read() -> None:  # the terminal's side
        while True:
            try:
                data = os.read(leader, 4096)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    terminal = os.fdopen(follower, "w", buffering=1)
    monkeypatch.setattr(sys, "stderr", terminal)
    try:
        assert terminal.isatty()
        code = main(["render", str(model), "--input", str(tmp_path / "take.wav"), "-o",
                     str(tmp_path / "out.wav"), "--block-frames", "8"])
        terminal.flush()
    finally:
        terminal.close()
        reader.join(5)
        os.close(leader)
    shown = b"".join(chunks).decode(errors="replace")
    assert code == 0, shown
    # each redraw starts at the line's beginning; the terminal ends the last line with \r\n
    draws = [draw for draw in shown.split("\r")[1:] if draw.strip()]
    assert len(draws) >= 5, shown  # one per quarter second of audio (and the last)
    assert all(draw.startswith("take.wav [") for draw in draws), shown
    assert "] 100%" in draws[-1] and "#" * 25 in draws[-1], shown
    percents = [int(draw.split("]")[1].split("%")[0]) for draw in draws]
    assert percents == sorted(percents) and percents[0] < 100, percents
    assert (tmp_path / "out.wav").exists()

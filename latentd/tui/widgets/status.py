"""Health at a glance: connection, model, rates, latency, load with its history, underruns,
ring, clients, uptime, recording, and the controls that are not per dimension.

Every line is built to fit the pane's width (80 columns leave it ~50): the essential part
first, the rest only where it fits, so no line wraps and pushes the last ones out of sight."""

from __future__ import annotations

import os

from rich.text import Text

from latentd.tui.widgets.bars import sparkline
from latentd.tui.widgets.pane import Pane

SPARK_WIDTH = 30


def fit(width: int, first: str, *more: str) -> str:
    """``first``, then each of ``more`` (two spaces apart) while the line stays in ``width``."""
    line = first
    for part in more:
        if part and len(line) + 2 + len(part) <= width:
            line += "  " + part
    return line


class Status(Pane):
    connection = "not connected"
    morph_seconds = 0.0
    voice = 0  # the selected voice: its source, gain, mute, glide and pan are shown

    def signature(self) -> object:
        s = self.state
        return (tuple(s.status.items()), tuple(s.controls.items()), s.underruns_grew,
                self.voice, tuple(s.voice(self.voice).controls.items()),
                self.connection, self.morph_seconds, self.size.width, tuple(s.loads),
                self.screen.has_class("-offline"))

    def render(self) -> Text:
        s, text, width = self.state, Text(), max(20, self.size.width)
        if self.connection.startswith("replaying"):
            text.append(f"● {self.connection}\n", style="bold yellow")
        elif self.connection != "connected":
            text.append(f"● {self.connection}\n", style="bold red")
        else:
            text.append("● connected\n", style="bold green")
        st = s.status
        if not st:
            text.append("waiting for the daemon's status ...", style="dim")
            return text
        last_known = len(text)  # offline, what follows is the last the daemon reported
        text.append(fit(width, f"model {st.get('model')} ({st.get('model_state')})",
                        f"{st.get('latent_size')} latents",
                        f"{st.get('model_rate')} → {st.get('device_rate')} Hz",
                        f"block {st.get('block')}") + "\n")
        text.append(_latency(st, width) + "\n")
        load, peak = float(st.get("load", 0)), float(st.get("load_peak", 0))
        head = f"load {load:5.1%} peak {peak:5.1%} "
        text.append(head)
        spark = min(SPARK_WIDTH, width - len(head))
        text.append(sparkline(list(s.loads), spark, top=1.0) + "\n", style="cyan")
        under = f"underruns {st.get('underruns', 0)}"
        text.append(under, style="bold red" if s.underruns_grew else "")
        text.append(fit(width - len(under), "", f"ring {float(st.get('ring_fill', 0)):.0%}",
                        f"clients {st.get('clients')}",
                        f"up {_clock(float(st.get('uptime', 0)))}") + "\n")
        device = f"device {st.get('device_state')}"
        text.append(device, style="" if st.get("device_state") == "ok" else "bold red")
        recording = str(st.get("recording", "none"))
        shown = recording if len(device) + 12 + len(recording) <= width \
            else os.path.basename(recording)
        text.append(f"  recording {shown}", style="bold red" if recording != "none" else "")
        if st.get("input", "none") not in ("none", ""):
            text.append(fit(width - len(device) - 12 - len(shown), "",
                            f"input {st.get('input')}"))
        text.append("\n")
        c, mine = s.controls, s.voice(self.voice).controls
        if c:
            if s.voice_count > 1 or self.voice:
                text.append(f"v{self.voice} ", style="bold reverse")
            if mine:
                text.append(f"source {mine.get('source')}  "
                            f"gain {float(mine.get('gain_db', 0)):+.1f} dB")
                if mine.get("mute"):
                    text.append("  MUTED", style="bold red")
                pan = float(mine.get("pan", 0.0))
                text.append(fit(width - len(text.plain.rsplit("\n", 1)[-1]), "",
                                f"glide {float(mine.get('glide_ms', 0)):.0f} ms",
                                f"pan {pan:+.1f}" if pan or s.voice_count > 1 else "") + "\n")
            else:  # a daemon that sends no /voice/<n>/controls.state: nothing to show
                text.append("source, gain, mute: not reported for this voice\n", style="dim")
            rate = f"drift {c.get('drift_mode')} {float(c.get('drift_rate', 0)):.2f} Hz"
            depth, morph = float(c.get("drift_depth", 0)), f"morph {self.morph_seconds:g} s"
            temperature = f"{float(c.get('temperature', 0)):.2f}"
            line = f"{rate} depth {depth:.2f}  temperature {temperature}  {morph}"
            text.append(line if len(line) <= width else
                        fit(width, f"{rate} ±{depth:.2f}", f"temp {temperature}", morph))
        if self.screen.has_class("-offline"):
            text.stylize("dim", last_known)
        return text


def _latency(st: dict[str, object], width: int) -> str:
    """Total latency and its parts (input and encoder only while an input is open), the long
    form where it fits, else the short one."""
    parts = [(name, float(str(st.get(f"latency_{name}_ms", 0.0))))
             for name in ("input", "encoder", "device", "ring", "model")]
    shown = [(name, ms) for name, ms in parts if ms or name not in ("input", "encoder")]
    total = float(str(st.get("latency_ms", 0.0)))
    long = f"latency {total:.1f} ms = " + " + ".join(f"{n} {ms:.1f}" for n, ms in shown)
    if len(long) <= width:
        return long
    short = {"input": "in", "encoder": "enc", "device": "dev"}
    return f"latency {total:.1f} ms: " + " ".join(f"{short.get(n, n)} {ms:.1f}"
                                                   for n, ms in shown)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"

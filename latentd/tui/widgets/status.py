"""Health at a glance: connection, model, rates, latency, load with its history, underruns,
ring, clients, uptime, recording, and the controls that are not per dimension."""

from __future__ import annotations

from rich.text import Text

from latentd.tui.widgets.bars import sparkline
from latentd.tui.widgets.pane import Pane


class Status(Pane):
    connection = "not connected"
    morph_seconds = 0.0

    def signature(self) -> object:
        s = self.state
        return (tuple(s.status.items()), tuple(s.controls.items()), s.underruns_grew,
                self.connection, self.morph_seconds, self.size.width)

    def render(self) -> Text:
        s, text = self.state, Text()
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
        text.append(f"model {st.get('model')} ({st.get('model_state')})  latents "
                    f"{st.get('latent_size')}  {st.get('model_rate')} → {st.get('device_rate')}"
                    f" Hz  block {st.get('block')}\n")
        text.append(f"latency {st.get('latency_ms', 0):.1f} ms (device "
                    f"{st.get('latency_device_ms', 0):.1f} ring {st.get('latency_ring_ms', 0):.1f}"
                    f" model {st.get('latency_model_ms', 0):.1f})\n")
        load, peak = float(st.get("load", 0)), float(st.get("load_peak", 0))
        text.append(f"load {load:5.1%} peak {peak:5.1%} ")
        text.append(sparkline(list(s.loads), 30, top=1.0) + "\n", style="cyan")
        under = st.get("underruns", 0)
        text.append(f"underruns {under}", style="bold red" if s.underruns_grew else "")
        text.append(f"  ring {float(st.get('ring_fill', 0)):.0%}  clients {st.get('clients')}"
                    f"  up {_clock(float(st.get('uptime', 0)))}  device {st.get('device_state')}"
                    "\n")
        recording = st.get("recording", "none")
        text.append(f"recording {recording}", style="bold red" if recording != "none" else "")
        if st.get("input", "none") not in ("none", ""):
            text.append(f"  input {st.get('input')}")
        text.append("\n")
        c = s.controls
        if c:
            text.append(f"source {c.get('source')}  gain {float(c.get('gain_db', 0)):+.1f} dB")
            if c.get("mute"):
                text.append("  MUTED", style="bold red")
            text.append(f"  glide {float(c.get('glide_ms', 0)):.0f} ms  morph "
                        f"{self.morph_seconds:g} s\n")
            text.append(f"drift {c.get('drift_mode')} {float(c.get('drift_rate', 0)):.2f} Hz "
                        f"depth {float(c.get('drift_depth', 0)):.2f}  temperature "
                        f"{float(c.get('temperature', 0)):.2f}\n")
        return text


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"

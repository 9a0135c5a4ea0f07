"""Output meters: peak and RMS per channel in dBFS, with the peak held for 1.5 s."""

from __future__ import annotations

from rich.text import Text

from latentd.tui.widgets.bars import level_bar
from latentd.tui.widgets.pane import Pane


class Meters(Pane):
    def signature(self) -> object:
        s = self.state
        return (tuple(round(v, 1) for v in s.peak_db), tuple(round(v, 1) for v in s.rms_db),
                tuple(round(v, 1) for v in s.held_db), self.size.width)

    def render(self) -> Text:
        s = self.state
        if not s.peak_db:
            return Text("no level yet", style="dim")
        width = self.size.width - 25  # the bar gets what the numbers leave (none: no bar)
        lines = []
        for ch, (peak, rms) in enumerate(zip(s.peak_db, s.rms_db, strict=False)):
            held = s.held_db[ch] if ch < len(s.held_db) else peak
            style = "bold red" if held > -0.5 else "green"
            line = Text(f"ch{ch + 1} ")
            if width > 0:
                line.append(level_bar(rms, width), style=style)
            line.append(f" {rms:6.1f} {peak:6.1f} ")
            line.append(f"{held:6.1f}", style=style)
            lines.append(line)
        return Text("\n").join(lines)

"""The output's spectrum (``/spectrum``: 32 log-spaced bands in dB) as vertical bars."""

from __future__ import annotations

from rich.text import Text

from latentd.tui.widgets.pane import Pane

EIGHTHS = " ▁▂▃▄▅▆▇█"
FLOOR_DB = -90.0


class Spectrum(Pane):
    def columns(self) -> list[float]:
        """The bands as they fit the width: each band one or more cells wide, or, in a pane
        narrower than the bands (80 columns), neighbouring bands merged (their loudest), so a
        line never wraps."""
        bands, width = self.state.spectrum, max(1, self.size.width)
        if len(bands) <= width:
            return bands
        return [max(bands[i * len(bands) // width:(i + 1) * len(bands) // width])
                for i in range(width)]

    def heights(self) -> list[int]:
        """Each column's bar in eighths of a row (what is drawn, so what decides a redraw)."""
        rows = max(1, self.size.height - 1)
        return [int(min(1.0, max(0.0, (v - FLOOR_DB) / -FLOOR_DB)) * rows * 8)
                for v in self.columns()]

    def signature(self) -> object:
        return (tuple(self.heights()), self.size)

    def render(self) -> Text:
        bands = self.state.spectrum
        if not bands:
            return Text("no spectrum yet", style="dim")
        rows = max(1, self.size.height - 1)
        heights = self.heights()
        cell = max(1, self.size.width // len(heights))
        text = Text()
        for row in range(rows - 1, -1, -1):
            line = "".join(EIGHTHS[int(min(8, max(0, h - row * 8)))] * cell for h in heights)
            text.append(line + "\n", style="yellow")
        text.append("40 Hz".ljust(max(6, cell * len(heights) - 6)) + "16 kHz", style="dim")
        return text

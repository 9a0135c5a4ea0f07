"""The latents of the selected voice: per dimension its name, the target sent and the value
decoded now, as bars. A model with more dimensions than the pane has rows shows a window that
follows the selection."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size

from latentd.tui.widgets.bars import centred_bar
from latentd.tui.widgets.pane import Pane


class Latents(Pane):
    selected = 0
    voice = 0  # the voice whose latents are shown (the app's voice selector)
    _rows: tuple[int, bool] = (-1, True)

    def signature(self) -> object:
        v = self.state.voice(self.voice)
        return (tuple(round(x, 2) for x in v.latents), tuple(round(x, 2) for x in v.targets),
                tuple(self.state.names), self.selected, tuple(round(x, 2) for x in v.biases),
                tuple(round(x, 2) for x in v.scales), self.size, self.header, self.voice,
                self.state.voice_count)

    def update_from(self) -> None:
        """Its height follows the latent size (a new model may bring another) and the header."""
        rows = (len(self.state.latents), self.header)
        if rows != self._rows:
            self._rows = rows
            self.refresh(layout=True)
        super().update_from()

    @property
    def header(self) -> bool:
        """The column header line, left out on a short screen (80x24) to give the log room."""
        return not self.screen.has_class("-short")

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Every row (the selection line, the header, one per dimension); ``max-height`` cuts
        it and ``window`` shows what fits. Measuring the rendered text instead kept the height
        the pane had before the latents came (one row, at 80x24)."""
        size = len(self.state.latents)
        return 1 + (self.header + size if size else 0)

    def window(self, size: int) -> tuple[int, int]:
        """(first row, rows shown): all of them, or as many as fit, around the selection."""
        room = self.size.height - 1 - self.header  # the selection line and the header
        if room <= 0 or size <= room:
            return 0, size
        first = min(max(0, self.selected - room // 2), size - room)
        return first, room

    def render(self) -> Text:
        s, v = self.state, self.state.voice(self.voice)
        size = len(s.latents)
        if not size:
            return Text("no latents yet", style="dim")
        if not v.latents:  # a voice just added: its telemetry has not come yet
            return Text(f"voice {self.voice}: no latents yet", style="dim")
        name_width = min(24, max((len(s.name(i)) for i in range(size)), default=4))
        bar = max(8, (self.size.width - name_width - 24) // 2)
        text = Text()
        i = min(self.selected, size - 1)
        bias = v.biases[i] if i < len(v.biases) else 0.0
        scale = v.scales[i] if i < len(v.scales) else 1.0
        first, shown = self.window(size)
        if s.voice_count > 1 or self.voice:
            text.append(f"voice {self.voice}  ", style="bold reverse")
        text.append(f"selected {i} {s.name(i)}: bias {bias:+.2f}  scale {scale:.2f}",
                    style="bold")
        if shown < size:
            text.append(f"   (rows {first}-{first + shown - 1} of {size})", style="dim")
        if self.header:
            text.append(f"\n{'':4}{'dimension':<{name_width}} target{'':>{bar + 3}}decoded",
                        style="dim")
        for i in range(first, first + shown):
            text.append("\n")
            target = v.targets[i] if i < len(v.targets) else 0.0
            decoded = v.latents[i] if i < len(v.latents) else 0.0
            mark = "▶" if i == self.selected else " "
            style = "reverse" if i == self.selected else ""
            text.append(f"{mark}{i:>2} ", style=style)
            text.append(f"{s.name(i)[:name_width]:<{name_width}} ", style=style)
            if i < len(v.targets):
                text.append(f"{target:+6.2f} ", style="bold" if i == self.selected else "")
                text.append(centred_bar(target, bar), style="cyan")
            else:  # a daemon that sends no /voice/<n>/latent.target: not shown as 0
                text.append("     - " + " " * (2 * (bar // 2) + 1), style="dim")
            text.append(f" {decoded:+6.2f} ")
            text.append(centred_bar(decoded, bar), style="magenta")
        return text

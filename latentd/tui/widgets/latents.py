"""The latents: per dimension its name, the target sent and the value decoded now, as bars.
A model with more dimensions than the pane has rows shows a window that follows the selection."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size

from latentd.tui.widgets.bars import centred_bar
from latentd.tui.widgets.pane import Pane


class Latents(Pane):
    selected = 0
    _rows: tuple[int, bool] = (-1, True)

    def signature(self) -> object:
        s = self.state
        return (tuple(round(v, 2) for v in s.latents), tuple(round(v, 2) for v in s.targets),
                tuple(s.names), self.selected, tuple(round(v, 2) for v in s.biases),
                tuple(round(v, 2) for v in s.scales), self.size, self.header)

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
        s = self.state
        size = len(s.latents)
        if not size:
            return Text("no latents yet", style="dim")
        name_width = min(24, max((len(s.name(i)) for i in range(size)), default=4))
        bar = max(8, (self.size.width - name_width - 24) // 2)
        text = Text()
        i = min(self.selected, size - 1)
        bias = s.biases[i] if i < len(s.biases) else 0.0
        scale = s.scales[i] if i < len(s.scales) else 1.0
        first, shown = self.window(size)
        text.append(f"selected {i} {s.name(i)}: bias {bias:+.2f}  scale {scale:.2f}",
                    style="bold")
        if shown < size:
            text.append(f"   (rows {first}-{first + shown - 1} of {size})", style="dim")
        if self.header:
            text.append(f"\n{'':4}{'dimension':<{name_width}} target{'':>{bar + 3}}decoded",
                        style="dim")
        for i in range(first, first + shown):
            text.append("\n")
            target = s.targets[i] if i < len(s.targets) else 0.0
            decoded = s.latents[i]
            mark = "▶" if i == self.selected else " "
            style = "reverse" if i == self.selected else ""
            text.append(f"{mark}{i:>2} ", style=style)
            text.append(f"{s.name(i)[:name_width]:<{name_width}} ", style=style)
            text.append(f"{target:+6.2f} ", style="bold" if i == self.selected else "")
            text.append(centred_bar(target, bar), style="cyan")
            text.append(f" {decoded:+6.2f} ")
            text.append(centred_bar(decoded, bar), style="magenta")
        return text

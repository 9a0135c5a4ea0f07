"""The voices: one row per voice playing (``/status.reply``'s ``voices``), each with its level,
mute, source and pitch, the selected one marked. Shown only while more than one voice plays.

Rows are built to the pane's width (about 26 columns at 80x24): the voice and its level first,
then what fits of the rest; the level bar only where every row has room for it. More voices
than rows show a window that follows the selection."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size

from latentd.tui.widgets.bars import level_bar
from latentd.tui.widgets.pane import Pane

SOURCE_SHORT = {"manual": "man", "drift": "drift", "input": "in", "prior": "prior"}


Part = tuple[str, str]  # text, style


def row_parts(n: int, level: float | None, muted: bool, source: str | None,
              pitch: tuple[float | None, str | None], selected: bool) -> list[Part]:
    """``▶2``, the level in dB, then what may be left out: M (muted), source, Hz, note."""
    parts = [(f"{'▶' if selected else ' '}{n}", "reverse" if selected else ""),
             (f"{level:6.1f}" if level is not None else "   -  ", "")]
    if muted:
        parts.append(("M", "bold red"))
    if source:
        parts.append((SOURCE_SHORT.get(source, source), ""))
    hz, note = pitch
    if hz is not None:
        parts.append((f"{hz:.0f} Hz", "cyan"))
    if note:
        parts.append((note, "bold cyan"))
    return parts


def voice_row(parts: list[Part], level: float | None, bar: int, width: int) -> Text:
    """The row in ``width`` columns, with a level bar of ``bar`` cells (none under 3): the
    rows share one bar width so their numbers line up."""
    (mark, mark_style), (level_text, _), *tail = parts
    line = Text(mark + " ", style=mark_style)
    if bar >= 3:
        line.append(level_bar(level, bar) if level is not None else " " * bar,  # unknown
                    style="dim" if tail and tail[0][0] == "M" else "green")
        line.append(" ")
    line.append(level_text)
    for part, style in tail:
        if len(line) + 1 + len(part) > width:
            break
        line.append(" ")
        line.append(part, style=style)
    return line


class Voices(Pane):
    selected = 0

    def signature(self) -> object:
        s = self.state
        rows = []
        for n in range(s.voice_count):
            v = s.voice(n)
            level = v.level_db
            rows.append((round(level, 1) if level is not None else None,
                         v.controls.get("mute"), v.controls.get("source"), s.pitch(n)))
        return (tuple(rows), self.selected, self.size)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """A row per voice; ``max-height`` cuts it and ``window`` shows what fits."""
        return self.state.voice_count

    def window(self, count: int) -> tuple[int, int]:
        """(first voice, voices shown): all, or as many as fit around the selection."""
        room = self.size.height
        if room <= 0 or count <= room:
            return 0, count
        first = min(max(0, self.selected - room // 2), count - room)
        return first, room

    def render(self) -> Text:
        s = self.state
        first, shown = self.window(s.voice_count)
        width = max(12, self.size.width)
        rows = []
        for n in range(first, first + shown):
            v = s.voice(n)
            rows.append((row_parts(n, v.level_db, bool(v.controls.get("mute")),
                                   v.controls.get("source"), s.pitch(n), n == self.selected),
                         v.level_db))
        longest = max(sum(len(text) + 1 for text, _ in parts) for parts, _ in rows)
        bar = min(12, width - longest - 1)  # the bar gets what the longest row leaves
        return Text("\n").join(voice_row(parts, level, bar, width) for parts, level in rows)

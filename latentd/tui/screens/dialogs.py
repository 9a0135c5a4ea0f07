"""Small dialogs: type an exact value, pick a preset slot, pick a model from ``/model/list``."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList


class ValuePrompt(ModalScreen[float | None]):
    """Type a number (Enter to send, Esc to cancel); anything else is refused in place.
    Keys that reach the screen rather than the field (typed before it had the focus, or
    handed on by the main screen) are typed into the field, so a fast "2.5⏎" sends 2.5."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(self, title: str, initial: str = ""):
        super().__init__()
        self.title_text, self.initial = title, initial

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text)
            yield Label("Enter sends, Esc cancels", classes="hint")
            yield Input(value=self.initial, type="number", id="value", select_on_focus=False)

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.cursor_position = len(self.initial)  # the digit typed first stays, typing goes on

    def on_key(self, event: events.Key) -> None:
        field = self.query_one(Input)
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.submit(field.value)
        elif event.key == "backspace" and not field.has_focus:
            event.stop()
            field.value = field.value[:-1]
        elif event.is_printable and event.character is not None:  # the field had not the focus
            event.stop()
            field.insert_text_at_cursor(event.character)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submit(event.value)

    def submit(self, text: str) -> None:
        if self.is_active:  # Enter may reach both the field and the screen: dismiss once
            try:
                self.dismiss(float(text))
            except ValueError:
                self.query_one(Label).update(f"{self.title_text}: not a number (Esc cancels)")

    def action_cancel(self) -> None:
        self.dismiss(None)


class SlotPrompt(ModalScreen[int | None]):
    """One key: a preset slot 1-9."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(self, title: str):
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text)
            yield Label("press a slot, 1-9 (Esc cancels)", classes="hint")

    def on_key(self, event: events.Key) -> None:
        if event.character is not None and event.character in "123456789":
            event.stop()
            self.dismiss(int(event.character))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ModelPicker(ModalScreen[str | None]):
    """The models ``/model/list`` offered; Enter loads the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(self, models: list[str]):
        super().__init__()
        self.models = models

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("load a model (Enter; Esc cancels)")
            yield OptionList(*self.models, id="models")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.models[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)

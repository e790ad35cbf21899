"""ScoreField: a 0–10 answer picked with one digit key (``1`` then ``0`` for ten), or
with left/right. The chosen score is marked with brackets and reverse video, never by
colour alone."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class ScoreField(Widget, can_focus=True):
    """A focusable 0–10 scale. ``value`` is None until a score is chosen."""

    DEFAULT_CSS = """
    ScoreField { height: auto; width: 1fr; min-width: 33; }  /* the hint wraps when narrow */
    ScoreField:focus { text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(d), f"digit({d})", show=False) for d in range(10)),
        Binding("left", "step(-1)", "Lower", show=False),
        Binding("right", "step(1)", "Higher", show=False),
        Binding("backspace,delete", "clear", "Clear", show=False),
    ]

    value: reactive[int | None] = reactive(None)

    class Changed(Message):
        def __init__(self, field: ScoreField, value: int | None) -> None:
            super().__init__()
            self.field = field
            self.value = value

    def __init__(self, value: int | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.set_reactive(ScoreField.value, value)
        self._after_one = False
        self.hint = ""  # why the last key did not change the score, shown beside it

    def render(self) -> Text:
        text = Text()
        for score in range(11):
            label = str(score)
            if score == self.value:
                text.append(f"[{label}]", style="bold reverse")
            else:
                text.append(f" {label} ")
        if self.hint:
            text.append(f"  {self.hint}", style="bold")
        elif self.value is None:
            text.append("  (type 0-9, 1 0 = 10)", style="italic")
        return text

    def on_key(self, event: events.Key) -> None:
        """Keys are acted on here, as this field takes them from its queue: a binding
        would be looked up only after the key bubbled up, against whatever has focus by
        then, so a digit typed right before a Tab would be lost."""
        if event.character is not None and event.character.isdigit() and len(event.key) == 1:
            self.action_digit(int(event.character))
        elif event.key in ("left", "right"):
            self.action_step(-1 if event.key == "left" else 1)
        elif event.key in ("backspace", "delete"):
            self.action_clear()
        elif event.character is not None and event.character.isprintable() and event.is_printable:
            self._say(f"{event.character!r} is not a score: type 0-9")
        else:
            return
        event.stop()
        event.prevent_default()

    def _say(self, hint: str) -> None:
        self.hint = hint
        self.refresh()

    def action_digit(self, digit: int) -> None:
        if self._after_one and self.value == 1:
            self._after_one = False
            if digit == 0:
                self._say("")
                self.value = 10
            else:
                self._say(f"1{digit} is above 10: the score stays 1")
            return
        self._say("")
        self.value = digit
        self._after_one = digit == 1

    def action_step(self, delta: int) -> None:
        self._after_one = False
        self._say("")
        start = 5 if self.value is None else self.value
        self.value = min(10, max(0, start + delta if self.value is not None else start))

    def action_clear(self) -> None:
        self._after_one = False
        self._say("")
        self.value = None

    def on_blur(self) -> None:
        self._after_one = False

    def watch_value(self, value: int | None) -> None:
        self.post_message(self.Changed(self, value))

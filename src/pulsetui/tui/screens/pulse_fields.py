"""The pulse form's answer fields and what its saving shares: the fields laid out (date,
wellbeing, workload, fit, growth, worries), the score rule, the help text, and the
messages the save worker posts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from rich.console import Console
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Select, Static

from pulsetui.domain.enums import Workload
from pulsetui.domain.errors import InvalidInput
from pulsetui.service.views.pulses import PulseAnswers
from pulsetui.tui.widgets.choice import Choice
from pulsetui.tui.widgets.text_fields import TextInput

WORKLOAD_CHOICES = [
    ("too low", Workload.TOO_LOW.value),
    ("ok", Workload.OK.value),
    ("high", Workload.HIGH.value),
    ("too high", Workload.TOO_HIGH.value),
]
TEXT_FIELDS = ("growth", "worries")

PULSE_HELP = """\
A structured monthly check-in with one consultant. Everything you type is saved on its own
half a second after you pause; "saved HH:MM:SS" at the top shows when the last save
reached the disk. A field with an invalid value shows why beside it; the other fields are
saved and nothing you typed is thrown away.

Tab / shift+Tab move between fields. Wellbeing and fit: 1 (bad) … 5 (great). Workload:
Enter opens the choices. Date: 2026-11-20, today, fri, +2w …
The conversation is private to you: in call mode none of it is shown.
Follow-ups I promise: type one and press Enter to add it. In the list, ctrl+t marks it
done, Delete removes it (asks first).
History (right): the earlier conversations, newest first, each in full with what became
of every promise. ctrl+n (or ctrl+down) reads on to older ones, ctrl+up back to newer;
the focus stays where you type.
Open follow-ups (below it): promises from earlier conversations; they stay until closed —
ctrl+t closes the highlighted one.
Letters are always text here, also in the lists. Tab skips a list with nothing in it.
ctrl+s saves at once; Esc saves and goes back; quitting saves too. A new
conversation left with nothing in it is not kept."""


class PulseSaved(Message):
    """A save committed (posted from the save worker)."""

    def __init__(self, uid: str, at: str, saved: dict[str, Any]) -> None:
        super().__init__()
        self.uid = uid
        self.at = at
        self.saved = saved


class PulseSaveFailed(Message):
    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


def read_score(raw: str, field: str) -> int | None:
    text = raw.strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise InvalidInput.one(field, f"must be a whole number from 1 to 5 (got {text[:20]!r})")
    return int(text)


# the answers, in the order they are asked: (field, label)
ANSWERS = (
    ("date", "Date"),
    ("wellbeing", "Wellbeing"),
    ("workload", "Workload"),
    ("fit", "Fit"),
    ("growth", "Growth"),
    ("worries", "Worries"),
)


class AnswerLabels(Static):
    """The answers' labels, one column beside their fields (a row of three widgets per
    answer was a third of what the form took to open). The focused field's label is
    reversed; under a label, a blank line for each line of its field's error."""

    def __init__(self, focused: str | None = None) -> None:
        self.focused = focused
        self.error_lines: dict[str, int] = {}
        super().__init__(self._text(), id="answer-labels", markup=False)

    def _text(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for index, (name, label) in enumerate(ANSWERS):
            if index:
                text.append("\n")
            text.append(label, "bold reverse" if name == self.focused else "")
            text.append("\n" * self.error_lines.get(name, 0))
        return text

    def show(self, focused: str | None, error_lines: dict[str, int]) -> None:
        """Mark ``focused`` (None: no answer has the focus) and leave room for errors."""
        if (focused, error_lines) == (self.focused, self.error_lines):
            return
        taller = error_lines != self.error_lines
        self.focused, self.error_lines = focused, dict(error_lines)
        self.update(self._text(), layout=taller)


def error_height(message: str, width: int, console: Console) -> int:
    """Lines ``message`` takes as a field's error ``width`` cells wide."""
    return max(len(error_text(message).wrap(console, max(width, 1))), 1)


def error_text(message: str) -> Text:
    return Text(f"✗ {message}")


def error_line(name: str) -> Static:
    """Where field ``name``'s error shows, under it (hidden while there is none)."""
    return Static("", id=f"err-{name}", classes="field-error", markup=False)


def answer_fields(
    pulse: PulseAnswers | None, today: dt.date, focused: str | None = None
) -> ComposeResult:
    """The answer fields, filled from ``pulse`` (None: a new conversation on ``today``):
    their labels in one column (the one ``focused`` as the form opens marked), the fields
    in the next, each with its error line."""
    with Horizontal(id="answers"):
        yield AnswerLabels(focused)
        with Vertical(id="answer-fields"):
            for field in _fields(pulse, today):
                yield field
                yield error_line(str(field.id).removeprefix("f-"))


def _fields(pulse: PulseAnswers | None, today: dt.date) -> Iterator[Widget]:
    yield TextInput(
        value=(pulse.date if pulse else today).isoformat(),
        id="f-date",
        compact=True,
        placeholder="2026-11-20, fri, +2w",
    )
    yield TextInput(
        value=str(pulse.wellbeing) if pulse and pulse.wellbeing else "",
        id="f-wellbeing",
        compact=True,
        placeholder="1–5",
    )
    yield Choice(
        WORKLOAD_CHOICES,
        id="f-workload",
        compact=True,
        prompt="(not asked)",
        value=pulse.workload if pulse and pulse.workload else Select.NULL,
    )
    yield TextInput(
        value=str(pulse.fit) if pulse and pulse.fit else "",
        id="f-fit",
        compact=True,
        placeholder="1–5: project, client",  # whole at 60 columns
    )
    yield TextInput(
        value=pulse.growth if pulse else "",
        id="f-growth",
        compact=True,
        placeholder="growth wishes",
    )
    yield TextInput(
        value=pulse.worries if pulse else "",
        id="f-worries",
        compact=True,
        placeholder="worries",
    )

"""The pulse form's answer fields and what its saving shares: the fields laid out (date,
wellbeing, workload, fit, growth, worries), the score rule, the help text, and the
messages the save worker posts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label, Select, Static

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


def _field(name: str, label: str, widget: Any) -> ComposeResult:
    with Horizontal(classes="field-row"):
        yield Label(label, classes="row-label")
        yield widget
    yield Static("", id=f"err-{name}", classes="field-error", markup=False)


def answer_fields(pulse: PulseAnswers | None, today: dt.date) -> ComposeResult:
    """The answer fields, filled from ``pulse`` (None: a new conversation on ``today``)."""
    yield from _field(
        "date",
        "Date",
        TextInput(
            value=(pulse.date if pulse else today).isoformat(),
            id="f-date",
            compact=True,
            placeholder="2026-11-20, fri, +2w",
        ),
    )
    yield from _field(
        "wellbeing",
        "Wellbeing",
        TextInput(
            value=str(pulse.wellbeing) if pulse and pulse.wellbeing else "",
            id="f-wellbeing",
            compact=True,
            placeholder="1–5",
        ),
    )
    yield from _field(
        "workload",
        "Workload",
        Choice(
            WORKLOAD_CHOICES,
            id="f-workload",
            compact=True,
            prompt="(not asked)",
            value=pulse.workload if pulse and pulse.workload else Select.NULL,
        ),
    )
    yield from _field(
        "fit",
        "Fit",
        TextInput(
            value=str(pulse.fit) if pulse and pulse.fit else "",
            id="f-fit",
            compact=True,
            placeholder="1–5: project, client",  # whole at 60 columns
        ),
    )
    yield from _field(
        "growth",
        "Growth",
        TextInput(
            value=pulse.growth if pulse else "",
            id="f-growth",
            compact=True,
            placeholder="growth wishes",
        ),
    )
    yield from _field(
        "worries",
        "Worries",
        TextInput(
            value=pulse.worries if pulse else "",
            id="f-worries",
            compact=True,
            placeholder="worries",
        ),
    )

"""The form that opens an eNPS round: its name and its closing day (read as every date
is read: ``2026-12-18``, ``18.12.``, ``next fri``). Giving an open round's name again
moves its closing day. Saved with :func:`pulsetui.service.enps_rounds.open_round`,
which holds every rule (a day in the past, more than a year ahead, a round that has
closed); its refusals are shown beside the field. Internal: never offered in a call."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from pulsetui.service.enps_rounds import RoundState, open_round
from pulsetui.tui.screens.forms.form_base import RecordForm
from pulsetui.tui.widgets.text_fields import TextInput


class EnpsRoundForm(RecordForm):
    """Open an eNPS round; dismisses with its :class:`RoundState`, or None."""

    NOUN = "eNPS round"
    HELP_TITLE = "Open an eNPS round"
    HELP = """\
An eNPS round takes answers from the day it is opened through its closing day. Nobody
sees a score while it is open; the results appear once, after it closes, and only if
the minimum group answered. Round: a name of your choice (2026-H2, December). Closes:
the last day answers are taken — 2026-12-18, 18.12., next fri, +2w. Giving the name of
an open round again moves its closing day; a closed round is never opened again.
Tab / Enter move on; Enter in Closes or ctrl+s opens the round; Esc closes and keeps
what you typed as a draft."""
    HINT = "Enter in Closes or ctrl+s opens the round · Esc keeps a draft · F1 help"
    SAVE_ON_ENTER = ("closes",)
    DRAFT_FIELDS = ("f-round", "f-closes")

    def form_title(self) -> str:
        return "Open an eNPS round"

    def compose_fields(self) -> ComposeResult:
        yield from self.row("round", "Round", TextInput(compact=True, placeholder="e.g. 2026-H2"))
        yield from self.row(
            "closes", "Closes", TextInput(compact=True, placeholder="2026-12-18, 18.12., next fri")
        )
        threshold = self.workspace.config.thresholds.enps_min_answers
        yield Static(
            Text(
                "Answers are anonymous and taken through the closing day. The results "
                f"appear after it, if at least {threshold} people answered."
            ),
            classes="note",
        )

    def save(self) -> RoundState:
        closes = self.date("closes", required=True)
        self.problems_so_far()
        assert closes is not None
        state = open_round(self.workspace, self.text("round"), closes)
        return state

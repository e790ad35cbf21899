"""The summary shown when a meeting ends: what it produced and the next meeting (planned
already, or proposed by the client's cadence and planned with Enter), ready to copy or
export as Markdown (written by :mod:`pulsetui.reports.meeting_summary`)."""

from __future__ import annotations

import re
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from pulsetui.domain.dates import parse_date
from pulsetui.domain.errors import InvalidInput
from pulsetui.reports.meeting_summary import meeting_summary
from pulsetui.service.meetings import MeetingEnd, plan_next_meeting
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseModal
from pulsetui.tui.screens.help import ModalHelp
from pulsetui.tui.widgets.text_fields import TextInput


class MeetingSummary(ModalHelp, BaseModal):
    """What the meeting produced, the next meeting, copy and export."""

    HELP_TITLE = "Meeting summary"

    HELP = """\
The meeting is held. Check the next meeting date (planned from the client's cadence; type
another such as 2026-12-04, fri or +2w) and press Enter in it to plan it.
ctrl+y copies the summary to the clipboard; F6 writes it as Markdown to the file
named below. Esc closes the summary; a next meeting left unplanned is said so."""
    DEFAULT_CSS = """
    MeetingSummary { align: center middle; }
    MeetingSummary > Vertical {
        width: 90; max-width: 98%; height: 95%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    MeetingSummary #summary-text { height: 1fr; border: round $panel; }
    MeetingSummary #summary-text:focus { border: round $primary; }
    MeetingSummary .field-row { height: 1; }
    MeetingSummary .field-row > Label { width: 14; }
    MeetingSummary .field-row:focus-within > Label { text-style: bold reverse; }
    MeetingSummary .field-row > Input { width: 1fr; }
    MeetingSummary .field-error { color: $error; text-style: bold; padding-left: 14; }
    """
    BINDINGS = [
        *keys.bindings("back", "copy_text", "export"),
        ModalHelp.HELP_BINDING,
    ]

    def __init__(self, end: MeetingEnd) -> None:
        super().__init__()
        self.end = end
        self.client_uid = end.client
        self.meeting_uid = end.meeting

    @property
    def next_date(self) -> object:
        return self.end.next_date

    @property
    def planned_uid(self) -> str | None:
        return self.end.next_planned

    def compose(self) -> ComposeResult:
        ws = self.workspace
        doc = ws.doc("client", self.client_uid) or {}
        slug = (
            re.sub(r"[^a-z0-9]+", "-", str(doc.get("name", "client")).casefold()).strip("-")
            or "client"
        )
        path = Path.cwd() / f"meeting-{slug}-{ws.today().isoformat()}.md"
        with Vertical():
            yield Static(Text("Meeting held: summary", style="bold"))
            with VerticalScroll(id="summary-text", can_focus=True):
                yield Static(id="summary-body")
            with Horizontal(classes="field-row"):
                yield Label("Next meeting")
                yield TextInput(self.end.next_date.isoformat(), id="f-next", compact=True)
            yield Static("", id="err-next", classes="field-error")
            with Horizontal(classes="field-row"):
                yield Label("Export to")
                yield TextInput(str(path), id="f-path", compact=True)
            yield Static("", id="err-path", classes="field-error")
            yield Static(
                Text("Enter in Next meeting plans it · ctrl+y copy · F6 export · Esc close")
            )

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self._render_summary()
        self.query_one("#summary-text").focus()

    def markdown(self) -> str:
        return meeting_summary(self.workspace, self.meeting_uid, self.end.next_date)

    def _render_summary(self) -> None:
        planned = "planned" if self.end.next_planned else "proposed: Enter in the field plans it"
        body = Text(self.markdown())
        body.append(f"\n(next meeting {planned})", style="italic")
        self.query_one("#summary-body", Static).update(body)

    def _error(self, name: str, message: str) -> None:
        if self.is_live:  # the export may finish after the summary was closed
            self.query_one(f"#err-{name}", Static).update(Text(f"✗ {message}") if message else "")

    @on(Input.Submitted, "#f-next")
    def _plan_next(self, event: Input.Submitted) -> None:
        ws = self.workspace
        try:
            day = parse_date(event.value, ws.today(), "next meeting")
            self.end = plan_next_meeting(ws, self.end, day)
        except InvalidInput as exc:
            self._error("next", exc.problems[0].message if exc.problems else str(exc))
            return
        self._error("next", "")
        self._render_summary()
        self.notify(f"Next meeting planned for {day.isoformat()}.", timeout=3)

    def action_back(self) -> None:
        """Close; if the next meeting was only proposed, say that it is not planned."""
        if self.end.next_planned is None:
            self.notify(
                f"Next meeting left unplanned (proposed {self.end.next_date.isoformat()}; "
                "Enter in its field would have planned it).",
                severity="warning",
                timeout=8,
                markup=False,
            )
        super().action_back()

    @on(Input.Submitted, "#f-path")
    def _export_submitted(self) -> None:
        self.action_export()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.markdown())
        self.notify("Summary copied to the clipboard.", timeout=3)

    def action_export(self) -> None:
        raw = self.query_one("#f-path", Input).value.strip()
        if not raw:
            self._error("path", "name the file to write")
            return
        self._write(Path(raw).expanduser(), self.markdown())

    @work(thread=True, group="meeting-export", exit_on_error=False)
    def _write(self, path: Path, text: str) -> None:
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            self.app.call_from_thread(self._error, "path", f"cannot write: {exc.strerror or exc}")
            return
        self.app.call_from_thread(self._error, "path", "")
        self.app.call_from_thread(self.notify, f"Written {path}", timeout=4, markup=False)

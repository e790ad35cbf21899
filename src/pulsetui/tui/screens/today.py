"""Today, the start screen: what needs the signed-in manager's attention now — pulses
due, client meetings due, agreements due this week or overdue, red flags, portfolio NPS
with its trend and n, and the latest eNPS round with enough answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual.app import ComposeResult

from pulsetui.domain.cadence import DueInfo, DueState
from pulsetui.tui.screens.base import BaseScreen
from pulsetui.tui.widgets.literal import LiteralStatic, cell
from pulsetui.tui.widgets.record_table import RecordTable


def due_text(info: DueInfo, today: dt.date) -> str:
    if info.state == DueState.NEVER:
        return "never held"
    if info.due_on is None:
        return info.state.value
    late = (today - info.due_on).days
    if late > 0:
        return f"{info.state.value}, {late} d late (last {info.last})"
    if late == 0:
        return f"due today (last {info.last})"
    return f"due in {-late} d (last {info.last})"


class TodayScreen(BaseScreen):
    TITLE = "Today"
    HELP = (
        "What needs you today: consultants whose monthly pulse is due (4 weeks after the "
        "last one held) or overdue (6 weeks); clients whose meeting is due under the agreed "
        "cadence; agreements due within a week or overdue, ours and the client's. "
        "Enter opens the record under the cursor."
    )

    def compose_body(self) -> ComposeResult:
        yield LiteralStatic("", id="today-summary")
        yield RecordTable(["Item", "Who", "When"], id="today-list")

    def on_mount(self) -> None:
        self.reload()
        self.query_one(RecordTable).focus()

    def reload(self) -> None:
        ws: Any = self.app.workspace  # type: ignore[attr-defined]
        today = ws.today()
        rows: list[tuple[str, str, list[Any]]] = []
        heading = "bold underline"

        pulses = []
        for person in ws.my_consultants():
            info = ws.pulse_due(person.uid)
            if info.needs_action:
                pulses.append((person, info))
        rows.append(
            ("heading", "pulses", [Text(f"Pulse due ({len(pulses)})", style=heading), "", ""])
        )
        for person, info in pulses:
            rows.append(("consultant", person.uid, ["Pulse", person.name, due_text(info, today)]))

        clients = ws.my_clients()
        meetings = []
        for client in clients:
            info = ws.meeting_due(client.uid)
            if info.needs_action:
                meetings.append((client, info))
        rows.append(
            ("heading", "meetings", [Text(f"Meeting due ({len(meetings)})", style=heading), "", ""])
        )
        for client, info in meetings:
            rows.append(("client", client.uid, ["Meeting", client.name, due_text(info, today)]))

        names = {c.uid: c.name for c in clients}
        agreements = ws.agreements_due([c.uid for c in clients])
        rows.append(
            (
                "heading",
                "agreements",
                [Text(f"Agreements due ({len(agreements)})", style=heading), "", ""],
            )
        )
        for agreement in agreements:
            late = (today - agreement.due).days
            when = f"overdue {late} d ({agreement.due})" if late > 0 else f"due {agreement.due}"
            who = f"{names.get(agreement.client, '')} · {agreement.side.value}"
            rows.append(("agreement", agreement.uid, [cell(agreement.text), who, when]))

        self.query_one(RecordTable).fill(rows)
        self.query_one("#today-summary", LiteralStatic).set_text(
            f"{ws.me_name} · {today:%a %d %b %Y}"
        )

    def on_record_table_opened(self, event: RecordTable.Opened) -> None:
        if event.kind in ("heading",):
            return
        self.app.run_worker(self.app.open_record(event.kind, event.uid), exclusive=True)  # type: ignore[attr-defined]

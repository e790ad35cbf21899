"""Today, the start screen: what needs the signed-in manager's attention now — red flags,
pulses due, client meetings due, agreements due this week or overdue, clients whose
health is slipping, portfolio NPS with its trend and n, and the latest eNPS round.

The figures are gathered in a thread worker (:func:`gather_today`, no Textual) so the
screen is interactive at once, even on a large workspace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message

from pulsetui.domain.cadence import DueInfo, DueState
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import ENTITIES
from pulsetui.domain.nps import format_score
from pulsetui.service.insights import (
    address_flag,
    client_health,
    latest_enps,
    nps_for,
    nps_trend,
    red_flags,
)
from pulsetui.service.workspace import Workspace
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseScreen, stylesheet
from pulsetui.tui.widgets.literal import LiteralStatic, one_line
from pulsetui.tui.widgets.record_table import RecordTable

HEADING = "heading"
COLUMNS = ("Item", "Who", "When / why")


def due_text(info: DueInfo, today: dt.date) -> str:
    """``overdue, 8 d late (last 2026-09-01)``, ``due in 3 d (…)`` or ``never held``."""
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


@dataclass
class TodayData:
    """Everything Today shows, gathered away from the UI thread."""

    summary: list[str] = field(default_factory=list)
    rows: list[tuple[str, str, list[Any]]] = field(default_factory=list)
    flags: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


def _heading(rows: list[tuple[str, str, list[Any]]], key: str, title: str, count: int) -> None:
    rows.append((HEADING, key, [Text(f"{title} ({count})", style="bold underline"), "", ""]))


def gather_today(
    ws: Workspace, call_mode: bool = False, call_client: str | None = None
) -> TodayData:
    """Today's lists for ``ws.me``. In call mode only ``call_client``'s shareable rows."""
    today = ws.today()
    data = TodayData()
    data.summary.append(f"{ws.me_name} · {today:%a %d %b %Y}")
    clients = ws.my_clients()
    if call_mode:
        clients = [c for c in clients if c.uid == call_client]
        if not clients:
            data.summary.append(
                "CALL MODE: client data is hidden here; open the client you discuss."
            )
            return data
    names = {c.uid: c.name for c in clients}

    # NPS: the portfolio (or, in call mode, the one client), with its trend and n
    if call_mode:
        nps = nps_for(ws, client=clients[0].uid)
        trend = nps_trend(ws, client=clients[0].uid)
        scope = f"NPS {clients[0].name}"
    else:
        nps = nps_for(ws, manager=ws.me)
        trend = nps_trend(ws, manager=ws.me)
        scope = "Portfolio NPS"
    line = f"{scope}: {nps.label()}"
    if nps.interval_label():
        line += f", {nps.interval_label()}"
    data.summary.append(line)
    if trend:
        data.summary.append("Trend: " + " → ".join(_trend_point(q, s) for q, s in trend))

    if not call_mode:
        enps = latest_enps(ws)
        if enps is None:
            data.summary.append("eNPS: no answers yet")
        elif enps.withheld or enps.score is None:
            data.summary.append(f"eNPS {enps.round}: not enough answers yet")
        else:
            data.summary.append(f"eNPS {enps.round}: {enps.label()}")

    rows = data.rows
    _sync_rows(ws, rows, {c.uid for c in clients} if call_mode else None)
    # red flags (internal ones never in call mode)
    if call_mode:
        flags = [f for f in red_flags(ws, client=clients[0].uid) if not f.internal]
    else:
        flags = red_flags(ws, manager=ws.me)
    _heading(rows, "flags", "Red flags", len(flags))
    for flag in flags:
        who = names.get(flag.client or "", "") or _consultant_name(ws, flag.consultant)
        rows.append(("flag", flag.key, [flag.label, who, flag.reason]))
        data.flags[flag.key] = (flag.client, flag.consultant)

    if not call_mode:
        pulses = []
        for person in ws.my_consultants():
            info = ws.pulse_due(person.uid)
            if info.needs_action:
                pulses.append((person, info))
        _heading(rows, "pulses", "Pulse due", len(pulses))
        for person, info in pulses:
            rows.append(("consultant", person.uid, ["Pulse", person.name, due_text(info, today)]))

    meetings = []
    for client in clients:
        info = ws.meeting_due(client.uid)
        if info.needs_action:
            meetings.append((client, info))
    _heading(rows, "meetings", "Meeting due", len(meetings))
    for client, info in meetings:
        rows.append(("client", client.uid, ["Meeting", client.name, due_text(info, today)]))

    agreements = ws.agreements_due([c.uid for c in clients])
    _heading(rows, "agreements", "Agreements due", len(agreements))
    for agreement in agreements:
        due = agreement.due or today
        late = (today - due).days
        when = f"overdue {late} d ({due})" if late > 0 else f"due {due:%a} {due}"
        side = "us" if agreement.side.value == "us" else "client"
        who = f"{names.get(agreement.client, '')} ({side})"
        rows.append(("agreement", agreement.uid, [agreement.text, who, when]))

    if not call_mode:
        slipping = []
        for client in clients:
            health = client_health(ws, client.uid)
            if health.grade != "good":
                slipping.append((client, health))
        slipping.sort(key=lambda pair: pair[1].score)
        _heading(rows, "health", "Client health", len(slipping))
        for client, health in slipping:
            why = health.lost[0][1] if health.lost else ""
            trend_text = "→".join(str(s) for s in health.trend)
            rows.append(
                (
                    "client",
                    client.uid,
                    [
                        f"Health {health.score} {health.grade}",
                        client.name,
                        f"{why} · trend {trend_text}",
                    ],
                )
            )
    return data


def _sync_rows(
    ws: Workspace, rows: list[tuple[str, str, list[Any]]], only: set[str] | None
) -> None:
    """Records with both versions of a field kept by sync, and records an edit kept alive
    against a concurrent delete. ``only``: limit to these clients (call mode)."""
    found: list[tuple[str, str, list[Any]]] = []
    for kind, spec in sorted(ENTITIES.items()):
        if spec.scope == "anonymous" or (only is not None and spec.scope == "private"):
            continue
        for reason, uids in (("conflict", ws.conflicted(kind)), ("revived", ws.revived(kind))):
            for uid in sorted(uids):
                doc = ws.store.view.get(kind, uid)
                if doc is None:
                    continue
                client = uid if kind == "client" else doc.get("client")
                if only is not None and client not in only:
                    continue
                title = doc.get(spec.title_field, uid)
                if reason == "conflict":
                    fields = ", ".join(sorted(ws.conflicts(kind, uid)))
                    found.append(
                        (
                            "conflict",
                            f"{kind}/{uid}",
                            [
                                f"Conflict: {spec.label}",
                                title,
                                f"two versions of {fields}; Enter to choose",
                            ],
                        )
                    )
                else:
                    found.append(
                        (
                            kind,
                            uid,
                            [
                                f"Kept: {spec.label}",
                                title,
                                "edited here while deleted elsewhere; kept",
                            ],
                        )
                    )
    if found:
        _heading(rows, "sync", "Sync: needs a look", len(found))
        rows.extend(found)


def _trend_point(quarter: str, summary: Any) -> str:
    """``Q3 +50 (n=2)`` — the quarter without its year, the score and its n."""
    short = quarter.split("-")[-1]
    if summary.n == 0 or summary.score is None:
        return f"{short} –"
    return f"{short} {format_score(summary.score)} (n={summary.n})"


def _consultant_name(ws: Workspace, uid: str | None) -> str:
    if not uid:
        return ""
    doc = ws.store.view.get("consultant", uid)
    return str(doc.get("name", "")) if doc else ""


class TodayScreen(BaseScreen):
    TITLE = "Today"
    HELP = (
        "What needs you today, for the manager signed in.\n\n"
        "Red flags: the reason and since when; x marks one addressed with a note.\n"
        "Pulse due: consultants whose monthly pulse is due (4 weeks after the last one "
        "held) or overdue (6 weeks).\n"
        "Meeting due: clients whose meeting is due under the agreed cadence.\n"
        "Agreements due: ours and the client's, due within a week or overdue.\n"
        "Client health: clients below 'good', with the biggest reason and the trend.\n"
        "At the top: portfolio NPS with n and its 95% interval (n < 10 is directional), "
        "the trend by quarter, and the latest eNPS round — shown only when enough people "
        "answered.\n\n"
        "Enter opens the record under the cursor. In call mode only the client in view "
        "is shown, without eNPS, pulses or internal flags."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        *BaseScreen.BINDINGS,
        *keys.bindings("open", "address_flag", "refresh"),
    ]
    CSS_PATH = stylesheet("today.tcss")

    class Gathered(Message):
        def __init__(self, data: TodayData, call_mode: bool) -> None:
            super().__init__()
            self.data = data
            self.call_mode = call_mode

    def __init__(self) -> None:
        super().__init__()
        self._flags: dict[str, tuple[str | None, str | None]] = {}

    def compose_body(self) -> ComposeResult:
        yield LiteralStatic("Loading…", id="today-summary")
        yield RecordTable(COLUMNS, id="today-list")

    def on_mount(self) -> None:
        self.watch(self.app, "call_mode", lambda _on: self.reload(), init=False)
        self.query_one(RecordTable).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.reload()

    def on_resize(self) -> None:
        self._fit_columns()

    def _fit_columns(self) -> None:
        table = self.query_one(RecordTable)
        width = max(self.size.width, 40)
        item = 16 if width < 100 else 24
        who = 18 if width < 100 else 26
        # marker + padding of four columns = 1 + 8; keep one cell for the scrollbar
        rest = max(width - item - who - 10, 12)
        table.set_widths([item, who, rest])

    def reload(self) -> None:
        app: Any = self.app
        self._gather(app.workspace, bool(app.call_mode), getattr(app, "call_client", None))

    def action_refresh(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="today", exit_on_error=False)
    def _gather(self, ws: Workspace, call_mode: bool, call_client: str | None) -> None:
        data = gather_today(ws, call_mode, call_client)
        self.post_message(self.Gathered(data, call_mode))

    def on_today_screen_gathered(self, message: Gathered) -> None:
        app: Any = self.app
        if message.call_mode != bool(app.call_mode):
            return  # a newer gathering is on its way
        self._flags = message.data.flags
        self.query_one("#today-summary", LiteralStatic).set_text("\n".join(message.data.summary))
        self._fit_columns()
        self.query_one(RecordTable).fill(message.data.rows, keep_cursor=True)

    # ---- opening and addressing -----------------------------------------------------

    def action_open(self) -> None:
        chosen = self.query_one(RecordTable).selected()
        if chosen is not None:
            self._open(*chosen)

    def on_record_table_opened(self, event: RecordTable.Opened) -> None:
        event.stop()
        self._open(event.kind, event.uid)

    def _open(self, kind: str, uid: str) -> None:
        if kind == HEADING:
            return
        if kind == "conflict":
            from pulsetui.tui.screens.conflict import ConflictModal

            record_kind, _, record_uid = uid.partition("/")
            self.app.push_screen(ConflictModal(record_kind, record_uid), lambda _r: self.reload())
            return
        if kind == "flag":
            client, consultant = self._flags.get(uid, (None, None))
            if client:
                kind, uid = "client", client
            elif consultant:
                kind, uid = "consultant", consultant
            else:
                return
        app: Any = self.app
        self.app.run_worker(app.open_record(kind, uid), exclusive=True, group="open")

    def context_client(self) -> str | None:
        chosen = self.query_one(RecordTable).selected()
        if chosen is None:
            return None
        kind, uid = chosen
        if kind == "client":
            return uid
        if kind == "flag":
            return self._flags.get(uid, (None, None))[0]
        if kind == "agreement":
            doc = self.app.workspace.store.view.get("agreement", uid)  # type: ignore[attr-defined]
            return doc.get("client") if doc else None
        return None

    def context_consultant(self) -> str | None:
        chosen = self.query_one(RecordTable).selected()
        if chosen is not None and chosen[0] == "consultant":
            return chosen[1]
        return None

    def action_address_flag(self) -> None:
        chosen = self.query_one(RecordTable).selected()
        if chosen is None or chosen[0] != "flag":
            self.notify("Put the cursor on a red flag first.", severity="warning")
            return
        from pulsetui.tui.screens.confirm import TextPrompt

        key = chosen[1]

        def addressed(note: str | None) -> None:
            if note is None:
                return
            app: Any = self.app
            try:
                address_flag(app.workspace, key, note)
            except InvalidInput as exc:
                self.notify("; ".join(p.message for p in exc.problems), severity="error")
                return
            app.notify_saved()
            self.notify("Flag marked addressed.")
            self.reload()

        label = one_line(key.split(":", 1)[0].replace("_", " "))
        self.app.push_screen(TextPrompt(f"Addressed: {label}. What was done?", "note"), addressed)

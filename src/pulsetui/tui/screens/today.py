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

from pulsetui.domain.agreements import DUE_SOON_DAYS, is_due_within, is_overdue
from pulsetui.domain.cadence import DueInfo, DueState, last_held, pulse_due
from pulsetui.domain.dates import as_date
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import ENTITIES
from pulsetui.domain.nps import format_score
from pulsetui.service.insights.enps import latest_enps, latest_reportable_enps
from pulsetui.service.insights.flags import RedFlag, address_flag, red_flags
from pulsetui.service.insights.health import client_health
from pulsetui.service.insights.nps import nps_for, nps_trend
from pulsetui.service.workspace import Workspace
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseScreen, stylesheet
from pulsetui.tui.widgets.literal import LiteralStatic, one_line
from pulsetui.tui.widgets.record_table import RecordTable

HEADING = "heading"
MORE = "more"
COLUMNS = ("Item", "Who", "When / why")
FIRST_ROWS = 25  # rows shown per section at first; the rest behind a "more" row
MORE_ROWS = 100  # rows added each time the "more" row is opened

Row = tuple[str, str, list[Any]]


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
class Section:
    """One heading of Today and every row under it (only some are shown at once)."""

    key: str
    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class TodayData:
    """Everything Today shows, gathered away from the UI thread."""

    summary: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    # red flag key -> (client uid, (kind, uid) of the record Enter opens)
    flags: dict[str, tuple[str | None, tuple[str, str] | None]] = field(default_factory=dict)

    def section(self, key: str, title: str) -> Section:
        found = Section(key, title)
        self.sections.append(found)
        return found

    def visible_rows(self, shown: dict[str, int] | None = None) -> list[Row]:
        """Headings with their first rows; a section longer than it is shown ends in a
        "more" row. ``shown``: how many rows of a section to show (default FIRST_ROWS)."""
        rows: list[Row] = []
        for part in self.sections:
            count = len(part.rows)
            title = Text(f"{part.title} ({count})", style="bold underline")
            rows.append((HEADING, part.key, [title, "", ""]))
            limit = (shown or {}).get(part.key, FIRST_ROWS)
            rows.extend(part.rows[:limit])
            if count > limit:
                more = min(MORE_ROWS, count - limit)
                rows.append(
                    (
                        MORE,
                        part.key,
                        [
                            Text(f"… {count - limit} more", style="italic"),
                            "",
                            f"Enter shows {more} more",
                        ],
                    )
                )
        return rows


def flag_who(flag: RedFlag, clients: dict[str, str], consultant_name: str) -> str:
    """The Who of a red flag: the consultant for a flag about a consultant (pulse
    overdue), otherwise the client it is about."""
    subject = flag.key.split(":", 1)[-1]
    if flag.consultant and (subject == flag.consultant or not flag.client):
        return consultant_name
    return clients.get(flag.client or "", "") or consultant_name


def flag_target(flag: RedFlag) -> tuple[str, str] | None:
    """The record Enter opens for a red flag: the consultant it is about, or its client."""
    subject = flag.key.split(":", 1)[-1]
    if flag.consultant and (subject == flag.consultant or not flag.client):
        return ("consultant", flag.consultant)
    if flag.client:
        return ("client", flag.client)
    return None


def enps_lines(ws: Workspace) -> list[str]:
    """The eNPS lines: the latest round where enough people answered, and a newer round
    still collecting answers, named without any of its numbers."""
    newest = latest_enps(ws)
    if newest is None:
        return ["eNPS: no answers yet"]
    shown = newest if not newest.withheld else latest_reportable_enps(ws)
    lines = []
    if shown is not None and shown.score is not None and not shown.withheld:
        lines.append(f"eNPS {shown.round}: {shown.label()}")
    if shown is None or shown.round != newest.round:
        lines.append(f"eNPS {newest.round}: not enough answers yet")
    return lines


def pulse_due_of(ws: Workspace, consultant: str) -> DueInfo:
    """What ``ws.pulse_due`` says, read from the raw records: Today asks it for every
    consultant, and validating each one's every past pulse is the slow part."""
    pulses = ws.docs("pulse", consultant=consultant)
    last = last_held(((doc.get("status"), doc.get("date")) for doc in pulses), ws.today())
    cad = ws.config.cadences
    return pulse_due(last, ws.today(), cad.pulse_due_days, cad.pulse_overdue_days)


def agreements_due_of(
    ws: Workspace, clients: list[str], within_days: int = DUE_SOON_DAYS
) -> list[tuple[dt.date, dict[str, Any]]]:
    """What ``ws.agreements_due`` lists — open agreements of these clients due within
    ``within_days`` or overdue, soonest first — as (due, raw record), read through the
    client index without validating every agreement."""
    today = ws.today()
    found = []
    for client in clients:
        for doc in ws.docs("agreement", client=client):
            due = as_date(doc.get("due"))
            if due is not None and is_due_within(doc.get("status"), due, today, within_days):
                found.append((due, doc))
    found.sort(key=lambda pair: pair[0])
    return found


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
        data.summary.extend(enps_lines(ws))

    _sync_rows(ws, data, {c.uid for c in clients} if call_mode else None)
    # red flags (internal ones never in call mode)
    if call_mode:
        flags = [f for f in red_flags(ws, client=clients[0].uid) if not f.internal]
    else:
        flags = red_flags(ws, manager=ws.me)
    part = data.section("flags", "Red flags")
    for flag in flags:
        who = flag_who(flag, names, _consultant_name(ws, flag.consultant))
        part.rows.append(("flag", flag.key, [flag.label, who, flag.reason]))
        data.flags[flag.key] = (flag.client, flag_target(flag))

    if not call_mode:
        part = data.section("pulses", "Pulse due")
        for person in ws.my_consultants():
            info = pulse_due_of(ws, person.uid)
            if info.needs_action:
                part.rows.append(
                    ("consultant", person.uid, ["Pulse", person.name, due_text(info, today)])
                )

    part = data.section("meetings", "Meeting due")
    for client in clients:
        info = ws.meeting_due(client.uid)
        if info.needs_action:
            part.rows.append(
                ("client", client.uid, ["Meeting", client.name, due_text(info, today)])
            )

    part = data.section("agreements", "Agreements due")
    for due, doc in agreements_due_of(ws, [c.uid for c in clients]):
        late = (today - due).days
        overdue = is_overdue(doc.get("status"), due, today)
        when = f"overdue {late} d ({due})" if overdue else f"due {due:%a} {due}"
        side = "us" if doc.get("side") == "us" else "client"
        who = f"{names.get(str(doc.get('client')), '')} ({side})"
        part.rows.append(("agreement", doc["uid"], [str(doc.get("text", "")), who, when]))

    if not call_mode:
        slipping = []
        for client in clients:
            health = client_health(ws, client.uid)
            if health.grade != "good":
                slipping.append((client, health))
        slipping.sort(key=lambda pair: pair[1].score)
        part = data.section("health", "Client health")
        for client, health in slipping:
            why = health.lost[0][1] if health.lost else ""
            trend_text = "→".join(str(s) for s in health.trend)
            part.rows.append(
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


def _sync_rows(ws: Workspace, data: TodayData, only: set[str] | None) -> None:
    """Records with both versions of a field kept by sync, and records an edit kept alive
    against a concurrent delete. ``only``: limit to these clients (call mode)."""
    found: list[Row] = []
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
        data.section("sync", "Sync: needs a look").rows.extend(found)


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
        "the trend by quarter, and the latest eNPS round where enough people answered "
        "(a newer round still collecting answers is named, without figures).\n\n"
        f'Each list shows its first {FIRST_ROWS} rows; Enter on the "… more" row shows '
        f"{MORE_ROWS} more. Enter opens the record under the cursor. The lists are kept "
        "while you visit other sections and refreshed in the background when something "
        "changed; ctrl+r refreshes now. In call mode only the client in view "
        "is shown, without eNPS, pulses or internal flags."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        *BaseScreen.BINDINGS,
        *keys.bindings("open", "address_flag", "refresh"),
    ]
    CSS_PATH = stylesheet("today.tcss")

    class Gathered(Message):
        def __init__(self, data: TodayData, state: tuple[Any, ...], serial: int) -> None:
            super().__init__()
            self.data = data
            self.state = state
            self.serial = serial

    def __init__(self) -> None:
        super().__init__()
        self._data: TodayData | None = None
        self._shown_state: tuple[Any, ...] | None = None  # what the lists were gathered for
        self._asked_state: tuple[Any, ...] | None = None  # what the running gathering is for
        self._serial = 0  # gatherings started; an older one's result is dropped
        self._shown: dict[str, int] = {}  # rows shown per section, when widened
        self._widths: list[int] = []

    def compose_body(self) -> ComposeResult:
        yield LiteralStatic("Loading…", id="today-summary")
        yield RecordTable(COLUMNS, id="today-list")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self.watch(self.app, "call_mode", lambda _on: self.refresh_if_stale(), init=False)
        self.query_one(RecordTable).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.refresh_if_stale()

    def on_resize(self) -> None:
        if self.is_live:
            self._fit_columns()

    def _fit_columns(self) -> None:
        width = max(self.size.width, 40)
        item = 16 if width < 100 else 24
        who = 18 if width < 100 else 26
        # marker + padding of four columns = 1 + 8; keep one cell for the scrollbar
        rest = max(width - item - who - 10, 12)
        if [item, who, rest] != self._widths:
            self._widths = [item, who, rest]
            self.query_one(RecordTable).set_widths(self._widths)

    # ---- gathering: in a worker, only when something changed ------------------------

    def _state(self) -> tuple[Any, ...]:
        """What the lists depend on: the store's version (None: unknown, always gather
        again), the day, call mode and the client in view."""
        app = self.pulse_app
        client = app.call_client if app.call_mode else None
        return (app.data_version, app.workspace.today(), app.call_mode, client)

    def refresh_if_stale(self) -> None:
        """Gather again only if the store, the day or call mode changed since the lists
        on screen were gathered; they stay on screen meanwhile."""
        state = self._state()
        if state[0] is None or state not in (self._shown_state, self._asked_state):
            self.reload()

    def reload(self) -> None:
        state = self._state()
        self._serial += 1
        self._asked_state = state
        call_client = state[3]
        self._gather(self.workspace, state, self._serial, bool(state[2]), call_client)

    def action_refresh(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="today", exit_on_error=False)
    def _gather(
        self,
        ws: Workspace,
        state: tuple[Any, ...],
        serial: int,
        call_mode: bool,
        call_client: str | None,
    ) -> None:
        data = gather_today(ws, call_mode, call_client)
        self.post_message(self.Gathered(data, state, serial))

    def on_today_screen_gathered(self, message: Gathered) -> None:
        if message.serial != self._serial or not self.is_live:
            return  # a newer gathering is on its way, or the screen is gone
        self._asked_state = None
        if message.state[2] != self.pulse_app.call_mode:
            return
        if self._shown_state is not None and message.state[2:] != self._shown_state[2:]:
            self._shown = {}
        self._shown_state = message.state
        self._data = message.data
        self.query_one("#today-summary", LiteralStatic).set_text("\n".join(message.data.summary))
        self._show_rows()

    def _show_rows(self) -> None:
        if self._data is None:
            return
        self._fit_columns()
        table = self.query_one(RecordTable)
        rows = self._data.visible_rows(self._shown)
        if rows != table.filled_rows():
            table.fill(rows, keep_cursor=True)

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
        if kind == MORE:
            table = self.query_one(RecordTable)
            row = table.cursor_row
            self._shown[uid] = self._shown.get(uid, FIRST_ROWS) + MORE_ROWS
            self._show_rows()
            table.move_cursor(row=row)
            return
        if kind == "conflict":
            from pulsetui.tui.screens.conflict import ConflictModal

            record_kind, _, record_uid = uid.partition("/")
            self.app.push_screen(ConflictModal(record_kind, record_uid), lambda _r: self.reload())
            return
        if kind == "flag":
            target = self._flag(uid)[1]
            if target is None:
                return
            kind, uid = target
        app = self.pulse_app
        app.run_worker(app.open_record(kind, uid), exclusive=True, group="open")

    def _flag(self, key: str) -> tuple[str | None, tuple[str, str] | None]:
        if self._data is None:
            return (None, None)
        return self._data.flags.get(key, (None, None))

    def context_client(self) -> str | None:
        chosen = self.query_one(RecordTable).selected()
        if chosen is None:
            return None
        kind, uid = chosen
        if kind == "client":
            return uid
        if kind == "flag":
            return self._flag(uid)[0]
        if kind == "agreement":
            doc = self.workspace.store.view.get("agreement", uid)
            return doc.get("client") if doc else None
        return None

    def context_consultant(self) -> str | None:
        chosen = self.query_one(RecordTable).selected()
        if chosen is None:
            return None
        if chosen[0] == "consultant":
            return chosen[1]
        if chosen[0] == "flag":
            target = self._flag(chosen[1])[1]
            if target is not None and target[0] == "consultant":
                return target[1]
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
            try:
                address_flag(self.workspace, key, note)
            except InvalidInput as exc:
                self.notify("; ".join(p.message for p in exc.problems), severity="error")
                return
            self.notify("Flag marked addressed.")
            self.reload()

        label = one_line(key.split(":", 1)[0].replace("_", " "))
        self.app.push_screen(TextPrompt(f"Addressed: {label}. What was done?", "note"), addressed)

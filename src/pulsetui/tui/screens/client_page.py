"""One client: contacts, engagements, health with the reasons for points lost, red flags,
NPS with its n, the brief since the last meeting, the agenda backlog, and a paged
timeline of meetings, agreements, NPS answers, touchpoints and requests."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from pulsetui.domain.agreements import is_overdue
from pulsetui.domain.segments import segment_of
from pulsetui.service.workspace import Workspace
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseScreen, stylesheet
from pulsetui.tui.screens.clients import SEGMENT_SHORT, SPIRAL_SHORT, meeting_when, next_meeting_doc
from pulsetui.tui.screens.freshness import data_state
from pulsetui.tui.widgets.literal import cell, literal, one_line
from pulsetui.tui.widgets.marked_table import MarkedTable

PAGE_SIZE = 20
RELATED_KINDS = ("agreement", "meeting", "agenda", "engagement", "touchpoint", "request")
TIMELINE_KINDS = ("meeting", "agreement", "nps", "touchpoint", "request")


def timeline_entries(ws: Workspace, client: str) -> list[tuple[str, str, str]]:
    """(date, what, detail) for everything that happened with a client, newest first."""
    rows: list[tuple[str, str, str]] = []
    for doc in ws.docs("meeting", client=client):
        rows.append(
            (str(doc.get("date", "")), f"meeting {doc.get('status', '')}", doc.get("notes", ""))
        )
    for doc in ws.docs("agreement", client=client):
        side = "ours" if doc.get("side") == "us" else "theirs"
        detail = f"{doc.get('text', '')} (due {doc.get('due') or '—'})"
        rows.append(
            (str(doc.get("created", "")), f"agreement {side} {doc.get('status', '')}", detail)
        )
    for doc in ws.docs("nps", client=client):
        who = doc.get("contact") or "?"
        rows.append(
            (str(doc.get("date", "")), f"NPS {doc.get('score')}", f"{who}: {doc.get('reason', '')}")
        )
    for doc in ws.docs("touchpoint", client=client):
        rows.append(
            (str(doc.get("date", "")), f"touchpoint {doc.get('kind', '')}", doc.get("note", ""))
        )
    for doc in ws.docs("request", client=client):
        what = f"request {doc.get('kind', '')} {doc.get('status', '')}"
        rows.append((str(doc.get("date", "")), what, doc.get("text", "")))
    rows.sort(key=lambda row: row[0], reverse=True)
    return rows


def _heading(text: str) -> Text:
    return Text(text, style="bold underline")


class ClientPage(BaseScreen):
    """Everything about one client; m starts a meeting, e logs an agreement."""

    TITLE = "Client"
    HELP = """\
One client at a glance. The top part scrolls (j/k or arrows when it has focus): contacts,
engagements, health (the score, and why every point was lost), red flags with their reason
and since when, NPS with the number of answers (n) and whether it is only directional,
the brief since the last meeting, and the open agenda backlog. In call mode the segment,
health, internal red flags and private client notes are hidden.

Below it the timeline lists meetings, agreements, NPS answers, touchpoints and requests,
newest first, 20 per page: ] next page, [ previous page. Tab moves between the two parts.

When sync met two versions of this client (or of one of its agreements, meetings or agenda
items), a notice at the top says so and r shows both side by side: keep mine, keep theirs
or edit a merged text. It also says when an edit made here kept a record alive that was
deleted elsewhere. (Hidden in call mode.)

m starts meeting mode; a adds an agenda item; e logs an agreement; Esc goes back."""
    CSS_PATH = stylesheet("clients.tcss")
    BINDINGS = [
        *keys.bindings("new_meeting", "new_agreement", "conflict"),
        Binding("right_square_bracket", "page(1)", "Next page"),
        Binding("left_square_bracket", "page(-1)", "Prev page", show=False),
    ]

    def __init__(self, client: str) -> None:
        super().__init__()
        self.client_uid = client
        self.page = 0
        self._timeline: list[tuple[str, str, str]] = []
        self._conflicted: list[tuple[str, str]] = []
        self._read_for: tuple[Any, ...] | None = None  # the state the page was read for

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="client-overview", can_focus=True):
            yield Static(id="client-sync")
            yield Static(id="client-head")
            yield Static(id="client-people")
            yield Static(id="client-health")
            yield Static(id="client-flags")
            yield Static(id="client-brief")
            yield Static(id="client-agenda")
        yield Static(id="timeline-title")
        yield MarkedTable(id="timeline")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        table = self.query_one("#timeline", DataTable)
        table.add_column("Date", key="date", width=10)
        table.add_column("What", key="what", width=22)
        table.add_column("Detail", key="detail")
        self.reload()
        self.watch(self.app, "call_mode", lambda _on: self.reload(), init=False)
        self.query_one("#client-overview").focus()

    def on_screen_resume(self) -> None:
        """Back on the page (also right after mount): read again only if the store, the
        day or call mode changed since it was read."""
        if not self.is_live:
            return
        state = data_state(self.pulse_app)
        if state != self._read_for:
            self.reload()

    def context_client(self) -> str | None:
        return self.client_uid

    # ---- rendering ---------------------------------------------------------------------

    def reload(self) -> None:
        ws = self.workspace
        self._read_for = data_state(self.pulse_app)
        doc = ws.store.view.get("client", self.client_uid)
        if doc is None:
            self.query_one("#client-head", Static).update(Text("This client no longer exists."))
            return
        hidden = self.pulse_app.call_mode
        self.sub_title = one_line(doc.get("name", ""), 40)
        self._sync_notice(hidden)
        self.query_one("#client-head", Static).update(self._head(doc, hidden))
        self.query_one("#client-people", Static).update(self._people(doc, hidden))
        self.query_one("#client-health", Static).update(self._health(hidden))
        self.query_one("#client-flags", Static).update(self._flags(hidden))
        self.query_one("#client-brief", Static).update(self._brief())
        self.query_one("#client-agenda", Static).update(self._agenda())
        self._timeline = timeline_entries(ws, self.client_uid)
        self._show_page()

    def sync_issues(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(kind, uid) of this client's records with two versions of a field, and of
        those an edit kept alive against a delete made elsewhere; the client first."""
        ws = self.workspace
        conflicted: list[tuple[str, str]] = []
        revived: list[tuple[str, str]] = []
        related = [("client", self.client_uid)] + [
            (kind, doc["uid"])
            for kind in RELATED_KINDS
            for doc in ws.docs(kind, client=self.client_uid)
        ]
        conflicts = {kind: ws.conflicted(kind) for kind in ("client", *RELATED_KINDS)}
        kept = {kind: ws.revived(kind) for kind in ("client", *RELATED_KINDS)}
        for kind, uid in related:
            if uid in conflicts[kind]:
                conflicted.append((kind, uid))
            if uid in kept[kind]:
                revived.append((kind, uid))
        return conflicted, revived

    def _sync_notice(self, hidden: bool) -> None:
        notice = self.query_one("#client-sync", Static)
        conflicted, revived = ([], []) if hidden else self.sync_issues()
        self._conflicted = conflicted
        lines: list[Text] = []
        ws = self.workspace
        for kind, uid in conflicted:
            fields = ", ".join(sorted(ws.conflicts(kind, uid)))
            what = "this client" if kind == "client" else f"{kind} {self._title(kind, uid)}"
            lines.append(literal(f"! Two versions of {fields} in {what}: r chooses"))
        for kind, uid in revived:
            what = "this client" if kind == "client" else f"{kind} {self._title(kind, uid)}"
            lines.append(literal(f"! Kept {what}: it was deleted elsewhere while edited here"))
        notice.update(Group(*lines) if lines else "")
        notice.display = bool(lines)
        self.refresh_bindings()

    def _title(self, kind: str, uid: str) -> str:
        doc = self.workspace.store.view.get(kind, uid) or {}
        title = doc.get("text") or doc.get("date") or uid
        return f"“{one_line(title, 40)}”"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resolve_conflict":
            return bool(getattr(self, "_conflicted", None))
        return True

    def action_resolve_conflict(self) -> None:
        if not self._conflicted:
            return
        from pulsetui.tui.screens.conflict import ConflictModal

        kind, uid = self._conflicted[0]
        self.app.push_screen(ConflictModal(kind, uid), lambda _r: self.reload())

    def _head(self, doc: dict[str, Any], hidden: bool = False) -> Group:
        ws = self.workspace
        segment = segment_of(
            doc.get("client_wants_us", "unsure"), doc.get("we_want_client", "unsure")
        )
        title = literal(one_line(doc.get("name", ""), 60), style="bold")
        # the segment is our own view of the client (whether we want it): not in call mode
        shown = "" if hidden else f"segment {SEGMENT_SHORT.get(segment.value, segment.value)} · "
        facts = Text(
            f"{shown}{doc.get('stage', '')}"
            f" since {doc.get('stage_since') or '—'} · "
            f"{SPIRAL_SHORT.get(str(doc.get('spiral', '')), '')} · cadence {doc.get('cadence', '')}"
        )
        upcoming = Text(
            f"next meeting {meeting_when(next_meeting_doc(ws, doc['uid'], ws.today()))}"
        )
        return Group(title, facts, upcoming)

    def _people(self, doc: dict[str, Any], hidden: bool) -> Group:
        ws = self.workspace
        lines: list[Text] = [_heading("Contacts")]
        contacts = doc.get("contacts") or []
        for contact in contacts:
            role = f" — {contact.get('role')}" if contact.get("role") else ""
            marker = " (decision maker)" if contact.get("decision_maker") else ""
            lines.append(
                literal(f"  {one_line(contact.get('name', ''), 40)}{one_line(role, 40)}{marker}")
            )
        if not contacts:
            lines.append(Text("  none recorded"))
        lines.append(_heading("Engagements"))
        engagements = sorted(
            ws.docs("engagement", client=self.client_uid), key=lambda d: str(d.get("start", ""))
        )
        for eng in engagements:
            person = ws.store.view.get("consultant", eng.get("consultant", "")) or {}
            period = f"{eng.get('start')} – {eng.get('end') or 'now'}"
            talker = eng.get("main_communicator") or "—"
            lines.append(
                literal(
                    f"  {one_line(person.get('name', '?'), 28)}  {period}"
                    f"  talks: {one_line(talker, 24)}"
                )
            )
        if not engagements:
            lines.append(Text("  none"))
        if doc.get("notes") and not hidden:
            lines.append(_heading("Notes (private)"))
            lines.append(literal(doc["notes"]))
        return Group(*lines)

    def _health(self, hidden: bool) -> Group:
        from pulsetui.service.insights.health import client_health
        from pulsetui.service.insights.nps import nps_for

        ws = self.workspace
        lines: list[Text] = []
        nps = nps_for(ws, client=self.client_uid)
        interval = nps.interval_label() if hasattr(nps, "interval_label") else ""
        lines.append(Text.assemble(("NPS ", "bold"), nps.label(), f"  {interval}".rstrip()))
        if hidden:
            return Group(*lines)
        health = client_health(ws, self.client_uid)
        mark = {"good": "", "watch": "~ ", "at risk": "! "}.get(health.grade, "")
        trend = " → ".join(str(s) for s in health.trend)
        lines.insert(
            0,
            Text.assemble(
                ("Health ", "bold"), f"{mark}{health.score} {health.grade}", f"  (trend {trend})"
            ),
        )
        for points, reason in health.lost:
            lines.insert(-1, literal(f"  −{points}  {one_line(reason, 200)}"))
        return Group(*lines)

    def _flags(self, hidden: bool) -> Group:
        from pulsetui.service.insights.flags import red_flags

        flags = red_flags(self.workspace, client=self.client_uid, include_addressed=True)
        if hidden:
            flags = [f for f in flags if not f.internal]
        lines: list[Text] = [_heading(f"Red flags ({sum(not f.addressed for f in flags)} open)")]
        for flag in flags:
            since = f" since {flag.since}" if flag.since else ""
            state = "  [addressed]" if flag.addressed else ""
            lines.append(literal(f"  ! {flag.label}{since}{state}: {one_line(flag.reason, 200)}"))
        if not flags:
            lines.append(Text("  none"))
        return Group(*lines)

    def _brief(self) -> Group:
        from pulsetui.service.insights.brief import since_last_meeting

        brief = since_last_meeting(self.workspace, self.client_uid)
        last = brief.last_meeting.isoformat() if brief.last_meeting else "never"
        lines: list[Text] = [_heading(f"Since the last meeting ({last})")]
        change = "—" if brief.nps_change is None else f"{brief.nps_change:+.0f}"
        touch = (
            "never"
            if brief.days_since_touchpoint is None
            else f"{brief.days_since_touchpoint} days ago"
        )
        lines.append(
            Text(f"  NPS now {brief.nps_now.label()}, change {change}; last touchpoint {touch}")
        )
        lines.append(Text(f"  {len(brief.carried_over)} agenda items carried over"))
        for agreement in brief.agreements_due:
            overdue = is_overdue(agreement.status, agreement.due, self.workspace.today())
            mark = "! OVERDUE" if overdue else "due"
            lines.append(literal(f"  {mark} {agreement.due}: {one_line(agreement.text, 120)}"))
        for request in brief.new_requests:
            lines.append(literal(f"  new {request.kind.value}: {one_line(request.text, 120)}"))
        return Group(*lines)

    def _agenda(self) -> Group:
        items = sorted(
            (
                d
                for d in self.workspace.docs("agenda", client=self.client_uid)
                if d.get("status") == "open"
            ),
            key=lambda d: (str(d.get("added_at", "")), d["uid"]),
        )
        lines: list[Text] = [_heading(f"Agenda backlog ({len(items)})")]
        for item in items[:30]:
            lines.append(literal(f"  • {one_line(item.get('text', ''), 200)}"))
        if len(items) > 30:
            lines.append(Text(f"  … and {len(items) - 30} more (meeting mode shows them all)"))
        return Group(*lines)

    def _show_page(self) -> None:
        pages = max(1, -(-len(self._timeline) // PAGE_SIZE))
        self.page = min(max(self.page, 0), pages - 1)
        start = self.page * PAGE_SIZE
        table = self.query_one("#timeline", DataTable)
        table.clear()
        for index, (day, what, detail) in enumerate(self._timeline[start : start + PAGE_SIZE]):
            table.add_row(
                Text(day), cell(what), cell(one_line(detail, 200)), key=str(start + index)
            )
        self.query_one("#timeline-title", Static).update(
            Text(
                f"Timeline · page {self.page + 1}/{pages} · {len(self._timeline)} entries"
                " · ] next [ prev"
            )
        )

    # ---- actions -----------------------------------------------------------------------

    def action_page(self, step: int) -> None:
        self.page += step
        self._show_page()

    def action_new_meeting(self) -> None:
        from pulsetui.tui.screens.meeting import MeetingScreen

        self.app.push_screen(MeetingScreen(self.client_uid))

    def action_new_agreement(self) -> None:
        from pulsetui.tui.screens.agreement_modal import AgreementModal

        self.app.push_screen(AgreementModal(client=self.client_uid), lambda _r: self.reload())

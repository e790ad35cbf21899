"""One client: contacts, engagements, health with the reasons for points lost, red flags,
NPS with its n, the brief since the last meeting, the agenda backlog, and a paged
timeline of meetings, agreements, NPS answers, touchpoints and requests.

What it shows is :func:`pulsetui.service.views.client_page.client_page_view` for the
app's audience; the page maps it to text."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from pulsetui.domain.nps import format_score
from pulsetui.domain.words import counted, days_ago
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.client_judgement import ClientJudgement, client_judgement
from pulsetui.service.views.client_page import (
    ClientPageView,
    SyncNotice,
    TimelineEntry,
    client_page_view,
)
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseScreen, stylesheet
from pulsetui.tui.screens.clients import SEGMENT_SHORT, SPIRAL_SHORT
from pulsetui.tui.screens.freshness import KeptState, data_state
from pulsetui.tui.widgets.judgement_panel import judgement_panel
from pulsetui.tui.widgets.literal import cell, literal, one_line
from pulsetui.tui.widgets.marked_table import MarkedTable
from pulsetui.tui.widgets.trend_line import TrendLine

if TYPE_CHECKING:
    from pulsetui.service.workspace import Workspace

PAGE_SIZE = 20
AGENDA_SHOWN = 30


def _heading(text: str) -> Text:
    return Text(text, style="bold underline")


def _notice_subject(notice: SyncNotice) -> str:
    if notice.kind == "client":
        return "this client"
    return f"{notice.kind} “{one_line(notice.title or notice.uid, 40)}”"


class ClientPage(BaseScreen):
    """Everything about one client; m starts a meeting, e logs an agreement."""

    TITLE = "Client"
    AUDIENCE_BOUND = True  # read in a worker: a call started here covers it until read
    HELP = """\
One client at a glance. Under its name: the next meeting, and in bold a meeting still
planned whose day passed with none held since. The top part scrolls (j/k or arrows when
it has focus): contacts, engagements, health (the score, and why every point was lost),
red flags with their reason and since when, NPS with the number of answers (n) and
whether it is only directional, the brief since the last meeting, and the open agenda
backlog. In call mode the segment, health, internal red flags and private client notes
are hidden.

Below it the timeline lists meetings, agreements, NPS answers, touchpoints and requests,
newest first, 20 per page: ] next page, [ previous page. Tab moves between the two parts.

When sync met two versions of this client (or of one of its agreements, meetings or agenda
items), a notice at the top says so and r shows both side by side: keep mine, keep theirs
or edit a merged text. It also says when an edit made here kept a record alive that was
deleted elsewhere. (Hidden in call mode.)

m starts meeting mode; a adds an agenda item; e logs an agreement; W logs a wish or
request (accepted with a plan, or not); T logs a touchpoint (the contact it reached); H
hands the main communicator role over (who, role, from when, handover note; not in call
mode); + places a consultant here; E changes the client (contacts, cadence, stage, spiral, segment
answers, red-flag facts); Esc goes back."""
    CSS_PATH = stylesheet("clients.tcss")
    BINDINGS = [
        *keys.bindings("new_meeting", "new_agreement", "conflict"),
        *keys.bindings("new_request", "new_touchpoint", "communicator", "edit"),
        replace(keys.binding(keys.BY_ID["new"]), description="Place consultant"),
        Binding("right_square_bracket", "page(1)", "Next page"),
        Binding("left_square_bracket", "page(-1)", "Prev page", show=False),
    ]

    def __init__(self, client: str) -> None:
        super().__init__()
        self.client_uid = client
        self.page = 0
        self._timeline: tuple[TimelineEntry, ...] = ()
        self._conflicted: tuple[SyncNotice, ...] = ()
        self._kept = KeptState()  # the state the page was read for, and its read

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="client-overview", can_focus=True):
            yield Static(id="client-sync")
            yield Static(id="client-head")
            yield Static(id="client-people")
            yield Static(id="client-health")
            with Vertical(id="client-trends"):
                yield TrendLine("NPS by quarter", id="nps-trend")
                yield TrendLine("Health over time", id="health-trend")
            yield Static(id="client-flags")
            yield Static(id="client-judgement")
            yield Static(id="client-brief")
            yield Static(id="client-agenda")
        yield Static(id="timeline-title")
        yield MarkedTable(id="timeline", fill="detail")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        table = self.query_one("#timeline", DataTable)
        table.add_column("Date", key="date", width=10)
        table.add_column("What", key="what", width=22)
        table.add_column("Detail", key="detail")
        self.reload_after_frame()
        self.watch(self.app, "call_mode", lambda _on: self.refresh_if_stale(), init=False)
        self.query_one("#client-overview").focus()

    def on_screen_resume(self) -> None:
        self.refresh_if_stale()

    def refresh_if_stale(self) -> None:
        """Read again only if the store, the day or call mode changed since the page was
        read and no read for them is on its way (the first one included)."""
        if self.is_live and not self.reading_soon and self._kept.stale(data_state(self.pulse_app)):
            self.reload()

    def context_client(self) -> str | None:
        return self.client_uid

    # ---- reading -----------------------------------------------------------------------

    class Read(Message):
        """The page as read in a worker, for ``state``."""

        def __init__(
            self,
            view: ClientPageView | None,
            judgement: ClientJudgement | None,
            state: tuple[Any, ...],
            serial: int,
            hidden: bool,
        ) -> None:
            super().__init__()
            self.view = view
            self.judgement = judgement
            self.state = state
            self.serial = serial
            self.hidden = hidden  # the client exists, but not for a call with another

    def reload(self) -> None:
        """Read the page in a worker (on a large workspace the client's records take
        longer than a frame); what is on screen stays until the read arrives, and in a
        call the veil covers it meanwhile."""
        state = data_state(self.pulse_app)
        self._read(self.workspace, state[2], state, self._kept.start(state))

    @work(thread=True, exclusive=True, group="client-page", exit_on_error=False)
    def _read(self, ws: Workspace, audience: Audience, state: tuple[Any, ...], serial: int) -> None:
        view = client_page_view(ws, audience, self.client_uid)
        judgement = None if view is None else client_judgement(ws, audience, self.client_uid)
        hidden = view is None and audience.in_call and ws.exists("client", self.client_uid)
        self.post_message(self.Read(view, judgement, state, serial, hidden))

    def on_client_page_read(self, message: Read) -> None:
        if not self.is_live or not self._kept.arrived(message.state, message.serial):
            return  # the page is gone, or a newer read is on its way
        self._show(message.view, message.judgement, message.hidden)
        self.shown_for(message.state[2])

    # ---- rendering ---------------------------------------------------------------------

    def _show(
        self, view: ClientPageView | None, judgement: ClientJudgement | None, hidden: bool
    ) -> None:
        if view is None:
            self._show_nothing(
                "Call mode: this is not the client in view."
                if hidden
                else "This client no longer exists."
            )
            return
        self.sub_title = one_line(view.name, 40)
        self._sync_notice(view)
        self.query_one("#client-head", Static).update(self._head(view))
        self.query_one("#client-people", Static).update(self._people(view))
        self.query_one("#client-health", Static).update(self._health(view))
        self._trends(view)
        self.query_one("#client-flags", Static).update(self._flags(view))
        self._judgement(judgement)
        self.query_one("#client-brief", Static).update(self._brief(view))
        self.query_one("#client-agenda", Static).update(self._agenda(view))
        self._timeline = view.timeline
        self._show_page()

    def _show_nothing(self, why: str) -> None:
        """Only ``why``: the client is gone, or not for this audience."""
        for part in self.query("#client-overview > Static").results(Static):
            part.update("")
        self.query_one("#client-sync", Static).display = False
        self.query_one("#client-trends").display = False
        self.query_one("#client-judgement").display = False
        self.query_one("#client-head", Static).update(Text(why))
        self._conflicted = ()
        self._timeline = ()
        self._show_page()
        self.refresh_bindings()

    def _judgement(self, view: ClientJudgement | None) -> None:
        """Stage and countdown, spiral mix, communicators, NPS paths, flag histories."""
        panel = self.query_one("#client-judgement", Static)
        panel.update(judgement_panel(view))
        panel.display = view is not None

    def _sync_notice(self, view: ClientPageView) -> None:
        notice = self.query_one("#client-sync", Static)
        self._conflicted = view.conflicted
        lines: list[Text] = []
        for item in view.conflicted:
            fields = ", ".join(item.fields)
            lines.append(
                literal(f"! Two versions of {fields} in {_notice_subject(item)}: r chooses")
            )
        for item in view.kept:
            lines.append(
                literal(
                    f"! Kept {_notice_subject(item)}: it was deleted elsewhere while edited here"
                )
            )
        notice.update(Group(*lines) if lines else "")
        notice.display = bool(lines)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resolve_conflict":
            return bool(getattr(self, "_conflicted", None))
        return True

    def action_resolve_conflict(self) -> None:
        if not self._conflicted:
            return
        from pulsetui.tui.screens.conflict import ConflictModal

        first = self._conflicted[0]
        self.app.push_screen(ConflictModal(first.kind, first.uid), lambda _r: self.reload())

    def _head(self, view: ClientPageView) -> Group:
        title = literal(one_line(view.name, 60), style="bold")
        # the segment is our own view of the client (whether we want it): not in a call
        shown = (
            ""
            if view.segment is None
            else f"segment {SEGMENT_SHORT.get(view.segment, view.segment)} · "
        )
        since = view.stage_since.isoformat() if view.stage_since else "—"
        facts = Text(
            f"{shown}{view.stage} since {since} · "
            f"{SPIRAL_SHORT.get(view.spiral, '')} · cadence {view.cadence}"
        )
        # a meeting planned but not held stands out: the client may be waiting on us
        upcoming = Text(
            f"next meeting {view.next_meeting_text}",
            style="bold" if view.not_held is not None else "",
        )
        return Group(title, facts, upcoming)

    def _people(self, view: ClientPageView) -> Group:
        lines: list[Text] = [_heading("Contacts")]
        for contact in view.contacts:
            role = f" — {contact.role}" if contact.role else ""
            marker = " (decision maker)" if contact.decision_maker else ""
            lines.append(literal(f"  {one_line(contact.name, 40)}{one_line(role, 40)}{marker}"))
        if not view.contacts:
            lines.append(Text("  none recorded"))
        lines.append(_heading("Engagements"))
        for eng in view.engagements:
            period = f"{eng.start} – {eng.end or 'now'}"
            talker = eng.main_communicator or "—"
            lines.append(
                literal(
                    f"  {one_line(eng.consultant, 28)}  {period}  talks: {one_line(talker, 24)}"
                )
            )
        if not view.engagements:
            lines.append(Text("  none"))
        if view.notes:
            lines.append(_heading("Notes (private)"))
            lines.append(literal(view.notes))
        return Group(*lines)

    def _health(self, view: ClientPageView) -> Group:
        lines: list[Text] = []
        health = view.health
        if health is not None:
            mark = {"good": "", "watch": "~ ", "at risk": "! "}.get(health.grade, "")
            # its trend is drawn below, with the numbers
            lines.append(Text.assemble(("Health ", "bold"), f"{mark}{health.score} {health.grade}"))
            for points, reason in health.lost:
                lines.append(literal(f"  −{points}  {one_line(reason, 200)}"))
        lines.append(Text.assemble(("NPS ", "bold"), view.nps, f"  {view.nps_interval}".rstrip()))
        return Group(*lines)

    def _trends(self, view: ClientPageView) -> None:
        """NPS by quarter and health over time as pictures, with their numbers."""
        self.query_one("#client-trends").display = True
        points = view.nps_by_quarter
        words = []
        for point in points:
            short = point.quarter.split("-")[-1]
            shown = "–" if point.score is None else f"{format_score(point.score)} (n={point.n})"
            words.append(f"{short} {shown}")
        scores = [p.score for p in points if p.score is not None]
        self.query_one("#nps-trend", TrendLine).show(scores, " → ".join(words))
        trend = list(view.health.trend) if view.health is not None else []
        self.query_one("#health-trend", TrendLine).show(
            trend, " → ".join(str(score) for score in trend)
        )

    def _flags(self, view: ClientPageView) -> Group:
        open_ = sum(not f.addressed for f in view.flags)
        lines: list[Text] = [_heading(f"Red flags ({open_} open)")]
        for flag in view.flags:
            since = f" since {flag.since}" if flag.since else ""
            state = "  [addressed]" if flag.addressed else ""
            lines.append(literal(f"  ! {flag.label}{since}{state}: {one_line(flag.reason, 200)}"))
        if not view.flags:
            lines.append(Text("  none"))
        return Group(*lines)

    def _brief(self, view: ClientPageView) -> Group:
        brief = view.brief
        last = brief.last_meeting.isoformat() if brief.last_meeting else "never"
        lines: list[Text] = [_heading(f"Since the last meeting ({last})")]
        change = "—" if brief.nps_change is None else f"{brief.nps_change:+.0f}"
        touch = (
            "never"
            if brief.days_since_touchpoint is None
            else days_ago(brief.days_since_touchpoint)
        )
        lines.append(Text(f"  NPS now {brief.nps_now}, change {change}; last touchpoint {touch}"))
        lines.append(Text(f"  {counted(brief.carried_over, 'agenda item')} carried over"))
        for agreement in brief.agreements_due:
            mark = "! OVERDUE" if agreement.overdue else "due"
            lines.append(literal(f"  {mark} {agreement.due}: {one_line(agreement.text, 120)}"))
        for request in brief.new_requests:
            lines.append(literal(f"  new {request.kind}: {one_line(request.text, 120)}"))
        return Group(*lines)

    def _agenda(self, view: ClientPageView) -> Group:
        items = view.agenda
        lines: list[Text] = [_heading(f"Agenda backlog ({len(items)})")]
        for text in items[:AGENDA_SHOWN]:
            lines.append(literal(f"  • {one_line(text, 200)}"))
        if len(items) > AGENDA_SHOWN:
            more = len(items) - AGENDA_SHOWN
            lines.append(Text(f"  … and {more} more (meeting mode shows them all)"))
        return Group(*lines)

    def _show_page(self) -> None:
        pages = max(1, -(-len(self._timeline) // PAGE_SIZE))
        self.page = min(max(self.page, 0), pages - 1)
        start = self.page * PAGE_SIZE
        table = self.query_one("#timeline", DataTable)
        table.clear()
        for index, entry in enumerate(self._timeline[start : start + PAGE_SIZE]):
            day = entry.day.isoformat() if entry.day else ""
            table.add_row(
                Text(day),
                cell(entry.what),
                cell(one_line(entry.detail, 200)),
                key=str(start + index),
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
        if self._kept.shown is not None:  # else the page is kept for the timeline read
            self._show_page()

    def action_new_meeting(self) -> None:
        from pulsetui.tui.screens.meeting import MeetingScreen

        self.app.push_screen(MeetingScreen(self.client_uid))

    def action_new_agreement(self) -> None:
        from pulsetui.tui.screens.agreement_modal import AgreementModal

        self.app.push_screen(AgreementModal(client=self.client_uid), lambda _r: self.reload())

    def action_new_request(self) -> None:
        from pulsetui.tui.screens.forms.open import open_request_form

        open_request_form(self.app, self.client_uid)

    def action_new_touchpoint(self) -> None:
        from pulsetui.tui.screens.forms.open import open_touchpoint_form

        open_touchpoint_form(self.app, self.client_uid)

    def action_communicator(self) -> None:
        """Hand the main communicator role over; who held it is our internal judgement,
        so not in a call."""
        if not self.pulse_app.audience.sees_internal:
            self.notify(
                "The main communicator's handovers (who, when, notes) are internal:"
                " not open in call mode.",
                severity="warning",
            )
            return
        from pulsetui.tui.screens.forms.open import open_communicator_form

        open_communicator_form(self.app, self.client_uid, lambda _r: self.reload())

    def action_new(self) -> None:
        from pulsetui.tui.screens.forms.open import open_engagement_form

        open_engagement_form(self.app, client=self.client_uid)

    def action_edit(self) -> None:
        from pulsetui.tui.screens.forms.open import open_client_form

        open_client_form(self.app, self.client_uid)

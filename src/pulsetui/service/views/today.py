"""Today: what needs the signed-in manager now — sync notices, red flags, pulses due,
client meetings due, agreements due this week or overdue (ours and the client's),
weekly client reports due, the yearly eNPS round when due, clients whose health is
slipping, clients counting down their onboarding, portfolio NPS with its trend and n,
and the latest eNPS round.

The view is plain values (dates, strings, numbers) so it can be written as JSON and
read back (:meth:`TodayView.as_dict`, :meth:`TodayView.from_dict`). Everything is read
from raw records through the reference indexes; safe in a worker thread."""

from __future__ import annotations

from typing import Any

from pulsetui.domain.agreements import is_overdue
from pulsetui.domain.models import ENTITIES
from pulsetui.service.enps_rounds import round_state
from pulsetui.service.insights.enps import latest_enps, latest_reportable_enps
from pulsetui.service.insights.flags import RedFlag, red_flags
from pulsetui.service.insights.health import client_health
from pulsetui.service.insights.nps import nps_for, nps_trend
from pulsetui.service.views.audience import Audience, Doc
from pulsetui.service.views.due import agreements_due_of, due_text, pulse_due_of
from pulsetui.service.views.today_items import TodayItem, TodaySection
from pulsetui.service.views.today_lifecycle import onboarding_section
from pulsetui.service.views.today_model import EnpsLine, NpsLine, TodayView, TrendPoint
from pulsetui.service.views.today_rituals import enps_section, report_section
from pulsetui.service.workspace import Workspace

NO_CLIENT_IN_CALL = "CALL MODE: client data is hidden here; open the client you discuss."


# ---- readers --------------------------------------------------------------------------


def _flag_subject(flag: RedFlag) -> tuple[str, str] | None:
    """The record a red flag is about: the consultant for a flag about a consultant
    (pulse overdue), otherwise its client."""
    subject = flag.key.split(":", 1)[-1]
    if flag.consultant and (subject == flag.consultant or not flag.client):
        return ("consultant", flag.consultant)
    if flag.client:
        return ("client", flag.client)
    return None


def _name(ws: Workspace, kind: str, uid: str | None) -> str:
    doc = ws.doc(kind, uid) if uid else None
    return str(doc.get("name", "")) if doc else ""


# ---- the view -------------------------------------------------------------------------


def today_view(ws: Workspace, audience: Audience) -> TodayView:
    """What needs ``audience.me`` today; in a call, only the client in view's shareable
    part (no eNPS, pulses, health or internal flags)."""
    today = ws.today()
    clients = sorted(
        audience.clients(ws.docs("client", manager=audience.me or "")),
        key=lambda d: str(d.get("name", "")).casefold(),
    )
    head: dict[str, Any] = {"manager": ws.me_name, "day": today, "in_call": audience.in_call}
    if audience.in_call and not clients:
        return TodayView(**head, notice=NO_CLIENT_IN_CALL, nps=None, enps=None, sections=())
    names = {str(c["uid"]): str(c.get("name", "")) for c in clients}
    sections = [
        _sync_section(ws, audience, set(names)),
        _flag_section(ws, audience, names),
        _pulse_section(ws, audience),
        _meeting_section(ws, clients),
        _agreement_section(ws, names),
        report_section(ws, audience),
        enps_section(ws, audience),
        _health_section(ws, audience, clients),
        onboarding_section(ws, audience, clients),
    ]
    return TodayView(
        **head,
        notice="",
        nps=_nps_line(ws, audience, clients),
        enps=_enps_lines(ws) if audience.sees_internal else None,
        sections=tuple(s for s in sections if s is not None),
    )


def _nps_line(ws: Workspace, audience: Audience, clients: list[Doc]) -> NpsLine:
    if audience.in_call:
        uid = str(clients[0]["uid"])
        nps, trend = nps_for(ws, client=uid), nps_trend(ws, client=uid)
        scope = f"NPS {clients[0].get('name', '')}"
    else:
        nps, trend = nps_for(ws, manager=audience.me), nps_trend(ws, manager=audience.me)
        scope = "Portfolio NPS"
    points = tuple(TrendPoint(quarter, s.n, s.score) for quarter, s in trend)
    return NpsLine(scope, nps.label(), nps.interval_label(), points)


def _enps_lines(ws: Workspace) -> tuple[EnpsLine, ...]:
    """The latest round where enough people answered, and a newer round still
    collecting answers, named without any of its numbers."""
    newest = latest_enps(ws)
    if newest is None:
        return ()
    shown = newest if not newest.withheld else latest_reportable_enps(ws)
    lines = []
    if shown is not None and shown.score is not None and not shown.withheld:
        lines.append(EnpsLine(shown.round, shown.label()))
    if shown is None or shown.round != newest.round:
        lines.append(EnpsLine(newest.round, None, round_status(ws, newest.round)))
    return tuple(lines)


def round_status(ws: Workspace, name: str) -> str:
    """Why a round's figures are not shown: open until its closing date, closed and
    waiting for its results day or a sync, or too few answered."""
    state = round_state(ws, name)
    if state.phase == "open":
        return f"open until {state.closes}" if state.closes else "open"
    if state.phase == "closed":
        return f"closed {state.closes}, results on {state.results_on}"
    if state.waiting_for_sync:
        return "results after the next sync"
    return "too few answers to show"


def _sync_section(ws: Workspace, audience: Audience, clients: set[str]) -> TodaySection | None:
    """Records with both versions of a field kept by sync, and records an edit kept
    alive against a concurrent delete; in a call only the client in view's."""
    found: list[TodayItem] = []
    for kind, spec in sorted(ENTITIES.items()):
        if not audience.sees_record(spec.scope):
            continue
        for reason, uids in (("conflict", ws.conflicted(kind)), ("revived", ws.revived(kind))):
            for uid in sorted(uids):
                doc = ws.doc(kind, uid)
                if doc is None:
                    continue
                client = uid if kind == "client" else doc.get("client")
                if audience.in_call and client not in clients:
                    continue
                title = str(doc.get(spec.title_field, uid))
                if reason == "conflict":
                    fields_ = ", ".join(sorted(ws.conflicts(kind, uid)))
                    item = TodayItem(
                        "conflict",
                        f"{kind}/{uid}",
                        f"Conflict: {spec.label}",
                        title,
                        f"two versions of {fields_}; Enter to choose",
                        client=client,
                        opens=(kind, uid),
                    )
                else:
                    item = TodayItem(
                        kind,
                        uid,
                        f"Kept: {spec.label}",
                        title,
                        "edited here while deleted elsewhere; kept",
                        client=client,
                        opens=(kind, uid),
                    )
                found.append(item)
    return TodaySection("sync", "Sync: needs a look", tuple(found)) if found else None


def _flag_section(ws: Workspace, audience: Audience, names: dict[str, str]) -> TodaySection:
    flags = red_flags(ws, audience=audience, client=audience.client if audience.in_call else None)
    items = []
    for flag in flags:
        subject = _flag_subject(flag)
        if subject is not None and subject[0] == "consultant":
            who = _name(ws, "consultant", flag.consultant)
        else:
            who = names.get(flag.client or "", "") or _name(ws, "consultant", flag.consultant)
        items.append(
            TodayItem(
                "flag",
                flag.key,
                flag.label,
                who,
                flag.reason,
                client=flag.client,
                consultant=flag.consultant,
                opens=subject,
                day=flag.since,
            )
        )
    return TodaySection("flags", "Red flags", tuple(items))


def _pulse_section(ws: Workspace, audience: Audience) -> TodaySection | None:
    if not audience.sees_private:
        return None
    today = ws.today()
    items = []
    for person in ws.my_consultants(audience.me):
        info = pulse_due_of(ws, person.uid)
        if info.needs_action:
            items.append(
                TodayItem(
                    "consultant",
                    person.uid,
                    "Pulse",
                    person.name,
                    due_text(info, today),
                    consultant=person.uid,
                    opens=("consultant", person.uid),
                    day=info.due_on,
                )
            )
    return TodaySection("pulses", "Pulse due", tuple(items))


def _meeting_section(ws: Workspace, clients: list[Doc]) -> TodaySection:
    today = ws.today()
    items = []
    for client in clients:
        uid = str(client["uid"])
        info = ws.meeting_due(uid)
        if info.needs_action:
            name = str(client.get("name", ""))
            items.append(
                TodayItem(
                    "client",
                    uid,
                    "Meeting",
                    name,
                    due_text(info, today),
                    client=uid,
                    opens=("client", uid),
                    day=info.due_on,
                )
            )
    return TodaySection("meetings", "Meeting due", tuple(items))


def _agreement_section(ws: Workspace, names: dict[str, str]) -> TodaySection:
    today = ws.today()
    items = []
    for due, doc in agreements_due_of(ws, list(names)):
        late = (today - due).days
        overdue = is_overdue(doc.get("status"), due, today)
        when = f"overdue {late} d ({due})" if overdue else f"due {due:%a} {due}"
        side = "us" if doc.get("side") == "us" else "client"
        client = str(doc.get("client"))
        items.append(
            TodayItem(
                "agreement",
                doc["uid"],
                str(doc.get("text", "")),
                f"{names.get(client, '')} ({side})",
                when,
                client=client,
                opens=("agreement", doc["uid"]),
                day=due,
            )
        )
    return TodaySection("agreements", "Agreements due", tuple(items))


def _health_section(ws: Workspace, audience: Audience, clients: list[Doc]) -> TodaySection | None:
    if not audience.sees_internal:
        return None
    slipping = []
    for client in clients:
        health = client_health(ws, str(client["uid"]), audience)
        if health.grade != "good":
            slipping.append((client, health))
    slipping.sort(key=lambda pair: pair[1].score)
    items = []
    for client, health in slipping:
        uid = str(client["uid"])
        why = health.lost[0][1] if health.lost else ""
        trend = "→".join(str(s) for s in health.trend)
        items.append(
            TodayItem(
                "client",
                uid,
                f"Health {health.score} {health.grade}",
                str(client.get("name", "")),
                f"{why} · trend {trend}",
                client=uid,
                opens=("client", uid),
            )
        )
    return TodaySection("health", "Client health", tuple(items))

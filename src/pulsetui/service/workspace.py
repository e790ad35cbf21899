"""The one API both front-ends call: the record book plus the use cases of the job —
a manager's portfolio, pulse conversations, meetings and agendas, agreements, NPS and
eNPS answers, and the complete export. Nothing here imports a UI toolkit."""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import orjson

from pulsetui.domain.agreements import DUE_SOON_DAYS, check_due, is_due_within
from pulsetui.domain.cadence import DueInfo, last_held, meeting_due, pulse_due
from pulsetui.domain.enums import AgendaStatus, AgreementStatus, MeetingStatus, Side
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.meeting_plan import is_upcoming
from pulsetui.domain.models import (
    ENTITIES,
    AgendaItem,
    Agreement,
    Client,
    ClientMeeting,
    Consultant,
    EnpsResponse,
    NpsResponse,
    PulseConversation,
    Record,
)
from pulsetui.domain.names import Fit, chosen, closest
from pulsetui.domain.names import loose_key as loose_key  # the demo builder's import
from pulsetui.domain.spiral import suggested_spiral
from pulsetui.service.enps_rounds import answer_round
from pulsetui.service.record_book import LOCAL_NAME as LOCAL_NAME
from pulsetui.service.record_book import R, RecordBook
from pulsetui.service.views.audience import Audience
from pulsetui.store.ids import new_anonymous_uid
from pulsetui.store.view import public_fields

SUGGESTED = "suggested"  # add_agreement's spiral: the quarter suggested for the client
EXPORT_FORMAT = "pulsetui-export"
EXPORT_VERSION = 1


class Workspace(RecordBook):
    """One manager's workspace: the record book and the use cases built on it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # (kind, uid) of the records deleted while this workspace was open, latest last
        self.deleted: builtins.list[tuple[str, str]] = []

    def docs_in_order(
        self, kind: str, key: Callable[[dict[str, Any]], tuple[str, ...]], **refs: str
    ) -> Iterator[dict[str, Any]]:
        """Raw current records (``refs`` as :meth:`docs`) sorted by ``key``, a tuple of
        strings, read one at a time: a long list is never held whole, only one sort
        string per record."""
        return self.store.view.ordered(kind, key, refs or None)

    # ---- saves made by other processes -------------------------------------------------

    def changed_elsewhere(self) -> bool:
        """Whether another process (a command, the eNPS screen) may have saved to this
        workspace since this one last looked; two ``stat`` calls, for a timer."""
        return self.store.changed_elsewhere()

    def take_in_saves_made_elsewhere(self) -> int:
        """Apply what other processes saved (the change listeners hear it); how many
        changes. Reads the disk: from a worker thread in the app."""
        return len(self.store.catch_up())

    @property
    def saves_made_elsewhere(self) -> int:
        """How many changes saved by other processes were taken in so far (by
        :meth:`take_in_saves_made_elsewhere`, or by a save here on its way)."""
        return self.store.elsewhere

    # ---- deleting, and undoing a delete ------------------------------------------------

    def delete(self, kind: type[R] | str, uid: str, *, refuse_if_referenced: bool = False) -> None:
        """Delete a record (see :meth:`RecordBook.delete`); :meth:`undo_delete` brings
        it back."""
        super().delete(kind, uid, refuse_if_referenced=refuse_if_referenced)
        self.deleted.append((self._spec_name(kind), uid))

    def undo_delete(self) -> tuple[str, str]:
        """Bring back the record deleted last (and not brought back yet) while this
        workspace is open: (kind, uid). :class:`InvalidInput` when there is none."""
        while self.deleted:
            name, uid = self.deleted.pop()
            raw = self.store.view.raw(name, uid)
            if raw is not None and raw.get("_d"):
                self.restore(name, uid)
                return name, uid
        raise InvalidInput.one("undo", "nothing deleted to bring back")

    # ---- finding by uid or name -------------------------------------------------------

    def sees(self, kind: type[Record] | str, doc: dict[str, Any]) -> bool:
        """Whether the signed-in manager may see this record (:meth:`visible`)."""
        return any(self.visible(kind, [doc]))

    def visible(
        self, kind: type[Record] | str, docs: Iterable[dict[str, Any]]
    ) -> Iterator[dict[str, Any]]:
        """The records among ``docs`` the signed-in manager may see: a private one (a
        pulse conversation) only when it is theirs. ``find``, ``match`` and the command
        line's lists and exports go by it."""
        scope = ENTITIES[self._spec_name(kind)].scope
        sees = Audience.manager(self.me).sees_owned
        return (doc for doc in docs if sees(scope, doc.get("manager")))

    def _fits(self, kind: type[R] | str, text: str) -> builtins.list[tuple[Fit, dict[str, Any]]]:
        fits = super()._fits(kind, text)
        seen = {id(doc) for doc in self.visible(kind, (doc for _how, doc in fits))}
        return [(how, doc) for how, doc in fits if id(doc) in seen]

    def _by_uid(self, kind: type[R] | str, text: str) -> dict[str, Any] | None:
        name = self._spec_name(kind)
        doc = self.store.view.get(name, text) or self.store.view.get(name, text.strip())
        return doc if doc is not None and self.sees(name, doc) else None

    def match(self, kind: type[R] | str, text: str, exact: bool = False) -> builtins.list[R]:
        """The record whose uid is ``text``, else the records whose name matches it,
        best first: the same name in any case or Unicode form (``STRASSE`` = ``Straße``),
        the same without accents or in another script (``Елка`` = ``Ёлка``), then names
        that start with it, have a word starting with it, or hold it. With ``exact`` only
        the same name in any case or Unicode form."""
        doc = self._by_uid(kind, text)
        if doc is not None:
            return self._records(kind, [doc])
        fits = self._fits(kind, text)
        return self._records(kind, [doc for how, doc in fits if not exact or how == Fit.SAME])

    def find(self, kind: type[R] | str, text: str, field: str | None = None) -> R:
        """Exactly one record by uid or name, or :class:`InvalidInput` naming ``field``:
        the only match, else the only one of the same name, else the only one of the
        same name without accents; more than that lists them to pick from by id."""
        name = self._spec_name(kind)
        field = field or name
        if not text or not text.strip():
            raise InvalidInput.one(field, "must name one (empty)")
        doc = self._by_uid(kind, text)
        fits = [(Fit.SAME, doc)] if doc is not None else self._fits(kind, text)
        one = chosen(fits)
        found = self._records(kind, [one]) if one is not None else []
        if found:
            return found[0]
        matches = self._records(kind, closest(fits))
        if not matches:
            raise InvalidInput.one(field, f"no {ENTITIES[name].label} matches {text!r}")
        title = ENTITIES[name].title_field
        listed = ", ".join(f"{getattr(m, title)!s:.60} ({m.uid})" for m in matches[:10])
        more = f" and {len(matches) - 10} more" if len(matches) > 10 else ""
        raise InvalidInput.one(
            field,
            f"{text!r} matches {len(matches)}: {listed}{more}; give the id to pick one",
        )

    # ---- the portfolio of "me" ---------------------------------------------------------

    def my_clients(self, manager: str | None = None) -> builtins.list[Client]:
        who = manager or self.me
        return sorted(
            self.list(Client, manager=who) if who else [], key=lambda c: c.name.casefold()
        )

    def my_consultants(self, manager: str | None = None) -> builtins.list[Consultant]:
        who = manager or self.me
        found = self.list(Consultant, manager=who) if who else []
        return sorted((c for c in found if c.active), key=lambda c: c.name.casefold())

    # ---- pulse conversations -----------------------------------------------------------

    def pulses_of(self, consultant: str) -> builtins.list[PulseConversation]:
        return sorted(self.list(PulseConversation, consultant=consultant), key=lambda p: p.date)

    def pulse_due(self, consultant: str) -> DueInfo:
        pulses = self.list(PulseConversation, consultant=consultant)
        today = self.today()
        cad = self.config.cadences
        return pulse_due(
            last_held(((p.status, p.date) for p in pulses), today),
            today,
            cad.pulse_due_days,
            cad.pulse_overdue_days,
        )

    def open_follow_ups(self, consultant: str) -> builtins.list[tuple[PulseConversation, int, str]]:
        """Promises not yet kept, from every earlier conversation: (pulse, index, text)."""
        found = []
        for pulse in self.pulses_of(consultant):
            for index, follow_up in enumerate(pulse.follow_ups):
                if not follow_up.done:
                    found.append((pulse, index, follow_up.text))
        return found

    def close_follow_up(self, pulse_uid: str, index: int, done: bool = True) -> PulseConversation:
        pulse = self.require(PulseConversation, pulse_uid)
        if not 0 <= index < len(pulse.follow_ups):
            raise InvalidInput.one("follow_up", f"no follow-up number {index + 1}")
        items = [f.model_dump() for f in pulse.follow_ups]
        items[index]["done"] = done
        items[index]["done_on"] = self.today() if done else None
        return self.update(PulseConversation, pulse_uid, follow_ups=items)

    def add_pulse(self, consultant: str, **fields: Any) -> PulseConversation:
        person = self.require(Consultant, consultant)
        fields.setdefault("date", self.today())
        fields.setdefault("manager", person.manager or self.me)
        return self.add(PulseConversation, consultant=person.uid, **fields)

    # ---- clients, meetings, agendas ------------------------------------------------------

    def meetings_of(self, client: str) -> builtins.list[ClientMeeting]:
        return sorted(self.list(ClientMeeting, client=client), key=lambda m: (m.date, m.time or ""))

    def next_meeting(self, client: str) -> ClientMeeting | None:
        """The first meeting still planned for today or later (:func:`is_upcoming`)."""
        today = self.today()
        planned = [m for m in self.meetings_of(client) if is_upcoming(m.status, m.date, today)]
        return planned[0] if planned else None

    def meeting_due(self, client: str) -> DueInfo:
        record = self.require(Client, client)
        meetings = self.list(ClientMeeting, client=client)
        today = self.today()
        return meeting_due(
            last_held(((m.status, m.date) for m in meetings), today),
            record.cadence,
            today,
            self.config.cadences.meeting_grace_days,
        )

    def agenda_of(self, client: str, open_only: bool = True) -> builtins.list[AgendaItem]:
        items = self.list(AgendaItem, client=client)
        if open_only:
            items = [i for i in items if i.status == AgendaStatus.OPEN]
        return sorted(items, key=lambda i: i.added_at)

    def add_agenda_item(self, client: str, text: str) -> AgendaItem:
        self.require(Client, client)
        return self.add(
            AgendaItem, client=client, text=text, added_by=self.me_name, added_at=self.now()
        )

    def mark_agenda(self, uid: str, status: AgendaStatus, meeting: str | None = None) -> AgendaItem:
        return self.update(AgendaItem, uid, status=status, meeting=meeting)

    def plan_meeting(self, client: str, date: dt.date, **fields: Any) -> ClientMeeting:
        self.require(Client, client)
        return self.add(ClientMeeting, client=client, date=date, **fields)

    def hold_meeting(self, uid: str, **fields: Any) -> ClientMeeting:
        return self.update(ClientMeeting, uid, status=MeetingStatus.HELD, **fields)

    # ---- agreements ---------------------------------------------------------------------

    def add_agreement(
        self,
        client: str,
        text: str,
        side: Side | str,
        owner: str = "",
        due: dt.date | None = None,
        meeting: str | None = None,
        spiral: str | None = SUGGESTED,
        confirmed: bool = True,
    ) -> Agreement:
        """A new open agreement. ``spiral``: the spiral quarter the promised work feeds;
        left out, one of ours feeds the client's current quarter (the client's own
        agreements feed none); None: none. ``confirmed=False``: a due date in the past
        or more than a year ahead raises ``DueToConfirm`` (a front-end that has not
        asked about it yet)."""
        record = self.require(Client, client)
        check_due(due, self.today(), confirmed)
        if spiral == SUGGESTED:
            ours = str(side) == Side.US.value
            spiral = suggested_spiral(record.spiral).value if ours else None
        now = self.now()
        return self.add(
            Agreement,
            client=client,
            text=text,
            side=side,
            owner=owner,
            due=due,
            meeting=meeting,
            spiral=spiral,
            created=now.date(),
            history=[{"status": "open", "reason": "", "at": now, "by": self.me_name}],
        )

    def set_agreement_status(
        self, uid: str, status: AgreementStatus | str, reason: str = ""
    ) -> Agreement:
        """Change an agreement's status; broken and cancelled need a reason."""
        current = self.require(Agreement, uid)
        try:
            status = AgreementStatus(status)
        except ValueError:
            choices = ", ".join(s.value for s in AgreementStatus)
            raise InvalidInput.one("status", f"must be one of {choices} (got {status!r})") from None
        if status in (AgreementStatus.BROKEN, AgreementStatus.CANCELLED) and not reason.strip():
            raise InvalidInput.one("reason", f"is required when an agreement is {status.value}")
        entry = self.validate(
            Agreement,
            {
                **current.model_dump(),
                "status": status,
                "reason": reason,
                "history": [
                    {"status": status, "reason": reason, "at": self.now(), "by": self.me_name}
                ],
            },
        )
        edit = self.store.edit("agreement", uid)
        edit.set("status", status.value).set("reason", reason)
        edit.append("history", entry.fields()["history"][0]).commit()
        return self.require(Agreement, uid)

    def agreements_of(self, client: str) -> builtins.list[Agreement]:
        return sorted(
            self.list(Agreement, client=client), key=lambda a: (a.due or dt.date.max, a.text)
        )

    def agreements_due(
        self, clients: Iterable[str], within_days: int = DUE_SOON_DAYS
    ) -> builtins.list[Agreement]:
        """Open agreements of these clients due within ``within_days`` or overdue."""
        today = self.today()
        found = [
            agreement
            for client in clients
            for agreement in self.list(Agreement, client=client)
            if is_due_within(agreement.status, agreement.due, today, within_days)
        ]
        return sorted(found, key=lambda a: a.due or dt.date.max)

    # ---- NPS and eNPS --------------------------------------------------------------------

    def add_nps(
        self,
        client: str,
        score: Any,
        reason: str = "",
        contact: str = "",
        date: dt.date | None = None,
    ) -> NpsResponse:
        """Save a client's NPS answer, given on ``date`` (default today; never later)."""
        record = self.require(Client, client)
        return self.add(
            NpsResponse,
            client=record.uid,
            score=score,
            reason=reason,
            contact=contact,
            date=date or self.today(),
            manager=record.manager or self.me,
        )

    def add_enps(self, score: Any, reason: str = "", round: str | None = None) -> EnpsResponse:
        """Save an anonymous eNPS answer: no author, no replica id, no time. It goes to
        ``round`` or the only open round; a round that is not open takes none."""
        typed = {"round": "-" if round is None else round, "score": score, "reason": reason}
        record = self.validate(EnpsResponse, {"uid": new_anonymous_uid(), **typed})
        chosen = answer_round(self, None if round is None else record.round).name
        record = record.model_copy(update={"round": chosen})
        self.store.edit("enps", record.uid).create_anonymous(record.fields()).commit()
        return record

    # ---- export ---------------------------------------------------------------------------

    def export_state(self) -> dict[str, Any]:
        """The complete current state: deterministic, no local ids, no paths."""
        records: dict[str, list[dict[str, Any]]] = {}
        conflicts: dict[str, dict[str, dict[str, list[Any]]]] = {}
        for name in sorted(ENTITIES):
            docs = sorted(self.store.view.docs(name), key=lambda d: d["uid"])
            records[name] = [public_fields(doc) for doc in docs]
            found = {doc["uid"]: self.conflicts(name, doc["uid"]) for doc in docs}
            found = {uid: fields for uid, fields in found.items() if fields}
            if found:
                conflicts[name] = found
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "records": records,
            "conflicts": conflicts,
        }

    def export_json(self) -> bytes:
        return (
            orjson.dumps(self.export_state(), option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)
            + b"\n"
        )

"""Today at a glance: the items of a :class:`~pulsetui.service.views.today_model.TodayView`
as one row per thing needing attention, most urgent first.

- Everything about one consultant is one row (a pulse due and the red flag saying the
  same), everything about one client is one row (its flags, a meeting due, slipping
  health): "Revontuli Pankki Oyj — Meeting overdue (+7)" opens the client.
- An agreement due is its own row (it opens the agreement); a red flag about that very
  agreement is folded into it rather than shown beside it.
- A red flag that says what another item says (pulse overdue beside a pulse due,
  client meeting overdue beside a meeting due) is not listed twice: the row keeps the
  flag's key, so it can still be marked addressed.
- Records sync met twice come first, one row each: they wait for a decision.
- Then by urgency: the oldest lateness first (what fell due, or a flag raised, longest
  ago), then what falls due soonest, then what has no date (health, unpaid invoices).
  Within a row its items keep the view's order (red flags by kind, as the domain lists
  them, then a meeting due, then health), so the row is named by its gravest item.

Pure: reads nothing but the view, so the same rows come from a view read back from JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from pulsetui.service.views.today_items import TodayItem
from pulsetui.service.views.today_model import TodayView

# a flag about the same thing as an item of another section: (flag kind, section)
SAME_THING = {"pulse_overdue": "pulses", "meeting_overdue": "meetings"}


@dataclass(frozen=True)
class AttentionRow:
    """One thing needing attention: a consultant, a client, an agreement or a record
    sync met twice, with every item about it (most urgent first)."""

    kind: str  # what the row is about: "consultant", "client", "agreement", "conflict", …
    uid: str
    who: str  # the consultant's or client's name (an agreement's: "Acme Oy (us)")
    items: tuple[TodayItem, ...]  # most urgent first; never empty
    flags: tuple[tuple[str, str], ...]  # (key, label) of the red flags it stands for
    opens: tuple[str, str] | None  # (kind, uid) Enter opens
    client: str | None
    consultant: str | None

    @property
    def what(self) -> str:
        """The most urgent item, and how many more there are."""
        more = len(self.items) - 1
        return self.items[0].what + (f" (+{more})" if more else "")

    @property
    def why(self) -> str:
        """The most urgent item's reason."""
        return self.items[0].why

    @property
    def day(self) -> dt.date | None:
        return self.items[0].day

    def reasons(self) -> list[str]:
        """Every item in words, gravest first: "Unpaid invoices: marked unpaid"."""
        return [f"{item.what}: {item.why}" if item.why else item.what for item in self.items]


def _urgency(item: TodayItem, today: dt.date) -> tuple[int, dt.date]:
    """Late (or raised) longest ago first, then due soonest, then undated."""
    if item.day is None:
        return (2, dt.date.max)
    return (0 if item.day <= today else 1, item.day)


def _headline(item: TodayItem, section: str) -> TodayItem:
    """A pulse or meeting due says in its label how due it is: "Pulse overdue"."""
    if section not in ("pulses", "meetings"):
        return item
    for state in ("never held", "overdue", "due today", "due"):
        if item.why.startswith(state):
            return replace(item, what=f"{item.what} {state}")
    return item


def _subject(item: TodayItem, section: str) -> tuple[str, str] | None:
    """The consultant or client an item is grouped under; None: a row of its own."""
    if section in ("sync", "agreements"):
        return None
    if item.opens is not None and item.opens[0] == "consultant":
        return item.opens
    if item.client:
        return ("client", item.client)
    if item.consultant:
        return ("consultant", item.consultant)
    return None


def attention_rows(view: TodayView) -> tuple[AttentionRow, ...]:
    """The view's items, one row per thing needing attention, most urgent first."""
    sections = {section.key: section.items for section in view.sections}
    agreements = {item.uid for item in sections.get("agreements", ())}
    covered = {
        key: {item.opens for item in sections.get(key, ()) if item.opens is not None}
        for key in set(SAME_THING.values())
    }
    groups: dict[tuple[str, str], list[tuple[int, TodayItem]]] = {}
    # where a folded flag stood: the item saying the same thing takes its place
    stood: dict[tuple[str, str], int] = {}
    raised: dict[tuple[str, str], dt.date] = {}  # the day a folded flag was raised
    folded: dict[tuple[str, str], list[tuple[str, str]]] = {}  # flags a row stands for
    alone: list[tuple[TodayItem, str]] = []
    order: list[tuple[str, str]] = []
    position = 0
    for section in view.sections:
        for item in section.items:
            position += 1
            if item.kind == "flag":
                kind, _, about = item.uid.partition(":")
                if about in agreements:  # a flag about an agreement listed as due
                    folded.setdefault(("agreement", about), []).append((item.uid, item.what))
                    continue
                if item.opens in covered.get(SAME_THING.get(kind, ""), ()):
                    assert item.opens is not None
                    folded.setdefault(item.opens, []).append((item.uid, item.what))
                    stood.setdefault(item.opens, position)
                    if item.day is not None:
                        raised[item.opens] = min(item.day, raised.get(item.opens, item.day))
                    continue
            subject = _subject(item, section.key)
            item = _headline(item, section.key)
            if subject is None:
                alone.append((item, section.key))
                continue
            if subject not in groups:
                groups[subject] = []
                order.append(subject)
            place = stood.get(subject, position) if section.key in SAME_THING.values() else position
            groups[subject].append((place, item))
    today = view.day
    rows: list[tuple[tuple[int, int, dt.date], AttentionRow]] = []
    for item, section_key in alone:
        is_sync = section_key == "sync"
        key = (item.kind, item.uid)
        flags = tuple(folded.get(key, ()))
        urgency = _urgency(item, today)
        rank = (0 if is_sync else 1, urgency[0], urgency[1])
        rows.append(
            (
                rank,
                AttentionRow(
                    item.kind,
                    item.uid,
                    item.who,
                    (item,),
                    flags + (((item.uid, item.what),) if item.kind == "flag" else ()),
                    item.opens,
                    item.client,
                    item.consultant,
                ),
            )
        )
    for subject in order:
        # in the view's order: flags by kind as the domain lists them, then the rest
        items = [item for _place, item in sorted(groups[subject], key=lambda p: p[0])]
        urgency = min(_urgency(item, today) for item in items)
        if subject in raised:  # late since the flag saying the same thing was raised
            urgency = min(urgency, (0, raised[subject]))
        own = tuple((i.uid, i.what) for i in items if i.kind == "flag")
        flags = own + tuple(folded.get(subject, ()))
        first = items[0]
        rows.append(
            (
                (1, urgency[0], urgency[1]),
                AttentionRow(
                    subject[0],
                    subject[1],
                    first.who,
                    tuple(items),
                    flags,
                    subject,
                    subject[1] if subject[0] == "client" else None,
                    subject[1] if subject[0] == "consultant" else None,
                ),
            )
        )
    rows.sort(key=lambda pair: (pair[0], -len(pair[1].items)))
    return tuple(row for _rank, row in rows)

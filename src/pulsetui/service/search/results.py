"""Search results as every front-end shows them: ranked, the same text of one kind and
client once (five identical agreements are one row saying five), each row with its
day, kind, the client or consultant it is about, a snippet and what Enter opens.

Rows are ranked by how the query reaches the text (:class:`Reach`: whole words first,
then word starts, then inside words), then newest first; on the same day the record
written later first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pulsetui.domain.search_terms import Reach, snippet
from pulsetui.service.search.sources import KIND_LABELS, Written
from pulsetui.service.workspace import Workspace

SNIPPET_WIDTH = 120
NO_QUERY = "Type at least two letters."
NO_MATCH = "Nothing written matches."


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result row: the newest record of its text when several share it."""

    kind: str  # the record kind: "agreement", "meeting", "pulse", ...
    label: str  # the kind as a row shows it
    uid: str
    day: dt.date | None
    about_kind: str | None  # "client" or "consultant"
    about_uid: str | None
    about: str  # the client's (or consultant's) name, "" when about neither
    snippet: str  # one line of the text around the first word found
    reach: Reach
    same: int  # records of this kind and client with the same text (1: only this one)
    opens: tuple[str, str]  # (kind, uid) of the record Enter opens

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "uid": self.uid,
            "date": self.day.isoformat() if self.day else None,
            "about": {"kind": self.about_kind, "uid": self.about_uid, "name": self.about}
            if self.about_uid
            else None,
            "snippet": self.snippet,
            "match": self.reach.name.lower(),
            "same": self.same,
            "opens": {"kind": self.opens[0], "uid": self.opens[1]},
        }


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    terms: tuple[str, ...]
    hits: tuple[SearchHit, ...]
    found: int  # records matching (rows hold fewer: identical texts, the limit)
    held: int  # words of the query the rows hold: all of them, unless no record does
    note: str  # what to say about the rows: none, or not every word held ("" otherwise)

    @property
    def every_word(self) -> bool:
        return self.held == len(self.terms)


def rank_key(day: dt.date | None, uid: str) -> str:
    """Newest first when sorted descending: the day, then the uid (ULIDs grow in time)."""
    return f"{day.toordinal() if day else 0:07d}{uid}"


def same_text(item: Written) -> tuple[str, tuple[str, str] | None, str]:
    """Records shown as one row: the same kind, about the same client or person, and the
    same text in any case and spacing."""
    return (item.kind, item.about, " ".join(item.text.split()).casefold())


def name_of(ws: Workspace, about: tuple[str, str] | None) -> str:
    if about is None:
        return ""
    doc = ws.doc(about[0], about[1])
    return str(doc.get("name", "")) if doc else ""


def results(
    ws: Workspace,
    query: str,
    terms: tuple[str, ...],
    ranked: Iterable[tuple[Reach, Written]],
    same: Callable[[Written], int],
    found: int,
    limit: int,
    held: int,
) -> SearchResults:
    """The rows for ``ranked`` matches (best first): one per text (see :func:`same_text`),
    at most ``limit``; ``same`` counts the matching records sharing a row's text; the
    rows hold ``held`` of the terms."""
    rows: list[SearchHit] = []
    shown: set[tuple[str, tuple[str, str] | None, str]] = set()
    names: dict[tuple[str, str], str] = {}
    for reach, item in ranked:
        if len(rows) >= limit:
            break
        key = same_text(item)
        if key in shown:
            continue
        shown.add(key)
        if item.about is not None and item.about not in names:
            names[item.about] = name_of(ws, item.about)
        rows.append(
            SearchHit(
                kind=item.kind,
                label=KIND_LABELS[item.kind],
                uid=item.uid,
                day=item.day,
                about_kind=item.about[0] if item.about else None,
                about_uid=item.about[1] if item.about else None,
                about=names.get(item.about, "") if item.about else "",
                snippet=snippet(item.text, terms, SNIPPET_WIDTH),
                reach=reach,
                same=same(item),
                opens=item.opens,
            )
        )
    if not rows:
        note = NO_QUERY if not terms else NO_MATCH
    elif held < len(terms):
        note = f"No record holds every word; these hold {held} of {len(terms)}."
    else:
        note = ""
    return SearchResults(query, terms, tuple(rows), found, held, note)

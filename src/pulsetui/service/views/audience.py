"""Who a view is for: the signed-in manager, or a call where the screen is shared with
one client. Every view takes an :class:`Audience`, and what a call may show is decided
here and nowhere else:

- only the client in view: its own records, its contacts, the consultants placed there;
- nothing private: no pulse conversation (answers, notes, follow-ups), no private notes;
  outside a call, a private record only to the manager it belongs to;
- no internal judgement: no health, segment, internal red flag, eNPS or sync notice;
- NPS answers without who gave them or why.

A call with no client in view shows no client at all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pulsetui.service.insights.flags import RedFlag


Doc = dict[str, Any]


@dataclass(frozen=True)
class Audience:
    """The signed-in manager (``me``), and in a call the client whose screen it is."""

    me: str | None
    in_call: bool = False
    client: str | None = None  # the client in view, in a call

    @classmethod
    def manager(cls, me: str | None) -> Audience:
        """The manager alone: everything of theirs, private and internal included."""
        return cls(me)

    @classmethod
    def call(cls, client: str | None, me: str | None = None) -> Audience:
        """A call with ``client`` in view (None: no client in view, so none is shown)."""
        return cls(me, True, client)

    # ---- what may be shown --------------------------------------------------------------

    @property
    def sees_internal(self) -> bool:
        """Our own judgements: health, segment, internal flags, eNPS, sync notices."""
        return not self.in_call

    @property
    def sees_private(self) -> bool:
        """Pulse conversations, private notes, and who gave an NPS answer and why."""
        return not self.in_call

    def sees_client(self, uid: str | None) -> bool:
        """Whether this client (or a consultant placed there, or a record of it) may be
        shown; None (placed nowhere, of no client) only outside a call."""
        return not self.in_call or (uid is not None and uid == self.client)

    def form_client(self, in_view: str | None) -> str | None:
        """The client a new record's form opens on: the one in view when it may be
        shown; in a call with none in view, the call's client (the only one offered)."""
        return in_view if in_view is not None and self.sees_client(in_view) else self.client

    def clients(self, docs: Iterable[Doc]) -> list[Doc]:
        """The client records among ``docs`` this audience may see."""
        return [doc for doc in docs if self.sees_client(doc.get("uid"))]

    def sees_flag(self, flag: RedFlag) -> bool:
        return self.sees_flag_about(flag.internal, flag.client)

    def sees_flag_about(self, internal: bool, client: str | None) -> bool:
        """Whether a red flag (or what was written about it) of this kind and client may
        be shown: in a call only flags meant for the client, about the client in view."""
        if not self.in_call:
            return True
        return not internal and client is not None and client == self.client

    def sees_private_of(self, owner: str | None) -> bool:
        """Whether a private record (a pulse conversation) may be shown: only to the
        manager it belongs to, and never in a call."""
        return self.sees_private and owner is not None and owner == self.me

    def nps_answer(self, contact: str, reason: str) -> tuple[str, str] | None:
        """Who gave an NPS answer and why; None for an audience that may not know."""
        return (contact, reason) if self.sees_private else None

    def sees_owned(self, scope: str, owner: str | None) -> bool:
        """Whether one record of a kind with this scope, kept by ``owner`` (its manager),
        may be shown: a private one only to that manager, never in a call."""
        return scope != "private" or self.sees_private_of(owner)

    def sees_record(self, scope: str) -> bool:
        """Whether records of a kind with this scope ("team", "private", "anonymous")
        may be shown at all: anonymous answers never one by one."""
        if scope == "anonymous":
            return False
        return scope != "private" or self.sees_private

"""Form drafts kept on this machine: kept, found by what they are about, dropped when
saved or emptied, private to the user, and a damaged file loses nothing else."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.small_firm import Firm, firm_in

from pulsetui.service.drafts import DRAFTS_NAME, drop_draft, keep_draft, load_draft
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace


def manager(ws: Workspace) -> Audience:
    return Audience.manager(ws.me)


@pytest.fixture
def firm(tmp_path: Path) -> Iterator[Firm]:
    yield from firm_in(tmp_path)


def test_a_draft_is_kept_found_and_dropped(firm: Firm) -> None:
    ws = firm.ws
    keep_draft(
        ws, f"agreement:{firm.acme}", {"f-text": "Send ж [b]x[/b]\x1b", "f-owner": ""}, manager(ws)
    )
    keep_draft(ws, f"agreement:{firm.bolt}", {"f-text": "Other"}, manager(ws))
    assert load_draft(ws, f"agreement:{firm.acme}", manager(ws)) == {
        "f-text": "Send ж [b]x[/b]\x1b",
        "f-owner": "",
    }
    path = ws.home / DRAFTS_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    drop_draft(ws, f"agreement:{firm.acme}", manager(ws))
    assert load_draft(ws, f"agreement:{firm.acme}", manager(ws)) is None
    assert load_draft(ws, f"agreement:{firm.bolt}", manager(ws)) == {"f-text": "Other"}
    keep_draft(
        ws, f"agreement:{firm.bolt}", {"f-text": "   "}, manager(ws)
    )  # nothing typed: no draft
    assert load_draft(ws, f"agreement:{firm.bolt}", manager(ws)) is None


def test_a_damaged_drafts_file_is_read_as_no_drafts(firm: Firm) -> None:
    (firm.ws.home / DRAFTS_NAME).write_bytes(b"\x00not json")
    assert load_draft(firm.ws, "agenda:-", manager(firm.ws)) is None
    keep_draft(firm.ws, "agenda:-", {"f-text": "Kept"}, manager(firm.ws))
    assert load_draft(firm.ws, "agenda:-", manager(firm.ws)) == {"f-text": "Kept"}


def test_a_call_sees_only_the_drafts_typed_in_a_call_with_its_client(firm: Firm) -> None:
    """A draft typed outside a call may name another client or hold private notes: it
    never shows in a call. One typed in a call shows in a call with the same client,
    and to the manager afterwards, the one typed last first."""
    ws = firm.ws
    me = manager(ws)
    acme_call = Audience.call(firm.acme, ws.me)
    bolt_call = Audience.call(firm.bolt, ws.me)
    keep_draft(ws, "agreement:-:-", {"f-text": "SECRET about Bolt"}, me)
    assert load_draft(ws, "agreement:-:-", acme_call) is None
    keep_draft(ws, "agreement:-:-", {"f-text": "Typed in the Acme call ä"}, acme_call)
    assert load_draft(ws, "agreement:-:-", acme_call) == {"f-text": "Typed in the Acme call ä"}
    assert load_draft(ws, "agreement:-:-", bolt_call) is None
    # the manager sees every draft: the one typed last
    assert load_draft(ws, "agreement:-:-", me) == {"f-text": "Typed in the Acme call ä"}
    keep_draft(ws, "agreement:-:-", {"f-text": "SECRET about Bolt, again"}, me)
    assert load_draft(ws, "agreement:-:-", me) == {"f-text": "SECRET about Bolt, again"}
    assert load_draft(ws, "agreement:-:-", acme_call) is None  # the manager's took its place
    drop_draft(ws, "agreement:-:-", me)  # saved by the manager: the call's draft too
    assert load_draft(ws, "agreement:-:-", me) is None
    assert load_draft(ws, "agreement:-:-", acme_call) is None
    keep_draft(ws, "nps:-", {"f-reason": "In the call"}, acme_call)
    assert load_draft(ws, "nps:-", me) == {"f-reason": "In the call"}  # after the call

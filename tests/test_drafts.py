"""Form drafts kept on this machine: kept, found by what they are about, dropped when
saved or emptied, private to the user, and a damaged file loses nothing else."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.small_firm import Firm, firm_in

from pulsetui.service.drafts import DRAFTS_NAME, drop_draft, keep_draft, load_draft


@pytest.fixture
def firm(tmp_path: Path) -> Iterator[Firm]:
    yield from firm_in(tmp_path)


def test_a_draft_is_kept_found_and_dropped(firm: Firm) -> None:
    ws = firm.ws
    keep_draft(ws, f"agreement:{firm.acme}", {"f-text": "Send ж [b]x[/b]\x1b", "f-owner": ""})
    keep_draft(ws, f"agreement:{firm.bolt}", {"f-text": "Other"})
    assert load_draft(ws, f"agreement:{firm.acme}") == {
        "f-text": "Send ж [b]x[/b]\x1b",
        "f-owner": "",
    }
    path = ws.home / DRAFTS_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    drop_draft(ws, f"agreement:{firm.acme}")
    assert load_draft(ws, f"agreement:{firm.acme}") is None
    assert load_draft(ws, f"agreement:{firm.bolt}") == {"f-text": "Other"}
    keep_draft(ws, f"agreement:{firm.bolt}", {"f-text": "   "})  # nothing typed: no draft
    assert load_draft(ws, f"agreement:{firm.bolt}") is None


def test_a_damaged_drafts_file_is_read_as_no_drafts(firm: Firm) -> None:
    (firm.ws.home / DRAFTS_NAME).write_bytes(b"\x00not json")
    assert load_draft(firm.ws, "agenda:-") is None
    keep_draft(firm.ws, "agenda:-", {"f-text": "Kept"})
    assert load_draft(firm.ws, "agenda:-") == {"f-text": "Kept"}

"""Today's snapshot: what a start shows before reading any history. It is only ever the
signed-in manager's own view (never in a call, never another manager's), of today, in
a file only its owner can read; a stale one is replaced at the first refresh."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

from tests.small_firm import DAY, NOW, TODAY, build_firm, open_firm

from pulsetui.service.config import Config
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.today import TodayView, today_view
from pulsetui.service.views.today_snapshot import (
    refresh_today,
    save_today,
    snapshot_path,
    snapshot_today,
)
from pulsetui.service.workspace import Workspace


def texts(view: TodayView) -> list[str]:
    return [f"{i.what} | {i.who}" for s in view.sections for i in s.items]


def test_the_snapshot_is_the_managers_view_and_shown_to_nobody_else(tmp_path: Path) -> None:
    home = tmp_path / "firm"
    ws = open_firm(home)
    firm = build_firm(ws)
    anna = Audience.manager(ws.me)
    assert snapshot_today(ws, anna) is None  # none written yet
    shown = refresh_today(ws, anna)
    assert snapshot_today(ws, anna) == shown == today_view(ws, anna)
    path = snapshot_path(ws)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    written = path.read_bytes()
    assert b"Other promise" not in written  # a colleague's client is not in my view
    assert "Pulse | Aino Laine" in texts(shown)  # private to me, so kept in my own

    # in a call: no snapshot is shown, and the call's view is never written
    call = Audience.call(firm.acme, ws.me)
    assert snapshot_today(ws, call) is None
    in_call = refresh_today(ws, call)
    save_today(ws, call, in_call)
    assert not any("Pulse" in line for line in texts(in_call))
    assert path.read_bytes() == written
    ws.close(checkpoint="never")

    # signed in as another manager: Anna's snapshot is not theirs to see
    bo = Workspace.open(home, me="Bo Berg", config=Config(), clock=lambda: NOW)
    try:
        assert snapshot_today(bo, Audience.manager(bo.me)) is None
        assert snapshot_today(bo, anna) is None  # not the one signed in here
        theirs = refresh_today(bo, Audience.manager(bo.me))
        assert "Other promise | Other Oy (us)" in texts(theirs)
        assert b"Aino Laine" not in path.read_bytes()  # replaced by Bo's own view
    finally:
        bo.close(checkpoint="never")

    again = open_firm(home)
    try:
        assert snapshot_today(again, Audience.manager(again.me)) is None  # Bo's, not Anna's
    finally:
        again.close(checkpoint="never")


def test_a_stale_snapshot_is_replaced_at_the_first_refresh(tmp_path: Path) -> None:
    home = tmp_path / "firm"
    ws = open_firm(home)
    firm = build_firm(ws)
    me = Audience.manager(ws.me)
    old = refresh_today(ws, me)
    ws.close()
    # an edit made while the app was closed (the command line, or a sync)
    cli = open_firm(home)
    cli.add_agreement(firm.bolt, "Promised while away", "us", due=TODAY + DAY)
    cli.close()

    ws = open_firm(home)
    try:
        shown_first = snapshot_today(ws, me)
        assert shown_first == old  # shown at once, before any history is read
        assert "Promised while away | Bolt Labs (us)" not in texts(shown_first)
        fresh = refresh_today(ws, me)  # the screen's first refresh
        assert "Promised while away | Bolt Labs (us)" in texts(fresh)
        assert snapshot_today(ws, me) == fresh == today_view(ws, me)
    finally:
        ws.close(checkpoint="never")

    # the next day, yesterday's snapshot is not shown at all
    tomorrow = Workspace.open(
        home, me="Anna Virtanen", config=Config(), clock=lambda: NOW + dt.timedelta(days=1)
    )
    try:
        assert snapshot_today(tomorrow, Audience.manager(tomorrow.me)) is None
    finally:
        tomorrow.close(checkpoint="never")


def test_a_damaged_or_foreign_snapshot_is_ignored(tmp_path: Path) -> None:
    home = tmp_path / "firm"
    ws = open_firm(home)
    try:
        build_firm(ws)
        me = Audience.manager(ws.me)
        for junk in (b"", b"{", b"[]", b'{"format": 99}', b'{"format": 1, "me": null}'):
            snapshot_path(ws).write_bytes(junk)
            assert snapshot_today(ws, me) is None
        refresh_today(ws, me)
        assert snapshot_today(ws, me) == today_view(ws, me)
    finally:
        ws.close(checkpoint="never")


def test_a_snapshot_of_another_workspace_is_not_shown(tmp_path: Path) -> None:
    first = open_firm(tmp_path / "first")
    try:
        build_firm(first)
        refresh_today(first, Audience.manager(first.me))
        written = snapshot_path(first).read_bytes()
    finally:
        first.close(checkpoint="never")
    # the same manager, the same day, another journal (a restore or a new workspace here)
    other = open_firm(tmp_path / "other")
    try:
        me = Audience.manager(other.me)
        snapshot_path(other).write_bytes(written)
        assert snapshot_today(other, me) is None
        refresh_today(other, me)
        assert snapshot_today(other, me) == today_view(other, me)
    finally:
        other.close(checkpoint="never")

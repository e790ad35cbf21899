"""Correcting an agreement: text, person and due date; every due-date move kept with who
moved it, when, and from which day to which; odd due dates only when confirmed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pulsetui.cli.main import cli
from pulsetui.domain.agreements import due_to_confirm
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Agreement, Client
from pulsetui.service.agreement_edits import DueToConfirm, edit_agreement
from pulsetui.service.workspace import Workspace

TODAY = dt.date(2026, 11, 20)


def test_the_rule_past_or_more_than_a_year_ahead() -> None:
    assert due_to_confirm(None, TODAY) is None
    assert due_to_confirm(TODAY, TODAY) is None
    assert due_to_confirm(dt.date(2027, 11, 20), TODAY) is None
    assert due_to_confirm(dt.date(2026, 11, 19), TODAY) == "2026-11-19 is in the past"
    assert due_to_confirm(dt.date(2027, 11, 21), TODAY) == "2027-11-21 is more than a year ahead"


@pytest.fixture
def deal(ws: Workspace) -> Agreement:
    client = ws.add(Client, name="Kuusi Logistiikka Oy")
    return ws.add_agreement(client.uid, "Send the offer", "us", owner="Liisa", due=TODAY)


def test_text_person_and_two_moves_are_kept_in_order(ws: Workspace, deal: Agreement) -> None:
    edit_agreement(ws, deal.uid, text="Send the signed offer ä ж 🚀", owner="Pekka Kuusinen")
    edit_agreement(ws, deal.uid, due=dt.date(2026, 11, 27))
    edit_agreement(ws, deal.uid, due=dt.date(2026, 12, 4))
    saved = ws.require(Agreement, deal.uid)
    assert saved.text == "Send the signed offer ä ж 🚀" and saved.owner == "Pekka Kuusinen"
    assert saved.due == dt.date(2026, 12, 4)
    moves = [(m.by, m.from_due, m.to_due) for m in saved.due_moves]
    assert moves == [
        ("Anna Virtanen", TODAY, dt.date(2026, 11, 27)),
        ("Anna Virtanen", dt.date(2026, 11, 27), dt.date(2026, 12, 4)),
    ]
    assert saved.due_moves[0].at == dt.datetime(2026, 11, 20, 10, 0)
    # a change of the text alone, or the same due again, moves nothing
    edit_agreement(ws, deal.uid, due=dt.date(2026, 12, 4), text="Send it")
    assert len(ws.require(Agreement, deal.uid).due_moves) == 2
    # clearing the due date is a move too
    edit_agreement(ws, deal.uid, due=None)
    last = ws.require(Agreement, deal.uid).due_moves[-1]
    assert (last.from_due, last.to_due) == (dt.date(2026, 12, 4), None)


def test_an_odd_due_date_needs_confirming_and_nothing_is_written(
    ws: Workspace, deal: Agreement
) -> None:
    for day, why in ((dt.date(2026, 11, 1), "in the past"), (dt.date(2028, 1, 1), "a year")):
        with pytest.raises(DueToConfirm) as caught:
            edit_agreement(ws, deal.uid, due=day, text="changed too")
        assert why in caught.value.why and caught.value.for_field("due")
        saved = ws.require(Agreement, deal.uid)
        assert (saved.due, saved.text, saved.due_moves) == (TODAY, "Send the offer", [])
    edit_agreement(ws, deal.uid, due=dt.date(2026, 11, 1), confirmed=True)
    assert ws.require(Agreement, deal.uid).due_moves[-1].to_due == dt.date(2026, 11, 1)


def test_bad_edits_name_the_field(ws: Workspace, deal: Agreement) -> None:
    with pytest.raises(InvalidInput) as caught:
        edit_agreement(ws, deal.uid, text="   ")
    assert caught.value.for_field("text")
    with pytest.raises(InvalidInput) as caught:
        edit_agreement(ws, deal.uid, status="done")
    assert caught.value.for_field("status")
    assert ws.require(Agreement, deal.uid).text == "Send the offer"


def run(home: Path, *args: str) -> Result:
    runner = CliRunner(env={"PULSETUI_NOW": "2026-11-20T10:00:00"})
    return runner.invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


def test_cli_edits_an_agreement_and_shows_its_moves(home: Path) -> None:
    assert run(home, "client", "add", "--name", "Kuusi Logistiikka Oy").exit_code == 0
    made = run(
        home, "agreement", "add", "--client", "Kuusi", "--text", "Send the offer", "--side", "us"
    )
    assert made.exit_code == 0, made.output
    listed = json.loads(run(home, "list", "agreements", "--json").stdout)["records"]
    uid = listed[0]["uid"]

    bad = run(home, "agreement", "set", uid, "--due", "someday")
    assert bad.exit_code == 2 and "due" in bad.output and "someday" in bad.output
    empty = run(home, "agreement", "set", uid, "--text", " ")
    assert empty.exit_code == 2 and "text" in empty.output
    past = run(home, "agreement", "set", uid, "--due", "2026-11-01")
    assert past.exit_code == 2
    assert "due: 2026-11-01 is in the past: give --yes to save it" in past.output
    far = run(home, "agreement", "set", uid, "--due", "2028-01-01")
    assert far.exit_code == 2 and "more than a year ahead" in far.output

    done = run(
        home,
        "agreement",
        "set",
        uid,
        "--due",
        "4.12.",
        "--owner",
        "Pekka",
        "--text",
        "Send the signed offer",
    )
    assert done.exit_code == 0, done.output
    again = run(home, "agreement", "set", uid, "--due", "2026-11-01", "--yes")
    assert again.exit_code == 0, again.output

    shown = json.loads(run(home, "show", "agreement", uid, "--json").stdout)["record"]
    assert shown["text"] == "Send the signed offer" and shown["owner"] == "Pekka"
    assert [(m["from_due"], m["to_due"], m["by"]) for m in shown["due_moves"]] == [
        (None, "2026-12-04", "Test Manager"),
        ("2026-12-04", "2026-11-01", "Test Manager"),
    ]
    assert [h["status"] for h in shown["history"]] == ["open"]
    text = run(home, "show", "agreement", uid).stdout
    assert "due moves:" in text and "to_due=2026-11-01" in text


def test_a_past_day_sees_the_due_date_before_later_moves(home: Path) -> None:
    from pulsetui.service.as_of import as_of
    from pulsetui.service.config import Config

    now = [dt.datetime(2026, 11, 2, 9, 0)]
    ws = Workspace.open(home, me="Anna Virtanen", config=Config(), clock=lambda: now[0])
    client = ws.add(Client, name="Kuusi Logistiikka Oy")
    deal = ws.add_agreement(client.uid, "Send the offer", "us", due=dt.date(2026, 11, 6))
    now[0] = dt.datetime(2026, 11, 10, 9, 0)  # late, then moved
    edit_agreement(ws, deal.uid, due=dt.date(2026, 11, 27))
    then = as_of(ws, dt.date(2026, 11, 8)).require(Agreement, deal.uid)
    assert then.due == dt.date(2026, 11, 6) and then.due_moves == []
    later = as_of(ws, dt.date(2026, 11, 12)).require(Agreement, deal.uid)
    assert later.due == dt.date(2026, 11, 27) and len(later.due_moves) == 1
    ws.close()


def test_cli_adds_an_odd_due_date_only_with_yes(home: Path) -> None:
    """`agreement add` asks the question the agreement form asks, in the same words:
    a due date in the past or more than a year ahead is refused (exit 2, the field and
    the rule named, nothing written) unless --yes is given."""
    assert run(home, "client", "add", "--name", "Kuusi Logistiikka Oy").exit_code == 0
    add = ("agreement", "add", "--client", "Kuusi", "--side", "us", "--text")

    def texts() -> list[str]:
        return [
            a["text"]
            for a in json.loads(run(home, "list", "agreements", "--json").stdout)["records"]
        ]

    for due, rule in (
        ("2026-11-19", "due: 2026-11-19 is in the past: give --yes to save it"),
        ("17.11.", "due: 2026-11-17 is in the past"),
        ("2027-11-21", "due: 2027-11-21 is more than a year ahead: give --yes to save it"),
        ("+2y", "is more than a year ahead"),
    ):
        refused = run(home, *add, f"Send ä ж {due}", "--due", due)
        assert refused.exit_code == 2 and rule in refused.output, refused.output
        assert texts() == []
    # the ordinary days the form saves without a question: today, a weekend, a year ahead
    for due in ("2026-11-20", "2026-11-22", "2027-11-20", "fri"):
        assert run(home, *add, f"On {due}", "--due", due).exit_code == 0
    confirmed = run(home, *add, "Late 🙂 [bold]", "--due", "2026-11-01", "--yes")
    assert confirmed.exit_code == 0, confirmed.output
    saved = json.loads(run(home, "list", "agreements", "--json").stdout)["records"]
    assert {a["text"]: a["due"] for a in saved}["Late 🙂 [bold]"] == "2026-11-01"
    assert len(saved) == 5
    helped = run(home, "agreement", "add", "--help").output
    assert "--yes" in helped and "more than a year ahead" in helped


def test_the_service_asks_the_same_question_on_add(ws: Workspace) -> None:
    client = ws.add(Client, name="Kuusi Logistiikka Oy")
    with pytest.raises(DueToConfirm) as caught:
        ws.add_agreement(client.uid, "x", "us", due=dt.date(2026, 11, 1), confirmed=False)
    assert caught.value.why == due_to_confirm(dt.date(2026, 11, 1), TODAY)
    assert ws.list(Agreement) == []

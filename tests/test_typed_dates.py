"""Dates typed as a manager says them — one parser for the app and the command line —
and agreements read from one line of notes."""

from __future__ import annotations

import datetime as dt

import pytest

from pulsetui.domain.agreement_line import AgreementLine, read_agreement_line
from pulsetui.domain.dates import parse_date
from pulsetui.domain.errors import InvalidInput

TODAY = dt.date(2026, 11, 20)  # a Friday


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("4.12.", "2026-12-04"),
        ("4.12.2026", "2026-12-04"),
        ("04.01.2027", "2027-01-04"),
        ("next fri", "2026-11-27"),
        ("next monday", "2026-11-23"),
        ("Next Wed", "2026-11-25"),
        ("fri", "2026-11-27"),
        ("+2w", "2026-12-04"),
        ("2026-12-01", "2026-12-01"),
    ],
)
def test_typed_dates(typed: str, day: str) -> None:
    assert parse_date(typed, TODAY, "due").isoformat() == day


@pytest.mark.parametrize("typed", ["31.2.", "1.13.2026", "4.12", "next", "next week", "4..12."])
def test_dates_that_are_not_are_refused_naming_the_field(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_date(typed, TODAY, "due")
    assert refused.value.problems[0].field == "due"


@pytest.mark.parametrize(
    ("line", "read"),
    [
        ("+ Send the offer @Liisa fri", AgreementLine("Send the offer", "Liisa", "fri")),
        (
            "+Client signs @Pekka Kuusinen 4.12.",
            AgreementLine("Client signs", "Pekka Kuusinen", "4.12."),
        ),
        ("- Book the demo @Mari next fri", AgreementLine("Book the demo", "Mari", "next fri")),
        ("Plain words, no date", AgreementLine("Plain words, no date")),
        ("+ ж ä 🚀 [bold]x[/bold]", AgreementLine("ж ä 🚀 [bold]x[/bold]")),
        ("", AgreementLine("")),
    ],
)
def test_an_agreement_read_from_a_line_of_notes(line: str, read: AgreementLine) -> None:
    assert read_agreement_line(line, TODAY) == read

"""The weekly client report in its three forms (Markdown, HTML, plain text) against
reviewed golden files; hostile text rendering literally in markdown-it-py with the GFM
plugins; a past week built from the state as it was that week; work notes entered
from the command line; reports sent and due.

To regenerate the golden files after a reviewed change: PULSETUI_UPDATE_GOLDEN=1
pytest this file, then read the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from conftest import FROZEN_NOW
from pulsetui.cli.main import cli
from pulsetui.domain.flags import FLAG_KINDS
from pulsetui.reports.weekly import weekly_markdown
from pulsetui.reports.weekly_html import weekly_html
from pulsetui.reports.weekly_text import weekly_text
from pulsetui.service.config import Config
from pulsetui.service.weekly import reports_due, weekly_report
from pulsetui.service.workspace import Workspace
from test_reports_weekly import build

GOLDEN = Path(__file__).parent / "golden"
D = dt.date
HOSTILE = ("~~x~~", "&copy;", "<b>bold</b>", "a | b", "$5 and $6", "*em*", "_u_", "[l](http://x)")


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)


@pytest.mark.parametrize(
    ("name", "render"),
    [("weekly_report.md", weekly_markdown), ("weekly_report.html", weekly_html),
     ("weekly_report.txt", weekly_text)],
)  # fmt: skip
def test_each_form_matches_its_golden_file(ws: Workspace, name: str, render: object) -> None:
    acme = build(ws)
    text = render(weekly_report(ws, acme, D(2026, 11, 16)))  # type: ignore[operator]
    if os.environ.get("PULSETUI_UPDATE_GOLDEN"):
        (GOLDEN / name).write_text(text, encoding="utf-8")
    assert text == (GOLDEN / name).read_text(encoding="utf-8")


class _Text(HTMLParser):
    """The tags of an HTML fragment and its text per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.blocks: list[str] = []
        self._current: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag in ("p", "li", "td", "th", "h1", "h2"):
            self._current = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "li", "td", "th", "h1", "h2"):
            self.blocks.append("".join(self._current).strip())

    def handle_data(self, data: str) -> None:
        self._current.append(data)


@pytest.fixture
def hostile(ws: Workspace) -> str:
    client = ws.add("client", name="Acme ~~x~~ &copy; <b>", manager=ws.me).uid
    monday = D(2026, 11, 16)
    for index, text in enumerate(HOSTILE):
        ws.add("work", client=client, kind="done", text=text, date=monday)
        ws.add("work", client=client, kind="next", text=f"- {text}", date=monday)
        ws.add(
            "work", client=client, kind="risk", text=f"{index}. {text}", way_out=text, date=monday
        )
    ws.add("work", client=client, kind="done", text="# not a heading\n> nor a quote", date=monday)
    return client


def test_hostile_text_renders_literally_in_markdown_it_with_gfm(
    ws: Workspace, hostile: str
) -> None:
    report = weekly_report(ws, hostile, D(2026, 11, 16))
    markdown = weekly_markdown(report)
    renderer = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(dollarmath_plugin)
    gfm = MarkdownIt("gfm-like").use(dollarmath_plugin)
    blocks = {"h1", "h2", "p", "ul", "li", "table", "thead", "tbody", "tr", "th", "td"}
    # gfm-like also links a typed URL (GFM's autolink literal): the text stays as typed
    for rendered, links in ((renderer.render(markdown), set()), (gfm.render(markdown), {"a"})):
        page = _Text()
        page.feed(rendered)
        assert page.tags <= blocks | links
        assert "math" not in rendered and "<s>" not in rendered and "<del>" not in rendered
        assert "<a " not in rendered.replace('<a href="http://x">', "")
        assert "Weekly report: Acme ~~x~~ &copy; <b>" in page.blocks
        for text in HOSTILE:
            assert text in page.blocks  # done, as a list item of its own
            assert f"- {text}" in page.blocks  # next: not a nested list
            assert text in page.blocks[page.blocks.index(f"- {text}") :]
        cells = set(page.blocks)
        assert {f"{i}. {t}" for i, t in enumerate(HOSTILE)} <= cells  # risk cells, way outs
        assert "# not a heading > nor a quote" in cells
    own = weekly_html(report)
    assert "<b>" not in own and "&amp;copy;" in own
    assert "<script" not in own and own.startswith("<!DOCTYPE html>")
    plain = weekly_text(report)
    for text in HOSTILE:
        assert text in plain.replace("\n  ", " ")


def test_a_past_week_shows_the_statuses_of_that_week(home: Path) -> None:
    now = [dt.datetime(2026, 11, 11, 10, 0)]
    with Workspace.open(home, me="Anna", config=Config(), clock=lambda: now[0]) as ws:
        acme = ws.add("client", name="Acme", manager=ws.me, cadence="weekly").uid
        ship = ws.add_agreement(acme, "Ship the login page", "us", due=D(2026, 11, 13))
        approve = ws.add_agreement(acme, "Approve the budget", "client", due=D(2026, 11, 20))
        meeting = ws.plan_meeting(acme, D(2026, 11, 17), time="10:00")
        topic = ws.add_agenda_item(acme, "Release plan")
        ws.add("work", client=acme, kind="done", text="Design review passed", date=D(2026, 11, 12))
        now[0] = dt.datetime(2026, 11, 18, 9, 0)  # the next week: things move on
        ws.set_agreement_status(ship.uid, "done")
        ws.set_agreement_status(approve.uid, "broken", reason="CFO away")
        ws.hold_meeting(meeting.uid)
        ws.mark_agenda(topic.uid, "discussed", meeting.uid)
        ws.add("work", client=acme, kind="done", text="Login page shipped", date=D(2026, 11, 18))
        now[0] = dt.datetime(2026, 11, 25, 9, 0)
        past = weekly_report(ws, acme, D(2026, 11, 9))
        this = weekly_report(ws, acme, D(2026, 11, 23))
        last = weekly_report(ws, acme, D(2026, 11, 16))
    assert past.as_of == D(2026, 11, 15) and past.prepared_on == D(2026, 11, 25)
    rows = {row.text: row.status for row in past.agreements}
    assert rows == {"Ship the login page": "overdue", "Approve the budget": "open"}
    assert [line.text for line in past.done] == ["Design review passed"]
    (planned,) = [line for line in past.next if line.text.startswith("Client meeting on")]
    assert planned.text == "Client meeting on 2026-11-17 10:00." and planned.detail == (
        "Agenda: Release plan",
    )
    assert any(
        "Agreement overdue" in r.risk and "Ship the login page" in r.risk for r in past.risks
    )
    assert "as things stood on 2026-11-15" in weekly_markdown(past)

    rows = {row.text: row.status for row in last.agreements}
    assert rows == {"Ship the login page": "done", "Approve the budget": "broken: CFO away"}
    assert last.done[0].text == "Login page shipped"
    assert "Client meeting held on 2026-11-17." in [line.text for line in last.done]
    assert this.as_of == this.prepared_on == D(2026, 11, 25)


def test_work_notes_from_the_command_line_and_reports_sent_and_due(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULSETUI_NOW", "2026-11-18T10:00:00")  # a Wednesday of W47
    with Workspace.open(home, me="Anna", config=Config(), clock=lambda: FROZEN_NOW) as ws:
        acme = ws.add("client", name="Acme", manager=ws.me).uid
        mia = ws.add("consultant", name="Mia", manager=ws.me).uid
        ws.add("engagement", client=acme, consultant=mia, start=D(2026, 1, 5))
        ws.add("client", name="Idle Oy", manager=ws.me)  # nobody placed there: no report
    way_out = "We test with generated data meanwhile."
    added = run(home, "work", "add", "--client", "acme", "--kind", "risk", "--text",
                "Test data is late", "--way-out", way_out)  # fmt: skip
    assert added.exit_code == 0, added.output
    report = run(home, "report", "weekly", "--client", "acme", "--format", "text").stdout
    assert "Test data is late (since 2026-11-18)" in report
    assert "Proposed way out: We test with generated data meanwhile." in report
    bad = run(home, "work", "add", "--client", "acme", "--kind", "maybe", "--text", "x")
    assert bad.exit_code == 2

    due = json.loads(run(home, "report", "due", "--json").stdout)["due"]
    assert [(d["name"], d["week"], d["last_sent"]) for d in due] == [("Acme", "2026-W46", None)]
    sent = run(home, "report", "sent", "--client", "acme")
    assert sent.exit_code == 0 and "2026-W46" in sent.stdout
    assert run(home, "report", "due").stdout.strip() == "no weekly reports due"
    monkeypatch.setenv("PULSETUI_NOW", "2026-11-20T10:00:00")  # Friday: this week is due
    assert "Acme: report of 2026-W47 due (last sent: 2026-W46)" in run(home, "report", "due").stdout
    wrong = run(home, "report", "sent", "--client", "acme", "--week", "2026-W60")
    assert wrong.exit_code == 2 and "invalid week" in wrong.stderr
    with Workspace.open(home, readonly=True, config=Config()) as ws:
        assert [d.week for d in reports_due(ws)] == ["2026-W47"]
        assert weekly_report(ws, acme, D(2026, 11, 9)).sent == (D(2026, 11, 18),)


def test_every_flag_a_client_may_see_has_a_way_out_worded_for_the_client() -> None:
    for kind in FLAG_KINDS.values():
        if not kind.internal:
            assert kind.for_client and kind.for_client != kind.way_out
            assert kind.for_client.split()[0] in ("We", "At"), kind.kind

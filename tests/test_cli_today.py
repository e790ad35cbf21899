"""``pulsetui today``: the Today view on the command line. Its JSON is the view the
Today screen renders for the same workspace and manager; the short form names every
section with its count and the first rows; Markdown renders typed text as typed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from markdown_it import MarkdownIt
from tests.small_firm import NOW, firm_in

from pulsetui.cli.main import cli
from pulsetui.service.config import Config
from pulsetui.service.demo import DEMO_TODAY, create_demo
from pulsetui.service.views.audience import Audience
from pulsetui.service.views.today import TodayView, today_view
from pulsetui.service.workspace import Workspace

DEMO_NOW = dt.datetime.combine(DEMO_TODAY, dt.time(9, 0))
DEMO_ME = "Liisa Mäkinen"  # the demo's first manager


def today(home: Path, *args: str, me: str = "Anna Virtanen") -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), "--as", me, "today", *args])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("today") / "demo"
    create_demo(home)
    return home


def test_json_on_the_demo_is_the_view_the_today_screen_renders(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULSETUI_NOW", DEMO_NOW.isoformat())
    result = today(demo, "--json", me=DEMO_ME)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data.pop("version") == 1
    with Workspace.open(
        demo, me=DEMO_ME, readonly=True, config=Config(), clock=lambda: DEMO_NOW
    ) as ws:
        view = today_view(ws, Audience.manager(ws.me))
    assert data == view.as_dict()
    assert TodayView.from_dict(data) == view
    keys = [section["key"] for section in data["sections"]]
    assert {"flags", "pulses", "meetings", "agreements", "reports", "health"} <= set(keys)
    assert all(section["items"] for section in data["sections"] if section["key"] == "reports")


def test_short_form_names_each_section_with_its_count_and_first_rows(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULSETUI_NOW", DEMO_NOW.isoformat())
    with Workspace.open(
        demo, me=DEMO_ME, readonly=True, config=Config(), clock=lambda: DEMO_NOW
    ) as ws:
        view = today_view(ws, Audience.manager(ws.me))
    short, every = today(demo, me=DEMO_ME), today(demo, "--all", me=DEMO_ME)
    assert short.exit_code == 0 and every.exit_code == 0, short.output + every.output
    lines = short.stdout.splitlines()
    assert lines[: len(view.summary_lines())] == view.summary_lines()
    for section in view.sections:
        if not section.items:
            continue
        heading = f"{section.title} ({len(section.items)})"
        assert heading in lines
        rows = every.stdout.splitlines()
        start = rows.index(heading)
        assert len([r for r in rows[start + 1 :] if r.startswith("  ")][: len(section.items)]) == (
            len(section.items)
        )
        first = lines[lines.index(heading) + 1]
        assert first.startswith(f"  {section.items[0].what}")
        if len(section.items) > 5:
            assert f"  … {len(section.items) - 5} more (pulsetui today --all)" in lines
    assert len(lines) < len(every.stdout.splitlines())


def test_typed_text_is_shown_safely_and_reads_as_typed_in_markdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for firm in firm_in(tmp_path):
        firm.ws.update("client", firm.bolt, name="Bolt ~~x~~ &copy; <b>|$5 \x1b[31m")
    monkeypatch.setenv("PULSETUI_NOW", NOW.isoformat())
    home = tmp_path / "firm"
    plain = today(home)
    assert plain.exit_code == 0, plain.output
    assert "\x1b" not in plain.stdout
    assert "Weekly report · Bolt ~~x~~ &copy; <b>|$5 \\x1b[31m · report of 2026-W47" in (
        plain.stdout
    )
    markdown = today(home, "--markdown")
    assert markdown.exit_code == 0, markdown.output
    html = MarkdownIt("gfm-like").render(markdown.stdout)
    assert "<del>" not in html and "<s>" not in html and "<b>" not in html
    assert "(Bolt ~~x~~ &amp;copy; &lt;b&gt;|$5 ␛[31m): report of 2026-W47" in html


def test_one_form_at_a_time_and_nothing_due_said_so(tmp_path: Path) -> None:
    both = today(tmp_path / "new", "--json", "--markdown")
    assert both.exit_code == 2 and "invalid markdown" in both.stderr
    Workspace.open(tmp_path / "new", me="Anna Virtanen", config=Config()).close()
    empty = today(tmp_path / "new")
    assert empty.exit_code == 0, empty.output
    assert empty.stdout.splitlines()[-1] == "Nothing needs you today."

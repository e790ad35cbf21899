"""The report preview: the weekly report as it will read, saved in the form its file
name ends in and never over an existing file (the error beside the field), copied for a
mail with a message that says what really happened; opened from the command palette
for each of my clients, and in a call only for the client in view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.tui.screen_harness import ScreenHarness, raised, settle, wait_for
from textual.widgets import Input, Markdown, Static

from pulsetui.reports.sendable import agenda_forms, summary_forms, weekly_forms
from pulsetui.reports.weekly import weekly_markdown
from pulsetui.reports.weekly_html import weekly_html
from pulsetui.reports.weekly_text import weekly_text
from pulsetui.service.weekly import reports_due, weekly_report
from pulsetui.service.workspace import Workspace
from pulsetui.tui.report_commands import ReportCommands
from pulsetui.tui.screens.report_preview import ReportPreview

CLIENT = "Kuusi Logistiikka Oy"


def client_uid(ws: Workspace) -> str:
    (doc,) = [d for d in ws.docs("client") if d.get("name") == CLIENT]
    return str(doc["uid"])


def preview(ws: Workspace, folder: Path, forms: Any = weekly_forms) -> ReportPreview:
    uid = client_uid(ws)
    return ReportPreview(f"Report: {CLIENT}", lambda: forms(ws, uid), folder)


def messages(app: Any) -> list[str]:
    return [str(n.message) for n in raised(app)]


def error(app: Any) -> str:
    return str(app.screen.query_one("#err-path", Static).render())


async def test_the_preview_shows_the_report_and_saves_each_form_once(
    tui_ws: Workspace, tmp_path: Path
) -> None:
    report = weekly_report(tui_ws, client_uid(tui_ws))
    app = ScreenHarness(tui_ws, lambda: preview(tui_ws, tmp_path))
    async with app.run_test(size=(110, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, ReportPreview) and app.screen.report, pilot)
        await settle(app, pilot)
        screen = app.screen
        assert screen.query_one("#report-body", Markdown).source == weekly_markdown(report)
        assert screen.focused is screen.query_one("#preview")
        field = screen.query_one("#f-path", Input)
        first = tmp_path / f"Weekly report {CLIENT} {report.week}.md"
        assert field.value == str(first)

        await pilot.press("ctrl+s")
        await wait_for(lambda: first.exists(), pilot)
        assert first.read_text(encoding="utf-8") == weekly_markdown(report)
        assert first.stat().st_mode & 0o777 == 0o600
        await settle(app, pilot)
        assert f"Saved {first}" in messages(app)

        first.write_text("kept", encoding="utf-8")
        await pilot.press("ctrl+s")  # the same name again: refused, the file kept
        await wait_for(lambda: "already exists" in error(app), pilot)
        assert first.read_text(encoding="utf-8") == "kept"

        for suffix, form in ((".html", weekly_html), (".txt", weekly_text)):
            target = tmp_path / f"report{suffix}"
            field.value = str(target)
            field.focus()
            await pilot.press("enter")
            await wait_for(lambda t=target: t.exists(), pilot)  # type: ignore[misc]
            assert target.read_text(encoding="utf-8") == form(report)
        field.value = str(tmp_path / "report.pdf")
        await pilot.press("enter")
        await wait_for(lambda: "must end in .html, .md, .txt" in error(app), pilot)
        assert field.value == str(tmp_path / "report.pdf")  # what was typed is kept
        assert not (tmp_path / "report.pdf").exists()


@pytest.mark.parametrize(
    ("env", "said"),
    [
        (
            {"SSH_CONNECTION": "10.0.0.1 5000 10.0.0.2 22", "TMUX": "/tmp/tmux"},
            "The report sent to the terminal over SSH as a clipboard request; it is copied "
            "only if the terminal allows it (in tmux: set -g set-clipboard on). To keep it "
            "for sure, save it to a file (ctrl+s).",
        ),
    ],
)
async def test_copy_says_what_happened(
    tui_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str],
    said: str,
) -> None:  # fmt: skip
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SSH_CLIENT", "SSH_TTY", "TMUX"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    report = weekly_report(tui_ws, client_uid(tui_ws))
    app = ScreenHarness(tui_ws, lambda: preview(tui_ws, tmp_path))
    async with app.run_test(size=(110, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, ReportPreview) and app.screen.report, pilot)
        await pilot.press("y")
        await wait_for(lambda: said in messages(app), pilot)
        assert app.clipboard == weekly_text(report)  # the mail body, sent as OSC 52
        assert "copied to the clipboard" not in " ".join(messages(app))


async def test_the_palette_offers_my_clients_and_in_a_call_only_the_one_in_view(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(app, pilot)
        provider = ReportCommands(app.screen)
        await provider.startup()
        shown = [hit.text async for hit in provider.discover()]
        mine = sorted(
            (str(d.get("name")) for d in tui_ws.docs("client", manager=tui_ws.me)),
            key=str.casefold,
        )
        kinds = (
            "Weekly report",
            "Agenda to send",
            "Meeting summary",
            "Work note",
            "Weekly report sent",
        )
        assert shown == [f"{what}: {name}" for what in kinds for name in mine]
        assert len(mine) > 1
        hits = [hit async for hit in provider.search("kuusi")]
        assert hits[0].text == f"Weekly report: {CLIENT}"
        hits[0].command()
        await wait_for(lambda: isinstance(app.screen, ReportPreview), pilot)
        await wait_for(lambda: app.screen.report is not None, pilot)
        assert "# Weekly report: Kuusi Logistiikka Oy" in app.screen.report.markdown
        await pilot.press("escape")
        await wait_for(lambda: not isinstance(app.screen, ReportPreview), pilot)

        (sent, *_) = [h async for h in provider.search("sent kuusi") if "sent" in h.text]
        sent.command()
        await wait_for(lambda: any("was sent today" in m for m in messages(app)), pilot)
        assert client_uid(tui_ws) not in {d.client for d in reports_due(tui_ws)}

        app.call_client, app.call_mode = client_uid(tui_ws), True
        await pilot.pause()
        in_call = ReportCommands(app.screen)
        await in_call.startup()
        assert [hit.text async for hit in in_call.discover()] == [
            f"{what}: {CLIENT}" for what in kinds
        ]
        assert [hit.text async for hit in in_call.search("weekly")] == [
            f"Weekly report: {CLIENT}",
            f"Weekly report sent: {CLIENT}",
        ]


async def test_the_agenda_is_saved_with_its_invite_and_the_summary_as_markdown(
    tui_ws: Workspace, tmp_path: Path
) -> None:
    uid = client_uid(tui_ws)
    agenda, summary = agenda_forms(tui_ws, uid), summary_forms(tui_ws, uid)
    app = ScreenHarness(tui_ws, lambda: preview(tui_ws, tmp_path, agenda_forms))
    async with app.run_test(size=(110, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, ReportPreview) and app.screen.report, pilot)
        await settle(app, pilot)
        keys_line = str(app.screen.query_one("#report-keys", Static).render())
        assert "ctrl+s save (.ics .md)" in keys_line
        field = app.screen.query_one("#f-path", Input)
        first = Path(field.value)
        await pilot.press("ctrl+s")
        await wait_for(lambda: first.exists(), pilot)
        assert first.read_text(encoding="utf-8") == agenda.markdown
        field.value = str(first.with_suffix(".ics"))
        field.focus()
        await pilot.press("enter")
        await wait_for(lambda: first.with_suffix(".ics").exists(), pilot)
        invite = first.with_suffix(".ics").read_bytes()
        assert invite == agenda.forms[".ics"].encode("utf-8") and b"BEGIN:VEVENT" in invite

    app = ScreenHarness(tui_ws, lambda: preview(tui_ws, tmp_path, summary_forms))
    async with app.run_test(size=(110, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, ReportPreview) and app.screen.report, pilot)
        await settle(app, pilot)
        body = app.screen.query_one("#report-body", Markdown).source
        assert body == summary.markdown and body.startswith(f"# Meeting with {CLIENT}")


async def test_a_report_that_cannot_be_made_says_why(tui_ws: Workspace, tmp_path: Path) -> None:
    revontuli = next(d["uid"] for d in tui_ws.docs("client") if "Revontuli" in d["name"])
    out = tmp_path / "out"
    out.mkdir()
    app = ScreenHarness(
        tui_ws, lambda: ReportPreview("Agenda", lambda: agenda_forms(tui_ws, revontuli), out)
    )
    async with app.run_test(size=(110, 40)) as pilot:
        body = lambda: app.screen.query_one("#report-body", Markdown).source  # noqa: E731
        await wait_for(lambda: "cannot be made" in body(), pilot)
        assert "no planned meeting ahead" in body()
        assert app.screen.query_one("#f-path", Input).disabled
        await pilot.press("ctrl+s", "y")  # nothing to save or copy: nothing happens
        await settle(app, pilot)
        assert list(out.iterdir()) == [] and app.clipboard == ""

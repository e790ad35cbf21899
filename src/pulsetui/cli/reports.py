"""Report commands: ``nps report``, ``enps report``, ``report weekly``, ``flags``,
``health`` and ``import``.

Every score is printed with its n and interval; eNPS shows a round's result only at
or above the minimum group, and never one person's answer.
"""

from __future__ import annotations

import errno
import shutil
import sys
from pathlib import Path
from typing import Any

import click

from pulsetui.cli.completion import complete_rounds, record_names
from pulsetui.cli.context import Context, pass_ctx
from pulsetui.cli.options import client_option
from pulsetui.cli.output import emit_json, json_option, say, say_all
from pulsetui.domain.dates import parse_iso_week
from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Client, visible
from pulsetui.domain.nps import NpsSummary, previous_quarters, quarter_label
from pulsetui.domain.text import safe_line
from pulsetui.domain.words import counted
from pulsetui.service.insights.enps import all_enps, enps_result, enps_rounds, enps_years
from pulsetui.service.insights.flags import address_flag, red_flags
from pulsetui.service.insights.health import client_health
from pulsetui.service.insights.nps import nps_by_year, nps_for, nps_portfolio, nps_trend
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace

CLIENTS = record_names("client")


def _nps_line(label: str, summary: NpsSummary) -> str:
    interval = summary.interval_label()
    counts = f"P{summary.promoters}/N{summary.passives}/D{summary.detractors}" if summary.n else ""
    parts = [f"{safe_line(label):<28}", f"{summary.label():<26}", counts, interval]
    return "  ".join(p for p in parts if p).rstrip()


def _rows_by(ws: Workspace, by: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if by == "client":
        for doc in sorted(ws.docs("client"), key=lambda d: (d["name"].casefold(), d["uid"])):
            summary = nps_for(ws, client=doc["uid"])
            trend = [s.score for _, s in nps_trend(ws, client=doc["uid"])]
            rows.append(
                {"client": doc["name"], "uid": doc["uid"], **summary.as_dict(), "trend": trend}
            )
    elif by == "manager":
        for doc in sorted(ws.docs("manager"), key=lambda d: (d["name"].casefold(), d["uid"])):
            own = nps_for(ws, manager=doc["uid"])
            portfolio = nps_portfolio(ws, doc["uid"])
            rows.append(
                {
                    "manager": doc["name"],
                    "uid": doc["uid"],
                    **own.as_dict(),
                    "portfolio": portfolio.as_dict(),
                }
            )
    else:
        for label, summary in nps_trend(ws, quarters=8):
            rows.append({"quarter": label, **summary.as_dict()})
        for label, summary in nps_by_year(ws):
            rows.append({"year": label, **summary.as_dict()})
    return rows


@click.command("report")
@click.option(
    "--by",
    type=click.Choice(["client", "manager", "quarter"]),
    default="client",
    show_default=True,
    help="Group the answers by client, by manager (own and portfolio) or by quarter.",
)
@json_option
@pass_ctx
def nps_report(ctx: Context, by: str, as_json: bool) -> None:
    """NPS with n, promoter/passive/detractor counts and a 95% interval.

    Scores from fewer than 10 answers are marked directional."""
    with ctx.workspace(readonly=True) as ws:
        total = nps_for(ws)
        rows = _rows_by(ws, by)
        if as_json:
            emit_json({"by": by, "rows": rows, "all": total.as_dict()})
            return
        say(_nps_line("All answers", total))
        if by == "client":
            for row in rows:
                say(_nps_line(row["client"], nps_for(ws, client=row["uid"])))
        elif by == "manager":
            for row in rows:
                say(_nps_line(row["manager"], nps_for(ws, manager=row["uid"])))
                say(_nps_line("  portfolio", nps_portfolio(ws, row["uid"])))
        else:
            for label, summary in nps_trend(ws, quarters=8):
                say(_nps_line(label, summary))
            for label, summary in nps_by_year(ws):
                say(_nps_line(label, summary))


@click.command("report")
@click.option(
    "--round",
    "round_",
    default=None,
    metavar="R",
    help="One survey round.",
    shell_complete=complete_rounds,
)
@json_option
@pass_ctx
def enps_report(ctx: Context, round_: str | None, as_json: bool) -> None:
    """eNPS per round: score and band only when enough people answered.

    Below the minimum group (default 5) only the number of answers is shown; reasons
    appear at or above it, in random order. Individual answers are never shown."""
    with ctx.workspace(readonly=True) as ws:
        if round_ is not None:
            name = round_.strip()
            if name not in enps_rounds(ws):
                raise InvalidInput.one("round", f"no eNPS answers for round {round_!r}")
            results = [enps_result(ws, name)]
            years = []
        else:
            results = all_enps(ws)
            years = enps_years(ws)
        if as_json:
            emit_json(
                {"rounds": [r.as_dict() for r in results], "years": [y.as_dict() for y in years]}
            )
            return
        if not results:
            say("no eNPS answers yet")
            return
        for result in results:
            say(f"{result.round}: {result.label()}")
            if not result.withheld:
                say(
                    f"  promoters {result.promoters}, passives {result.passives}, "
                    f"detractors {result.detractors}"
                )
                for reason in result.reasons:
                    say(f"  - {reason}")
        for year in years:
            shown = year.result
            line = f"withheld: {year.why_withheld}" if shown.withheld else shown.label()
            rounds = ", ".join(year.rounds)
            say(f"{year.year} (all rounds: {rounds}): {line}")


@click.group()
def report() -> None:
    """Reports for clients."""


REPORT_FORMATS = ("markdown", "html", "text")


@report.command("weekly")
@client_option
@click.option("--week", default=None, metavar="YYYY-Www", help="ISO week (default: this week).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(REPORT_FORMATS),
    default="markdown",
    show_default=True,
    help="Markdown, an HTML page, or plain text for the body of an e-mail.",
)
@pass_ctx
def report_weekly(ctx: Context, client_name: str, week: str | None, fmt: str) -> None:
    """The weekly client report: done, next, risks with a way out, agreements.

    Done and next come from the team's work notes (pulsetui work add) and the
    meetings, agreements and requests of the week; risks are the ones noted and the
    red flags a client may see, each with a way out worded for the client. A past
    --week shows the statuses as they were at the end of that week."""
    from pulsetui.reports.weekly import weekly_markdown
    from pulsetui.reports.weekly_html import weekly_html
    from pulsetui.reports.weekly_text import weekly_text
    from pulsetui.service.weekly import weekly_report

    render = {"markdown": weekly_markdown, "html": weekly_html, "text": weekly_text}[fmt]
    with ctx.workspace(readonly=True) as ws:
        client = ws.find(Client, client_name, field="client")
        monday = parse_iso_week(week) if week is not None else None
        text = render(weekly_report(ws, client.uid, monday))
        say_all(text.removesuffix("\n").split("\n"))


@report.command("sent")
@client_option
@click.option(
    "--week",
    default=None,
    metavar="YYYY-Www",
    help="The week the report was for (default: the week due now).",
)
@pass_ctx
def report_sent(ctx: Context, client_name: str, week: str | None) -> None:
    """Record that a client's weekly report was sent today."""
    from pulsetui.service.weekly import record_sent

    with ctx.workspace() as ws:
        client = ws.find(Client, client_name, field="client")
        monday = parse_iso_week(week) if week is not None else None
        sent = record_sent(ws, client.uid, monday)
        say(f"recorded: the report of {sent.week} for {client.name} was sent on {sent.sent}")


@report.command("due")
@json_option
@pass_ctx
def report_due(ctx: Context, as_json: bool) -> None:
    """Clients with an engagement running whose weekly report has not been sent.

    A week's report is due from its Friday; until the next Friday, last week's."""
    from pulsetui.service.weekly import reports_due

    with ctx.workspace(readonly=True) as ws:
        due = reports_due(ws)
    if as_json:
        emit_json(
            {
                "due": [
                    {
                        "client": d.client,
                        "name": d.client_name,
                        "week": d.week,
                        "last_sent": d.last_sent,
                    }
                    for d in due
                ]
            }
        )
        return
    if not due:
        say("no weekly reports due")
    for item in due:
        last = f" (last sent: {item.last_sent})" if item.last_sent else " (none sent yet)"
        say(f"{item.client_name}: report of {item.week} due{last}")


@click.command("flags")
@click.option(
    "--client",
    "client_name",
    default=None,
    metavar="NAME",
    help="One client.",
    shell_complete=CLIENTS,
)
@click.option(
    "--all", "include_addressed", is_flag=True, help="Include flags addressed or snoozed."
)
@json_option
@pass_ctx
def flags_cmd(
    ctx: Context, client_name: str | None, include_addressed: bool, as_json: bool
) -> None:
    """Red flags of my portfolio (or one client), each naming the client or
    consultant, with its reason, since when and its key.

    A flag addressed (`pulsetui address KEY`) or snoozed (`pulsetui snooze KEY`)
    stays hidden until new evidence of the same mistake appears; then it is raised
    again as recurring, with the earlier notes. NPS falling is raised only when the
    95% interval of the last six months lies wholly below the one of the six months
    before: a drop among a few answers is within what so few answers allow."""
    with ctx.workspace(readonly=True) as ws:
        client = ws.find(Client, client_name, field="client").uid if client_name else None
        found = red_flags(
            ws, audience=Audience.manager(ws.me), client=client, include_addressed=include_addressed
        )
        if as_json:
            emit_json({"flags": [f.as_dict() for f in found]})
            return
        if not found:
            say("no red flags")
        for flag in found:
            since = f" since {flag.since.isoformat()}" if flag.since else ""
            state = {"addressed": " [addressed]", "snoozed": " [snoozed]"}.get(flag.status, "")
            if flag.until:
                state = f" [snoozed until {flag.until.isoformat()}]"
            again = " [recurring]" if flag.recurring else ""
            say(f"{flag.who or '?'}: {flag.label}{since}{again}{state}")
            say(f"  {flag.reason}")
            if flag.status != "open" and flag.note:
                say(f"  note: {flag.note}")
            for earlier in flag.earlier:
                say(f"  earlier note {earlier.day.isoformat()}: {earlier.note}")
            say(f"  key: {flag.key}")


@click.command("address")
@click.argument("key")
@click.option("--note", required=True, metavar="TEXT", help="What was done about it.")
@pass_ctx
def address_cmd(ctx: Context, key: str, note: str) -> None:
    """Mark a red flag as addressed, with a note (KEY from `pulsetui flags`).

    KEY must be a red flag raised now; the note must say something. The note covers
    what the flag shows now: new evidence raises it again, as recurring."""
    if not visible(note):
        raise InvalidInput.one("note", "must not be blank: say what was done about it")
    with ctx.workspace() as ws:
        address_flag(ws, key, note)
        say(f"addressed {key.strip()}")


@click.command("health")
@client_option
@json_option
@pass_ctx
def health_cmd(ctx: Context, client_name: str, as_json: bool) -> None:
    """A client's health score, the reason for every point lost, and its trend."""
    with ctx.workspace(readonly=True) as ws:
        client = ws.find(Client, client_name, field="client")
        health = client_health(ws, client.uid)
        if as_json:
            emit_json({"client": client.name, **health.as_dict()})
            return
        quarters = [quarter_label(*q) for q in previous_quarters(ws.today(), len(health.trend))]
        say(f"{client.name}: {health.score} ({health.grade})")
        for points, reason in health.lost:
            say(f"  -{points:<3} {reason}")
        trend = ", ".join(f"{q} {s}" for q, s in zip(quarters, health.trend, strict=True))
        trend = trend or "none yet"
        say(f"  trend: {trend}")


def read_input_file(file: Path, limit: int) -> bytes:
    """A file's bytes (``-``: stdin): an export, a backup. A missing or unreadable file
    is invalid input."""
    shown = "stdin" if str(file) == "-" else str(file)
    try:
        if str(file) == "-":
            stream = getattr(sys.stdin, "buffer", None)
            if stream is None:
                raise OSError(errno.EBADF, "it is closed")
            data: bytes = stream.read(limit + 1)
        else:
            with open(file, "rb") as handle:
                data = handle.read(limit + 1)
    except OSError as exc:
        raise InvalidInput.one("file", f"cannot read {shown}: {exc.strerror or exc}") from None
    return data


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@pass_ctx
def import_cmd(ctx: Context, file: Path) -> None:
    """Restore a workspace from `pulsetui export --format json` into an empty --home."""
    from pulsetui.service.restore import MAX_IMPORT_BYTES, import_state, read_export
    from pulsetui.store.store import Store

    data = read_input_file(file, MAX_IMPORT_BYTES)
    read_export(data)  # a file that is no export at all is refused before anything is made
    created = not ctx.home.exists()
    store = Store.open(ctx.home)
    try:
        counts = import_state(store, data)
    except InvalidInput:
        store.close(checkpoint="never")
        if created:  # leave no empty workspace behind a refused import
            shutil.rmtree(ctx.home, ignore_errors=True)
        raise
    store.close(checkpoint="always")
    total = sum(counts.values())
    detail = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    say(f"imported {counted(total, 'record')} into {ctx.home}" + (f" ({detail})" if detail else ""))

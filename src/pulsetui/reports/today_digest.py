"""Today written out for places other than the Today screen: a few lines for a login
shell, cron or a status bar (:func:`digest_lines`), and Markdown for a mail
(:func:`digest_markdown`). Both render :func:`pulsetui.service.views.today.today_view`,
the view the Today screen shows; nothing is decided here."""

from __future__ import annotations

from pulsetui.reports.markdown import inline
from pulsetui.service.views.today import TodayView
from pulsetui.service.views.today_items import TodayItem

SHORT = 5  # rows per section in the short form
NOTHING = "Nothing needs you today."


def _row(item: TodayItem) -> str:
    return " · ".join(part for part in (item.what, item.who, item.why) if part)


def digest_lines(view: TodayView, limit: int | None = SHORT) -> list[str]:
    """The heading lines, then each section that holds anything: its title with the
    number of rows, and its first ``limit`` rows (None: all) with how many more."""
    lines = view.summary_lines()
    shown = [section for section in view.sections if section.items]
    for section in shown:
        lines += ["", f"{section.title} ({len(section.items)})"]
        rows = section.items if limit is None else section.items[:limit]
        lines += [f"  {_row(item)}" for item in rows]
        if len(rows) < len(section.items):
            lines.append(f"  … {len(section.items) - len(rows)} more (pulsetui today --all)")
    if not shown and not view.notice:
        lines += ["", NOTHING]
    return lines


def digest_markdown(view: TodayView) -> str:
    """Every row of every section that holds anything, as Markdown lists; typed text
    escaped (:mod:`pulsetui.reports.markdown`)."""
    out = [f"# Today: {inline(view.manager)}, {view.day:%a %d %b %Y}", ""]
    out += [f"- {inline(line)}" for line in view.summary_lines()[1:]]
    shown = [section for section in view.sections if section.items]
    for section in shown:
        out += ["", f"## {inline(section.title)} ({len(section.items)})", ""]
        for item in section.items:
            who = f" ({inline(item.who)})" if item.who else ""
            why = f": {inline(item.why)}" if item.why else ""
            what = inline(item.what)
            out.append(f"- {f'**{what}**' if what else ''}{who}{why}")
    if not shown and not view.notice:
        out += ["", NOTHING]
    return "\n".join(out).rstrip() + "\n"

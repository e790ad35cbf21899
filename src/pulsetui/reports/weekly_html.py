"""The weekly client report as an HTML document for e-mail or a browser: the escaped
Markdown of :mod:`pulsetui.reports.weekly` rendered by markdown-it-py (CommonMark with
tables and strikethrough, raw HTML off), in a page with a few inline styles that mail
clients keep. Typed text reaches the page as text: the Markdown escapes make it
literal, and markdown-it-py writes ``&``, ``<``, ``>`` and ``"`` as entities."""

from __future__ import annotations

import html

from markdown_it import MarkdownIt

from pulsetui.reports.weekly import weekly_markdown
from pulsetui.service.weekly import WeeklyReport

STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "max-width:46em;margin:1em auto;padding:0 1em;color:#222;line-height:1.45}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #bbb;padding:.3em .6em;text-align:left;vertical-align:top}"
    "th{background:#f2f2f2}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.4em}"
)


def markdown_renderer() -> MarkdownIt:
    """CommonMark with GFM tables and strikethrough, raw HTML and linkify off."""
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def weekly_html(report: WeeklyReport) -> str:
    body = markdown_renderer().render(weekly_markdown(report))
    title = html.escape(f"Weekly report: {report.client_name} {report.week}")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{body}</body>\n</html>\n"
    )

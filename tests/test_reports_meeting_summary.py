"""The meeting summary in Markdown: its sections, and typed text that reads as typed when
the Markdown is rendered (CommonMark with tables, strikethrough and maths)."""

from __future__ import annotations

import datetime as dt

import pytest

from pulsetui.reports.markdown import block, inline
from pulsetui.reports.meeting_summary import summary_markdown
from pulsetui.service.views.meeting import CapturedAgreement, MeetingOutcome

DAY = dt.date(2026, 11, 20)
HOSTILE = (
    "~~struck~~",
    "&copy;",
    "<b>bold</b>",
    "a | b",
    "$5 and $6",
    "*em* _em_ **strong**",
    "`code`",
    "[link](http://example.com)",
    "![img](http://example.com/x.png)",
    "[ref]: http://example.com",
    "# heading",
    "> quote",
    "- item",
    "+ item",
    "2026. ordered",
    "3) ordered",
    "---",
    "===",
    "+",
    "--",
    "- - -",
    "#",
    "#\ttab",
    "1.",
    "back\\slash\\",
    "<http://example.com>",
)


def outcome(**changes: object) -> MeetingOutcome:
    fields: dict[str, object] = {
        "client_name": "Acme [bold]Oy[/bold]",
        "date": DAY,
        "discussed": ("Invoice delays",),
        "dropped": (),
        "carried": ("Team \x1b[31m size 🚀",),
        "agreements": (
            CapturedAgreement(
                "a1", "us", "Mikko", DAY + dt.timedelta(days=7), "Send [b]the[/b] plan"
            ),
            CapturedAgreement("a2", "client", "", None, "Approve"),
        ),
        "notes": "Line one\nLine two",
    }
    fields.update(changes)
    return MeetingOutcome(**fields)  # type: ignore[arg-type]


def test_summary_sections() -> None:
    text = summary_markdown(outcome(), DAY + dt.timedelta(days=14))
    assert text.startswith("# Meeting with Acme [bold]Oy[/bold]: 2026-11-20\n")
    assert "## Discussed\n- Invoice delays\n" in text
    assert "## Dropped\n- none\n" in text
    assert "## Carried over to the next meeting\n- Team ␛[31m size 🚀\n" in text
    assert (
        "## Agreements\n- [us, Mikko, due 2026-11-27] Send [b]the[/b] plan\n- [client] Approve"
        in text
    )
    assert "## Notes\nLine one\nLine two\n" in text
    assert text.endswith("## Next meeting\n- 2026-12-04\n")
    bare = summary_markdown(outcome(notes="  ", agreements=()), None)
    assert "## Notes" not in bare and "## Agreements\n- none" in bare
    assert bare.endswith("- not planned\n")


INLINE_TAGS = ("<em", "<strong", "<a ", "<img", "<s>", "<del", "<code", "<b>", "<table", "math")
BLOCK_TAGS = ("<h1", "<h2", "<h3", "<blockquote", "<ol", "<hr", "<pre")


@pytest.mark.parametrize("typed", HOSTILE)
def test_typed_text_renders_as_typed(typed: str) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    plugins = pytest.importorskip("mdit_py_plugins.dollarmath")
    renderer = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])
    renderer.use(plugins.dollarmath_plugin)

    summary = renderer.render(summary_markdown(outcome(discussed=(typed,), notes=typed), None))
    assert summary.count("<h1>") == 1 and summary.count("<h2>") == 6  # only its own
    for tag in (*INLINE_TAGS, "<blockquote", "<ol", "<hr", "<h3"):
        assert tag not in summary, f"{typed!r} made {tag} in the summary"
    for text in (f"- {inline(typed)}\n", block(f"{typed}\n{typed}") + "\n"):
        html = renderer.render(text)
        for tag in (*INLINE_TAGS, *BLOCK_TAGS):
            assert tag not in html, f"{typed!r} made {tag} in {text!r}"
    shown = renderer.render(inline(typed))
    for entity, char in (("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"')):
        shown = shown.replace(entity, char)
    assert typed in shown, (typed, shown)


@pytest.mark.parametrize(
    "typed", ["+358 40 123 4567", "-5 °C outside", "#hashtag", "3.5 days", "2026 budget", "=x"]
)
def test_text_that_opens_no_block_is_written_as_typed(typed: str) -> None:
    """Only what would open a block is escaped: a phone number, a temperature or a tag
    at the start of a line reads in the Markdown file as it was typed."""
    assert inline(typed) == typed
    assert block(f"{typed}\n{typed}") == f"{typed}\n{typed}"

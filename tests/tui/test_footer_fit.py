"""The footer at 60×20, 80×24 and 120×40 on the screens a manager lives in: every hint
on the last line is whole, none is drawn over another (the palette key, at the right,
drew over the hints that ran that far: "^f End meet▏^p palette"), and the most
important come first — how to save or end, then help."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from tests.tui.screen_harness import settle, wait_for

from pulsetui.tui.screens.base import is_writing
from pulsetui.tui.widgets.key_hints import Hint, KeyHints

SIZES = [(60, 20), (80, 24), (120, 40)]

# the keys that open each screen from Today, and the hint that must come first there
SCENES: dict[str, tuple[tuple[str, ...], str]] = {
    "today": ((), "Quit"),
    "clients": (("l",), "Quit"),
    "client_page": (("l", "enter"), "Quit"),
    "meeting": (("l", "m"), "End meeting"),
    "consultants": (("c",), "Quit"),
    "pulse_form": (("c", "p"), "Save"),
    "agreements": (("g",), "Quit"),
}


def screen_lines(app: Any) -> list[str]:
    """The screen as drawn, line by line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def open_pulse_form(app: Any, pilot: Any) -> None:
    """From Today: c (consultants), then p (today's pulse conversation), settled."""
    await settle(app, pilot)
    await pilot.press("c")
    await settle(app, pilot)
    await pilot.press("p")
    await wait_for(lambda: is_writing(app.screen), pilot)
    await settle(app, pilot)


def on_the_line(footer: KeyHints, line: str) -> list[tuple[int, int, Hint]]:
    """Where each hint the footer says it shows is drawn on the line, checked against
    the line itself."""
    spans = []
    for start, end, hint in footer._spans:
        assert line[start:end].strip() == hint.text, f"{hint.text!r} not whole in {line!r}"
        spans.append((start, end, hint))
    return spans


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scene", sorted(SCENES))
async def test_every_hint_in_the_footer_is_whole_and_drawn_alone(
    make_tui_app: Any, scene: str, size: tuple[int, int]
) -> None:
    keys, first = SCENES[scene]
    app = make_tui_app()
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        for key in keys:
            before = app.screen
            await pilot.press(key)
            await wait_for(lambda before=before: app.screen is not before, pilot)
            await settle(app, pilot)
        footer = app.screen.query_one(KeyHints)
        await wait_for(lambda: footer.shown, pilot)
        await pilot.pause()
        line = screen_lines(app)[-1]
        spans = on_the_line(footer, line)
        palette = [hint for _start, _end, hint in spans if hint.palette]
        shown = [hint for _start, _end, hint in spans if not hint.palette]

        assert len(palette) == 1 and line.rstrip().endswith(palette[0].text)
        assert all(end <= size[0] for _start, end, _hint in spans)
        for (_s, left_end, _h), (right_start, _e, _k) in pairwise(spans):
            assert left_end <= right_start, f"hints drawn over each other in {line!r}"

        assert shown[0].description == first
        descriptions = [key.description for key in shown]
        assert "Help" in descriptions[:2]
        if is_writing(app.screen):
            help_key = shown[descriptions.index("Help")]
            assert help_key.key_display == "f1"  # "?" is text there


async def test_hints_that_no_longer_fit_go_and_come_back_with_the_width(
    make_tui_app: Any,
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        footer = app.screen.query_one(KeyHints)
        await wait_for(lambda: footer.shown, pilot)

        def shown() -> list[str]:
            spans = on_the_line(footer, screen_lines(app)[-1])
            return [hint.description for _start, _end, hint in spans if not hint.palette]

        wide = shown()
        await pilot.resize_terminal(60, 20)
        await wait_for(lambda: len(shown()) < len(wide), pilot)
        narrow = shown()
        assert narrow == wide[: len(narrow)]  # the most important ones
        assert "Quit" in narrow and "Help" in narrow
        await pilot.resize_terminal(120, 40)
        await wait_for(lambda: shown() == wide, pilot)


async def test_on_a_writing_screen_the_footer_names_keys_that_are_not_text(
    make_tui_app: Any,
) -> None:
    """With the focus on a list of the pulse form the footer offered "? Help" and
    "n NPS", keys that are text there: it names F1 and F4, which work."""
    from textual.widgets import OptionList

    from pulsetui.service.keymap import is_text_key

    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pulse_form(app, pilot)
        app.screen.query_one("#carried", OptionList).focus()
        footer = app.screen.query_one(KeyHints)

        def offered() -> dict[str, str]:
            spans = on_the_line(footer, screen_lines(app)[-1])
            return {hint.description: hint.key for _start, _end, hint in spans}

        await wait_for(lambda: "Remove" in offered(), pilot)  # the list's own key
        assert offered()["Help"] == "f1"
        assert not [key for key in offered().values() if is_text_key(key)]


async def test_moving_between_fields_with_the_same_keys_leaves_the_footer_as_it_is(
    make_tui_app: Any,
) -> None:
    """Every focus change may change the keys: Textual's footer built all its hints again
    each time (a screen opening built them up to 8 times). Here the line is drawn again
    only when the hints differ."""
    from textual.widgets import Input

    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pulse_form(app, pilot)
        footer = app.screen.query_one(KeyHints)
        await wait_for(lambda: footer.shown, pilot)
        found = footer._hints
        before = screen_lines(app)[-1]
        for field in ("#f-fit", "#f-growth", "#f-worries", "#f-wellbeing"):
            app.screen.query_one(field, Input).focus()
            await settle(app, pilot)
        assert footer._hints is found
        assert screen_lines(app)[-1] == before


async def test_a_click_on_a_hint_presses_its_key(make_tui_app: Any) -> None:
    from pulsetui.tui.screens.help import HelpScreen

    app = make_tui_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        footer = app.screen.query_one(KeyHints)
        await wait_for(lambda: footer.shown, pilot)
        line = screen_lines(app)[-1]
        start = line.index("Consultants")
        await pilot.hover(KeyHints, offset=(start, 0))
        assert footer._hover is not None and footer._hover.description == "Consultants"
        await pilot.click(KeyHints, offset=(start, 0))
        await wait_for(lambda: type(app.screen).__name__ == "ConsultantsScreen", pilot)
        await settle(app, pilot)
        footer = app.screen.query_one(KeyHints)
        await wait_for(lambda: footer.shown, pilot)
        line = screen_lines(app)[-1]
        await pilot.click(KeyHints, offset=(line.index("Help"), 0))
        await wait_for(lambda: isinstance(app.screen, HelpScreen), pilot)

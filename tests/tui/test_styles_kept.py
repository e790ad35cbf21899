"""The app parses each piece of CSS once and styles a section's new screen once
(``tui/kept_stylesheet.py``); a theme changes every screen's colours all the same —
one on show, one visited before, one visited for the first time after the change."""

from __future__ import annotations

from typing import Any

from tests.tui.screen_harness import settle, wait_for
from textual.color import Color

from pulsetui.tui.app import PulseApp
from pulsetui.tui.running import preload


def background(app: PulseApp) -> Color:
    return app.screen.styles.background


def theme_background(app: PulseApp, name: str) -> Color:
    theme = app.available_themes[name]
    return Color.parse(theme.background or ("#000000" if theme.dark else "#ffffff"))


async def test_a_theme_recolours_screens_shown_visited_and_new(make_tui_app: Any) -> None:
    app = make_tui_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await app.switch_mode("consultants")  # visited before the change
        await settle(app, pilot)
        await app.switch_mode("today")
        await settle(app, pilot)
        before = background(app)
        app.theme = "textual-light"
        light = theme_background(app, "textual-light")
        assert light != before
        await wait_for(lambda: background(app) == light, pilot)  # the screen on show
        await app.switch_mode("consultants")
        await settle(app, pilot)
        assert background(app) == light
        await app.switch_mode("clients")  # its first visit, after the change
        await settle(app, pilot)
        assert background(app) == light
        app.theme = "nord"
        nord = theme_background(app, "nord")
        await wait_for(lambda: background(app) == nord, pilot)
        await app.switch_mode("agreements")  # first visit again
        await settle(app, pilot)
        assert background(app) == nord
        await app.switch_mode("clients")
        await settle(app, pilot)
        assert background(app) == nord


async def test_the_css_of_a_section_is_parsed_once(make_tui_app: Any) -> None:
    """Visiting every section parses each CSS source once: a source parsed again is
    what made a section's first visit slow."""
    from textual.css import stylesheet as textual_stylesheet

    parsed: list[object] = []
    real = textual_stylesheet.parse

    def counting(*args: Any, **kwargs: Any) -> Any:
        parsed.append(args[2])  # where the CSS was read from
        return real(*args, **kwargs)

    app = make_tui_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        textual_stylesheet.parse = counting
        try:
            for section in ("consultants", "clients", "agreements", "today", "clients"):
                await app.switch_mode(section)
                await settle(app, pilot)
        finally:
            textual_stylesheet.parse = real
    assert parsed, "the sections brought CSS of their own"
    assert len(parsed) == len(set(parsed)), parsed


async def test_the_default_styles_of_the_app_s_widgets_are_parsed_ahead(
    make_tui_app: Any,
) -> None:
    """Once the app has parsed its widgets' default styles while idle, opening a
    consultant's pulse form from the consultants section (its lists, notes and history
    are made on Textual's) parses no CSS at all, and the form is styled as before."""
    from textual.css import stylesheet as textual_stylesheet

    parsed: list[object] = []
    real = textual_stylesheet.parse

    def counting(*args: Any, **kwargs: Any) -> Any:
        parsed.append(args[2])
        return real(*args, **kwargs)

    app = make_tui_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await app.switch_mode("consultants")
        await settle(app, pilot)
        preload()  # as the app does while it opens: the pages' modules imported
        textual_stylesheet.parse = counting
        try:
            app.warm_default_styles(step_seconds=0.001)
            await wait_for(lambda: app.default_styles_warm, pilot)
            assert parsed, "some were not parsed yet"
            warmed = len(parsed)
            consultant = app.workspace.my_consultants()[0].uid
            await app.open_record("consultant", consultant)
            await settle(app, pilot)
        finally:
            textual_stylesheet.parse = real
        assert type(app.screen).__name__ == "PulseForm"
        assert len(parsed) == warmed, parsed[warmed:]
        assert app.screen.query_one("#f-notes").styles.height.value == 6  # its own style

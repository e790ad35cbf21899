"""Meeting mode logs a wish and a touchpoint of its client without leaving the notes:
the chord opens the form over the notes, keys typed right behind it land in the form,
and after the save the notes have the focus again, unchanged, the cursor where it was."""

from __future__ import annotations

from tests.tui.screen_harness import ScreenHarness, settle, wait_for
from textual.widgets import Static, TextArea

from pulsetui.domain.enums import RequestKind, RequestStatus
from pulsetui.domain.models import Request, Touchpoint
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.forms.request_form import RequestForm
from pulsetui.tui.screens.forms.touchpoint_form import TouchpointForm
from pulsetui.tui.screens.meeting import MeetingScreen

NOTES = "Roadmap: they want the Tampere site first.\nBudget tight (q4), ä ж 🙂"


def notes_of(app: ScreenHarness) -> TextArea:
    return app.screen.query_one("#meeting-notes", TextArea)


async def test_a_wish_and_a_touchpoint_logged_from_the_notes(tui_ws: Workspace) -> None:
    client = next(c for c in tui_ws.my_clients() if c.contacts)
    contact = client.contacts[0].name
    app = ScreenHarness(tui_ws, lambda: MeetingScreen(client.uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        notes = notes_of(app)
        notes.load_text("")
        notes.insert(NOTES)
        notes.move_cursor((0, 8))  # the cursor inside the first line
        await pilot.press(*"x ")  # typed: the notes have the focus
        typed = notes.text
        assert typed.startswith("Roadmap:x  they want")
        where = notes.cursor_location

        # the wish: the chord and the whole form in one burst
        await pilot.press("f11", *"Quote for the quarterly report", "enter")
        await wait_for(lambda: isinstance(app.screen, MeetingScreen), pilot)
        await settle(app, pilot)
        assert app.screen.focused is notes_of(app)
        assert notes_of(app).text == typed and notes_of(app).cursor_location == where

        # the touchpoint: kind, when, the contact, the note; Enter in the note saves
        # the touchpoint opens on the contact, its first field to fill
        await pilot.press("f12", *contact, "tab", *"Sent the case study", "enter")
        await wait_for(lambda: isinstance(app.screen, MeetingScreen), pilot)
        await settle(app, pilot)
        assert app.screen.focused is notes_of(app)
        assert notes_of(app).text == typed and notes_of(app).cursor_location == where
        captured = str(app.screen.query_one("#captured", Static).render())
        assert "wish logged: Quote for the quarterly report" in captured
        assert f"touchpoint logged with {contact}: Sent the case study" in captured

        # typing goes on where it stopped
        await pilot.press(*"ok")
        assert notes_of(app).text == typed.replace("Roadmap:x ", "Roadmap:x ok", 1)

    [wish] = tui_ws.list(Request, where=lambda r: r.text == "Quote for the quarterly report")
    assert (wish.client, wish.kind, wish.status) == (
        client.uid,
        RequestKind.WISH,
        RequestStatus.NEW,
    )
    [touch] = tui_ws.list(Touchpoint, where=lambda t: t.note == "Sent the case study")
    assert (touch.client, touch.contact) == (client.uid, contact)


async def test_closing_the_form_unsaved_gives_the_notes_back(tui_ws: Workspace) -> None:
    client = tui_ws.my_clients()[0]
    app = ScreenHarness(tui_ws, lambda: MeetingScreen(client.uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"Notes so far")
        typed, where = notes_of(app).text, notes_of(app).cursor_location
        before = len(tui_ws.list(Request)), len(tui_ws.list(Touchpoint))
        await pilot.press("f11")
        await wait_for(lambda: isinstance(app.screen, RequestForm), pilot)
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, MeetingScreen), pilot)
        await pilot.press("f12")
        await wait_for(lambda: isinstance(app.screen, TouchpointForm), pilot)
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, MeetingScreen), pilot)
        await settle(app, pilot)
        assert app.screen.focused is notes_of(app)
        assert notes_of(app).text == typed and notes_of(app).cursor_location == where
        assert (len(tui_ws.list(Request)), len(tui_ws.list(Touchpoint))) == before

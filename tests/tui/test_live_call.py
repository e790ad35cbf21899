"""Safe in a live call: letters are text on writing screens, nothing typed is lost (keys
behind a hotkey, Esc, quit, paste), and call mode is a hard boundary around one client."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from tests.tui.screen_harness import ScreenHarness, settle, stopped, wait_for
from tests.tui.test_typing_ahead import burst
from textual import events
from textual.widgets import Input, OptionList, TextArea

from pulsetui.domain.enums import MeetingStatus
from pulsetui.domain.models import ClientMeeting, NpsResponse
from pulsetui.service.views.consultants import placement
from pulsetui.service.workspace import Workspace
from pulsetui.tui.app import PulseApp
from pulsetui.tui.screens.agenda_modal import AgendaModal
from pulsetui.tui.screens.agreement_modal import AgreementModal
from pulsetui.tui.screens.meeting import MeetingScreen
from pulsetui.tui.screens.nps_modal import NpsModal
from pulsetui.tui.screens.record_picker import RecordPicker


async def open_meeting(app: PulseApp, pilot: Any) -> str:
    """From Today: Clients, then meeting mode with the client under the cursor."""
    await settle(app, pilot)
    await pilot.press("l")
    await settle(app, pilot)
    client = app.screen.context_client()
    assert client is not None
    await pilot.press("m")
    await settle(app, pilot)
    assert isinstance(app.screen, MeetingScreen)
    return client


def notes(app: PulseApp) -> TextArea:
    return app.screen.query_one("#meeting-notes", TextArea)


async def test_letters_in_meeting_mode_are_notes_never_commands(make_tui_app: Any) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(app, pilot)
        assert app.screen.focused is notes(app), "the notes have the focus from the start"
        start = notes(app).text
        burst(app, "They also want a quote: t c l g n a q 1 2 ? e d space.")
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, MeetingScreen)
        assert notes(app).text == start + "They also want a quote: t c l g n a q 1 2 ? e d space."
        footer_keys = {b.binding.key for b in app.screen.active_bindings.values()}
        assert "q" not in footer_keys and "t" not in footer_keys
        assert {"ctrl+t", "ctrl+o", "ctrl+g", "ctrl+f"} <= set(app.screen.active_bindings)


async def test_keys_behind_the_hotkey_land_in_the_form_in_order(make_tui_app: Any) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("l", "enter")  # a client page
        await settle(app, pilot)
        burst(app, "eSend the signed contract")
        await settle(app, pilot)
        assert isinstance(app.screen, AgreementModal)
        assert app.screen.query_one("#f-text", Input).value == "Send the signed contract"


async def test_keys_arriving_as_held_keys_are_handed_on_stay_behind_them(
    make_tui_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys held for a form that was mounting go to it before keys that arrive while
    they are being handed on: "S" held, "end the plan" arriving right then."""
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("l", "enter")  # a client page
        await settle(app, pilot)
        hand_on = PulseApp.release_keys
        late: list[str] = []

        def arriving_meanwhile(self: PulseApp, screen: Any = None) -> Any:
            if not late:
                late.append("end the plan")
                for char in late[0]:  # read from the terminal just as the held go on
                    self.post_message(events.Key("space" if char == " " else char, char))
            return hand_on(self, screen)

        monkeypatch.setattr(PulseApp, "release_keys", arriving_meanwhile)
        burst(app, "eS")
        await wait_for(lambda: isinstance(app.screen, AgreementModal), pilot)
        field = app.screen.query_one("#f-text", Input)
        await wait_for(lambda: len(field.value) == len("Send the plan"), pilot)
        assert field.value == "Send the plan"


async def test_keys_behind_the_agenda_hotkey_from_a_client_page(make_tui_app: Any) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        burst(app, "aRoadmap for Q3, ask Pekka")
        await settle(app, pilot)
        assert isinstance(app.screen, AgendaModal)
        assert app.screen.query_one("#f-text", Input).value == "Roadmap for Q3, ask Pekka"


async def test_quit_right_after_typing_keeps_the_notes(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        client = await open_meeting(app, pilot)
        burst(app, "Quoted 12 days")
        app.post_message(events.Key("ctrl+q", None))
        await stopped(app)
    held = [m for m in tui_ws.meetings_of(client) if "Quoted 12 days" in m.notes]
    assert len(held) == 1


async def test_quit_waits_for_notes_a_busy_machine_types_in_slowly(
    make_tui_app: Any, tui_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quitting waits for the notes field to take every key sent to it, however long
    that takes: on a busy machine a burst can take seconds to be typed in."""
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        client = await open_meeting(app, pilot)
        typing = TextArea._on_key

        async def slow_key(self: TextArea, event: events.Key) -> None:
            await asyncio.sleep(0.15)  # a machine too busy to type a key at once
            await typing(self, event)

        monkeypatch.setattr(TextArea, "_on_key", slow_key)
        burst(app, "Quoted 12 days")  # 2 s to type in
        app.post_message(events.Key("ctrl+q", None))
        await stopped(app)
    held = [m for m in tui_ws.meetings_of(client) if "Quoted 12 days" in m.notes]
    assert len(held) == 1


async def test_esc_keeps_a_draft_in_the_agreement_and_agenda_forms(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(app, pilot)
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        await pilot.press(*"Send the offer", "tab", "tab", *"Liisa", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.focused is notes(app), "back in the notes"
        await pilot.press("ctrl+g")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, AgreementModal)
        assert form.query_one("#f-text", Input).value == "Send the offer"
        assert form.query_one("#f-owner", Input).value == "Liisa"
        await pilot.press("escape", "f3")
        await settle(app, pilot)
        await pilot.press(*"Hours approval", "escape")
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        assert isinstance(app.screen, AgendaModal)
        assert app.screen.query_one("#f-text", Input).value == "Hours approval"


async def test_quitting_keeps_an_open_form_as_a_draft(make_tui_app: Any, tui_ws: Workspace) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(app, pilot)
        await pilot.press("f3", *"Ask about the budget", "ctrl+q")
        await stopped(app)
    again = make_tui_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await open_meeting(again, pilot)
        await pilot.press("f3")
        await settle(again, pilot)
        assert again.screen.query_one("#f-text", Input).value == "Ask about the budget"


async def test_the_call_mode_key_in_the_notes_edits_nothing(make_tui_app: Any) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        client = await open_meeting(app, pilot)
        await pilot.press(*"Line one", "home", "ctrl+l")
        await settle(app, pilot)
        assert app.call_mode and app.call_client == client
        assert notes(app).text.endswith("Line one")
        assert app.screen.query_one("#call-banner").display


async def test_paste_keeps_its_order_and_shows_escape_visibly(make_tui_app: Any) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(app, pilot)
        start = notes(app).text
        app.post_message(events.Paste("pasted \x1b[31mRED\x1b[0m end"))
        await settle(app, pilot)
        assert notes(app).text == start + "pasted ␛[31mRED␛[0m end"


async def test_a_paste_with_line_breaks_as_a_terminal_sends_them_keeps_its_lines(
    make_tui_app: Any,
) -> None:
    """A terminal pastes each line break as CR (the Enter key): the notes get lines."""
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(app, pilot)
        start = notes(app).text
        app.post_message(events.Paste("first line\rsecond\r\nthird\x07 end"))
        await settle(app, pilot)
        assert isinstance(app.screen, MeetingScreen)  # the BEL (ctrl+g) opened nothing
        assert notes(app).text == start + "first line\nsecond\nthird␇ end"


async def test_agreement_captured_from_a_line_of_notes(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        client = await open_meeting(app, pilot)
        await pilot.press("enter", *"+ Send the offer @Liisa Laine fri", "ctrl+g")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, AgreementModal)
        values = [form.query_one(f"#f-{n}", Input).value for n in ("text", "owner", "due")]
        assert values == ["Send the offer", "Liisa Laine", "fri"]
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, MeetingScreen)
        area = notes(app)
        assert app.screen.focused is area
        assert area.cursor_location == (area.document.line_count - 1, len(area.document.lines[-1]))
        await pilot.press(*" ok")
        await settle(app, pilot)
        assert area.text.endswith("@Liisa Laine fri ok")
    made = [a for a in tui_ws.agreements_of(client) if a.text == "Send the offer"]
    assert [(a.owner, a.due.isoformat() if a.due else "") for a in made] == [
        ("Liisa Laine", "2026-11-27")
    ]
    assert made[0].meeting is not None


async def test_each_line_of_notes_keeps_its_own_agreement_draft(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    """Esc on the form filled from a line keeps what was changed as that line's draft:
    ctrl+g on the same line brings it back, another line's form is filled from its own
    line and leaves the first draft as it was."""
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        client = await open_meeting(app, pilot)

        def text_field() -> Input:
            assert isinstance(app.screen, AgreementModal)
            return app.screen.query_one("#f-text", Input)

        await pilot.press("enter", *"+ Send the offer @Liisa Laine fri", "ctrl+g")
        await settle(app, pilot)
        assert text_field().value == "Send the offer"
        await pilot.press(*" and the deck ä", "escape")
        await settle(app, pilot)
        await pilot.press("enter", *"+ Call Pekka", "ctrl+g")
        await settle(app, pilot)
        assert text_field().value == "Call Pekka"  # its own line, not the other draft
        await pilot.press("escape")  # nothing changed: no draft for this line
        await settle(app, pilot)
        await pilot.press("up", "ctrl+g")
        await settle(app, pilot)
        assert text_field().value == "Send the offer and the deck ä"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, MeetingScreen)
        assert notes(app).cursor_location[0] == 1  # back on the line the form came from
        await pilot.press("ctrl+g")  # the draft went with the save
        await settle(app, pilot)
        assert text_field().value == "Send the offer"
        await pilot.press("escape")
        await settle(app, pilot)
    assert [a.text for a in tui_ws.agreements_of(client) if a.text.startswith("Send")] == [
        "Send the offer and the deck ä"
    ]


async def test_a_meeting_left_without_content_leaves_no_record(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        client = app.screen.context_client()
        before = [(m.uid, m.date, m.status, m.notes) for m in tui_ws.meetings_of(client)]
        next_before = tui_ws.next_meeting(client)
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press("ctrl+t", "ctrl+t", "escape")  # ticked and unticked: no content
        await settle(app, pilot)
        await pilot.press("m", "escape")
        await settle(app, pilot)
        after = [(m.uid, m.date, m.status, m.notes) for m in tui_ws.meetings_of(client)]
        assert after == before
        assert tui_ws.next_meeting(client) == next_before


async def test_a_started_meeting_can_be_discarded(make_tui_app: Any, tui_ws: Workspace) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        client = app.screen.context_client()
        before = sorted((m.uid, m.status, m.notes) for m in tui_ws.meetings_of(client))
        agenda_before = sorted((i.uid, i.status) for i in tui_ws.agenda_of(client))
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press(*"Said a lot", "ctrl+t", "ctrl+n", "ctrl+o")
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert not isinstance(app.screen, MeetingScreen)
    assert sorted((m.uid, m.status, m.notes) for m in tui_ws.meetings_of(client)) == before
    assert sorted((i.uid, i.status) for i in tui_ws.agenda_of(client)) == agenda_before


async def test_a_resumed_meeting_shows_its_notes_as_saved(tui_ws: Workspace) -> None:
    client = tui_ws.my_clients()[0].uid
    meeting = tui_ws.plan_meeting(client, tui_ws.today(), notes="Earlier words")
    app = ScreenHarness(tui_ws, lambda: MeetingScreen(client))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.draft.meeting == meeting.uid
        state = str(app.screen.query_one("#meeting-state").render())
        assert "nothing typed" not in state and "none" not in state
        assert notes(app).text == "Earlier words"
    assert tui_ws.require(ClientMeeting, meeting.uid).status == MeetingStatus.PLANNED


# ---- call mode: only the client in view ---------------------------------------------------


async def test_call_mode_asks_which_client_and_every_picker_offers_only_it(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    today = tui_ws.today()
    placed: dict[str, set[str]] = {}
    for person in tui_ws.my_consultants():
        where = placement(tui_ws, person.uid, today)
        if where is not None:
            placed.setdefault(where.client, set()).add(person.uid)
    chosen = next(c for c in tui_ws.my_clients() if c.uid in placed)
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")  # the consultants: no client in view
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordPicker)
        await pilot.press(*chosen.name[:6])
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.call_mode and app.call_client == chosen.uid
        # the NPS form: only that client matches, whatever is typed
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, NpsModal)
        assert [c.uid for c in form._clients] == [chosen.uid]
        await pilot.press("escape")
        await settle(app, pilot)
        # the agreement form (from the palette): on that client, with nothing to choose
        await app.run_action("new_agreement")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, AgreementModal) and form.client_uid == chosen.uid
        assert not form.query("#f-client")
        await pilot.press("escape")
        await settle(app, pilot)
        # new pulse from the palette, where no consultant is in view: the picker offers
        # only the consultants placed at the client
        await pilot.press("g")
        await settle(app, pilot)
        await app.run_action("new_pulse")
        await wait_for(lambda: isinstance(app.screen, RecordPicker), pilot)
        await settle(app, pilot)
        picker = app.screen.query_one("#picker-options", OptionList)
        offered = {picker.get_option_at_index(i).id for i in range(picker.option_count)}
        assert offered == placed[chosen.uid]


async def test_in_a_call_a_new_record_opens_on_the_call_s_client_where_none_is_in_view(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    chosen = tui_ws.my_clients()[0]
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")  # the consultants: no client in view
        await settle(app, pilot)
        app.start_call(chosen.uid)
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, NpsModal)
        assert app.screen.query_one("#client", Input).value == chosen.name
        before = len(tui_ws.list(NpsResponse, client=chosen.uid))
        app.screen.query_one("#score").focus()
        await pilot.press("9", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, NpsModal)
        answers = tui_ws.list(NpsResponse, client=chosen.uid)
        assert len(answers) == before + 1 and answers[-1].score == 9
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, AgendaModal)
        assert chosen.name in str(app.screen.query_one("#client-name").render())


# ---- back means back ----------------------------------------------------------------------


async def test_esc_after_opening_a_today_row_returns_to_today_where_it_was(
    make_tui_app: Any,
) -> None:
    from textual.widgets import DataTable

    from pulsetui.tui.screens.today import TodayScreen

    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        row = 2  # not the first row: the cursor is kept, not reset
        table.move_cursor(row=row)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.current_mode != "today"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.current_mode == "today" and isinstance(app.screen, TodayScreen)
        assert app.screen.query_one(DataTable).cursor_row == row


async def test_a_draft_typed_before_the_call_does_not_show_in_it(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    """An agreement left as a draft before the call stays out of it (another client's,
    or the call client's own: it may say what the client must not see); what is typed in
    the call comes back in it, and to the manager once it has ended."""
    app = make_tui_app()

    async def agreement_form(client: str | None = None) -> Input:
        if client is None:
            await app.run_action("new_agreement")
        else:
            app.push_screen(AgreementModal(client=client))
        await settle(app, pilot)
        assert isinstance(app.screen, AgreementModal)
        field = app.screen.query_one("#f-text", Input)
        field.focus()
        return field

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        first, second = [c.uid for c in tui_ws.my_clients()[:2]]
        for client in (first, second):
            await agreement_form(client)
            await pilot.press(*f"SECRET for {client}", "escape")
            await settle(app, pilot)
        app.start_call(second)
        await settle(app, pilot)
        field = await agreement_form()  # the call's client
        assert field.value == ""
        await pilot.press(*"Typed in the call ä", "escape")
        await settle(app, pilot)
        assert (await agreement_form()).value == "Typed in the call ä"
        await pilot.press("escape")
        await settle(app, pilot)
        app.call_mode = False
        await settle(app, pilot)
        assert (await agreement_form(first)).value == f"SECRET for {first}"
        await pilot.press("escape")
        await settle(app, pilot)
        # the manager sees the draft typed last: in the call
        assert (await agreement_form(second)).value == "Typed in the call ä"


async def test_notices_from_before_the_call_leave_the_screen_as_it_starts(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.notify("Client “SECRET prospect Oy” is back.", timeout=60)
        await settle(app, pilot)
        assert [n.message for n in app._notifications] == ["Client “SECRET prospect Oy” is back."]
        app.start_call(tui_ws.my_clients()[0].uid)
        await settle(app, pilot)
        shown = [n.message for n in app._notifications]
        assert not any("SECRET" in message for message in shown)
        assert any("CALL MODE on" in message for message in shown)
        toasts = " ".join(str(toast.render()) for toast in app.screen.query("Toast"))
        assert "SECRET" not in toasts


async def test_in_a_call_no_form_opens_on_another_client_s_record_and_undo_is_off(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    from pulsetui.tui.screens.forms.open import open_consultant_form, undo_delete

    today = tui_ws.today()
    placed = {p.uid: placement(tui_ws, p.uid, today) for p in tui_ws.my_consultants()}
    elsewhere, there = next(
        (a, b)
        for a, pa in placed.items()
        for b, pb in placed.items()
        if pa is not None and pb is not None and pa.client != pb.client
    )
    in_view = placed[there]
    assert in_view is not None
    other = placed[elsewhere]
    assert other is not None
    doomed = tui_ws.add_agreement(other.client, "SECRET offer", "us")
    tui_ws.delete("agreement", doomed.uid)  # another client's, deleted before the call
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.start_call(in_view.client)
        await settle(app, pilot)
        before = type(app.screen)
        open_consultant_form(app, elsewhere)
        await settle(app, pilot)
        assert type(app.screen) is before  # nothing opened
        assert any("Not shown in this call" in n.message for n in app._notifications)
        open_consultant_form(app, there)  # placed at the client in view: it opens
        await settle(app, pilot)
        assert type(app.screen) is not before
        await pilot.press("escape")
        await settle(app, pilot)
        undo_delete(app)
        await settle(app, pilot)
        assert not tui_ws.exists("agreement", doomed.uid)  # not brought back
        assert not any("SECRET" in n.message for n in app._notifications)


@pytest.mark.parametrize("width", [40, 60, 80, 120])
async def test_the_call_banner_names_the_client_and_the_key_that_ends_it_at_any_width(
    make_tui_app: Any, tui_ws: Workspace, width: int
) -> None:
    from pulsetui.tui.widgets.call_banner import CallBanner

    client = max(tui_ws.my_clients(), key=lambda c: len(c.name))
    app = make_tui_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(app, pilot)
        app.start_call(client.uid)
        await settle(app, pilot)
        banner = app.screen.query_one(CallBanner)
        shown = str(banner.render())
        assert len(shown) <= width and shown.endswith("F2 ends it")
        assert client.name in shown or "…" in shown
        if width >= 80:
            assert shown.startswith("SCREEN SHARED · CALL MODE") and client.name in shown


async def test_the_communicator_handover_is_not_opened_in_a_call_and_says_why(
    tui_ws: Workspace,
) -> None:
    from pulsetui.tui.screens.client_page import ClientPage

    client = tui_ws.my_clients()[0].uid
    app = ScreenHarness(tui_ws, lambda: ClientPage(client))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.start_call(client)
        await settle(app, pilot)
        page = app.screen
        await pilot.press("H")
        await settle(app, pilot)
        assert app.screen is page  # no form opened
        said = [n.message for n in app._notifications]
        assert any("handovers (who, when, notes) are internal" in m for m in said), said

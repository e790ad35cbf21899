"""The record forms driven by keys only, on the demo workspace: what they save (read back
from the store), what they refuse (the error beside the field, everything typed kept,
nothing written), hostile text kept exactly, Esc keeping typed text as a draft,
delete asking first and undo bringing it back, and call mode limiting the pickers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tests.tui.screen_harness import ScreenHarness, palette_answered, settle, wait_for
from textual import events
from textual.screen import Screen
from textual.widgets import Input, Select, Static

from pulsetui.domain.enums import Cadence, RequestStatus
from pulsetui.domain.models import Client, Consultant, Engagement, Request, Touchpoint
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.confirm import ConfirmModal
from pulsetui.tui.screens.forms.client_form import ClientForm
from pulsetui.tui.screens.forms.communicator_form import CommunicatorForm
from pulsetui.tui.screens.forms.consultant_form import ConsultantForm
from pulsetui.tui.screens.forms.engagement_form import EngagementForm
from pulsetui.tui.screens.forms.form_base import RecordForm
from pulsetui.tui.screens.forms.open import delete_record, undo_delete
from pulsetui.tui.screens.forms.request_form import RequestForm
from pulsetui.tui.screens.forms.touchpoint_form import TouchpointForm

HOSTILE = "Ääkkönen [bold]ж õ 🙂 Oy"


def harness(ws: Workspace, make: Callable[[], Screen[Any]]) -> ScreenHarness:
    return ScreenHarness(ws, make)


async def type_text(pilot: Any, text: str) -> None:
    """Each character as a key press; one beyond the keyboard's (an emoji) as a paste."""
    for ch in text:
        if ord(ch) > 0xFFFF:
            pilot.app.focused.post_message(events.Paste(ch))
            await pilot.pause()
        else:
            await pilot.press("space" if ch == " " else ch)


def form(app: ScreenHarness) -> RecordForm:
    screen = app.screen
    assert isinstance(screen, RecordForm)
    return screen


def error_of(app: ScreenHarness, name: str) -> str:
    return str(form(app).query_one(f"#err-{name}", Static).render())


async def choose(pilot: Any, steps: int) -> None:
    """Enter opens the focused choice; ↓ ``steps`` times; Enter picks."""
    await pilot.press("enter")
    await pilot.pause()
    for _ in range(abs(steps)):
        await pilot.press("down" if steps > 0 else "up")
    await pilot.press("enter")
    await pilot.pause()


async def test_a_client_with_two_contacts_and_a_twice_weekly_cadence(tui_ws: Workspace) -> None:
    before = tui_ws.count(Client)
    app = harness(tui_ws, ClientForm)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_text(pilot, HOSTILE)
        await pilot.press("tab")  # Meetings: quarterly is the last; twice a week the first
        await choose(pilot, -4)
        # to the first contact row: Stage, Spiral, Wants us, We want, the two flags
        for _ in range(6):
            await pilot.press("tab")
        await pilot.press("space")  # ticks "Approvals late"
        await pilot.press("tab")
        await type_text(pilot, "Pekka Kuusinen")
        await pilot.press("tab")
        await type_text(pilot, "CTO")
        await pilot.press("tab", "space", "tab")
        await type_text(pilot, "Дмитрий Иванов")
        await pilot.press("ctrl+s")
        await wait_for(lambda: not isinstance(app.screen, ClientForm), pilot)
    assert tui_ws.count(Client) == before + 1
    [client] = tui_ws.list(Client, where=lambda c: c.name == HOSTILE)
    assert client.cadence == Cadence.TWICE_WEEKLY and client.approval_delays
    assert not client.unpaid_invoices and client.manager == tui_ws.me
    assert [(c.name, c.role, c.decision_maker) for c in client.contacts] == [
        ("Pekka Kuusinen", "CTO", True),
        ("Дмитрий Иванов", "", False),
    ]


async def test_a_client_that_breaks_a_rule_keeps_what_was_typed(tui_ws: Workspace) -> None:
    before = tui_ws.count(Client)
    app = harness(tui_ws, ClientForm)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("space", "space")  # a blank name
        screen = form(app)
        screen.query_one("#f-contacts-0-role", Input).value = "CTO"  # a role without a name
        screen.query_one("#f-notes").focus()
        huge = "Long note. " * 20_000
        screen.query_one("#f-notes").insert(huge)  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ClientForm)
        assert "blank" in error_of(app, "name") or "empty" in error_of(app, "name")
        assert "name" in error_of(app, "contacts-0")
        assert app.focused is screen.query_one("#f-name")
        assert screen.query_one("#f-name", Input).value == "  "
        assert screen.query_one("#f-contacts-0-role", Input).value == "CTO"
        assert screen.value("notes") == huge
        # fixed, it saves: the long note in full
        await type_text(pilot, "Kask")
        screen.query_one("#f-contacts-0-name", Input).value = "Õie"
        await pilot.press("ctrl+s")
        await wait_for(lambda: not isinstance(app.screen, ClientForm), pilot)
    assert tui_ws.count(Client) == before + 1
    [client] = tui_ws.list(Client, where=lambda c: c.name == "Kask")
    assert client.notes == huge and client.contacts[0].name == "Õie"


async def test_editing_a_client_changes_only_what_was_changed(tui_ws: Workspace) -> None:
    client = tui_ws.my_clients()[0]
    app = harness(tui_ws, lambda: ClientForm(client.uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert form(app).query_one("#f-name", Input).value == client.name
        await pilot.press("end")
        await type_text(pilot, " Group")
        await pilot.press("ctrl+s")
        await wait_for(lambda: not isinstance(app.screen, ClientForm), pilot)
    after = tui_ws.require(Client, client.uid)
    assert after.name == client.name + " Group"
    assert after.contacts == client.contacts and after.notes == client.notes
    assert after.stage_since == client.stage_since


async def test_a_consultant_placed_at_a_client(tui_ws: Workspace) -> None:
    client = tui_ws.my_clients()[0]
    app = harness(tui_ws, lambda: ConsultantForm(client=client.uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_text(pilot, "Jüri Ääremaa")
        await pilot.press("tab", "tab", "tab")  # e-mail, placed at, from
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "2026-12-01")
        await pilot.press("enter")  # Enter in the last field saves
        await wait_for(lambda: not isinstance(app.screen, ConsultantForm), pilot)
    [person] = tui_ws.list(Consultant, where=lambda c: c.name == "Jüri Ääremaa")
    [engagement] = tui_ws.list(Engagement, consultant=person.uid)
    assert engagement.client == client.uid and str(engagement.start) == "2026-12-01"


async def test_an_engagement_with_an_unreadable_date_keeps_it(tui_ws: Workspace) -> None:
    client = tui_ws.my_clients()[0]
    consultant = tui_ws.my_consultants()[0]
    before = tui_ws.count(Engagement)
    app = harness(tui_ws, lambda: EngagementForm(client=client.uid, consultant=consultant.uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = form(app)
        screen.query_one("#f-start", Input).focus()
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "the 31st")
        await pilot.press("tab")
        await type_text(pilot, "2020-01-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EngagementForm)
        assert error_of(app, "start")
        assert screen.query_one("#f-start", Input).value == "the 31st"
        assert tui_ws.count(Engagement) == before
        screen.query_one("#f-start", Input).value = "2026-11-02"
        await pilot.press("ctrl+s")
        await pilot.pause()
        # ends before it starts: said under the row, naming To (the line is under From)
        assert error_of(app, "end").startswith("✗ To: must not be before the start")
        screen.query_one("#f-end", Input).value = ""
        screen.query_one("#f-main_communicator", Input).value = "Õie Kask [bold]"
        await pilot.press("ctrl+s")
        await wait_for(lambda: not isinstance(app.screen, EngagementForm), pilot)
    assert tui_ws.count(Engagement) == before + 1
    [made] = [
        e
        for e in tui_ws.list(Engagement, consultant=consultant.uid)
        if e.main_communicator == "Õie Kask [bold]"
    ]
    assert made.client == client.uid and str(made.start) == "2026-11-02"


async def test_a_wish_accepted_with_a_plan(tui_ws: Workspace) -> None:
    client = tui_ws.my_clients()[0]
    app = harness(tui_ws, lambda: RequestForm(client.uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_text(pilot, "They also want a quote for the quarterly report, ok?")
        await pilot.press("tab", "tab", "tab")  # kind, asked on, became
        await choose(pilot, 1)
        await pilot.press("ctrl+s")
        await wait_for(lambda: not isinstance(app.screen, RequestForm), pilot)
    [wish] = tui_ws.list(Request, where=lambda r: r.text.startswith("They also want"))
    assert wish.text == "They also want a quote for the quarterly report, ok?"
    assert (wish.status, wish.planned, wish.client) == (RequestStatus.ACCEPTED, True, client.uid)


async def test_a_wish_asked_on_a_day_still_to_come_is_refused_beside_the_date(
    tui_ws: Workspace,
) -> None:
    client = tui_ws.my_clients()[0]
    before = tui_ws.count(Request)
    app = harness(tui_ws, lambda: RequestForm(client.uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_text(pilot, "Dark mode for the portal")
        await pilot.press("tab", "tab")  # kind, asked on
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "+2w")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, RequestForm)
        assert error_of(app, "date").startswith("✗ Asked on: must not be after today")
        assert form(app).query_one("#f-text", Input).value == "Dark mode for the portal"
        assert tui_ws.count(Request) == before
        form(app).query_one("#f-date", Input).value = "today"
        await pilot.press("ctrl+s")
        await wait_for(lambda: not isinstance(app.screen, RequestForm), pilot)
    assert tui_ws.count(Request) == before + 1


async def test_a_touchpoint_with_the_contact_it_reached(tui_ws: Workspace) -> None:
    client = next(c for c in tui_ws.my_clients() if c.contacts)
    contact = client.contacts[0].name
    app = harness(tui_ws, lambda: TouchpointForm(client.uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        # a new touchpoint opens on the first field to fill: the contact (the kind and
        # the day have their values)
        assert app.screen.focused is app.screen.query_one("#f-contact")
        await type_text(pilot, contact[:3])
        await pilot.press("right")  # takes the completion
        await pilot.press("enter")
        await type_text(pilot, "Sent the case study about the warehouse ✓")
        await pilot.press("enter")  # Enter in the note saves
        await wait_for(lambda: not isinstance(app.screen, TouchpointForm), pilot)
    [touch] = tui_ws.list(Touchpoint, where=lambda t: t.note.startswith("Sent the case"))
    assert touch.contact == contact and touch.client == client.uid


async def test_esc_keeps_typed_text_as_a_draft_that_reopens(tui_ws: Workspace) -> None:
    client = tui_ws.my_clients()[0].uid
    before = len(tui_ws.list(Request))
    app = harness(tui_ws, lambda: RequestForm(client))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_text(pilot, "q quit c l g")
        await pilot.press("escape")  # no question: what is typed is kept as a draft
        await wait_for(lambda: not isinstance(app.screen, RequestForm), pilot)
        assert len(tui_ws.list(Request)) == before  # nothing saved
        app.push_screen(RequestForm(client))
        await wait_for(lambda: isinstance(app.screen, RequestForm), pilot)
        await settle(app, pilot)
        assert form(app).query_one("#f-text", Input).value == "q quit c l g"
        assert "draft restored" in str(form(app).query_one("#form").border_subtitle)
        await pilot.press("f8")  # clears it: the fields as they were
        await pilot.pause()
        assert form(app).query_one("#f-text", Input).value == ""
        await pilot.press("escape")  # nothing typed now: closes, no draft
        await wait_for(lambda: not isinstance(app.screen, RequestForm), pilot)
        app.push_screen(RequestForm(client))
        await wait_for(lambda: isinstance(app.screen, RequestForm), pilot)
        await settle(app, pilot)
        assert form(app).query_one("#f-text", Input).value == ""
        assert not form(app).query_one("#form").border_subtitle
    assert len(tui_ws.list(Request)) == before


async def test_esc_on_a_changed_record_keeps_the_change_as_a_draft(tui_ws: Workspace) -> None:
    """A form showing a record: only what was changed counts as typed; the draft of the
    change reopens with the record's form, and saving it drops the draft."""
    client = tui_ws.my_clients()[0]
    app = harness(tui_ws, lambda: ClientForm(client.uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")  # nothing changed: no draft
        await wait_for(lambda: not isinstance(app.screen, ClientForm), pilot)
        app.push_screen(ClientForm(client.uid))
        await wait_for(lambda: isinstance(app.screen, ClientForm), pilot)
        await settle(app, pilot)
        assert not form(app).query_one("#form").border_subtitle
        form(app).query_one("#f-name", Input).focus()
        await pilot.press("end")
        await type_text(pilot, " ж")
        await pilot.press("escape")
        await wait_for(lambda: not isinstance(app.screen, ClientForm), pilot)
        assert tui_ws.require(Client, client.uid).name == client.name
        app.push_screen(ClientForm(client.uid))
        await wait_for(lambda: isinstance(app.screen, ClientForm), pilot)
        await settle(app, pilot)
        assert form(app).query_one("#f-name", Input).value == client.name + " ж"
        await pilot.press("ctrl+s")
        await wait_for(lambda: not isinstance(app.screen, ClientForm), pilot)
        app.push_screen(ClientForm(client.uid))
        await wait_for(lambda: isinstance(app.screen, ClientForm), pilot)
        await settle(app, pilot)
        assert not form(app).query_one("#form").border_subtitle  # saved: no draft
    assert tui_ws.require(Client, client.uid).name == client.name + " ж"


async def test_esc_on_an_untouched_form_closes_it(tui_ws: Workspace) -> None:
    app = harness(tui_ws, ClientForm)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")
        await wait_for(lambda: not isinstance(app.screen, ClientForm), pilot)


async def test_delete_asks_first_and_u_brings_it_back(tui_ws: Workspace) -> None:
    client = tui_ws.my_clients()[0]
    touch = tui_ws.add(Touchpoint, client=client.uid, date=tui_ws.today(), note="hello")
    app = harness(tui_ws, Screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        delete_record(app, "touchpoint", touch.uid)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await pilot.pause()
        assert tui_ws.get(Touchpoint, touch.uid) is not None
        delete_record(app, "touchpoint", touch.uid)
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert tui_ws.get(Touchpoint, touch.uid) is None
        undo_delete(app)
        await pilot.pause()
        assert tui_ws.get(Touchpoint, touch.uid) is not None


async def test_a_client_still_referred_to_is_not_deleted(tui_ws: Workspace) -> None:
    client = tui_ws.my_clients()[0]
    app = harness(tui_ws, Screen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        delete_record(app, "client", client.uid)
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert tui_ws.get(Client, client.uid) is not None


@pytest.mark.parametrize("form_class", [RequestForm, TouchpointForm])
async def test_in_a_call_the_client_picker_offers_only_the_client_in_view(
    tui_ws: Workspace, form_class: type[RecordForm]
) -> None:
    client = tui_ws.my_clients()[1]
    app = harness(tui_ws, lambda: form_class(None))  # type: ignore[call-arg]
    app.call_client = client.uid
    app.call_mode = True
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        picker = form(app).query_one("#f-client", Select)
        offered = [value for _label, value in picker._options if value is not Select.NULL]
        assert offered == [client.uid]


async def test_the_lists_and_the_client_page_open_the_forms(make_tui_app: Any) -> None:
    from pulsetui.tui.screens.client_page import ClientPage

    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        for key, form_class in (("plus", ClientForm), ("E", ClientForm)):
            await pilot.press(key)
            await wait_for(lambda fc=form_class: isinstance(app.screen, fc), pilot)
            assert (form(app).uid is None) == (key == "plus")
            await pilot.press("escape")
            await wait_for(lambda: not isinstance(app.screen, RecordForm), pilot)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, ClientPage), pilot)
        page: Any = app.screen
        for key, form_class in (
            ("W", RequestForm),
            ("T", TouchpointForm),
            ("plus", EngagementForm),
            ("E", ClientForm),
        ):
            await pilot.press(key)
            await wait_for(lambda fc=form_class: isinstance(app.screen, fc), pilot)
            await pilot.press("escape")
            await wait_for(lambda: app.screen is page, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("plus")
        await wait_for(lambda: isinstance(app.screen, ConsultantForm), pilot)


async def test_a_touchpoint_logged_from_the_client_page_shows_in_its_timeline(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    from pulsetui.tui.screens.client_page import ClientPage

    client = tui_ws.my_clients()[0]
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(ClientPage(client.uid))
        await settle(app, pilot)
        await pilot.press("T")
        await wait_for(lambda: isinstance(app.screen, TouchpointForm), pilot)
        await pilot.press("tab")  # from the contact (the first field to fill) to the note
        await type_text(pilot, "Sent the roadmap proposal for Q1")
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, ClientPage), pilot)
        await settle(app, pilot)
        page: Any = app.screen
        assert any("Sent the roadmap proposal" in entry.detail for entry in page._timeline)


@pytest.mark.parametrize(
    "screen",
    [ClientForm, ConsultantForm, EngagementForm, RequestForm, TouchpointForm, CommunicatorForm],
    ids=lambda s: s.__name__,
)
def test_form_keys_keep_the_meaning_of_the_key_table(screen: type) -> None:
    from tests.tui.test_help_and_keys import (
        test_keys_keep_the_meaning_of_the_key_table as same_meaning,
    )

    same_meaning(screen)
    from pulsetui.tui.screens.forms.first_run import FirstRunScreen

    same_meaning(FirstRunScreen)


async def test_text_typed_on_a_tick_box_goes_on_in_the_next_field(tui_ws: Workspace) -> None:
    app = harness(tui_ws, lambda: RequestForm(tui_ws.my_clients()[0].uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = form(app)
        box = screen.query_one("#f-delivered_early_free")
        box.focus()
        await pilot.pause()
        await pilot.press("space")  # a space on the box itself ticks it
        assert screen.value("delivered_early_free") is True
        screen.query_one("#f-text", Input).focus()
        await pilot.pause()
        box.focus()
        await pilot.pause()
        # nothing after the box to type into: the keys stay with the box, nothing breaks
        await type_text(pilot, "x")
        assert screen.value("delivered_early_free") is True
    app = harness(tui_ws, ClientForm)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = form(app)
        screen.query_one("#f-approval_delays").focus()
        await pilot.pause()
        await type_text(pilot, "Pekka Kuusinen")
        assert screen.query_one("#f-contacts-0-name", Input).value == "Pekka Kuusinen"
        assert screen.value("approval_delays") is False
        assert app.focused is screen.query_one("#f-contacts-0-name")


@pytest.mark.parametrize(
    ("command", "form_class"),
    [
        ("New client", ClientForm),
        ("New consultant", ConsultantForm),
        ("Place a consultant", EngagementForm),
        ("New wish or request", RequestForm),
        ("New touchpoint", TouchpointForm),
    ],
)
async def test_the_palette_opens_the_forms(
    make_tui_app: Any, command: str, form_class: type[RecordForm]
) -> None:
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, command)
        await wait_for(lambda: palette_answered(app, command), pilot)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, form_class), pilot)


async def test_in_a_call_a_consultant_form_names_no_other_client(tui_ws: Workspace) -> None:
    [first, second, *_] = tui_ws.my_clients()
    placed = {e.consultant for e in tui_ws.list(Engagement, client=first.uid)}
    person = next(c for c in tui_ws.my_consultants() if c.uid in placed)
    app = harness(tui_ws, lambda: ConsultantForm(person.uid))
    app.call_client = second.uid
    app.call_mode = True
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        shown = " ".join(str(w.render()) for w in form(app).query(Static))
        assert first.name not in shown
        picker = form(app).query_one("#f-placed_at", Select)
        offered = [value for _label, value in picker._options if value is not Select.NULL]
        assert offered == [second.uid]


@pytest.mark.parametrize("name", ["client", "consultant", "request", "touchpoint", "nps"])
async def test_tab_past_the_last_field_comes_round_to_a_field(name: str, tui_ws: Workspace) -> None:
    """The box a form scrolls in is never in the Tab cycle: Tab past the last field
    comes round to the first field, so the text typed behind it is kept."""
    from textual.containers import VerticalScroll

    from pulsetui.tui.screens.nps_modal import NpsModal

    client = tui_ws.my_clients()[0].uid
    makers: dict[str, Callable[[], Screen[Any]]] = {
        "client": ClientForm,
        "consultant": ConsultantForm,
        "request": lambda: RequestForm(client=client),
        "touchpoint": lambda: TouchpointForm(client=client),
        "nps": lambda: NpsModal(client=client),
    }
    app = harness(tui_ws, makers[name])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        chain = screen.focus_chain
        assert chain and not any(type(w) is VerticalScroll for w in chain)
        screen.set_focus(chain[-1])
        await pilot.press("tab")
        assert app.focused is chain[0]

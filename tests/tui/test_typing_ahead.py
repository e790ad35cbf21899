"""Keys that arrive together (a fast typist, a paste, an SSH link bunching keys) land
where they were typed: text typed right behind a Tab or an Enter goes to the next field,
never into the one just left."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from tests.tui.screen_harness import ScreenHarness, handled, settle, wait_for
from textual import events
from textual.widgets import DataTable, Input

from pulsetui.domain.models import Agreement
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.agreement_modal import AgreementModal
from pulsetui.tui.screens.pulse_form import PulseForm

NAMED = {"\t": "tab", "\n": "enter", " ": "space", "+": "plus", "/": "slash", "\x1b": "escape"}


def burst(app: Any, text: str) -> None:
    """Queue every key of ``text`` at once, as a terminal delivers one read."""
    for char in text:
        key = NAMED.get(char, char)
        app.post_message(events.Key(key, None if key in ("tab", "enter") else char))


async def test_a_burst_of_keys_fills_the_pulse_form_field_by_field(tui_ws: Workspace) -> None:
    consultant = tui_ws.my_consultants()[0].uid
    app = ScreenHarness(tui_ws, lambda: PulseForm(consultant=consultant))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        assert form.focused is form.query_one("#f-wellbeing", Input)
        burst(app, "3\t\t4\nwants ä\tlong ж commute\n")
        await handled(app)
        values = {
            name: form.query_one(f"#f-{name}", Input).value
            for name in ("wellbeing", "fit", "growth", "worries")
        }
        assert values == {
            "wellbeing": "3",
            "fit": "4",
            "growth": "wants ä",
            "worries": "long ж commute",
        }
        await pilot.press("ctrl+s")
        await wait_for(lambda: form.pulse_uid is not None, pilot)
    pulse = next(p for p in tui_ws.pulses_of(consultant) if p.uid == form.pulse_uid)
    assert (pulse.wellbeing, pulse.fit, pulse.growth, pulse.worries) == (
        3,
        4,
        "wants ä",
        "long ж commute",
    )


async def test_a_burst_of_keys_captures_an_agreement(tui_ws: Workspace) -> None:
    client = tui_ws.my_clients()[0].uid
    app = ScreenHarness(tui_ws, lambda: AgreementModal(client=client))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "Send the plan\t\tMikko\n+2w\n")
        await wait_for(lambda: not isinstance(app.screen, AgreementModal), pilot)  # saved
    found = [a for a in tui_ws.list(Agreement, client=client) if a.text == "Send the plan"]
    # "Mikko" is the one person of that name the agreement may name: his full name
    assert [(a.owner, a.due.isoformat() if a.due else None) for a in found] == [
        ("Mikko Korhonen", "2026-12-04")
    ]


async def test_keys_typed_behind_slash_land_in_the_agreement_filter(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    """`/road` in one read filters by "road": the `a` is text, not the agenda form."""
    from textual.widgets import DataTable

    from pulsetui.tui.screens.agreements import AgreementsScreen

    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AgreementsScreen)
        burst(app, "/road")
        await handled(app)
        assert app.screen is screen, "no form opened by a key meant for the filter"
        assert screen.query_one("#q", Input).value == "road"
        # Tab right behind: the rest goes to the client filter; Esc right behind leaves
        # the filter for the list once its rows are shown: here none match, so the
        # focus is on nothing (never on an empty list), and j is not typed anywhere
        burst(app, "\tacme")
        await handled(app)
        assert screen.query_one("#q", Input).value == "road"
        assert screen.query_one("#q-client", Input).value == "acme"
        burst(app, "\x1bj")
        await handled(app)
        await settle(app, pilot)
        assert screen.query_one("#q-client", Input).value == "acme"
        assert screen.query_one(DataTable).row_count == 0
        assert screen.focused is None
        # a "/" inside a filter is text
        burst(app, "/x/")
        await handled(app)
        assert screen.query_one("#q", Input).value == "x/"


async def test_a_burst_fills_the_nps_form_past_the_client_matches(tui_ws: Workspace) -> None:
    """Tab from the client field goes to the contact (choosing the one client that
    matches), not into the list of matches where the contact's name would be lost; a
    score digit typed right before a Tab is kept."""
    from pulsetui.domain.models import NpsResponse
    from pulsetui.tui.screens.nps_modal import NpsModal

    client = tui_ws.my_clients()[0]
    typed = client.name[:5]
    assert len([c for c in tui_ws.my_clients() if c.name.startswith(typed)]) == 1
    before = {a.uid for a in tui_ws.list(NpsResponse)}
    app = ScreenHarness(tui_ws, lambda: NpsModal(client=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        burst(app, f"{typed}\tMikko [bold]ж[/bold] 🚀\t9\tslow")
        await handled(app)
        assert form.client_uid == client.uid
        assert form.query_one("#contact", Input).value == "Mikko [bold]ж[/bold] 🚀"
        assert form.query_one("#reason", Input).value == "slow"
        await pilot.press("ctrl+s")
        await wait_for(lambda: app.screen is not form, pilot)  # saved and closed
    [answer] = [a for a in tui_ws.list(NpsResponse) if a.uid not in before]
    assert (answer.client, answer.contact, answer.score, answer.reason) == (
        client.uid,
        "Mikko [bold]ж[/bold] 🚀",
        9,
        "slow",
    )


async def test_enter_typed_in_a_burst_moves_through_the_nps_form_and_saves(
    tui_ws: Workspace,
) -> None:
    """Enter in the client field moves on as it arrives, so the contact's name typed
    right behind it lands in the contact field (it used to stay in the client field
    until the field got to the Enter); Enter in the reason saves what was typed."""
    from pulsetui.domain.models import NpsResponse
    from pulsetui.tui.screens.nps_modal import NpsModal

    client = tui_ws.my_clients()[0]
    typed = client.name[:5]
    assert len([c for c in tui_ws.my_clients() if c.name.startswith(typed)]) == 1
    before = {a.uid for a in tui_ws.list(NpsResponse)}
    app = ScreenHarness(tui_ws, lambda: NpsModal(client=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        burst(app, f"{typed}\nMikko ж\n10\tquick replies\n")
        await wait_for(lambda: app.screen is not form, pilot, timeout=30)
    [answer] = [a for a in tui_ws.list(NpsResponse) if a.uid not in before]
    assert (answer.client, answer.contact, answer.score, answer.reason) == (
        client.uid,
        "Mikko ж",
        10,
        "quick replies",
    )


async def test_enter_on_the_score_moves_on_to_the_reason(tui_ws: Workspace) -> None:
    """Enter after the score goes to the reason at once, so the reason typed behind it
    is kept, and the Enter after the reason saves."""
    from pulsetui.domain.models import NpsResponse
    from pulsetui.tui.screens.nps_modal import NpsModal

    client = tui_ws.my_clients()[0]
    before = {a.uid for a in tui_ws.list(NpsResponse)}
    app = ScreenHarness(tui_ws, lambda: NpsModal(client=client.uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        burst(app, "Mikko\n9\nquick replies\n")
        await wait_for(lambda: app.screen is not form, pilot)
    [answer] = [a for a in tui_ws.list(NpsResponse) if a.uid not in before]
    assert (answer.contact, answer.score, answer.reason) == ("Mikko", 9, "quick replies")


async def test_tab_from_the_reason_lands_on_a_field_where_text_is_kept(
    tui_ws: Workspace,
) -> None:
    """Tab past the last field wraps round to a field, never to the form's scrolling
    box, where the text typed behind the Tab went nowhere."""
    from pulsetui.tui.screens.nps_modal import NpsModal

    client = tui_ws.my_clients()[0]
    app = ScreenHarness(tui_ws, lambda: NpsModal(client=client.uid))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        form.set_focus(form.query_one("#reason", Input))
        burst(app, "\t xyz")
        client_field = form.query_one("#client", Input)
        await wait_for(lambda: client_field.value.endswith(" xyz"), pilot)
        assert app.focused is client_field


async def test_enter_on_a_client_name_matching_none_says_so_and_keeps_what_followed(
    tui_ws: Workspace,
) -> None:
    from pulsetui.tui.screens.nps_modal import NpsModal

    app = ScreenHarness(tui_ws, lambda: NpsModal(client=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        burst(app, "zzqx\nMikko")
        await wait_for(lambda: form.query_one("#contact", Input).value == "Mikko", pilot)
        await wait_for(lambda: form.focused is form.query_one("#client", Input), pilot)
        assert "no client matches 'zzqx'" in str(form.query_one("#client-error").render())
        assert form.client_uid is None


async def test_a_key_pressed_as_a_list_opens_acts_once_its_rows_are_there(
    make_tui_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`m` pressed on Clients (`p` on Consultants) while the rows are still being read
    starts the meeting (the pulse) with the first row once they arrive."""
    import pulsetui.tui.screens.clients as clients_module
    import pulsetui.tui.screens.consultants as consultants_module
    from pulsetui.tui.screens.clients import ClientsScreen
    from pulsetui.tui.screens.consultants import ConsultantsScreen
    from pulsetui.tui.screens.meeting import MeetingScreen
    from pulsetui.tui.screens.pulse_form import PulseForm

    release = threading.Event()

    def held(module: Any, name: str) -> None:
        real = getattr(module, name)

        def slow(*args: Any, **kwargs: Any) -> Any:
            release.wait(60)  # a limit for a test that never releases it
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, slow)

    held(clients_module, "clients_view")
    held(consultants_module, "consultants_view")
    app = make_tui_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for section, key, screen_type, opened in (
            ("l", "m", ClientsScreen, MeetingScreen),
            ("c", "p", ConsultantsScreen, PulseForm),
        ):
            release.clear()
            await pilot.press(section)
            await wait_for(lambda: isinstance(app.screen, screen_type), pilot)  # noqa: B023
            await pilot.press(key)
            await pilot.pause(0.1)
            assert isinstance(app.screen, screen_type), "nothing to act on yet"
            release.set()
            await wait_for(lambda: isinstance(app.screen, opened), pilot)  # noqa: B023
            app.pop_screen()
            await settle(app, pilot)


async def test_a_backspace_right_before_enter_is_in_what_is_saved(tui_ws: Workspace) -> None:
    """Backspace is acted on once it has bubbled up to the app; Enter saving right behind
    it saves the text as corrected, not as it was before the Backspace."""
    client = tui_ws.my_clients()[0].uid
    app = ScreenHarness(tui_ws, lambda: AgreementModal(client=client))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "Send the planx")
        app.post_message(events.Key("backspace", None))
        burst(app, "\t\tMikko\nfrix")
        app.post_message(events.Key("backspace", None))
        burst(app, "\n")
        await wait_for(lambda: not isinstance(app.screen, AgreementModal), pilot)
    found = [a for a in tui_ws.list(Agreement, client=client) if a.text.startswith("Send the plan")]
    assert [(a.text, a.due.isoformat() if a.due else None) for a in found] == [
        ("Send the plan", "2026-11-27")
    ]


async def test_keys_typed_behind_enter_on_a_today_row_go_to_the_form_it_opens(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    """Enter on the row of a consultant whose pulse is overdue opens their pulse form;
    "42" typed in the same burst is typed into it, not taken for section 4 and a "2"."""
    from pulsetui.service.insights.flags import red_flags

    flag = next(f for f in red_flags(tui_ws) if f.kind == "pulse_overdue")
    app = make_tui_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        row = app.screen.row_for_flag(flag.key)
        assert row is not None
        table.move_cursor(row=table.get_row_index(f"{row.kind}:{row.uid}"))
        burst(app, "\n42")
        await wait_for(lambda: isinstance(app.screen, PulseForm), pilot)
        await handled(app)
        assert app.current_mode == "consultants"
        form = app.screen
        assert isinstance(form, PulseForm)
        assert form.query_one("#f-wellbeing", Input).value == "42"


async def test_a_section_key_behind_enter_on_a_list_acts_after_what_enter_opened(
    make_tui_app: Any, tui_ws: Workspace
) -> None:
    """Enter on Clients opens the client's page; "4" typed right behind it then goes to
    the agreements, and the page stays where it was opened, on Clients."""
    from pulsetui.tui.screens.agreements import AgreementsScreen
    from pulsetui.tui.screens.client_page import ClientPage

    app = make_tui_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        burst(app, "\n4")
        await wait_for(lambda: app.current_mode == "agreements", pilot)
        await settle(app, pilot)
        assert isinstance(app.screen, AgreementsScreen)
        await pilot.press("l")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientPage)

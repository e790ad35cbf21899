"""Pulse conversations: the consultants list and the autosaving conversation form."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from tests.tui.conftest import FROZEN_NOW
from tests.tui.screen_harness import ScreenHarness, settle, wait_for
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList, Static, TextArea

from pulsetui.domain.models import PulseConversation
from pulsetui.service.config import Config
from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.consultants import ConsultantsScreen, wellbeing_sparkline
from pulsetui.tui.screens.pulse_form import AUTOSAVE_DELAY, PulseForm


@pytest.fixture
def team(tmp_path: Path) -> Workspace:
    ws = Workspace.open(
        tmp_path / "ws", me="Anna Virtanen", config=Config(), clock=lambda: FROZEN_NOW
    )
    aino = ws.add("consultant", name="Aino [bold]Laine[/bold] 🙂", manager=ws.me)
    jyri = ws.add("consultant", name="Jüri Tamm", manager=ws.me)
    acme = ws.add("client", name="Acme \x1b[31mOy", manager=ws.me)
    ws.add("engagement", client=acme.uid, consultant=aino.uid, start="2026-01-01")
    for day, score in (("2026-07-01", 2), ("2026-08-01", 3), ("2026-09-01", 5)):
        ws.add_pulse(aino.uid, date=day, wellbeing=score)
    ws.add_pulse(
        jyri.uid,
        date="2026-09-20",
        wellbeing=4,
        follow_ups=[{"text": "Ask about the training budget"}, {"text": "Book a code review"}],
    )
    yield ws
    ws.close(checkpoint="never")


def displayed(widget: Widget) -> bool:
    """Whether ``widget`` is drawn: neither it nor a box around it is hidden."""
    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))


def uid_of(ws: Workspace, name: str) -> str:
    return next(c.uid for c in ws.my_consultants() if c.name.startswith(name))


def test_sparkline_maps_scores_and_gaps() -> None:
    assert wellbeing_sparkline([1, 3, 5, None]) == "▁▄▇·"
    assert wellbeing_sparkline([1, 2, 3, 4, 5]) == "▁▂▄▆▇"
    assert len(wellbeing_sparkline([3] * 10)) == 6


async def test_consultants_list_shows_state_trend_and_literal_names(team: Workspace) -> None:
    app = ScreenHarness(team, ConsultantsScreen)
    # wide enough for every column on one line (these names are long: at 80 columns the
    # client goes under the name, see test_layout_fit)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        aino = table.get_row(uid_of(team, "Aino"))[1:]  # after the cursor marker column
        assert aino[0].plain == "Aino [bold]Laine[/bold] 🙂"
        assert "␛[31m" in aino[1].plain  # the escape character is shown, not obeyed
        assert aino[2].plain == "2026-09-01"
        assert "overdue" in aino[3].plain and aino[3].plain.startswith("!")
        assert aino[4].plain == ""  # not squeezed: no strain marker
        assert aino[5].plain == "▂▄▇"
        # call mode with Aino's client in view: only who works there, nothing internal
        from pulsetui.service.views.consultants import placement

        engagement = placement(team, uid_of(team, "Aino"), team.today())
        assert engagement is not None
        app.call_client = engagement.client
        app.call_mode = True
        await settle(app, pilot)
        shown = [str(key.value) for key in table.rows]
        assert uid_of(team, "Aino") in shown
        for uid in shown:
            placed = placement(team, uid, team.today())
            assert placed is not None and placed.client == engagement.client
        row = [c.plain for c in table.get_row(uid_of(team, "Aino"))[1:]]
        assert row[2:] == ["—", "(call mode)", "", "(call mode)"]  # no strain marker
        summary = str(app.screen.query_one("#consultants-summary", Static).render())
        people = "1 consultant" if len(shown) == 1 else f"{len(shown)} consultants"
        assert summary == f"Call mode: {people} at the client in view"
        app.call_client = None
        app.call_mode = False
        await settle(app, pilot)
        app.call_mode = True  # no client in view: no one is listed
        await settle(app, pilot)
        assert table.row_count == 0


async def test_typed_pulse_is_saved_within_a_second_of_a_pause(team: Workspace) -> None:
    aino = uid_of(team, "Aino")
    app = ScreenHarness(team, lambda: PulseForm(consultant=aino))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("4", "tab")
        await pilot.press("tab")  # over the workload select
        await pilot.press(*"3")
        await pilot.press("tab", *"Rust [bold]course[/bold] 🚀")
        todays = lambda: [p for p in team.pulses_of(aino) if p.date == FROZEN_NOW.date()]  # noqa: E731
        # saved by the pause alone (no save key was pressed), the form's autosave delay
        # after it: a rule, not a wall-clock bound that a busy machine breaks
        await wait_for(lambda: todays() and todays()[0].growth.endswith("🚀"), pilot)
        assert AUTOSAVE_DELAY < 1.0
        state = app.screen.query_one("#save-state", Static)
        await wait_for(lambda: "saved 10:00:00" in str(state.render()), pilot)
        # one record, created once and then updated
        saved = todays()
        assert len(saved) == 1
        assert (saved[0].wellbeing, saved[0].fit) == (4, 3)
        assert saved[0].growth == "Rust [bold]course[/bold] 🚀"
        # more typing updates the same record
        notes = app.screen.query_one("#f-notes", TextArea)
        notes.focus()
        await pilot.press(*"private note")
        notes.insert(" \x1b[31m")  # an escape sequence pasted in stays text
        await wait_for(lambda: todays()[0].notes == "private note \x1b[31m", pilot)
        assert len(todays()) == 1


async def test_a_score_typed_as_the_form_opens_lands_in_the_first_answer_and_is_saved(
    team: Workspace,
) -> None:
    """The first answer has the focus as the form is built. A key that reaches it
    before the form has taken its fields as opened (a fast typist, a burst over SSH)
    is a change like any other: the autosave saves it, no other key needed."""
    aino = uid_of(team, "Aino")
    app = ScreenHarness(team, lambda: PulseForm(consultant=aino))
    todays = lambda: [p for p in team.pulses_of(aino) if p.date == FROZEN_NOW.date()]  # noqa: E731
    async with app.run_test(size=(80, 24)) as pilot:
        form = app.screen
        assert isinstance(form, PulseForm)
        assert form.focused is form.query_one("#f-wellbeing", Input)
        await settle(app, pilot)
        form._ready = False  # as while it is being built
        await pilot.press("4")
        form._set_ready()
        await wait_for(lambda: todays() and todays()[0].wellbeing == 4, pilot)
        state = form.query_one("#save-state", Static)
        await wait_for(lambda: "saved 10:00:00" in str(state.render()), pilot)


async def test_invalid_score_shows_error_beside_field_and_keeps_text(team: Workspace) -> None:
    aino = uid_of(team, "Aino")
    app = ScreenHarness(team, lambda: PulseForm(consultant=aino))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("9")
        app.screen.query_one("#f-worries", Input).focus()
        await pilot.press(*"deadline ж õ")
        error = app.screen.query_one("#err-wellbeing", Static)
        await wait_for(lambda: error.display and "1 to 5" in str(error.render()), pilot)
        assert app.screen.query_one("#f-wellbeing", Input).value == "9"

        def todays() -> list[PulseConversation]:
            return [p for p in team.pulses_of(aino) if p.date == FROZEN_NOW.date()]

        # the worries are saved whole (on a loaded machine an autosave may come between
        # two keys and save the first part first: the next one saves the rest)
        await wait_for(lambda: [p.worries for p in todays()] == ["deadline ж õ"], pilot)
        assert todays()[0].wellbeing is None
        # fixing it saves it and clears the error
        app.screen.query_one("#f-wellbeing", Input).value = "2"
        await wait_for(lambda: team.get(PulseConversation, todays()[0].uid).wellbeing == 2, pilot)
        await wait_for(lambda: not error.display, pilot)


async def test_follow_ups_added_and_earlier_ones_closed(team: Workspace) -> None:
    jyri = uid_of(team, "Jüri")
    app = ScreenHarness(team, lambda: PulseForm(consultant=jyri))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        carried = app.screen.query_one("#carried", OptionList)
        assert carried.option_count == 2
        app.screen.query_one("#f-follow-up", Input).focus()
        await pilot.press(*"Send the [i]offer[/i]", "enter")
        await pilot.press(*"Second promise", "enter")
        await pilot.pause()
        # close the first carried-over follow-up: letters are text, ctrl+t closes it
        carried.focus()
        carried.highlighted = 0
        await pilot.press("space", "x")
        await pilot.pause()
        old = next(p for p in team.pulses_of(jyri) if p.date.isoformat() == "2026-09-20")
        assert [f.done for f in old.follow_ups] == [False, False]
        await pilot.press("ctrl+t")
        await pilot.pause()
        old = next(p for p in team.pulses_of(jyri) if p.date.isoformat() == "2026-09-20")
        assert [f.done for f in old.follow_ups] == [True, False]
        assert old.follow_ups[0].done_on == FROZEN_NOW.date()
        assert carried.option_count == 1
        # the last one closed, the list holds none: the focus goes where promises are
        # typed, not stays on a list with nothing in it
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not carried.can_focus
        assert app.screen.focused is app.screen.query_one("#f-follow-up", Input)
        # remove the second new follow-up with Delete (`d` is text): asks first
        mine = app.screen.query_one("#follow-ups", OptionList)
        mine.focus()
        mine.highlighted = 1
        await pilot.press("d")
        await pilot.pause()
        assert mine.option_count == 2
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("escape")  # leaves the form, saving what is typed
        await pilot.pause()
        today = next(p for p in team.pulses_of(jyri) if p.date == FROZEN_NOW.date())
        assert [f.text for f in today.follow_ups] == ["Send the [i]offer[/i]"]
        assert [text for _p, _i, text in team.open_follow_ups(jyri)] == ["Send the [i]offer[/i]"]


async def test_call_mode_hides_private_notes(team: Workspace) -> None:
    aino = uid_of(team, "Aino")
    app = ScreenHarness(team, lambda: PulseForm(consultant=aino))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#notes-box").display
        app.call_mode = True
        await pilot.pause()
        assert not app.screen.query_one("#notes-box").display
        assert app.screen.query_one("#notes-hidden").display
        # the whole conversation (wellbeing, worries, follow-ups) is private
        assert not app.screen.query_one("#pulse-body").display
        assert app.screen.query_one("#pulse-hidden").display


async def test_a_call_started_on_the_form_takes_the_focus_off_its_hidden_fields(
    team: Workspace,
) -> None:
    """Nothing typed during the call goes into the hidden conversation; when the call
    ends the field that had the focus has it again, with what was typed before."""
    aino = uid_of(team, "Aino")
    app = ScreenHarness(team, lambda: PulseForm(consultant=aino))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen
        worries = form.query_one("#f-worries", Input)
        worries.focus()
        await pilot.press(*"Tired ä")
        app.call_mode = True
        await pilot.pause()
        assert form.focused is None or displayed(form.focused)
        await pilot.press(*"Hello Pekka", "tab", *"xyz", "tab")
        await pilot.pause()
        assert worries.value == "Tired ä"
        assert form.query_one("#f-notes", TextArea).text == ""
        app.call_mode = False
        await pilot.pause()
        assert form.focused is worries
        await pilot.press(*" ok")
        assert worries.value == "Tired ä ok"


async def test_a_form_opened_during_a_call_gives_its_hidden_fields_no_focus(
    team: Workspace,
) -> None:
    """Opened while a call is on, the form shows none of the conversation and no hidden
    field has the focus (keys typed go nowhere); when the call ends the first answer
    has it."""
    aino = uid_of(team, "Aino")
    app = ScreenHarness(team, lambda: PulseForm(consultant=aino))
    app.call_mode = True
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, PulseForm)
        assert not form.query_one("#pulse-body").display
        assert form.focused is None or displayed(form.focused)
        await pilot.press(*"Hello Pekka")
        await pilot.pause()
        assert form.query_one("#f-wellbeing", Input).value == ""
        app.call_mode = False
        await pilot.pause()
        assert form.focused is form.query_one("#f-wellbeing", Input)


async def test_typing_a_sentence_lays_the_form_out_again_once_not_per_key(
    team: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state line says "editing…" once while a sentence is typed: every change of
    it lays the whole form out again, which on a form with a long history beside it was
    most of the time a key took to show."""
    from pulsetui.tui.widgets.state_text import StateText

    shown: list[str] = []
    real = StateText.update

    def counting(self: StateText, content: object = "", **kwargs: object) -> None:
        shown.append(str(content))
        real(self, content, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(StateText, "update", counting)
    aino = uid_of(team, "Aino")
    app = ScreenHarness(team, lambda: PulseForm(consultant=aino))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        notes = app.screen.query_one("#f-notes", TextArea)
        notes.focus()
        shown.clear()
        sentence = "We talked about the Rust course and the roadmap ä ж"
        await pilot.press(*sentence)
        assert notes.text == sentence
        # once, and once more after each other state shown between two keys ("saving…",
        # "saved …": a busy machine can hand the keys over more slowly than the autosave
        # delay); never twice in a row
        others = len(shown) - shown.count("editing…")
        assert 1 <= shown.count("editing…") <= 1 + others, shown
        assert all(a != b for a, b in itertools.pairwise(shown)), shown
        state = app.screen.query_one("#save-state", Static)
        await wait_for(lambda: str(state.render()).startswith("saved"), pilot)


async def test_promises_typed_in_one_burst_are_added_one_by_one(team: Workspace) -> None:
    """Enter in the follow-up field is acted on as it arrives; the promise typed before
    it is added whole, and the one typed after it goes into the emptied field."""
    from tests.tui.screen_harness import handled
    from tests.tui.test_typing_ahead import burst

    jyri = uid_of(team, "Jüri")
    app = ScreenHarness(team, lambda: PulseForm(consultant=jyri))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        form = app.screen
        form.query_one("#f-follow-up", Input).focus()
        burst(app, "One ä\nTwo ж\nThree")
        await handled(app)
        assert [item["text"] for item in form._follow_ups] == ["One ä", "Two ж"]
        assert form.query_one("#f-follow-up", Input).value == "Three"
        await pilot.press("escape")  # the promise not added yet is kept with the others
        await wait_for(lambda: not isinstance(app.screen, PulseForm), pilot)
    today = next(p for p in team.pulses_of(jyri) if p.date == FROZEN_NOW.date())
    assert [f.text for f in today.follow_ups] == ["One ä", "Two ж", "Three"]


async def remove_the_first_promise_and_leave(app: ScreenHarness, pilot: Any) -> None:
    """Delete on the first promise of the form's list, "y" to the question, Esc."""
    mine = app.screen.query_one("#follow-ups", OptionList)
    mine.focus()
    mine.highlighted = 0
    await pilot.press("delete")
    await settle(app, pilot)
    await pilot.press("y")
    await settle(app, pilot)
    assert mine.option_count == 0
    await pilot.press("escape")
    await settle(app, pilot)


async def test_a_new_conversation_emptied_again_is_not_kept(team: Workspace) -> None:
    """A promise typed (the form creates today's conversation) and removed again: on
    leaving nothing is stored, and the consultant's pulse clock still counts from the
    last conversation held."""
    jyri = uid_of(team, "Jüri")
    due_before = team.pulse_due(jyri)
    app = ScreenHarness(team, lambda: PulseForm(consultant=jyri))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        app.screen.query_one("#f-follow-up", Input).focus()
        await pilot.press(*"Call back about the offer", "enter")
        await wait_for(lambda: len(team.pulses_of(jyri)) == 2, pilot)  # created
        await remove_the_first_promise_and_leave(app, pilot)
    assert [p.date.isoformat() for p in team.pulses_of(jyri)] == ["2026-09-20"]
    assert team.pulse_due(jyri) == due_before


async def test_a_conversation_that_existed_before_stays_when_emptied(team: Workspace) -> None:
    jyri = uid_of(team, "Jüri")
    today = team.add_pulse(jyri, follow_ups=[{"text": "One promise"}])
    app = ScreenHarness(team, lambda: PulseForm(consultant=jyri, pulse=today.uid))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await remove_the_first_promise_and_leave(app, pilot)
    kept = team.get(PulseConversation, today.uid)
    assert kept is not None and kept.follow_ups == []


async def test_nps_from_the_pulse_form_is_for_the_consultants_client(team: Workspace) -> None:
    """F4 in a conversation with Aino (placed at Acme) opens the NPS form on Acme."""
    aino = uid_of(team, "Aino")
    app = ScreenHarness(team, lambda: PulseForm(consultant=aino))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        app.action_new_nps()
        await settle(app, pilot)
        assert type(app.screen).__name__ == "NpsModal"
        assert app.screen.query_one("#client", Input).value == "Acme \x1b[31mOy"


async def test_after_the_editor_typing_goes_on_at_the_end_and_ctrl_z_undoes_it(
    team: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ctrl+e hands the notes to $EDITOR; back in the form the cursor is after the
    edited text (typing goes on there), and ctrl+z brings back the notes before it."""
    from pulsetui.tui import external_editor

    monkeypatch.setattr(
        external_editor, "run_editor", lambda _app, _editor, text: text + "\nfrom the editor ж\n"
    )
    aino = uid_of(team, "Aino")
    app = ScreenHarness(team, lambda: PulseForm(consultant=aino))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        notes = app.screen.query_one("#f-notes", TextArea)
        notes.focus()
        await pilot.press(*"typed first")
        app.action_edit_external()
        await pilot.press(*"and after")
        assert notes.text == "typed first\nfrom the editor ж\nand after"
        for _ in range(len("and after") + 1):  # one step, or one per key on a busy machine
            if "editor" not in notes.text:
                break
            await pilot.press("ctrl+z")
        assert notes.text == "typed first"  # the editor's change was one step
        await pilot.press("escape")
        await settle(app, pilot)
    assert team.pulses_of(aino)[-1].notes == "typed first"

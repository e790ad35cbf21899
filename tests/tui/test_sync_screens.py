"""The TUI with a real shared folder: two workspaces sync through
:class:`pulsetui.sync.engine.SyncEngine`; a change made in one appears in the other app
after its background sync, the status line tells last sync / pending / problems, typing is
never held up by a sync pass, and clients made twice under one name are offered a merge."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from tests.tui.conftest import FROZEN_NOW
from tests.tui.screen_harness import ScreenHarness, settle, wait_for
from textual.widgets import DataTable, Input, OptionList, Static

from pulsetui.domain.models import Agreement, Client, Consultant, NpsResponse
from pulsetui.service.config import Config, SyncSettings
from pulsetui.service.workspace import Workspace
from pulsetui.sync.engine import SyncEngine
from pulsetui.sync.folder import FOLDER_NAME, init_folder
from pulsetui.tui.screens.clients import ClientsScreen
from pulsetui.tui.screens.confirm import ConfirmModal
from pulsetui.tui.screens.merge_modal import MergeModal


class Replica:
    """One installation syncing with the shared folder."""

    def __init__(
        self, base: Path, name: str, shared: Path, interval: float = 1, personal: Path | None = None
    ) -> None:
        folders = SyncSettings(
            shared=str(shared),
            personal=str(personal) if personal else None,
            interval_seconds=interval,
        )
        config = Config(sync=folders)
        self.ws = Workspace.open(base / name, me=name, config=config, clock=lambda: FROZEN_NOW)
        self.engine = SyncEngine(self.ws, shared)

    def sync(self) -> Any:
        return self.engine.run_once()

    def close(self) -> None:
        self.engine.close()
        self.ws.close(checkpoint="never")


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    init_folder(folder)  # what `pulsetui sync init` does
    return folder


@pytest.fixture
def pair(tmp_path: Path, shared: Path) -> Iterator[tuple[Replica, Replica]]:
    anna = Replica(tmp_path, "Anna Virtanen", shared)
    anna.sync()
    bob = Replica(tmp_path, "Bob Berg", shared)
    bob.sync()  # Bob now knows Anna (and her manager record)
    yield anna, bob
    anna.close()
    bob.close()


def table_text(table: DataTable[Any]) -> str:
    return "\n".join(
        " ".join(getattr(c, "plain", str(c)) for c in table.get_row_at(r))
        for r in range(table.row_count)
    )


async def test_two_clients_made_under_one_name_are_offered_a_merge(
    pair: tuple[Replica, Replica],
) -> None:
    anna, bob = pair
    mine = anna.ws.add(Client, name="Acme Oy", manager=anna.ws.me, notes="met at the fair")
    theirs = bob.ws.add(Client, name="ACME  oy".replace("  ", " "), manager=anna.ws.me)
    deal = bob.ws.add_agreement(theirs.uid, "Send the offer", side="us")
    answer = bob.ws.add_nps(theirs.uid, 9, reason="fast", contact="Mikko")
    bob.sync()
    anna.sync()
    assert {c.uid for c in anna.ws.list(Client)} == {mine.uid, theirs.uid}

    app = ScreenHarness(anna.ws, ClientsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        rows = table_text(table)
        assert rows.count("2× ") == 2  # both marked, not by colour
        summary = str(app.screen.query_one("#clients-summary", Static).render())
        assert "2 share a name" in summary and "M merges" in summary
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, MergeModal)
        options = app.screen.query_one(OptionList)
        assert options.option_count == 2
        # keep Bob's record (it holds the agreement and the NPS answer)
        index = app.screen.uids.index(theirs.uid)
        for _ in range(index):
            await pilot.press("j")
        prompt = options.get_option_at_index(index).prompt
        assert "▶ keep" in getattr(prompt, "plain", str(prompt))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # asked first: no changes nothing
        await pilot.pause()
        assert len(anna.ws.list(Client)) == 2
        await pilot.press("enter", "y")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientsScreen)
        assert table.row_count == 1 and "2× " not in table_text(table)
    [kept] = anna.ws.list(Client)
    assert kept.uid == theirs.uid and kept.notes == "met at the fair"
    assert anna.ws.require(Agreement, deal.uid).client == theirs.uid
    assert anna.ws.require(NpsResponse, answer.uid).client == theirs.uid
    # the merge syncs like any change: Bob ends with one client too
    anna.sync()
    bob.sync()
    assert [c.uid for c in bob.ws.list(Client)] == [theirs.uid]


async def test_background_sync_brings_changes_and_never_blocks_typing(
    pair: tuple[Replica, Replica], shared: Path
) -> None:
    from pulsetui.tui.app import make_app
    from pulsetui.tui.screens.agenda_modal import AgendaModal

    anna, bob = pair
    client = anna.ws.add(Client, name="Kuusi Oy", manager=anna.ws.me)
    anna.engine.close()  # the app runs its own engine on Anna's workspace
    app = make_app(anna.ws, start_mode="clients")
    async with app.run_test(size=(80, 24)) as pilot:
        status = app.screen.query_one("#sync-state", Static)
        await wait_for(lambda: "synced" in str(status.render()), pilot)
        assert "0 pending" in str(status.render())

        # Bob adds a client for Anna; it shows up after Anna's next background pass
        bob.sync()
        bob.ws.add(Client, name="Revo [b]x[/b] ж", manager=anna.ws.me)
        bob.sync()
        table = app.screen.query_one(DataTable)
        await wait_for(lambda: "Revo [b]x[/b] ж" in table_text(table), pilot)

        # a slow sync pass runs in its thread while Anna types: every key lands while it
        # is still running (it goes on only once the keys are in)
        engine = app._engine
        running = threading.Event()
        typed = threading.Event()
        slow_pass = engine.run_once

        def slow() -> Any:
            running.set()
            typed.wait(60)  # a limit for keys that never land
            try:
                return slow_pass()
            finally:
                running.clear()

        engine.run_once = slow
        await pilot.press("a")  # new agenda item for the highlighted client
        await pilot.pause()
        assert isinstance(app.screen, AgendaModal)
        app._sync_tick()
        await wait_for(running.is_set, pilot)
        await pilot.press(*"Budget ä õ 🚀")
        field = app.screen.query_one("#f-text", Input)
        assert field.value == "Budget ä õ 🚀"
        assert running.is_set(), "the keys waited for the sync pass"
        typed.set()
        await pilot.press("enter")
        await wait_for(lambda: not running.is_set(), pilot)
        engine.run_once = slow_pass

        # a problem in the folder shows on the status line
        bad = shared / FOLDER_NAME / "replicas" / "Not A Replica" / "seg"
        bad.mkdir(parents=True)
        (bad / "000000000001-0123456789ab.jsonl").write_bytes(b"not a segment\n")
        app._sync_tick()
        await wait_for(lambda: "problem" in str(status.render()), pilot)
    assert [i.text for i in anna.ws.agenda_of(client.uid)] == ["Budget ä õ 🚀"]


def _conflict_and_revival(anna: Replica, bob: Replica) -> tuple[str, str, str]:
    """A client whose notes and an agreement whose text were edited on both replicas at
    once, and an agreement Bob deleted while Anna edited it; all synced both ways."""
    client = anna.ws.add(Client, name="Acme Oy", manager=anna.ws.me, notes="start")
    deal = anna.ws.add_agreement(client.uid, "Send the offer", side="us")
    doomed = anna.ws.add_agreement(client.uid, "Weekly demo", side="client")
    anna.sync()
    bob.sync()
    anna.ws.update(Client, client.uid, notes="mine: budget may grow")
    bob.ws.update(Client, client.uid, notes="theirs: budget is fixed")
    anna.ws.update(Agreement, deal.uid, text="Send the offer by Friday")
    bob.ws.update(Agreement, deal.uid, text="Send the offer [b]and[/b] the plan")
    bob.ws.delete(Agreement, doomed.uid)
    anna.ws.update(Agreement, doomed.uid, owner="Liisa")
    bob.sync()
    anna.sync()
    return client.uid, deal.uid, doomed.uid


def rendered(widget: Static) -> str:
    """What a Static shows, as plain text."""
    console = Console(width=200, record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


def screen_text(app: Any) -> str:
    return "\n".join(rendered(w) for w in app.screen.query(Static))


def written(folder: Path, uid: str) -> bool:
    """Whether a record with ``uid`` has been written to a sync folder."""
    return any(uid in path.read_text() for path in folder.rglob("*.jsonl"))


async def test_a_save_in_the_app_is_sent_soon_whichever_thread_committed_it(
    tmp_path: Path, shared: Path
) -> None:
    """The app hears every save from the store: an agenda item saved by its form (on
    the UI thread) reaches the shared folder, and a pulse saved by the form's autosave
    worker (off it) the personal folder, a moment later — the next timed pass is an
    hour away."""
    from pulsetui.tui.app import make_app
    from pulsetui.tui.screens.pulse_form import PulseForm

    personal = tmp_path / "personal"
    init_folder(personal)
    anna = Replica(tmp_path, "Anna Virtanen", shared, interval=3600, personal=personal)
    anna.engine.close()  # the app runs its own engine on Anna's workspace
    client = anna.ws.add(Client, name="Kuusi Oy", manager=anna.ws.me)
    person = anna.ws.add(Consultant, name="Aino Mäkelä", manager=anna.ws.me)
    try:
        app = make_app(anna.ws, start_mode="clients")
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: written(shared, client.uid), pilot)

            await pilot.press("a", *"Budget", "enter")  # the agenda form, for Kuusi Oy
            await wait_for(lambda: anna.ws.docs("agenda", client=client.uid), pilot)
            [item] = anna.ws.docs("agenda", client=client.uid)
            await wait_for(lambda: written(shared, item["uid"]), pilot)

            app.push_screen(PulseForm(consultant=person.uid))
            await pilot.pause()
            await pilot.press("4")  # wellbeing; saved half a second after the pause
            await wait_for(lambda: anna.ws.pulses_of(person.uid), pilot)
            [pulse] = anna.ws.pulses_of(person.uid)
            await wait_for(lambda: written(personal, pulse.uid), pilot)
            assert not written(shared, pulse.uid), "a pulse is private to its manager"
    finally:
        anna.close()


async def test_client_page_shows_conflicts_and_kept_records_and_resolves(
    pair: tuple[Replica, Replica],
) -> None:
    from pulsetui.tui.screens.client_page import ClientPage
    from pulsetui.tui.screens.conflict import ConflictModal

    anna, bob = pair
    client, deal, doomed = _conflict_and_revival(anna, bob)
    assert doomed in anna.ws.revived(Agreement)
    app = ScreenHarness(anna.ws, lambda: ClientPage(client))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        notice = rendered(app.screen.query_one("#client-sync", Static))
        assert "Two versions of notes in this client: r chooses" in notice
        assert "Two versions of text in agreement" in notice
        assert "Kept agreement “Weekly demo”: it was deleted elsewhere" in notice
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConflictModal)
        assert "theirs: budget is fixed" in screen_text(app)
        await pilot.press("t")  # keep theirs for the client's notes
        await pilot.pause()
        assert isinstance(app.screen, ClientPage)
        await pilot.press("r")  # next: the agreement's text
        await pilot.pause()
        assert isinstance(app.screen, ConflictModal) and app.screen.kind == "agreement"
        await pilot.press("escape")  # decide later
        await pilot.pause()
        notice = rendered(app.screen.query_one("#client-sync", Static))
        assert "notes in this client" not in notice and "text in agreement" in notice
        app.call_mode = True  # the notice is internal: hidden while sharing the screen
        app.screen.reload()
        await pilot.pause()
        assert not app.screen.query_one("#client-sync", Static).display
    assert anna.ws.require(Client, client).notes == "theirs: budget is fixed"
    assert anna.ws.conflicts(Client, client) == {}
    assert set(anna.ws.conflicts(Agreement, deal)) == {"text"}


async def test_agreement_detail_resolves_a_conflict_by_edit_merged(
    pair: tuple[Replica, Replica],
) -> None:
    from textual.widgets import TextArea

    from pulsetui.tui.screens.agreement_detail import AgreementDetail
    from pulsetui.tui.screens.conflict import ConflictModal

    anna, bob = pair
    _client, deal, doomed = _conflict_and_revival(anna, bob)
    app = ScreenHarness(anna.ws, lambda: AgreementDetail(doomed))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "the edit kept it" in rendered(app.screen.query_one("#agreement-revived", Static))
        assert not app.screen.query("#agreement-conflict")
    app = ScreenHarness(anna.ws, lambda: AgreementDetail(deal))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Two versions of text" in rendered(
            app.screen.query_one("#agreement-conflict", Static)
        )
        app.screen.query_one("#f-reason", Input).value = "typed before"
        app.screen.query_one("#f-status").focus()
        await pilot.press("f5")  # `r` is text in a form: F5 resolves
        await pilot.pause()
        assert isinstance(app.screen, ConflictModal)
        shown = screen_text(app)
        assert "Send the offer by Friday" in shown and "Send the offer [b]and[/b] the plan" in shown
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#merged", TextArea).load_text("Send the offer and plan by Fri ж")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AgreementDetail)
        assert not app.screen.query("#agreement-conflict")
        text = app.screen.query_one("#f-text", Input).value
        assert text == "Send the offer and plan by Fri ж"
        assert app.screen.query_one("#f-reason", Input).value == "typed before"
    assert anna.ws.require(Agreement, deal).text == "Send the offer and plan by Fri ж"
    assert anna.ws.conflicts(Agreement, deal) == {}
    anna.sync()
    bob.sync()
    assert bob.ws.require(Agreement, deal).text == "Send the offer and plan by Fri ж"

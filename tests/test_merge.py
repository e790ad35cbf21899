"""Two clients made under one name on two replicas are merged without losing anything."""

from __future__ import annotations

import datetime as dt

import pytest

from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import Agreement, Client, NpsResponse
from pulsetui.service.merge import duplicates, merge
from pulsetui.service.workspace import Workspace


def _twin_clients(ws: Workspace) -> tuple[Client, Client]:
    first = ws.add(
        Client,
        name="Kuusi Logistiikka Oy",
        contacts=[{"name": "Liisa Mäkinen", "decision_maker": True}],
        notes="Met at the fair.",
    )
    second = ws.add(
        Client,
        name="kuusi logistiikka oy",
        contacts=[{"name": "Jüri Tamm"}, {"name": "Liisa Mäkinen", "decision_maker": True}],
        notes="Wants a roadmap proposal.",
    )
    return first, second


def test_same_name_in_any_case_is_offered_as_a_duplicate(ws: Workspace) -> None:
    first, second = _twin_clients(ws)
    ws.add(Client, name="Tallinna Tarkvara AS")
    groups = duplicates(ws, "client")
    assert [[c.uid for c in group] for group in groups] == [sorted([first.uid, second.uid])]


def test_merge_moves_every_reference_and_keeps_contacts_and_notes(ws: Workspace) -> None:
    first, second = _twin_clients(ws)
    agreement = ws.add_agreement(second.uid, "Send the offer", "us", "Anna", dt.date(2026, 12, 1))
    nps = ws.add_nps(second.uid, 9, reason="fast")
    ws.add_agenda_item(second.uid, "Roadmap ✨")
    moved = merge(ws, "client", first.uid, second.uid)
    assert moved == {"agreement": 1, "nps": 1, "agenda": 1}
    assert ws.get(Client, second.uid) is None
    kept = ws.require(Client, first.uid)
    assert [c.name for c in kept.contacts] == ["Liisa Mäkinen", "Jüri Tamm"]
    assert kept.notes == "Met at the fair.\n\nWants a roadmap proposal."
    assert ws.require(Agreement, agreement.uid).client == first.uid
    assert ws.require(NpsResponse, nps.uid).client == first.uid
    assert [i.text for i in ws.agenda_of(first.uid)] == ["Roadmap ✨"]
    assert duplicates(ws, "client") == []


def test_merge_is_one_save(ws: Workspace) -> None:
    first, second = _twin_clients(ws)
    ws.add_agreement(second.uid, "Send the offer", "us")
    size = ws.store.journal.size()
    lines_before = ws.store.journal.path.read_bytes().count(b"\n")
    merge(ws, "client", first.uid, second.uid)
    assert ws.store.journal.size() > size
    assert ws.store.journal.path.read_bytes().count(b"\n") == lines_before + 1


def test_merge_refuses_itself_and_other_kinds(ws: Workspace) -> None:
    first, _ = _twin_clients(ws)
    with pytest.raises(InvalidInput, match="itself"):
        merge(ws, "client", first.uid, first.uid)
    with pytest.raises(InvalidInput, match="kind"):
        merge(ws, "agreement", first.uid, first.uid)


def test_cli_lists_and_merges_duplicates(tmp_path) -> None:
    import subprocess
    import sys

    home = tmp_path / "cli-home"
    ws = Workspace.open(home, me="Anna")
    first, second = _twin_clients(ws)
    ws.add_agreement(second.uid, "Send the offer", "us")
    ws.close()
    base = [sys.executable, "-m", "pulsetui.cli.main", "--home", str(home)]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*base, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL
        )

    listed = run("duplicates", "client")
    assert listed.returncode == 0 and first.uid in listed.stdout and second.uid in listed.stdout
    refused = run("merge", "client", first.uid, second.uid)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    done = run("merge", "client", first.uid, second.uid, "--yes")
    assert done.returncode == 0, done.stderr
    assert "moved 1 agreement" in done.stdout
    assert "no two clients share a name" in run("duplicates").stdout


def test_same_name_groups_and_what_the_merge_dialog_shows(ws: Workspace) -> None:
    from pulsetui.service.merge import merge_candidate, same_name_groups

    first, second = _twin_clients(ws)
    lone = ws.add(Client, name="Tallinna Tarkvara AS", manager=ws.me)
    ws.add_agreement(second.uid, "Send the offer", "us")
    ws.add_nps(second.uid, 9)
    groups = same_name_groups(ws, "client")
    assert groups == {u: sorted([first.uid, second.uid]) for u in (first.uid, second.uid)}
    shown = merge_candidate(ws, "client", second.uid)
    assert shown is not None
    assert (shown.name, shown.contacts, shown.has_notes) == ("kuusi logistiikka oy", 2, True)
    assert shown.references == {"agreements": 1, "nps": 1}
    assert shown.created.startswith("created 20") and " UTC on replica " in shown.created
    mine = merge_candidate(ws, "client", lone.uid)
    assert mine is not None and mine.manager == "Anna Virtanen" and mine.references == {}
    ws.delete(Client, lone.uid)
    assert merge_candidate(ws, "client", lone.uid) is None

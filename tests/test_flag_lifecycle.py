"""Where a red flag stands with the notes written on it: open, addressed, snoozed,
recurring on new evidence, and its history. Facts in, state out; no workspace."""

from __future__ import annotations

import datetime as dt

from pulsetui.domain.flag_lifecycle import Evidence, FlagNote, covers, flag_state

D = dt.date
TODAY = D(2026, 11, 20)
WISH_A = Evidence("request:a", D(2026, 6, 1), "Dark mode")
WISH_B = Evidence("request:b", D(2026, 9, 1), "PDF export")


def test_a_flag_without_notes_is_open_since_it_was_raised() -> None:
    state = flag_state((WISH_A,), D(2026, 6, 1), [], [], TODAY)
    assert (state.status, state.recurring, state.since) == ("open", False, D(2026, 6, 1))
    assert [(e.event, e.day) for e in state.history] == [("raised", D(2026, 6, 1))]
    assert state.new_evidence == (WISH_A,)


def test_a_note_covers_the_evidence_it_names() -> None:
    note = FlagNote(D(2026, 6, 10), "planned with the client", covers=("request:a",))
    state = flag_state((WISH_A,), D(2026, 6, 1), [note], [], TODAY)
    assert (state.status, state.note) == ("addressed", "planned with the client")
    events = [(e.event, e.day, e.note) for e in state.history]
    assert events == [
        ("raised", D(2026, 6, 1), ""),
        ("addressed", D(2026, 6, 10), "planned with the client"),
    ]


def test_new_evidence_raises_it_again_as_recurring_with_the_earlier_note() -> None:
    note = FlagNote(D(2026, 6, 10), "planned with the client", covers=("request:a",))
    state = flag_state((WISH_A, WISH_B), D(2026, 6, 1), [note], [], TODAY)
    assert (state.status, state.recurring, state.since) == ("open", True, D(2026, 9, 1))
    assert state.earlier == (note,)
    assert state.new_evidence == (WISH_B,)
    assert [e.event for e in state.history] == ["raised", "addressed", "recurred"]
    assert state.history[-1].day == D(2026, 9, 1)


def test_a_note_naming_evidence_does_not_cover_evidence_dated_before_it_but_unseen() -> None:
    # recorded after the note, dated before it: the note never saw it
    late_entry = Evidence("request:c", D(2026, 6, 5))
    note = FlagNote(D(2026, 6, 10), "planned", covers=("request:a",))
    assert not covers(note, late_entry, TODAY)
    assert flag_state((WISH_A, late_entry), None, [note], [], TODAY).recurring


def test_an_older_note_covers_what_was_dated_up_to_its_day() -> None:
    old = FlagNote(D(2026, 6, 10), "talked it through")  # written before notes named evidence
    assert covers(old, WISH_A, TODAY) and not covers(old, WISH_B, TODAY)
    assert covers(old, Evidence("unpaid:-", None), TODAY)  # evidence with no day
    assert flag_state((WISH_A,), None, [old], [], TODAY).status == "addressed"
    assert flag_state((WISH_A, WISH_B), None, [old], [], TODAY).recurring


def test_a_snooze_hides_it_until_its_day_then_it_is_open_again_not_recurring() -> None:
    snooze = FlagNote(D(2026, 11, 1), "after the holidays", ("request:a",), until=D(2026, 12, 1))
    hidden = flag_state((WISH_A,), D(2026, 6, 1), [snooze], [], TODAY)
    assert (hidden.status, hidden.until, hidden.note) == (
        "snoozed",
        D(2026, 12, 1),
        "after the holidays",
    )
    back = flag_state((WISH_A,), D(2026, 6, 1), [snooze], [], D(2026, 12, 1))
    assert (back.status, back.recurring) == ("open", False)
    assert [e.event for e in back.history] == ["raised", "snoozed"]


def test_new_evidence_shows_a_snoozed_flag_before_its_day() -> None:
    snooze = FlagNote(D(2026, 11, 1), "", ("request:a",), until=D(2027, 1, 1))
    state = flag_state((WISH_A, WISH_B), None, [snooze], [], TODAY)
    assert state.status == "open" and state.new_evidence == (WISH_B,)


def test_a_note_on_a_flag_of_the_same_kind_there_makes_a_new_one_recurring() -> None:
    kin = FlagNote(D(2026, 8, 1), "new date agreed with the client")
    broken = Evidence("broken:2026-10-04", D(2026, 10, 4))
    state = flag_state((broken,), D(2026, 10, 4), [], [kin], TODAY)
    assert state.recurring and state.earlier == (kin,)
    # a note written after this one was raised is not an earlier one
    later = FlagNote(D(2026, 10, 10), "")
    assert not flag_state((broken,), D(2026, 10, 4), [], [later], TODAY).recurring

"""Merging records made under one name on two replicas (or by two people) before they
synced: the duplicates side by side with what refers to each, pick the one to keep,
confirm, and :func:`pulsetui.service.merge.merge` moves everything onto it in one save.

Returns ``{kind: count}`` of the records moved, or None when cancelled."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from pulsetui.domain.errors import InvalidInput
from pulsetui.domain.models import ENTITIES
from pulsetui.domain.words import counted
from pulsetui.service.merge import merge, merge_candidate
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseModal
from pulsetui.tui.screens.help import ModalHelp
from pulsetui.tui.widgets.literal import one_line

MARKER = "▶"


class MergeModal(ModalHelp, BaseModal):
    """The records sharing one name; Enter keeps the highlighted one (asks first)."""

    WRITING = False  # a question answered with its letter keys, nothing to type

    HELP_TITLE = "Merge records with one name"

    HELP = """\
These records have the same name: most likely the same company (or person) was added on
two devices, or by two colleagues, before they synced. Each is listed with the replica
and time it was created and what refers to it (meetings, agreements, NPS answers …).

j/k or arrows choose the one to KEEP (marked ▶); Enter merges the others into it after
asking: everything that refers to them moves to the kept one, their contacts and notes
are added to it, and they are deleted — all in one save, synced like any other change.
Esc closes without merging."""
    DEFAULT_CSS = """
    MergeModal { align: center middle; }
    MergeModal > Vertical {
        width: 90; max-width: 98%; height: auto; max-height: 98%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    MergeModal OptionList { height: auto; max-height: 16; }
    MergeModal .hint { color: $text-muted; }
    MergeModal #merge-error { color: $error; text-style: bold; }
    """
    BINDINGS = [
        *keys.bindings("back", "down", "up"),
        ModalHelp.HELP_BINDING,
        Binding("question_mark", "help", "Help", show=False),
        Binding("enter", "open", "Keep this one"),
    ]

    def __init__(self, kind: str, uids: list[str]) -> None:
        super().__init__()
        self.kind = kind
        self.uids = list(uids)

    def compose(self) -> ComposeResult:
        label = ENTITIES[self.kind].label
        with Vertical() as box:
            box.border_title = f"Same name: merge {ENTITIES[self.kind].plural}"
            yield Static(
                Text(
                    f"{len(self.uids)} {ENTITIES[self.kind].plural} share one name. "
                    f"Choose the {label} to keep; the others are merged into it."
                )
            )
            yield OptionList(id="merge-options")
            yield Label("", id="merge-error")
            yield Static(
                Text("j/k choose · Enter keeps the marked one (asks first) · Esc"), classes="hint"
            )

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self._fill()
        self.query_one(OptionList).focus()

    def _describe(self, uid: str, chosen: bool) -> Text:
        found = merge_candidate(self.workspace, self.kind, uid)
        text = Text()
        text.append(f"{MARKER} keep  " if chosen else "        ", style="bold")
        if found is None:
            return text + Text(f"id {uid} · gone")
        text.append(one_line(found.name, 50), style="bold" if chosen else "")
        text.append(f"\n        id {uid} · {found.created}")
        facts = []
        if found.manager:
            facts.append(f"manager {one_line(found.manager, 30)}")
        if found.contacts:
            facts.append(f"{found.contacts} contacts")
        if found.has_notes:
            facts.append("has notes")
        facts.extend(f"{count} {name}" for name, count in sorted(found.references.items()))
        text.append("\n        " + (" · ".join(facts) if facts else "nothing refers to it"))
        return text

    def _fill(self) -> None:
        options = self.query_one(OptionList)
        highlighted = options.highlighted or 0
        options.clear_options()
        self.uids = [u for u in self.uids if self.workspace.exists(self.kind, u)]
        for index, uid in enumerate(self.uids):
            options.add_option(Option(self._describe(uid, index == highlighted), id=uid))
        if self.uids:
            options.highlighted = min(highlighted, len(self.uids) - 1)

    @on(OptionList.OptionHighlighted)
    def _mark(self, event: OptionList.OptionHighlighted) -> None:
        options = self.query_one(OptionList)
        for index, uid in enumerate(self.uids):
            options.replace_option_prompt_at_index(
                index, self._describe(uid, index == event.option_index)
            )

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def action_open(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or len(self.uids) < 2:
            return
        keep = self.uids[options.highlighted]
        drop = [u for u in self.uids if u != keep]
        kept = merge_candidate(self.workspace, self.kind, keep)
        moved = sum(sum(self.workspace.referrers(self.kind, u).values()) for u in drop)
        question = (
            f"Keep “{one_line(kept.name if kept else '', 40)}” ({keep[-6:]}) and merge "
            f"{len(drop)} other {ENTITIES[self.kind].label if len(drop) == 1 else 'records'} "
            f"into it? {counted(moved, 'record')} that refer to "
            f"{'it' if len(drop) == 1 else 'them'} move over; the merged "
            f"{'one is' if len(drop) == 1 else 'ones are'} deleted."
        )
        self.pulse_app.confirm(question, lambda: self._merge(keep, drop), yes="Merge")

    def _merge(self, keep: str, drop: list[str]) -> None:
        total: dict[str, int] = {}
        for uid in drop:
            try:
                moved = merge(self.workspace, self.kind, keep, uid)
            except InvalidInput as exc:
                self.query_one("#merge-error", Label).update(
                    Text("✗ " + "; ".join(f"{p.field}: {p.message}" for p in exc.problems))
                )
                self._fill()
                return
            for name, count in moved.items():
                total[name] = total.get(name, 0) + count
        self.dismiss(total)

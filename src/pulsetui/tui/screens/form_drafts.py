"""Drafts of forms, the same way on every form: Esc on a form with something typed in
it closes it and keeps what was typed as a draft (quitting the app does the same); the
form opened again for the same thing shows the draft and says so (a notice, and the
box's bottom line while it is open); F8 clears the draft, putting the fields back as
they were. Saving drops the draft. Drafts are kept by :mod:`pulsetui.service.drafts`.

A form takes :class:`DraftForm`, names the fields a draft keeps (``DRAFT_FIELDS``: ids
of its Inputs, TextAreas, Selects and Checkboxes) and what the draft is about
(:meth:`draft_key`), calls :meth:`restore_draft` once its fields are mounted (and
filled with the record being changed, if any) and :meth:`forget_draft` when it saved.
A form that shows a record's values calls :meth:`take_baseline` before restoring: then
only a field changed from those values counts as typed."""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Checkbox, Input, Select, TextArea
from textual.widgets._select import InvalidSelectValueError

from pulsetui.service.drafts import drop_draft, keep_draft, load_draft
from pulsetui.tui.widgets.score_field import ScoreField

DRAFT_NOTICE = "draft restored · F8 clears it"


class DraftForm:
    """Esc keeps a draft; the form reopens with it; F8 clears it."""

    DRAFT_FIELDS: ClassVar[tuple[str, ...]] = ()
    # F8: a function key no text field binds (no chord is left free in a text field,
    # and F5-F7 edit text in a text area)
    DRAFT_BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f8", "clear_draft", "Clear draft", show=False)
    ]
    # a form opened with values of its own (pre-filled) does not take the draft
    prefilled: bool = False
    # the fields as they were before anything was typed (None: all empty)
    _draft_baseline: dict[str, str] | None = None
    # the fields as they were before a draft was put into them (F8 puts them back)
    _before_draft: dict[str, str] | None = None

    def draft_key(self) -> str:
        return type(self).__name__

    def _draft_widgets(self) -> dict[str, Any]:
        screen: Any = self
        found = {}
        for name in self.DRAFT_FIELDS:
            for widget in screen.query(f"#{name}"):
                found[name] = widget
        return found

    def typed_fields(self) -> dict[str, str]:
        """What is typed in the draft's fields (a choice as its value, a box as 1 or
        empty)."""
        fields: dict[str, str] = {}
        for name, widget in self._draft_widgets().items():
            if isinstance(widget, Input):
                fields[name] = widget.value
            elif isinstance(widget, TextArea):
                fields[name] = widget.text
            elif isinstance(widget, Checkbox):
                fields[name] = "1" if widget.value else ""
            elif isinstance(widget, Select) and widget.value is not Select.NULL:
                fields[name] = str(widget.value)
            elif isinstance(widget, ScoreField):
                fields[name] = "" if widget.value is None else str(widget.value)
        return fields

    def take_baseline(self) -> None:
        """The fields as they are now (a record's values) hold nothing typed."""
        self._draft_baseline = self.typed_fields()

    def has_typed(self) -> bool:
        """Whether a field was changed from the record shown, or (a new record) any
        text field holds something typed."""
        if self._draft_baseline is not None:
            return self.typed_fields() != self._draft_baseline
        return any(
            (w.value if isinstance(w, Input) else w.text).strip()
            for w in self._draft_widgets().values()
            if isinstance(w, Input | TextArea)
        )

    def keep_typed(self) -> None:
        """Keep what is typed as the draft (nothing typed: no draft)."""
        screen: Any = self
        fields = self.typed_fields() if self.has_typed() else {}
        keep_draft(screen.workspace, self.draft_key(), fields, screen.pulse_app.audience)

    def forget_draft(self) -> None:
        screen: Any = self
        drop_draft(screen.workspace, self.draft_key(), screen.pulse_app.audience)

    def _fill_fields(self, values: dict[str, str], everything: bool) -> None:
        """Put ``values`` into the fields; ``everything``: a field missing is emptied."""
        for name, widget in self._draft_widgets().items():
            value = values.get(name)
            if value is None and not everything:
                continue
            if isinstance(widget, Input):
                widget.value = value or ""
            elif isinstance(widget, TextArea):
                widget.load_text(value or "")
            elif isinstance(widget, Checkbox):
                widget.value = value == "1"
            elif isinstance(widget, ScoreField):
                score = int(value) if value and value.isdigit() else None
                widget.value = score if score is not None and score <= 10 else None
            elif isinstance(widget, Select):
                with contextlib.suppress(InvalidSelectValueError):
                    if value is not None:
                        widget.value = value
                    else:
                        widget.clear()  # a choice that cannot be blank keeps its value

    def restore_draft(self) -> bool:
        """Fill the fields from the kept draft; True when there was one."""
        screen: Any = self
        if self.prefilled:
            return False
        draft = load_draft(screen.workspace, self.draft_key(), screen.pulse_app.audience)
        if not draft:
            return False
        self._before_draft = self.typed_fields()
        self._fill_fields(draft, everything=False)
        self._draft_notice(DRAFT_NOTICE)
        screen.notify("Draft restored: what you typed before is back (F8 clears it).", timeout=3)
        return True

    def _draft_notice(self, text: str) -> None:
        """Say on the form's box, as long as it is open, that a draft is in it."""
        screen: Any = self
        boxes = [w for w in screen.children if w.styles.border_bottom[0]]
        if boxes:
            boxes[0].border_subtitle = text

    def action_clear_draft(self) -> None:
        """F8: drop the draft restored and put the fields back as they were before it."""
        screen: Any = self
        if self._before_draft is None:
            screen.notify("No draft to clear.", timeout=2)
            return
        self._fill_fields(self._before_draft, everything=True)
        self._before_draft = None
        self.forget_draft()
        self._draft_notice("")
        screen.notify("Draft cleared.", timeout=2)

    def close_keeping_draft(self) -> None:
        """Esc: close, keeping what is typed as a draft."""
        screen: Any = self
        if self.has_typed():
            self.keep_typed()
            screen.notify("Kept as a draft: open the form again to go on.", timeout=3)
        else:
            self.forget_draft()
        screen.dismiss(None)

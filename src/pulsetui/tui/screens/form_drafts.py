"""Drafts of forms, the same way on every form: Esc on a form with something typed in
it closes it and keeps what was typed as a draft (quitting the app does the same); the
form opened again for the same thing shows the draft, and says so. Saving drops the
draft. Drafts are kept by :mod:`pulsetui.service.drafts`.

A form takes :class:`DraftForm`, names the fields a draft keeps (``DRAFT_FIELDS``: ids
of its Inputs, TextAreas and Selects) and what the draft is about (:meth:`draft_key`),
calls :meth:`restore_draft` once its fields are mounted and :meth:`forget_draft` when
it saved."""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar

from textual.widgets import Input, Select, TextArea
from textual.widgets._select import InvalidSelectValueError

from pulsetui.service.drafts import drop_draft, keep_draft, load_draft


class DraftForm:
    """Esc keeps a draft; the form reopens with it."""

    DRAFT_FIELDS: ClassVar[tuple[str, ...]] = ()
    # a form opened with values of its own (pre-filled) does not take the draft
    prefilled: bool = False

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
        """What is typed in the draft's fields (a choice as its value)."""
        fields: dict[str, str] = {}
        for name, widget in self._draft_widgets().items():
            if isinstance(widget, Input):
                fields[name] = widget.value
            elif isinstance(widget, TextArea):
                fields[name] = widget.text
            elif isinstance(widget, Select) and widget.value is not Select.NULL:
                fields[name] = str(widget.value)
        return fields

    def has_typed(self) -> bool:
        """Whether any text field holds something typed."""
        return any(
            (w.value if isinstance(w, Input) else w.text).strip()
            for w in self._draft_widgets().values()
            if isinstance(w, Input | TextArea)
        )

    def keep_typed(self) -> None:
        """Keep what is typed as the draft (nothing typed: no draft)."""
        screen: Any = self
        fields = self.typed_fields() if self.has_typed() else {}
        keep_draft(screen.workspace, self.draft_key(), fields)

    def forget_draft(self) -> None:
        screen: Any = self
        drop_draft(screen.workspace, self.draft_key())

    def restore_draft(self) -> bool:
        """Fill the fields from the kept draft; True when there was one."""
        screen: Any = self
        if self.prefilled:
            return False
        draft = load_draft(screen.workspace, self.draft_key())
        if not draft:
            return False
        for name, widget in self._draft_widgets().items():
            value = draft.get(name)
            if value is None:
                continue
            if isinstance(widget, Input):
                widget.value = value
            elif isinstance(widget, TextArea):
                widget.load_text(value)
            elif isinstance(widget, Select):
                with contextlib.suppress(InvalidSelectValueError):
                    widget.value = value
        screen.notify("Draft restored: what you typed before is back.", timeout=3)
        return True

    def close_keeping_draft(self) -> None:
        """Esc: close, keeping what is typed as a draft."""
        screen: Any = self
        if self.has_typed():
            self.keep_typed()
            screen.notify("Kept as a draft: open the form again to go on.", timeout=3)
        else:
            self.forget_draft()
        screen.dismiss(None)

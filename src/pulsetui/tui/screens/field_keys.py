"""Keys that move between form fields, handled before the next key is delivered.

Textual hands each key to the focused widget's own queue; a Tab (or an Enter that moves
to the next field) is acted on only when that widget gets to it, so keys typed right
behind it — a fast typist, a paste, keys bunched by an SSH link — still land in the old
field. As priority bindings these keys are acted on by the app as they arrive, in order.

Forms take :class:`FieldKeys` and list ``FieldKeys.FIELD_BINDINGS`` in their BINDINGS;
a form whose Enter moves on or saves implements :meth:`FieldKeys.field_entered`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, ClassVar

from textual.actions import SkipAction
from textual.binding import Binding
from textual.widgets import Input

TAB_BINDINGS: list[Binding] = [
    Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
    Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
]
"""Tab / shift+Tab acted on as they arrive: for any screen with more than one place to
type or move in (forms, filter bars), so keys typed behind a Tab land in the next one."""


class FieldKeys:
    """Tab / shift+Tab / Enter in a text field, acted on in the order typed."""

    FIELD_BINDINGS: ClassVar[list[Binding]] = [
        *TAB_BINDINGS,
        Binding("enter", "field_entered", "Next field", show=False, priority=True),
    ]

    def handles_enter(self, field: Input) -> bool:
        """Whether Enter in ``field`` is acted on here (else the field gets it)."""
        return True

    def action_field_entered(self) -> None:
        screen: Any = self
        field = screen.focused
        if not isinstance(field, Input) or not self.handles_enter(field):
            raise SkipAction()  # Enter goes to the focused widget as usual
        self.field_entered(field, Input.Submitted(field, field.value))

    def field_entered(self, field: Input, event: Input.Submitted) -> None:
        """Enter in ``field``: by default the next field."""
        screen: Any = self
        screen.focus_next()

    def when_typed_in(self, field: Input, act: Callable[[], Any]) -> None:
        """Run ``act`` (what Enter in ``field`` does) once the keys typed before that
        Enter are in the field (:meth:`after_typing`); the keys typed after it wait
        for it, so they are not typed into the field before it acts."""
        screen: Any = self
        done = asyncio.get_running_loop().create_future()

        def run() -> None:
            try:
                if screen.is_attached:
                    act()
            finally:
                if not done.done():
                    done.set_result(None)

        screen.pulse_app.hold_keys_behind(field, done=done)
        self.after_typing(run)

    def after_typing(self, callback: Callable[[], Any]) -> None:
        """Run ``callback`` once every key already handed to this form's fields has been
        typed in (e.g. save on Enter while the last keys are still on their way): it is
        queued behind those keys in each field in turn. An editing key (Backspace,
        Delete, ctrl+w …) is acted on only once it has bubbled from the field up to the
        app, which looks up its binding: so the callback then follows it up the focused
        field's ancestors to the app, behind it at every step."""
        screen: Any = self
        fields = list(screen.query(Input))
        focused = screen.focused
        path = list(focused.ancestors_with_self) if focused is not None else []
        hops = [*fields, *(node for node in path if node not in fields)]

        def step(index: int) -> None:
            if index == len(hops):
                callback()
            else:
                hops[index].call_later(step, index + 1)

        step(0)

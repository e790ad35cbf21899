"""What a kept list was read for, so a screen reads again only when that changed.

A section screen keeps its rows while the user visits other sections; coming back it
compares :func:`data_state` (the store's version, the day, call mode and the client in
view) with the state its rows were read for and the state a running read is for."""

from __future__ import annotations

from typing import Any


def data_state(app: Any, *extra: Any) -> tuple[Any, ...]:
    """The store's version (None when the app does not count saves: always read again),
    the day, call mode, the client in view while call mode is on, then ``extra``."""
    version = getattr(app, "data_version", None)
    call_mode = bool(getattr(app, "call_mode", False))
    client = getattr(app, "call_client", None) if call_mode else None
    return (version, app.workspace.today(), call_mode, client, *extra)


class KeptState:
    """The state a screen's rows were read for and the state its running read is for."""

    def __init__(self) -> None:
        self.shown: tuple[Any, ...] | None = None
        self.asked: tuple[Any, ...] | None = None
        self.serial = 0  # reads started; an older read's result is dropped

    def stale(self, state: tuple[Any, ...]) -> bool:
        """Whether rows for ``state`` are neither shown nor on their way."""
        return state[0] is None or state not in (self.shown, self.asked)

    def start(self, state: tuple[Any, ...]) -> int:
        self.serial += 1
        self.asked = state
        return self.serial

    def arrived(self, state: tuple[Any, ...], serial: int) -> bool:
        """Whether a read's result is the latest one started (then it is shown)."""
        if serial != self.serial:
            return False
        self.asked = None
        self.shown = state
        return True

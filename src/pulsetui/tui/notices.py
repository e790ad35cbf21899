"""Notifications (the toasts in the corner) show their message as written.

A message often holds a record's name or a text someone typed ("Client “Zed [/]” is
back."): it is never read as Textual markup, which would drop the brackets or stop
the app on a closing tag that closes nothing, and a control character in it shows as
a visible symbol instead of acting on the terminal (see :mod:`.widgets.literal`)."""

from __future__ import annotations

from textual.app import App
from textual.notifications import SeverityLevel

from pulsetui.tui.widgets.literal import printable


class LiteralNotices(App[None]):
    """Mixed into the apps: every notification is plain text, whoever raises it."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show ``message`` literally. ``markup`` is accepted for Textual's callers
        (a widget's ``notify`` passes it on) and ignored: no message is markup."""
        del markup
        super().notify(
            printable(message),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

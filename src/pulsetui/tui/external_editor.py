"""Editing the focused note in $VISUAL / $EDITOR (ctrl+e): the app steps aside for the
editor, which gets the text in a temporary file, and the edited text is read back into
the note (a text field gets it on one line). Nothing changes if the editor fails."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from textual.app import App


def edit_focused_note(app: App[Any]) -> None:
    """Edit the focused TextArea or Input in the user's editor and read it back."""
    # imported here: TextArea brings its syntax machinery, which the first screen needs not
    from textual.widgets import Input, TextArea

    widget = app.focused
    if isinstance(widget, TextArea):
        text = widget.text
    elif isinstance(widget, Input):
        text = widget.value
    else:
        app.notify("Focus a note or text field first.", severity="warning")
        return
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    edited = run_editor(app, editor, text)
    if edited is None:
        return
    # the cursor after the text, where typing goes on; in a note the change is one step
    # ctrl+z undoes
    if isinstance(widget, TextArea):
        document = widget.document
        widget.replace(edited, document.start, document.end, maintain_selection_offset=False)
        widget.move_cursor(widget.document.end)
    else:
        widget.value = edited.rstrip("\n").replace("\n", " ")
        widget.cursor_position = len(widget.value)
    widget.focus()


def run_editor(app: App[Any], editor: str, text: str) -> str | None:
    """``text`` as edited in ``editor`` (the app suspended meanwhile), or None."""
    fd, name = tempfile.mkstemp(prefix="pulsetui-", suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            with app.suspend():
                code = subprocess.call([*shlex.split(editor), str(path)])
        except Exception as exc:  # suspend unsupported (e.g. headless), editor missing
            app.notify(f"Cannot run the editor: {exc}", severity="error")
            return None
        if code != 0:
            app.notify(f"The editor exited with {code}; the note is unchanged.", severity="warning")
            return None
        return path.read_text(encoding="utf-8", errors="replace")
    finally:
        path.unlink(missing_ok=True)

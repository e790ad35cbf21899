"""Preview of a report before it leaves the product: the Markdown as it will read
(Textual's ``Markdown`` widget, with the parser the HTML form is written with), then
save it to a file or copy it for a mail.

- Save (ctrl+s, or Enter in "Save as"): the file named in "Save as", suggested in the
  documents folder (else the workspace's ``exports/``) under a free name; its ending
  picks the form (``.md``, ``.html``, ``.txt``, as the report offers them). A file that
  exists is never written over: the error says so beside the field and nothing is
  written (:func:`pulsetui.service.saving.save_new`).
- Copy (y in the preview): the form meant for a mail body, with the platform's
  clipboard tool where the session is local; otherwise it is sent to the terminal as
  OSC 52 and the message says exactly that (:mod:`pulsetui.service.clipboard`).

The report is built in a thread worker (a past week is rebuilt from the journal), as
is the saving and the copying: the modal opens at once and never blocks typing."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Markdown, Static

from pulsetui.domain.errors import InvalidInput
from pulsetui.reports.sendable import MARKDOWN, ReportForms
from pulsetui.reports.weekly_html import markdown_renderer
from pulsetui.service.clipboard import copy_text
from pulsetui.service.saving import default_folder, suggested_path
from pulsetui.service.saving import save_new as write_new
from pulsetui.tui import keys
from pulsetui.tui.screens.base import BaseModal
from pulsetui.tui.screens.help import ModalHelp
from pulsetui.tui.widgets.text_fields import TextInput


def problem_text(exc: InvalidInput) -> str:
    return exc.problems[0].message if exc.problems else str(exc)


class ReportPreview(ModalHelp, BaseModal):
    """A report previewed, then saved or copied."""

    # read, not written: its letter keys (y copies) act; in its file-name field they type
    WRITING = False
    HELP_TITLE = "Report preview"
    HELP = """\
The report as it will read. ctrl+s saves it to the file named in Save as (Enter there
does too); the ending chooses the form, as the report offers them: .md Markdown, .html
a web page, .txt plain text for a mail, .ics the invite. An existing file is never
written over.
y copies the text for a mail; where the clipboard cannot be reached directly (over SSH)
it is sent to the terminal, which may or may not take it: the message says so, and
saving to a file always works. Esc closes the preview."""
    DEFAULT_CSS = """
    ReportPreview { align: center middle; }
    ReportPreview > Vertical {
        width: 100; max-width: 98%; height: 95%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ReportPreview #preview { height: 1fr; border: round $panel; }
    ReportPreview #preview:focus { border: round $primary; }
    ReportPreview .field-row { height: 1; }
    ReportPreview .field-row > Label { width: 10; }
    ReportPreview .field-row:focus-within > Label { text-style: bold reverse; }
    ReportPreview .field-row > Input { width: 1fr; }
    ReportPreview #err-path { color: $error; text-style: bold; padding-left: 10; }
    """
    BINDINGS = [*keys.bindings("back", "save", "copy"), ModalHelp.HELP_BINDING]

    def __init__(
        self, title: str, build: Callable[[], ReportForms], folder: Path | None = None
    ) -> None:
        """``build`` makes the report (in a thread); ``folder``: where "Save as" starts
        (default: the documents folder, else the workspace's exports)."""
        super().__init__()
        self.heading = title
        self._build = build
        self._folder = folder
        self.report: ReportForms | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.heading, style="bold"), id="report-title")
            with VerticalScroll(id="preview", can_focus=True):
                yield Markdown(
                    "Preparing the report…",
                    id="report-body",
                    parser_factory=markdown_renderer,
                    open_links=False,
                )
            with Horizontal(classes="field-row"):
                yield Label("Save as")
                yield TextInput("", id="f-path", compact=True, disabled=True)
            yield Static("", id="err-path")
            yield Static(self._hint(), id="report-keys")

    def _hint(self, endings: str = "") -> Text:
        forms = f" ({endings})" if endings else ""
        save = keys.keys_for("save")
        return Text(f"{save} save{forms} · y copy for a mail · Esc close · F1 help")

    def on_mount(self) -> None:
        if not self.is_live:
            return
        self.query_one("#preview").focus()
        self._prepare()

    def _made(self) -> tuple[ReportForms, Path]:
        """The report and where "Save as" starts (in a thread: reads and may make a
        folder)."""
        report = self._build()
        folder = self._folder or default_folder(self.workspace.home)
        return report, suggested_path(folder, report.title, MARKDOWN)

    @work(group="report-preview", exit_on_error=False)
    async def _prepare(self) -> None:
        """Make the report in a thread, then show it; the worker ends once its
        Markdown is on screen."""
        try:
            report, path = await asyncio.to_thread(self._made)
        except (InvalidInput, OSError) as exc:
            message = problem_text(exc) if isinstance(exc, InvalidInput) else str(exc)
            if self.is_live:
                body = self.query_one("#report-body", Markdown)
                await body.update(f"The report cannot be made: {message}")
            return
        if not self.is_live:
            return
        self.report = report
        await self.query_one("#report-body", Markdown).update(report.markdown)
        if not self.is_live:
            return
        field_ = self.query_one("#f-path", Input)
        field_.value = str(path)
        field_.disabled = False
        self.query_one("#report-keys", Static).update(self._hint(" ".join(sorted(report.forms))))

    def _error(self, message: str) -> None:
        if self.is_live:  # a save may finish after the preview was closed
            self.query_one("#err-path", Static).update(Text(f"✗ {message}") if message else "")

    # ---- save -----------------------------------------------------------------------

    @on(Input.Submitted, "#f-path")
    def _path_submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        report = self.report
        if report is None:
            return
        raw = self.query_one("#f-path", Input).value.strip()
        if not raw:
            self._error("name the file to write")
            return
        path = Path(raw).expanduser()
        text = report.forms.get(path.suffix.lower())
        if text is None:
            endings = ", ".join(sorted(report.forms))
            self._error(f"the file name must end in {endings}")
            return
        self._write(path, text)

    @work(thread=True, group="report-save", exit_on_error=False)
    def _write(self, path: Path, text: str) -> None:
        try:
            write_new(path, text.encode("utf-8"), field="save as")
        except InvalidInput as exc:
            self.app.call_from_thread(self._error, problem_text(exc))
            return
        except OSError as exc:
            self.app.call_from_thread(self._error, f"cannot write: {exc.strerror or exc}")
            return
        self.app.call_from_thread(self._saved, path)

    def _saved(self, path: Path) -> None:
        self._error("")
        self.notify(f"Saved {path}", timeout=4, markup=False)

    # ---- copy -----------------------------------------------------------------------

    def action_copy(self) -> None:
        report = self.report
        if report is not None:
            self._copy(report.forms.get(report.mail, report.markdown))

    @work(thread=True, group="report-copy", exit_on_error=False)
    def _copy(self, text: str) -> None:
        outcome = copy_text(
            text,
            os.environ,
            what="The report",
            save_hint=f"To keep it for sure, save it to a file ({keys.keys_for('save')}).",
        )
        self.app.call_from_thread(self._copied, text, outcome.sent_to_terminal, outcome.message)

    def _copied(self, text: str, to_terminal: bool, message: str) -> None:
        if to_terminal:
            self.app.copy_to_clipboard(text)  # OSC 52: the terminal may or may not take it
        self.notify(message, timeout=6, markup=False)

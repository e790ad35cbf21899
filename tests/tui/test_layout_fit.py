"""Layout at 60×20, 80×24 and 120×40: a text column takes the width the other columns
leave (text that fits is not cut, no row runs off to the side), and meeting mode gives
the notes the room the agenda does not need."""

from __future__ import annotations

from typing import Any

import pytest
from tests.tui.screen_harness import ScreenHarness, settle, wait_for
from textual.widgets import DataTable, TextArea

from pulsetui.service.workspace import Workspace
from pulsetui.tui.screens.client_page import ClientPage
from pulsetui.tui.screens.clients import ClientsScreen
from pulsetui.tui.screens.meeting import MeetingScreen

SIZES = [(60, 20), (80, 24), (120, 40)]


def row_width(table: DataTable[Any]) -> int:
    return sum(column.get_render_width(table) for column in table.columns.values())


def room(table: DataTable[Any]) -> int:
    return table.size.width - table.styles.scrollbar_size_vertical


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_timeline_detail_takes_the_rest_of_the_width(
    tui_ws: Workspace, size: tuple[int, int]
) -> None:
    client = tui_ws.my_clients()[0]
    app = ScreenHarness(tui_ws, lambda: ClientPage(client.uid))
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#timeline", DataTable)
        assert row_width(table) == room(table)  # to the edge, and not beyond it
        assert table.max_scroll_x == 0


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_meeting_notes_get_the_room_the_agenda_does_not_need(
    tui_ws: Workspace, size: tuple[int, int]
) -> None:
    client = tui_ws.my_clients()[0]
    app = ScreenHarness(tui_ws, lambda: MeetingScreen(client.uid))
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        agenda = app.screen.query_one("#agenda", DataTable)
        notes = app.screen.query_one("#meeting-notes", TextArea)
        items = agenda.row_count
        assert 0 < items < 5
        assert agenda.outer_size.height == items + 2  # its items and its border, no blanks
        assert notes.outer_size.height >= size[1] // 2 - 2
        assert row_width(agenda) == room(agenda) and agenda.max_scroll_x == 0


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_client_name_takes_the_width_the_other_columns_leave(
    tui_ws: Workspace, size: tuple[int, int]
) -> None:
    app = ScreenHarness(tui_ws, ClientsScreen)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert row_width(table) == room(table)
        names = [table.get_row_at(row)[1].plain for row in range(table.row_count)]
        assert "Saimaa Energia Oy" in names  # fits, so shown whole


async def test_an_open_dropdown_is_framed_and_its_choices_do_not_wrap_at_60x20(
    tui_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without colour a compact dropdown drew its choices frameless over the labels, in
    the form's own background, wrapped ("every two / weeks"): now it has a frame and is
    as wide as its longest choice."""
    from textual.widgets import Select
    from textual.widgets._select import SelectOverlay

    from pulsetui.tui.screens.forms.client_form import ClientForm

    monkeypatch.setenv("NO_COLOR", "1")
    client = tui_ws.my_clients()[0]
    app = ScreenHarness(tui_ws, lambda: ClientForm(client.uid))
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "enter")
        await pilot.pause()
        select = app.screen.focused.parent if app.screen.focused else None
        assert isinstance(select, Select) and select.expanded
        overlay = select.query_one(SelectOverlay)
        assert overlay.styles.border_top[0] == "round"
        longest = max(len(str(option.prompt)) for option in overlay.options)
        assert overlay.scrollable_content_region.width >= longest
        assert overlay.virtual_size.height == overlay.option_count  # one line each


async def test_the_agreement_log_at_60_columns_gives_the_text_room(tui_ws: Workspace) -> None:
    """At 60 columns the agreement's text got 7 cells and ran off the side, and the text
    filter 3: below 76 columns the Client column is left out and the filters narrow."""
    from textual.widgets import Input
    from textual.widgets.data_table import ColumnKey

    from pulsetui.tui.screens.agreements import AgreementsScreen

    app = ScreenHarness(tui_ws, AgreementsScreen)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        labels = [str(column.label) for column in table.columns.values()]
        assert "Client" not in labels
        assert table.columns[ColumnKey("text")].width >= 20
        assert row_width(table) <= room(table) and table.max_scroll_x == 0
        assert app.screen.query_one("#q", Input).size.width >= 15


async def test_todays_heading_is_not_cut_at_60_columns(make_tui_app: Any) -> None:
    """Both heading lines wrap at 60 columns; the eNPS line lost its end (max 3 rows)."""
    from pulsetui.tui.widgets.literal import LiteralStatic

    app = make_tui_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        summary = app.screen.query_one("#today-summary", LiteralStatic)
        width = summary.content_region.width
        needed = summary.get_content_height(summary.size, summary.size, width)
        assert needed > 2  # wrapped
        assert summary.content_region.height >= needed


async def test_the_clients_list_at_60_columns_keeps_name_and_health_on_screen(
    tui_ws: Workspace,
) -> None:
    """At 60 columns the health ran off the side and the name had 12 cells: below 76
    columns segment and spiral are left out (the client page shows them)."""
    app = ScreenHarness(tui_ws, ClientsScreen)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        labels = [str(column.label) for column in table.columns.values()]
        assert labels == [" ", "Client", "Stage", "Next mtg", "Health"]
        assert row_width(table) == room(table) and table.max_scroll_x == 0
        names = [table.get_row_at(row)[1].plain for row in range(table.row_count)]
        assert "Saimaa Energia Oy" in names
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        labels = [str(column.label) for column in table.columns.values()]
        assert "Segment" in labels and "Spiral" in labels
        assert len(table.get_row_at(0)) == len(labels)


async def test_a_trend_line_leaves_its_numbers_room_at_60_columns(tui_ws: Workspace) -> None:
    """The picture takes at most 30% of the line: at 60 columns the wellbeing numbers
    wrapped into three lines beside a 24-cell sparkline."""
    from textual.widgets import Sparkline

    from pulsetui.tui.screens.consultants import ConsultantsScreen
    from pulsetui.tui.widgets.trend_line import TrendLine

    app = ScreenHarness(tui_ws, ConsultantsScreen)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        trend = app.screen.query_one("#wellbeing-trend", TrendLine)
        assert trend.display
        assert trend.query_one(Sparkline).outer_size.width <= 0.3 * trend.size.width + 1
        assert trend.outer_size.height <= 2


async def test_the_score_hint_wraps_instead_of_being_cut_at_60_columns(make_tui_app: Any) -> None:
    """The NPS score line was cut at "(type 0-9," at 60 columns."""
    from pulsetui.tui.widgets.score_field import ScoreField

    app = make_tui_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        score = app.screen.query_one("#score", ScoreField)
        parent = score.parent
        assert parent is not None
        assert score.outer_size.height == 2  # the scale, then the hint below it
        assert parent.content_region.contains_region(score.region)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_todays_names_are_whole_or_cut_keeping_whose_it_is(
    make_tui_app: Any, size: tuple[int, int]
) -> None:
    """Who was cut at the end, so "Revontuli Pankki Oyj (us)" lost whose agreement it
    is ("Revontuli Pankki Oy…"): a name gets the room it needs up to a share of the
    width, and a longer one is cut inside, keeping "(us)" or "(client)"."""
    from rich.cells import cell_len
    from textual.widgets.data_table import ColumnKey

    app = make_tui_app()
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await wait_for(lambda: app.screen.attention, pilot)
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert row_width(table) <= room(table) and table.max_scroll_x == 0
        column = table.columns[ColumnKey("Who")]
        names = [row.who for row in app.screen.attention]
        assert any(name.endswith(" (us)") for name in names)
        for index, name in enumerate(names[: table.row_count]):
            shown = table.get_row_at(index)[1].plain
            assert cell_len(shown) <= column.width, shown  # drawn whole, not cut again
            if cell_len(name) <= column.width:
                assert shown == name
            else:
                assert "…" in shown and name.startswith(shown.split("…")[0])
                side = name[name.rindex(" (") :] if name.endswith(")") else ""
                assert shown.endswith(side), f"{shown!r} lost {side!r}"


@pytest.mark.parametrize(
    ("name", "width", "shown"),
    [
        ("Revontuli Pankki Oyj (us)", 25, "Revontuli Pankki Oyj (us)"),
        ("Revontuli Pankki Oyj (us)", 20, "Revontuli Pank… (us)"),
        ("Дмитрий Иванов (client)", 20, "Дмитрий Ив… (client)"),
        ("株式会社テスト (us)", 12, "株式会… (us)"),  # wide characters count two cells
        ("[bold]Acme[/bold] Oy (us)", 16, "[bold]Acme… (us)"),  # markup stays text
        ("Kuusi Logistiikka Oy", 15, "Kuusi Logistii…"),
        ("Kuusi Logistiikka Oy (client)", 10, "Kuusi Log…"),  # no room for the side
    ],
)
def test_a_short_name_keeps_its_last_part_in_brackets(name: str, width: int, shown: str) -> None:
    from rich.cells import cell_len

    from pulsetui.tui.widgets.literal import short_name

    assert short_name(name, width) == shown
    assert cell_len(shown) <= width


def screen_lines(app: Any) -> list[str]:
    """The screen as drawn, line by line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def drawn(app: Any, widget: Any) -> str:
    """The text drawn inside ``widget`` (its border left out), lines joined by spaces."""
    region = widget.content_region
    lines = screen_lines(app)[region.y : region.bottom]
    return " ".join(line[region.x : region.right].strip() for line in lines)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_pulse_forms_follow_ups_are_whole_or_cut_with_an_ellipsis(
    tui_ws: Workspace, size: tuple[int, int]
) -> None:
    """An open follow-up ran off the pane's edge ("2026-06-15 Find a training bud"), and
    so did a long promise typed in the form: an open follow-up keeps to one line, cut
    with "…" (the history pane above keeps its room), a promise typed wraps."""
    from textual.widgets import Input, OptionList

    from pulsetui.tui.screens.pulse_form import PulseForm

    consultant = tui_ws.my_consultants()[0].uid
    app = ScreenHarness(tui_ws, lambda: PulseForm(consultant=consultant))
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        carried = app.screen.query_one("#carried", OptionList)
        items = app.screen._carried_items
        assert len(items) >= 2 and any(len(text) > 20 for _u, _i, text, _d in items)
        assert carried.option_count == len(items)
        region = carried.content_region
        lines = screen_lines(app)[region.y : region.bottom]
        assert len(lines) == min(len(items), region.height)
        for line, (_u, _i, text, day) in zip(lines, items, strict=False):  # one line each
            shown = line[region.x : region.right].strip()
            assert shown == f"{day} {text}" or (
                shown.endswith("…") and f"{day} {text}".startswith(shown[:-1])
            )
        promise = "Ask the client for a written description of the new reporting role " * 2
        field = app.screen.query_one("#f-follow-up", Input)
        field.focus()
        field.value = promise.strip()
        await pilot.press("enter")
        promised = app.screen.query_one("#follow-ups", OptionList)
        await wait_for(lambda: promised.display and promised.option_count == 1, pilot)
        await pilot.pause()
        assert drawn(app, promised) == "[ ] " + promise.strip()  # wrapped, none of it cut


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_each_segment_box_shows_its_clients_and_its_policy_whole(
    tui_ws: Workspace, size: tuple[int, int]
) -> None:
    """At 60×20 a box had three lines for its client and its policy, which was cut
    ("both want it: extra"): there the policy is given in a few words on the box's
    lower edge."""
    from textual.widgets import Static

    from pulsetui.service.views.audience import Audience
    from pulsetui.service.views.segments import segments_view
    from pulsetui.tui.screens.segments import GRID, SegmentsScreen

    view = segments_view(tui_ws, Audience.manager(tui_ws.me))
    quadrants = {q.segment: q for q in view.quadrants}
    app = ScreenHarness(tui_ws, SegmentsScreen)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        lines = screen_lines(app)
        for segment in GRID:
            quadrant = quadrants[segment.value]
            box = app.screen.query_one(f"#quadrant-{segment.value}", Static)
            inside = box.content_region
            needed = box.get_content_height(inside.size, inside.size, inside.width)
            assert needed <= inside.height, f"{quadrant.label} cut at {size}"
            if size[0] < 80:
                edge = lines[box.region.bottom - 1][box.region.x : box.region.right]
                assert f" {quadrant.brief} " in edge
            else:
                assert quadrant.policy in " ".join(drawn(app, box).split())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_three_hats_show_every_column_without_scrolling_sideways(
    tui_ws: Workspace, size: tuple[int, int]
) -> None:
    """At 80 columns "Health by quarter" and "Workload" were reachable only by scrolling
    sideways: below the width all six columns need, the workload goes under the
    wellbeing and the health by quarter under the health now (and, narrower still, the
    client under the consultant); the consultant's name stays whole."""
    from rich.cells import cell_len
    from textual.widgets import Static

    from pulsetui.service.views.audience import Audience
    from pulsetui.service.views.hats import hats_view
    from pulsetui.tui.screens.hats import HatsScreen, trend_text, workload_text

    view = hats_view(tui_ws, Audience.manager(tui_ws.me))
    app = ScreenHarness(tui_ws, HatsScreen)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(view.lines)
        assert row_width(table) <= room(table) and table.max_scroll_x == 0
        first = list(table.columns.values())[1]
        for index, line in enumerate(view.lines):
            cells = [c.plain for c in table.get_row_at(index)[1:]]
            shown = "\n".join(cells)
            for part in (line.consultant_name, line.health, line.grade):
                assert str(part) in shown
            if line.client_name not in shown:  # cut under the consultant on a narrow screen
                client = cells[0].split("\n")[1]
                assert client.endswith("…") and line.client_name.startswith(client[:-1])
            assert trend_text(line) in shown.split("\n")
            assert workload_text(line) in shown.split("\n")
            assert cell_len(cells[0].split("\n")[0]) <= first.get_render_width(table) - 2
        summary = app.screen.query_one("#hats-summary", Static)
        inside = summary.content_region
        assert summary.get_content_height(inside.size, inside.size, inside.width) <= inside.height
        if size[0] >= 120:
            labels = [str(column.label) for column in table.columns.values()]
            assert "Health by quarter" in labels and "Workload" in labels  # one line a row


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_todays_detail_line_is_whole_or_ends_in_an_ellipsis(
    make_tui_app: Any, size: tuple[int, int]
) -> None:
    """The highlighted row's reasons under the list have two lines: a longer text was
    cut after the second line with nothing to say so."""
    from pulsetui.tui.screens.today import detail_line

    app = make_tui_app()
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await wait_for(lambda: app.screen.attention, pilot)
        table = app.screen.query_one(DataTable)
        detail = app.screen.query_one("#today-detail")
        cut = 0
        for index, row in enumerate(app.screen.attention[: min(table.row_count, 12)]):
            table.move_cursor(row=index)
            await pilot.pause()
            shown = " ".join(drawn(app, detail).split())
            full = " ".join(detail_line(row).split())
            if shown != full:
                cut += 1
                assert shown.endswith("…"), shown
                assert full.startswith(shown[:-1].rsplit(" ", 1)[0]), (shown, full)
        assert cut or size[0] > 60  # at 60 columns some reasons need more than two lines


@pytest.mark.parametrize(("room", "policy"), [((40, 6), True), ((40, 4), False), ((30, 9), True)])
def test_a_segment_box_too_small_for_its_clients_says_how_many_more(
    room: tuple[int, int], policy: bool
) -> None:
    """Twelve clients in one box of a few lines were cut at the box's edge with
    nothing to say so: the last line that fits counts the rest, and the policy stays."""
    from rich.console import Console

    from pulsetui.domain.enums import Segment
    from pulsetui.domain.segment_check import POLICIES
    from pulsetui.service.views.segments import Quadrant, SegmentRow
    from pulsetui.tui.screens.segments import quadrant_text

    rows = tuple(
        SegmentRow(f"c{n}", f"Client {n:02} Oy", "stayed", False, "yes", "yes", "yes", "yes", ())
        for n in range(12)
    )
    quadrant = Quadrant("steady", "steady", POLICIES[Segment.STEADY], rows)
    console = Console(width=room[0], color_system=None, record=True, file=None)
    with console.capture() as capture:
        console.print(quadrant_text(quadrant, policy, room))
    lines = capture.get().rstrip("\n").split("\n")
    assert len(lines) <= room[1], lines
    shown = [line for line in lines if "Client " in line]
    assert shown and shown[0].strip().startswith("Client 00 Oy")
    assert f"… {12 - len(shown)} more" in "\n".join(lines)
    if policy:
        assert " ".join(" ".join(lines).split()).endswith(" ".join(quadrant.policy.split()))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_consultants_state_and_strain_show_whole_at_every_size(
    tui_ws: Workspace, size: tuple[int, int]
) -> None:
    """A narrow terminal puts the client under the consultant and the last pulse under
    its state, two lines a row, rather than cutting the state and the strain off."""
    from pulsetui.tui.screens.consultants import ConsultantsScreen

    app = ScreenHarness(tui_ws, ConsultantsScreen)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one(DataTable)
        shown = {str(column.label.plain).split("\n")[0] for column in table.columns.values()}
        assert {"Consultant", "State", "Strain"} <= shown
        keys = [str(key.value) for key in table.columns]
        width = sum(
            column.get_render_width(table)
            for key, column in zip(keys, table.columns.values(), strict=True)
            if key in {"name", "client", "last", "state", "strain"}
        )
        bar = table.styles.scrollbar_size_vertical if table.max_scroll_y else 0
        assert 3 + width <= table.size.width - bar  # the marker column, then these, whole
        cells = [table.get_row_at(row) for row in range(table.row_count)]
        texts = [" ".join(str(c) for c in row) for row in cells]
        assert any("!! caught" in text for text in texts)
        assert any("! overdue" in text for text in texts)
        client = tui_ws.my_consultants()[0]
        assert any(client.name in text for text in texts)
        assert ("client" in keys) == (size[0] >= 80)

"""The judgement sections the app adds to its modes: the segments grid and the three
hats. Their screens are imported when first opened, like the other sections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen


def _segments() -> Screen[Any]:
    from pulsetui.tui.screens.segments import SegmentsScreen

    return SegmentsScreen()


def _hats() -> Screen[Any]:
    from pulsetui.tui.screens.hats import HatsScreen

    return HatsScreen()


JUDGEMENT_SECTIONS: dict[str, Callable[[], Screen[Any]]] = {
    "segments": _segments,
    "hats": _hats,
}

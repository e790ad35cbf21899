"""A stylesheet that parses each piece of CSS once, and sections that are styled once.

Textual parses the app's whole stylesheet again — every source, in a fresh stylesheet
with an empty cache — whenever a screen brings CSS of its own (the first visit of a
section or a page, each with its ``CSS_PATH``), twice per section switch, and when the
theme changes. With the app's ~25 sources that was most of the time a section took to
open the first time.
:class:`KeptStylesheet` parses in place and keeps what it parsed while the CSS
variables stay the same; a theme that changes them parses everything again, as before.

And on a section's first visit Textual restyles every node of the app twice
(``refresh_css``), because the section's new screen has not been counted as styled yet;
but a screen made now is styled as it mounts, with the stylesheet as it is now.
:class:`KeptStylesApp` counts it as styled when its CSS is loaded, so only a theme or
CSS change since restyles it.

Both rely on Textual's internals (the stylesheet's parse cache and the attributes
``parse`` uses, ``App._load_screen_css`` and the screens' CSS update count, and that a
widget is styled as it mounts, ``App._register``; Textual is
pinned to 8.2.x in ``pyproject.toml``); the snapshot tests check that every screen
looks as Textual's own way styles it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from textual.app import App
from textual.cache import LRUCache
from textual.css.model import RuleSet
from textual.css.stylesheet import CssSource, Stylesheet
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

# parsed sources kept: far more than the app has (Textual's own cache holds 64)
PARSED_KEPT = 512
WARM_STEP_SECONDS = 0.02  # between two default styles parsed ahead (a few ms each)


class _RuleSet(RuleSet):
    """Textual's rule set, hashed as Textual hashes it (by identity) but without a call
    into Python: styling a widget tests every rule of the app for being one of the
    widget's (``Stylesheet.apply``), two Python calls a rule, a tenth of the calls a
    screen took to open."""

    __hash__ = object.__hash__


class KeptStylesheet(Stylesheet):
    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._parse_cache = LRUCache(PARSED_KEPT)
        self._parsed_with = dict(self._variables)

    def set_variables(self, variables: dict[str, str]) -> None:
        """New CSS variables (a theme); the same ones again (Textual sets them at every
        section switch) keep what was parsed."""
        if variables != self._variables:
            super().set_variables(variables)  # forgets every parsed source

    def parse(self) -> None:
        super().parse()
        for rule in self._rules:
            if type(rule) is RuleSet:
                rule.__class__ = _RuleSet

    def reparse(self) -> None:
        """Parse again for new sources or new variables, reusing the rules of every
        source already parsed with the same variables."""
        if self._variables != self._parsed_with:  # a theme: every source again
            self._parse_cache.clear()
            self._parsed_with = dict(self._variables)
        self._require_parse = True
        self._rules_map = None
        self.parse()

    def copy(self) -> Stylesheet:
        copied = KeptStylesheet(variables=self._variables.copy())
        copied.source = self.source.copy()
        return copied


class _BasesOf:
    """What Textual reads of a node to list its default styles: its CSS bases."""

    def __init__(self, cls: type[DOMNode]) -> None:
        self._node_bases = DOMNode._css_bases(cls)


def _widget_classes(cls: type[Widget] = Widget) -> Iterator[type[Widget]]:
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _widget_classes(subclass)


class KeptStylesApp(App[None]):
    """Mixed into the app: its stylesheet is a :class:`KeptStylesheet`."""

    def __init__(self) -> None:
        super().__init__()
        self.stylesheet = KeptStylesheet(variables=self.get_css_variables())
        self.default_styles_warm = False  # see warm_default_styles

    def _load_screen_css(self, screen: Screen[Any]) -> None:
        super()._load_screen_css(screen)
        if not screen.is_mounted:  # styled as it mounts, with the stylesheet as it is
            screen._css_update_count = self._css_update_count

    def warm_default_styles(self, step_seconds: float = WARM_STEP_SECONDS) -> None:
        """Parse the default styles of the app's own widget classes ahead of their first
        use, one source at a time while the app is idle, then add them to the
        stylesheet (as Textual does as each class is first shown). A widget made on a
        Textual one brings that one's default styles again, placed under its own, which
        Textual parsed anew the first time it was shown (the pulse form's first open
        parsed eleven sources: its lists', its notes', its scroll boxes')."""
        listed = [
            source
            for cls in set(_widget_classes())
            if cls.__module__.startswith("pulsetui.")
            for source in DOMNode._get_default_css(cast(DOMNode, _BasesOf(cls)))
        ]
        # each source as the stylesheet will hold it once they are added: a source
        # listed again keeps its place (scope) and takes the lowest tie breaker
        held = dict(self.stylesheet.source)
        for read_from, css, tie_breaker, scope in listed:
            was = held.get(read_from)
            if was is None or was.content != css:
                held[read_from] = CssSource(css, True, tie_breaker, scope)
            elif was.tie_breaker > tie_breaker:
                held[read_from] = was._replace(tie_breaker=tie_breaker)
        pending = iter(list(held.items()))
        self.default_styles_warm = False

        def parse_next() -> None:
            stylesheet = self.stylesheet
            for read_from, (css, is_defaults, tie_breaker, scope) in pending:
                if (css, read_from, is_defaults, tie_breaker, scope) in stylesheet._parse_cache:
                    continue
                stylesheet._parse_rules(css, read_from, is_defaults, tie_breaker, scope)
                self.set_timer(step_seconds, parse_next)  # the next one later
                return
            for read_from, css, tie_breaker, scope in listed:
                stylesheet.add_source(
                    css,
                    read_from=read_from,
                    is_default_css=True,
                    tie_breaker=tie_breaker,
                    scope=scope,
                )
            self.default_styles_warm = True

        parse_next()

    def update_styles(self, node: DOMNode, animate: bool = True) -> None:
        """A node not in the app's tree yet is left alone: it is styled as it is
        mounted. (Textual restyles a widget whenever a class changes, also while it is
        being made: a compact field, list or choice was styled in its constructor, with
        its parts, and styled again as it mounted.)"""
        if node is self or node.is_attached:
            super().update_styles(node, animate=animate)

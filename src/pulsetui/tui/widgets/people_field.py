"""Completion of people's names in a text field, from the service's people view: the
ghost text offers the first person whose name starts with what is typed; the name
matcher (accents, script and case aside) decides who a typed name means."""

from __future__ import annotations

from textual.suggester import Suggester

from pulsetui.service.views.people import Person, matching


class PeopleSuggester(Suggester):
    """Suggests the best-matching person's full name for a name being typed."""

    def __init__(self, people: list[Person]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.people = people

    async def get_suggestion(self, value: str) -> str | None:
        for person in matching(self.people, value):
            if person.name.casefold().startswith(value.casefold()):
                return value + person.name[len(value) :]
        return None

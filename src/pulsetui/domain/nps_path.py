"""Each contact's NPS path: the answers one person at a client gave over time, and
where they moved. The goal is to move passives (7-8) to promoters (9-10) over a year;
a detractor (0-6) is hard to win back, and usually follows missed deadlines.

Answers are grouped by the contact's name as typed (case, spacing and accents aside);
answers with no contact form one path of their own, shown last."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from pulsetui.domain.facts import NpsAnswer
from pulsetui.domain.names import loose_key
from pulsetui.domain.nps import classify

RANK = {"detractor": 0, "passive": 1, "promoter": 2}


@dataclass(frozen=True)
class ContactPath:
    """One contact's answers, oldest first, and the move from the first to the last."""

    contact: str  # as last typed; empty for answers with no contact
    answers: tuple[tuple[dt.date, int], ...]

    @property
    def first(self) -> str:
        return classify(self.answers[0][1])

    @property
    def last(self) -> str:
        return classify(self.answers[-1][1])

    @property
    def direction(self) -> str:
        """``up``, ``down`` or ``same``: the last answer's band against the first's."""
        before, after = RANK[self.first], RANK[self.last]
        return "up" if after > before else "down" if after < before else "same"

    @property
    def reached_goal(self) -> bool:
        """A passive who became a promoter (the goal over a year)."""
        return any(classify(s) == "passive" for _, s in self.answers[:-1]) and (
            self.last == "promoter"
        )

    def label(self) -> str:
        """``passive → promoter (7, 8, 9)`` or ``promoter (9, 10)``."""
        scores = ", ".join(str(s) for _, s in self.answers)
        move = self.first if self.first == self.last else f"{self.first} → {self.last}"
        return f"{move} ({scores})"


def nps_paths(answers: Iterable[NpsAnswer]) -> list[ContactPath]:
    """Every contact's path, by name; answers without a date are left out."""
    groups: dict[str, list[NpsAnswer]] = {}
    for answer in answers:
        if answer.day is None:
            continue
        groups.setdefault(loose_key(answer.contact.strip()), []).append(answer)
    paths = []
    for key, found in groups.items():
        found.sort(key=lambda a: (a.day or dt.date.min, a.uid))
        name = found[-1].contact.strip() if key else ""
        paths.append(ContactPath(name, tuple((a.day, a.score) for a in found if a.day)))
    paths.sort(key=lambda p: (p.contact == "", p.contact.casefold()))
    return paths

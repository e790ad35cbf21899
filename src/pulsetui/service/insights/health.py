"""Client health read from the workspace: the facts the score weighs on a day, and
the score today with its reasons and trend. The weighing is
:mod:`pulsetui.domain.health`."""

from __future__ import annotations

import datetime as dt

from pulsetui.domain.facts import ClientFacts, PulseFacts
from pulsetui.domain.health import Health, HealthFacts, facts_on, health_on
from pulsetui.service.insights.facts import client_facts, pulse_facts
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace


def _read(
    ws: Workspace, client: str, audience: Audience | None
) -> tuple[ClientFacts, dict[str, tuple[PulseFacts, ...]]]:
    """The client's records, and the pulse conversations ``audience`` may read of every
    consultant who has worked there, read once so the score can be weighed on several
    days."""
    facts = client_facts(ws, client)
    pulses: dict[str, tuple[PulseFacts, ...]] = {}
    for engagement in facts.engagements:
        person = str(engagement.consultant)
        if person not in pulses:
            pulses[person] = pulse_facts(ws, person, audience)
    return facts, pulses


def health_facts(
    ws: Workspace, client: str, day: dt.date | None = None, audience: Audience | None = None
) -> HealthFacts:
    """The facts the health score weighs, as of the end of ``day`` (default today), for
    ``audience`` (None: the signed-in manager), whose own pulse conversations alone count.

    Dated records (NPS answers, agreement status history, meetings, pulses,
    touchpoints, requests) are read as they stood that day; the client's unpaid
    invoices and approval delays have no dated history, so today's value is used."""
    facts, pulses = _read(ws, client, audience)
    return facts_on(facts, pulses, day or ws.today(), ws.config.cadences.meeting_grace_days)


def client_health(ws: Workspace, client: str, audience: Audience | None = None) -> Health:
    """Health today, the reason for every point lost, and a trend: the score at the end
    of each of the last four quarters, the current one counted up to today. Judged for
    ``audience`` (None: the signed-in manager): only its own pulse conversations count."""
    facts, pulses = _read(ws, client, audience)
    return health_on(facts, pulses, ws.today(), ws.config.cadences.meeting_grace_days)

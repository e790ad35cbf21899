"""One entry of a client's main communicator history, as stored on the client."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from pulsetui.domain.enums import CommunicatorRole
from pulsetui.domain.fields import Name, OptName, Text


class Handover(BaseModel):
    """The main communicator towards a client from a day on: who, in which role, and
    the note the previous one handed over with. The next handover ends the tenure."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    role: CommunicatorRole = CommunicatorRole.DELIVERY_MANAGER
    start: dt.date
    note: Text = ""
    by: OptName = ""

"""What each screen shows, read for an audience (:mod:`.audience`): the signed-in
manager, or a call shared with one client. Every view returns frozen dataclasses of
plain values — no records from the store, nothing about how they are drawn.

- :mod:`.today` — what needs attention today (serialisable: cached, printed as JSON),
  read fast through :mod:`.due`; :mod:`.attention` — the same as one row per person,
  client or agreement, most urgent first, nothing listed twice
- :mod:`.consultants`, :mod:`.pulses`, :mod:`.pulse_history` — the consultants list,
  the pulse form, and a consultant's earlier conversations (the consultant page and the
  pulse form's history pane)
- :mod:`.clients`, :mod:`.client_page` — the clients list and one client
- :mod:`.agreements` — the agreement log and its filters
- :mod:`.meeting` — a meeting's agenda topics and what a held meeting produced
- :mod:`.client_judgement` — stage, spiral mix, communicators, NPS paths, flag histories
- :mod:`.segments`, :mod:`.hats` — the 2x2 grid with the self-check, and the three
  hats (pulse beside client health); internal, so empty in a call
"""

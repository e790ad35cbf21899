"""Insights gathered from a workspace, one module per topic: NPS with intervals and
trends (:mod:`.nps`), eNPS results that respect the minimum group (:mod:`.enps`), red
flags (:mod:`.flags`), client health (:mod:`.health`), the since-last-meeting brief
(:mod:`.brief`), the segment grid and lifecycle (:mod:`.segments`) and the three hats
(:mod:`.hats`).

Everything here is read-only and reads raw records through the reference indexes
(``ws.docs(kind, client=uid)``), never a full scan per client; :mod:`.facts` reads
what several topics share. The service reads; the judgements themselves are pure
functions in :mod:`pulsetui.domain` (``nps``, ``enps``, ``flag_rules``, ``health``,
``brief``, ``segments``, ``hats``).
"""

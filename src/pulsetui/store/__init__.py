"""Local persistence: ops, hybrid clock, journal, TinyDB view, lock."""

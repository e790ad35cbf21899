"""Pure domain: records, enums and rules (no I/O)."""

"""The store's own error: its files cannot be used as they are."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The workspace's files cannot be used as they are."""

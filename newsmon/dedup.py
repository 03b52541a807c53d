"""Exact deduplication: an entry seen again unchanged is dropped, an edited one is an update."""

from __future__ import annotations

from newsmon.model import Entry, EntryEvent, EventKind


def exact(previous_hash: str | None, entry: Entry) -> EntryEvent | None:
    """Decide on `entry` given the content hash last passed for its identity (None: never seen)."""
    if previous_hash is None:
        return EntryEvent(EventKind.NEW, entry)
    if previous_hash == entry.content_hash:
        return None
    return EntryEvent(EventKind.UPDATE, entry, previous_hash)

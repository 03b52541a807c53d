"""Exact deduplication: an entry seen again unchanged is dropped, an edited one is an update.

What the dedup stage remembers per entry identity is a small record: the content hash last
passed on, when the identity was last seen, and the partition the record lives in.  Records of
identities not seen for `retention` are forgotten, so the memory of an always-on worker is
bounded by what its sources published in that period.  An entry still on a page (say, pinned)
keeps being seen, and its record is refreshed at most once per `REFRESH_SECONDS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from newsmon.model import Entry, EntryEvent, EventKind

REFRESH_SECONDS = 86400.0  # how stale "last seen" may get before an unchanged re-poll rewrites it


def exact(previous_hash: str | None, entry: Entry) -> EntryEvent | None:
    """Decide on `entry` given the content hash last passed for its identity (None: never seen)."""
    if previous_hash is None:
        return EntryEvent(EventKind.NEW, entry)
    if previous_hash == entry.content_hash:
        return None
    return EntryEvent(EventKind.UPDATE, entry, previous_hash)


def seen_record(content_hash: str, now: float, partition: int) -> dict[str, Any]:
    return {"h": content_hash, "t": now, "p": partition}


def previous_hash(record: Any) -> str | None:
    """The hash in a stored record (also the bare hash strings of earlier versions)."""
    if isinstance(record, str):
        return record
    if isinstance(record, Mapping):
        value = record.get("h")
        return value if isinstance(value, str) else None
    return None


def needs_refresh(record: Any, now: float) -> bool:
    """An unchanged entry's record is rewritten when its last-seen time is older than a day."""
    if not isinstance(record, Mapping):
        return record is not None  # an old-format record: rewrite it in the new form
    return now - float(record.get("t") or 0.0) > REFRESH_SECONDS


def expired(items: Iterable[tuple[str, Any]], partition: int, cutoff: float) -> list[str]:
    """Keys of this partition's records last seen before `cutoff` (epoch seconds)."""
    return [
        key for key, record in items
        if isinstance(record, Mapping) and record.get("p") == partition and float(record.get("t") or 0.0) < cutoff
    ]

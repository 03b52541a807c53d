from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsmon.model import Entry, EntryEvent, EventKind

T0 = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


def make_entry(entry_id: str, title: str, body: str, minutes: float = 0.0, source: str = "blog") -> Entry:
    return Entry(source=source, entry_id=entry_id, title=title, body=body, published=T0 + timedelta(minutes=minutes))


def new(entry: Entry) -> EntryEvent:
    return EntryEvent(EventKind.NEW, entry)


@pytest.fixture
def t0() -> datetime:
    return T0

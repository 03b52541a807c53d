"""Fixtures for the connector parser tests.

The real publisher files live outside the repository, in the shared directory:
``$NEWSMON_SHARED`` when set, else ``shared/`` next to the repository checkout.
Tests that need it are skipped (with the reason) when it is missing; they read
the files at run time and never copy them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsmon.model import Entry, TimeSource
from newsmon.text import content_hash

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
_LEFTOVER_MARKUP = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z]+);|<(p|div|br|span|a|strong|em|img)\b|\u200b", re.IGNORECASE)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    configured = os.environ.get("NEWSMON_SHARED")
    path = Path(configured) if configured else Path(__file__).resolve().parents[3].parent / "shared"
    if not (path / "realworld").is_dir():
        pytest.skip(f"shared fixture directory not found at {path} (set NEWSMON_SHARED to its location)")
    return path


@pytest.fixture(scope="session")
def read_shared(shared_dir: Path) -> Callable[[str], bytes]:
    """Bytes of a file under the shared directory, e.g. ``read_shared("realworld/feeds/bbc-urdu.rss")``."""

    def read(relative: str) -> bytes:
        return (shared_dir / relative).read_bytes()

    return read


def check_entries(entries: Sequence[Entry], *, source: str, now: datetime = NOW) -> None:
    """What must hold for every parser's output."""
    ids = [e.entry_id for e in entries]
    assert len(ids) == len(set(ids)), "entry ids must be unique within one document"
    for entry in entries:
        assert entry.source == source
        assert entry.entry_id and entry.entry_id == entry.entry_id.strip()
        assert entry.title or entry.body, entry
        assert "\n" not in entry.title
        for text in (entry.title, entry.body, entry.author):
            assert not _LEFTOVER_MARKUP.search(text), f"markup/entities left in {text[:120]!r}"
            assert "\ufffd" not in text, f"decoding error in {text[:120]!r}"
        assert entry.content_hash == content_hash(entry.title, entry.body)
        assert entry.published is not None and entry.published.utcoffset() == timedelta(0)
        assert datetime(2000, 1, 1, tzinfo=UTC) < entry.published <= now + timedelta(minutes=10)
        if entry.published_from is TimeSource.FIRST_SEEN:
            assert entry.published == now
        if entry.modified is not None:
            assert entry.modified.utcoffset() == timedelta(0)


@pytest.fixture(scope="session")
def sane() -> Callable[..., None]:
    """`check_entries` as a fixture (test modules cannot import this conftest)."""
    return check_entries

"""Replay (JSONL) parsing: the seed entries in shared/data and inline lines."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsmon.connectors import replay
from newsmon.connectors.parsing import ParseError
from newsmon.model import Entry, Flag, TimeSource
from newsmon.text import normalise

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def parse(data: bytes, source: str = "fallback") -> list[Entry]:
    return replay.parse(data, "replay.jsonl", source=source, now=NOW)


def test_seed_entries(read_shared: Callable[[str], bytes], sane: Callable[..., None]) -> None:
    data = read_shared("data/seed-entries.jsonl")
    rows = [json.loads(line) for line in data.decode().splitlines()]
    entries = parse(data)
    assert len(entries) == len(rows) == 60
    sane(entries, source="seed-liveblog")  # the rows' own source wins over the argument
    for entry, row in zip(entries, rows, strict=True):
        assert entry.entry_id == row["id"]
        assert entry.title == row["title"]
        assert entry.author == row["author"]
        assert entry.body == normalise(row["body"])
        assert entry.published == datetime.fromisoformat(row["published"])
        assert entry.published_from is TimeSource.SOURCE
    assert parse(data) == entries


def test_optional_fields_and_source_fallback() -> None:
    lines = [
        {
            "id": "a",
            "title": "T",
            "body": "B",
            "url": "https://x.org/a",
            "flags": ["pinned", "bogus"],
            "modified": "2024-01-01T12:00:00+01:00",
            "published": "2024-01-01T10:00:00Z",
        },
        {"id": 7, "body": "no title, no date"},
    ]
    data = ("\n\n".join(json.dumps(line) for line in lines) + "\n").encode()
    first, second = parse(data)
    assert (first.source, first.url, first.flags) == ("fallback", "https://x.org/a", frozenset({Flag.PINNED}))
    assert first.modified == datetime(2024, 1, 1, 11, 0, tzinfo=UTC)
    assert (second.entry_id, second.title, second.published_from) == ("7", "", TimeSource.FIRST_SEEN)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"id": "b", body}\n', r"replay.jsonl:1: not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, r"replay.jsonl:1: not JSON \(JSON nested too deeply"),
        (b'["a"]\n[1]\n', r"replay.jsonl:1: expected a JSON object, got list \(and 1 more bad lines\)"),
        (b'{"title": "x"}\n', r"replay.jsonl:1: line has no 'id'"),
        (b"\n  \n", "empty replay file"),
    ],
)
def test_a_file_with_no_readable_line_is_an_error_naming_the_line(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(data)


def test_ids_are_kept_as_given_identity_is_source_and_id() -> None:
    data = (b'{"id": "a", "title": "one"}\n{"id": "a", "title": "two"}\n'
            b'{"id": "a", "title": "one", "source": "other"}\n')
    entries = parse(data)
    assert [(e.source, e.entry_id) for e in entries] == [("fallback", "a"), ("fallback", "a"), ("other", "a")]
    assert entries[0].content_hash != entries[1].content_hash  # the second line is an edit of the first


GOOD = [json.dumps({"id": f"E{i}", "title": f"entry {i}"}).encode() for i in range(5)]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (b'{"id": "b", body}', "replay.jsonl:3: not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "replay.jsonl:3: not JSON (JSON nested too deeply"),
        (b'["a"]', "replay.jsonl:3: expected a JSON object, got list"),
        (b'{"title": "no id"}', "replay.jsonl:3: line has no 'id'"),
    ],
)
def test_a_malformed_line_is_reported_and_skipped_the_others_go_on(bad: bytes, reason: str) -> None:
    data = b"\n".join([*GOOD[:2], bad, *GOOD[2:]]) + b"\n"
    entries, problems = replay.parse_lines(data, "replay.jsonl", source="s", now=NOW)
    assert [e.entry_id for e in entries] == ["E0", "E1", "E2", "E3", "E4"]
    assert len(problems) == 1 and problems[0].startswith(reason)
    assert [e.entry_id for e in parse(data)] == ["E0", "E1", "E2", "E3", "E4"]


async def test_a_backfill_source_sends_the_good_entries_of_a_file_with_a_bad_line(tmp_path: Path) -> None:
    from prometheus_client import CollectorRegistry

    from newsmon.connectors.runner import play
    from newsmon.metrics import Metrics
    from newsmon.settings import SourceSettings

    path = tmp_path / "backfill.jsonl"
    path.write_bytes(b"\n".join([*GOOD[:2], b'{"id": "x", oops', *GOOD[2:]]) + b"\n")
    sent: list[Entry] = []

    async def sink(entry: Entry) -> None:
        sent.append(entry)

    async def no_sleep(_: float) -> None:
        return None

    metrics = Metrics(CollectorRegistry())
    n = await play(SourceSettings("backfill", "replay", path=str(path)), sink, metrics, lambda: NOW, no_sleep)
    assert n == 5 and sorted(e.entry_id for e in sent) == ["E0", "E1", "E2", "E3", "E4"]
    assert metrics.registry.get_sample_value("newsmon_source_lines_skipped_total", {"source": "backfill"}) == 1

"""Exact dedup decisions and the first-seen rule's once-per-story semantics."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from newsmon.dedup import exact
from newsmon.model import AlertKind, Analysis, Claim, Classification, Entry, EntryEvent, EventKind
from newsmon.rules import FirstSeenRule, evaluate
from newsmon.text import content_hash

T = datetime(2023, 2, 15, 12, 0, tzinfo=UTC)


def entry(entry_id: str, title: str = "t", body: str = "b") -> Entry:
    return Entry(source="blog", entry_id=entry_id, title=title, body=body, content_hash=content_hash(title, body))


def test_exact_dedup_new_unchanged_edited() -> None:
    first = entry("1", body="Troops advanced.")
    assert exact(None, first) == EntryEvent(EventKind.NEW, first)
    assert exact(first.content_hash, first) is None
    edited = entry("1", body="Troops advanced two kilometres.")
    assert exact(first.content_hash, edited) == EntryEvent(EventKind.UPDATE, edited, first.content_hash)
    # whitespace and case do not make an edit
    assert exact(first.content_hash, entry("1", body="troops   advanced.")) is None


def analysis(entry_id: str, topics: tuple[str, ...] = ("breakthrough-claim",), **kw: Any) -> Analysis:
    e = entry(entry_id)
    return Analysis(EntryEvent(EventKind.NEW, e), story=kw.pop("story", e.key),
                    classification=Classification(topics), **kw)


RULE = FirstSeenRule("breakthrough-claim", "breakthrough-claim", "critical")


def test_first_seen_fires_once_per_story() -> None:
    state: dict[str, dict[str, Any]] = {}
    first = analysis("24", claims=(Claim("breakthrough", "ministry", "Luhansk"),))
    alerts = evaluate([RULE], first, state, T)
    assert [(a.kind, a.entry_key, a.revision) for a in alerts] == [(AlertKind.FIRED, first.entry.key, 0)]
    assert alerts[0].claim and alerts[0].claim.place == "Luhansk"
    # a re-report in the same story, a duplicate, a roundup and an edit never fire again
    assert evaluate([RULE], analysis("11", story=first.story, duplicate_of=first.entry.key), state, T) == []
    assert evaluate([RULE], analysis("12", story=first.story), state, T) == []
    assert evaluate([RULE], analysis("38", roundup=True), state, T) == []
    edit = replace(first, event=EntryEvent(EventKind.UPDATE, first.entry, "old"))
    assert evaluate([RULE], edit, state, T) == []
    # another story fires its own alert
    other = evaluate([RULE], analysis("30"), state, T)
    assert len(other) == 1 and other[0].alert_id != alerts[0].alert_id


def test_entries_without_the_topic_do_not_fire() -> None:
    assert evaluate([RULE], analysis("1", topics=("combat",)), {}, T) == []


def test_contesting_entry_updates_the_thread_once() -> None:
    state: dict[str, dict[str, Any]] = {}
    fired = evaluate([RULE], analysis("24"), state, T)[0]
    denial = analysis("10", topics=("combat",), contests=fired.story)
    update = evaluate([RULE], denial, state, T)
    assert [(a.kind, a.alert_id, a.revision, a.contested_by) for a in update] == [
        (AlertKind.UPDATED, fired.alert_id, 1, (denial.entry.key,))
    ]
    assert update[0].idempotency_key != fired.idempotency_key
    assert evaluate([RULE], denial, state, T) == []  # the same denial again changes nothing
    # contesting a story no alert was fired for is not an alert
    assert evaluate([RULE], analysis("9", topics=("combat",), contests="blog\x1fnone"), state, T) == []


def test_dedup_memory_records_refresh_and_expire() -> None:
    from newsmon.dedup import REFRESH_SECONDS, expired, needs_refresh, previous_hash, seen_record

    record = seen_record("abc", now=1000.0, partition=2)
    assert previous_hash(record) == "abc" and previous_hash("old-format") == "old-format"
    assert previous_hash(None) is None
    assert not needs_refresh(record, 1000.0 + REFRESH_SECONDS - 1)
    assert needs_refresh(record, 1000.0 + REFRESH_SECONDS + 1)
    assert needs_refresh("old-format", 0.0) and not needs_refresh(None, 0.0)
    items = [("a", seen_record("h", 10.0, 2)), ("b", seen_record("h", 500.0, 2)),
             ("c", seen_record("h", 10.0, 3)), ("d", "old-format")]
    # only this partition's records, only those last seen before the cutoff
    assert expired(items, partition=2, cutoff=100.0) == ["a"]
    assert expired(items, partition=3, cutoff=100.0) == ["c"]


def test_retention_is_configurable(tmp_path: Any) -> None:
    from newsmon.config import load

    path = tmp_path / "n.toml"
    path.write_text('[worker]\ndedup_retention = "7d"\n', encoding="utf-8")
    assert load(path, env={}).worker.dedup_retention == 7 * 86400
    path.write_text("", encoding="utf-8")
    assert load(path, env={}).worker.dedup_retention == 30 * 86400

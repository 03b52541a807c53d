"""Wire records round-trip, and malformed or future records are refused with a clear reason."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from newsmon.model import Alert, AlertKind, Analysis, Claim, Classification, Entry, EntryEvent, EventKind, Flag
from newsmon.streams.records import (
    RecordError,
    decode_alert,
    decode_analysis,
    decode_entry,
    decode_event,
    encode_alert,
    encode_analysis,
    encode_entry,
    encode_event,
)

T = datetime(2023, 2, 15, 15, 20, tzinfo=UTC)
ENTRY = Entry(source="blog", entry_id="p1", title="Tïtle", body="Body\n\ntwo", url="https://x/#p1", author="A",
              published=T, modified=T, content_hash="abc", flags=frozenset({Flag.PINNED}), seen=T)


def test_entry_event_analysis_alert_round_trip() -> None:
    assert decode_entry(encode_entry(ENTRY)) == ENTRY
    event = EntryEvent(EventKind.UPDATE, ENTRY, "old")
    assert decode_event(encode_event(event)) == event
    claim = Claim("breakthrough", "defence ministry", "Luhansk", False, "It said ...")
    analysis = Analysis(event, story="blog\x1fp0", duplicate_of=None, similarity=0.2,
                        classification=Classification(("combat",), {"combat": 2.0}, {"combat": ("shelling",)}),
                        claims=(claim,), contests="blog\x1fp9", why={"x": 1}, at=T)
    back = decode_analysis(encode_analysis(analysis))
    assert back == analysis and back.classification.matched == {"combat": ("shelling",)}
    assert back.at == T  # the event time rule windows run on crosses the topic
    alert = Alert("id1", "rule", "critical", AlertKind.UPDATED, "s", "k", "blog", "t", "sum", "u", T,
                  revision=2, topics=("combat",), claim=claim, contested_by=("k2",))
    assert decode_alert(encode_alert(alert)) == alert
    assert alert.idempotency_key == "id1.2"
    reminder = replace(alert, kind=AlertKind.REPEATED, revision=3)
    assert decode_alert(encode_alert(reminder)) == reminder


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (json.dumps({"v": 2, "source": "s"}).encode(), "unsupported schema version 2"),
        (json.dumps({"v": 1, "id": "x", "hash": "h"}).encode(), "missing field 'source'"),
        (json.dumps({"v": 1, "source": "s", "id": "x", "hash": "h", "published": "yesterday"}).encode(),
         "not an ISO 8601 time"),
        (json.dumps({"v": 1, "source": "s", "id": "x", "hash": "h", "published": "2023-02-15T10:00:00"}).encode(),
         "no time zone"),
        (json.dumps({"v": 1, "source": "s", "id": 5, "hash": "h"}).encode(), "must be a string"),
    ],
)
def test_bad_entry_records_are_refused_with_the_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(RecordError, match=reason):
        decode_entry(raw)

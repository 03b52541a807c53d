"""Wire records: versioned JSON for every topic, and their conversion to domain types.

Every record carries ``"v"`` (schema version).  Readers accept every version
they know and reject others with `RecordError`, so a newer producer never
silently feeds garbage to an older worker: the record goes to the dead-letter
topic instead.  Fields may be added within a version; readers ignore unknown
fields.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from newsmon.model import (
    Alert,
    AlertKind,
    Analysis,
    Claim,
    Classification,
    Entry,
    EntryEvent,
    EventKind,
    Flag,
    TimeSource,
)

VERSION = 1


class RecordError(ValueError):
    """A record that cannot be decoded: wrong JSON, unknown version, missing field."""


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse_time(data: Mapping[str, Any], key: str) -> datetime | None:
    raw = data.get(key)
    if raw in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise RecordError(f"field {key!r} is not an ISO 8601 time: {raw!r}") from None
    if parsed.tzinfo is None:
        raise RecordError(f"field {key!r} has no time zone: {raw!r}")
    return parsed


def _str(data: Mapping[str, Any], key: str, required: bool = False) -> str:
    value = data.get(key, None)
    if value is None:
        if required:
            raise RecordError(f"missing field {key!r}")
        return ""
    if not isinstance(value, str):
        raise RecordError(f"field {key!r} must be a string, got {type(value).__name__}")
    if required and not value:
        raise RecordError(f"field {key!r} is empty")
    return value


def _load(raw: bytes | str | Mapping[str, Any], what: str) -> Mapping[str, Any]:
    if isinstance(raw, Mapping):
        data = raw
    else:
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RecordError(f"{what}: not JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise RecordError(f"{what}: expected a JSON object, got {type(data).__name__}")
    version = data.get("v")
    if version != VERSION:
        raise RecordError(f"{what}: unsupported schema version {version!r} (this worker reads v{VERSION})")
    return data


def _dump(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


# -- entries ---------------------------------------------------------------


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    return {
        "v": VERSION,
        "source": entry.source,
        "id": entry.entry_id,
        "url": entry.url,
        "title": entry.title,
        "body": entry.body,
        "author": entry.author,
        "published": _time(entry.published),
        "published_from": entry.published_from.value,
        "modified": _time(entry.modified),
        "hash": entry.content_hash,
        "flags": sorted(f.value for f in entry.flags),
        "seen": _time(entry.seen),
    }


def entry_from_dict(data: Mapping[str, Any]) -> Entry:
    data = _load(data, "entry")
    try:
        published_from = TimeSource(data.get("published_from") or "source")
        flags = frozenset(Flag(f) for f in data.get("flags") or ())
    except (ValueError, TypeError) as exc:
        raise RecordError(f"entry: {exc}") from None
    return Entry(
        source=_str(data, "source", required=True),
        entry_id=_str(data, "id", required=True),
        title=_str(data, "title"),
        body=_str(data, "body"),
        url=_str(data, "url"),
        author=_str(data, "author"),
        published=_parse_time(data, "published"),
        published_from=published_from,
        modified=_parse_time(data, "modified"),
        content_hash=_str(data, "hash", required=True),
        flags=flags,
        seen=_parse_time(data, "seen"),
    )


def encode_entry(entry: Entry) -> bytes:
    return _dump(entry_to_dict(entry))


def decode_entry(raw: bytes | str) -> Entry:
    return entry_from_dict(_load(raw, "entry"))


def encode_event(event: EntryEvent) -> bytes:
    return _dump(_event_dict(event))


def _event_dict(event: EntryEvent) -> dict[str, Any]:
    return {"v": VERSION, "kind": event.kind.value, "previous_hash": event.previous_hash,
            "entry": entry_to_dict(event.entry)}


def _event_from(data: Mapping[str, Any]) -> EntryEvent:
    data = _load(data, "event")
    try:
        kind = EventKind(str(data.get("kind")))
    except ValueError:
        raise RecordError(f"event: unknown kind {data.get('kind')!r}") from None
    entry = data.get("entry")
    if not isinstance(entry, Mapping):
        raise RecordError("event: missing object 'entry'")
    return EntryEvent(kind, entry_from_dict(entry), _str(data, "previous_hash"))


def decode_event(raw: bytes | str) -> EntryEvent:
    return _event_from(_load(raw, "event"))


# -- analyses --------------------------------------------------------------


def _claim_dict(claim: Claim) -> dict[str, Any]:
    return claim.as_dict()


def _claim_from(data: Any) -> Claim:
    if not isinstance(data, Mapping):
        raise RecordError("claim: expected an object")
    return Claim(kind=_str(data, "kind", required=True), claimant=_str(data, "claimant"),
                 place=_str(data, "place"), verified=bool(data.get("verified")),
                 evidence=_str(data, "evidence"),
                 # records written before verification was a status: a bool
                 verification=_str(data, "verification") or ("verified" if data.get("verified") else "unverified"),
                 side=_str(data, "side"), action=_str(data, "action"),
                 verification_cue=_str(data, "verification_cue"))


def encode_analysis(analysis: Analysis) -> bytes:
    c = analysis.classification
    return _dump({
        "v": VERSION,
        "event": _event_dict(analysis.event),
        "story": analysis.story,
        "duplicate_of": analysis.duplicate_of,
        "similarity": analysis.similarity,
        "roundup": analysis.roundup,
        "topics": list(c.topics),
        "scores": c.scores,
        "matched": {k: list(v) for k, v in c.matched.items()},
        "claims": [_claim_dict(cl) for cl in analysis.claims],
        "contests": analysis.contests,
        "why": analysis.why,
        "at": _time(analysis.at),
        "language": analysis.language,
    })


def decode_analysis(raw: bytes | str) -> Analysis:
    data = _load(raw, "analysis")
    event = data.get("event")
    if not isinstance(event, Mapping):
        raise RecordError("analysis: missing object 'event'")
    classification = Classification(
        topics=tuple(data.get("topics") or ()),
        scores=dict(data.get("scores") or {}),
        matched={k: tuple(v) for k, v in (data.get("matched") or {}).items()},
    )
    return Analysis(
        event=_event_from(event),
        story=_str(data, "story", required=True),
        duplicate_of=data.get("duplicate_of"),
        similarity=float(data.get("similarity") or 0.0),
        roundup=bool(data.get("roundup")),
        classification=classification,
        claims=tuple(_claim_from(c) for c in data.get("claims") or ()),
        contests=data.get("contests"),
        why=dict(data.get("why") or {}),
        at=_parse_time(data, "at"),
        language=_str(data, "language"),
    )


# -- alerts ----------------------------------------------------------------


def alert_to_dict(alert: Alert) -> dict[str, Any]:
    return {
        "v": VERSION,
        "alert_id": alert.alert_id,
        "idempotency_key": alert.idempotency_key,
        "rule": alert.rule,
        "severity": alert.severity,
        "kind": alert.kind.value,
        "revision": alert.revision,
        "story": alert.story,
        "entry_key": alert.entry_key,
        "source": alert.source,
        "title": alert.title,
        "summary": alert.summary,
        "url": alert.url,
        "created": _time(alert.created),
        "topics": list(alert.topics),
        "claim": _claim_dict(alert.claim) if alert.claim else None,
        "contested_by": list(alert.contested_by),
        "first_seen": _time(alert.first_seen),
        "why": alert.why,
        "language": alert.language,
    }


def encode_alert(alert: Alert) -> bytes:
    return _dump(alert_to_dict(alert))


def decode_alert(raw: bytes | str) -> Alert:
    data = _load(raw, "alert")
    created = _parse_time(data, "created")
    if created is None:
        raise RecordError("alert: missing field 'created'")
    try:
        kind = AlertKind(str(data.get("kind")))
    except ValueError:
        raise RecordError(f"alert: unknown kind {data.get('kind')!r}") from None
    claim = data.get("claim")
    return Alert(
        alert_id=_str(data, "alert_id", required=True),
        rule=_str(data, "rule", required=True),
        severity=_str(data, "severity", required=True),
        kind=kind,
        story=_str(data, "story", required=True),
        entry_key=_str(data, "entry_key", required=True),
        source=_str(data, "source"),
        title=_str(data, "title"),
        summary=_str(data, "summary"),
        url=_str(data, "url"),
        created=created,
        revision=int(data.get("revision") or 0),
        topics=tuple(data.get("topics") or ()),
        claim=_claim_from(claim) if claim else None,
        contested_by=tuple(data.get("contested_by") or ()),
        first_seen=_parse_time(data, "first_seen"),
        why=dict(data.get("why") or {}),
        language=_str(data, "language"),
    )

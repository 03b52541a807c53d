"""The domain types every stage of newsmon speaks.

All types are frozen dataclasses with no I/O: connectors build `Entry`
values, the detection core turns them into an `Analysis`, rules turn an
`Analysis` into `Alert` values.  Wire formats live in `newsmon.streams.records`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

KEY_SEPARATOR = "\x1f"  # between source id and entry id in `Entry.key`


class TimeSource(StrEnum):
    """How an entry's `published` time was obtained."""

    SOURCE = "source"  # the publisher's own per-entry timestamp
    TEXT = "text"  # a time of day found in the entry text or markup ("15:20")
    FIRST_SEEN = "first-seen"  # when newsmon first saw the entry


class Flag(StrEnum):
    """Publisher-side markers that change how an entry is treated."""

    PINNED = "pinned"  # kept at the top of the page; usually old news
    KEY_EVENT = "key-event"  # the publisher marked it as a key event
    SUMMARY = "summary"  # a roundup / summary block, not a new story


@dataclass(frozen=True, slots=True)
class Entry:
    """One post of a live blog or one feed item, as a connector saw it.

    Identity is ``(source, entry_id)``: the same identity seen with another
    ``content_hash`` is an *update* of the entry, not a new entry.
    """

    source: str
    entry_id: str
    title: str
    body: str
    url: str = ""
    author: str = ""
    published: datetime | None = None
    published_from: TimeSource = TimeSource.SOURCE
    modified: datetime | None = None
    content_hash: str = ""
    flags: frozenset[Flag] = frozenset()
    seen: datetime | None = None  # when a connector first emitted it

    @property
    def key(self) -> str:
        """The entry's identity as one string, used as table key (see `split_key`)."""
        return f"{self.source}{KEY_SEPARATOR}{self.entry_id}"

    @property
    def text(self) -> str:
        """Title and body as one text, the input of detection."""
        return f"{self.title}\n\n{self.body}" if self.title else self.body


class EventKind(StrEnum):
    """What exact deduplication decided about an entry it saw."""

    NEW = "new"
    UPDATE = "update"


@dataclass(frozen=True, slots=True)
class EntryEvent:
    """An entry that passed exact deduplication: new, or an edit of one seen before."""

    kind: EventKind
    entry: Entry
    previous_hash: str = ""


@dataclass(frozen=True, slots=True)
class Claim:
    """A claim found in an entry, e.g. a claimed frontline breakthrough."""

    kind: str  # "breakthrough"
    claimant: str = ""  # who says so ("Russian defence ministry")
    place: str = ""  # where ("Luhansk")
    verified: bool = False  # True only when verification == "verified"
    evidence: str = ""  # the sentence the claim was read from
    verification: str = "unverified"  # "unverified" | "verified" | "disputed"
    side: str = ""  # the claimant's side (a key of sides.toml, e.g. "russia"), "" when unknown
    action: str = ""  # the breakthrough action as written ("have broken through")
    verification_cue: str = ""  # the words that decided the verification status

    def as_dict(self) -> dict[str, object]:
        """The claim as a JSON object (wire records, replay lines, webhook payloads)."""
        return {
            "kind": self.kind,
            "claimant": self.claimant,
            "place": self.place,
            "verified": self.verified,
            "verification": self.verification,
            "side": self.side,
            "action": self.action,
            "verification_cue": self.verification_cue,
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class Classification:
    """Topics of one entry, with the phrases that decided them."""

    topics: tuple[str, ...] = ()
    scores: dict[str, float] = field(default_factory=dict, hash=False, compare=False)
    matched: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything detection concluded about one entry event."""

    event: EntryEvent
    story: str  # id (entry key) of the story's first entry
    duplicate_of: str | None = None  # entry key of the earlier entry this one repeats
    similarity: float = 0.0
    roundup: bool = False
    classification: Classification = field(default_factory=Classification)
    claims: tuple[Claim, ...] = ()
    contests: str | None = None  # story id whose claim this entry contests
    why: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    at: datetime | None = None  # event time: where detection placed the entry on its clock (rule windows use it)
    language: str = ""  # ISO 639-1 code of the entry's identified language

    @property
    def entry(self) -> Entry:
        return self.event.entry


class AlertKind(StrEnum):
    FIRED = "fired"  # first alert of a story for a rule
    UPDATED = "updated"  # the thread of an existing alert changed (e.g. contested)
    REPEATED = "repeated"  # reminder: the thread is still developing (a rule's repeat_interval)


@dataclass(frozen=True, slots=True)
class Alert:
    """An alert a rule produced; delivered to channels by the delivery stage.

    ``alert_id`` is stable for one (rule, story); ``revision`` counts updates to
    that thread, so ``idempotency_key`` is stable per alert *and* per update.
    """

    alert_id: str
    rule: str
    severity: str
    kind: AlertKind
    story: str
    entry_key: str
    source: str
    title: str
    summary: str
    url: str
    created: datetime
    revision: int = 0
    topics: tuple[str, ...] = ()
    claim: Claim | None = None
    contested_by: tuple[str, ...] = ()
    first_seen: datetime | None = None  # when the alerting entry was first seen by a connector
    why: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    language: str = ""  # ISO 639-1 code of the language of the alert's entry (`entry_key`), "" when unknown

    @property
    def idempotency_key(self) -> str:
        return f"{self.alert_id}.{self.revision}"

    @property
    def place(self) -> str:
        return self.claim.place if self.claim else ""

    @property
    def banner(self) -> str:
        """What a notification says this is: "ALERT", "UPDATE #2" or "STILL DEVELOPING #3"."""
        if self.kind is AlertKind.FIRED:
            return "ALERT"
        what = "STILL DEVELOPING" if self.kind is AlertKind.REPEATED else "UPDATE"
        return f"{what} #{self.revision}"

    @property
    def suppressed(self) -> str:
        """Why routing held this alert back ("silenced", "inhibited", ...); "" when it is to be sent."""
        routing = self.why.get("routing")
        return str(routing.get("suppressed") or "") if isinstance(routing, dict) else ""

    def labels(self) -> dict[str, str]:
        """What silences, inhibition and grouping match on.  Every revision of a thread carries the
        thread's claim, topics and severity, so it has the labels of the alert it revises."""
        claim = self.claim
        return {"rule": self.rule, "severity": self.severity, "kind": self.kind.value, "story": self.story,
                "source": self.source, "place": claim.place if claim else "",
                "claimant": claim.claimant if claim else "", "topic": ",".join(self.topics),
                "verification": verification(claim) if claim else ""}


def verification(claim: Claim) -> str:
    """A claim's verification status: "verified", "unverified" or "disputed"."""
    return claim.verification or ("verified" if claim.verified else "unverified")


def claim_to_dict(claim: Claim) -> dict[str, Any]:
    """A claim as JSON-serialisable fields (every field the dataclass has, today and later)."""
    return {f.name: getattr(claim, f.name) for f in fields(claim)}


def claim_from_dict(data: Mapping[str, Any]) -> Claim:
    """The inverse of `claim_to_dict`; fields this version does not know are ignored."""
    known = {f.name for f in fields(Claim)}
    return Claim(**{k: v for k, v in data.items() if k in known})


def split_key(key: str) -> tuple[str, str]:
    """(source id, entry id) of an `Entry.key`."""
    source, _, entry_id = key.partition(KEY_SEPARATOR)
    return source, entry_id


def utcnow() -> datetime:
    """The wall clock, time-zone aware; the default clock the entry points pass down."""
    return datetime.now(UTC)


def in_published_order(entries: Iterable[Entry]) -> list[Entry]:
    """Entries in the order they were published (unknown times last, otherwise stable)."""
    earliest = datetime.min.replace(tzinfo=UTC)
    return sorted(entries, key=lambda e: (e.published is None, e.published or earliest))

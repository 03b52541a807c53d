"""The live story timeline: a bounded in-memory view of recent stories (pure, no I/O).

Fed with every `Analysis` (from the analysed topic) and every `Alert` (from the
alerts topic), it keeps, per story (keyed by story id, the entry key of the
story's first entry): the headline and time of that first entry, its entries
with their topics, claims, duplicate and contest links, the alerts raised for
it, and the entries elsewhere that contest it.  `Timeline.snapshot()` is the
JSON the worker's ``/timeline`` page renders, newest story first.

Memory is bounded: at most ``max_stories`` stories (the least recently updated
is dropped first), ``max_entries`` entries, ``max_alerts`` alert threads and
``max_links`` contesting links per story.  A story's ``entry_count`` keeps
counting past the bound so the page can say how many are not shown.

Everything here is publisher text passed through as data; escaping is the
renderer's job (the page sets ``textContent``, never markup).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newsmon.model import Alert, Analysis, Claim, Entry, EventKind, verification

MAX_STORIES = 200
MAX_ENTRIES = 50
MAX_ALERTS = 20
MAX_LINKS = 50


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _safe_url(url: str) -> str:
    """Only http(s) links reach the page (no ``javascript:`` or ``data:`` URLs)."""
    return url if url.lower().startswith(("http://", "https://")) else ""


def _claim(claim: Claim) -> dict[str, Any]:
    return {"kind": claim.kind, "claimant": claim.claimant, "place": claim.place, "verified": claim.verified,
            "verification": verification(claim)}


@dataclass
class _Entry:
    key: str
    source: str
    entry_id: str
    title: str
    url: str
    time: datetime | None
    topics: tuple[str, ...]
    claims: tuple[Claim, ...]
    duplicate_of: str | None
    contests: str | None
    roundup: bool
    updated: bool  # the last event for it was an edit (EventKind.UPDATE)
    seq: int
    language: str = ""  # ISO 639-1 code detection identified


@dataclass
class _AlertThread:
    alert_id: str
    rule: str
    severity: str
    kind: str
    revision: int
    title: str
    entry_key: str
    created: datetime
    suppressed: str
    contested_by: tuple[str, ...]


@dataclass
class _Story:
    story_id: str
    headline: str = ""
    time: datetime | None = None
    complete: bool = False  # the story's first entry was seen here (headline and time are its own)
    entries: OrderedDict[str, _Entry] = field(default_factory=OrderedDict)
    entry_count: int = 0
    alerts: OrderedDict[str, _AlertThread] = field(default_factory=OrderedDict)
    contested_by: OrderedDict[str, str] = field(default_factory=OrderedDict)  # entry key -> its story
    seq: int = 0  # order of creation, the tie-break of equal times


class Timeline:
    """Recent stories with their entries, claims, contests and alerts; see the module docstring."""

    def __init__(self, max_stories: int = MAX_STORIES, max_entries: int = MAX_ENTRIES,
                 max_alerts: int = MAX_ALERTS, max_links: int = MAX_LINKS) -> None:
        if min(max_stories, max_entries, max_alerts, max_links) < 1:
            raise ValueError("timeline bounds must be at least 1")
        self.max_stories = max_stories
        self.max_entries = max_entries
        self.max_alerts = max_alerts
        self.max_links = max_links
        self._stories: OrderedDict[str, _Story] = OrderedDict()  # least recently updated first
        self._where: dict[str, str] = {}  # entry key -> story id, for every entry held
        self._seq = 0

    def __len__(self) -> int:
        return len(self._stories)

    def _tick(self) -> int:
        self._seq += 1
        return self._seq

    def _story(self, story_id: str) -> _Story:
        story = self._stories.get(story_id)
        if story is None:
            story = self._stories[story_id] = _Story(story_id, seq=self._tick())
            while len(self._stories) > self.max_stories:
                _, dropped = self._stories.popitem(last=False)
                for key in dropped.entries:
                    if self._where.get(key) == dropped.story_id:
                        del self._where[key]
        self._stories.move_to_end(story_id)
        return story

    # -- feeding ------------------------------------------------------------

    def add_analysis(self, analysis: Analysis) -> None:
        entry = analysis.entry
        previous = self._where.get(entry.key)
        if previous is not None and previous != analysis.story and previous in self._stories:
            old = self._stories[previous]  # an edit moved it to another story
            if old.entries.pop(entry.key, None) is not None:
                old.entry_count -= 1
        story = self._story(analysis.story)
        if entry.key == analysis.story:
            story.headline, story.time, story.complete = entry.title, _when(entry), True
        elif not story.complete and not story.headline:
            story.headline, story.time = entry.title, _when(entry)  # best known until the first entry shows
        if entry.key not in story.entries:
            story.entry_count += 1
        story.entries[entry.key] = _Entry(
            key=entry.key, source=entry.source, entry_id=entry.entry_id, title=entry.title,
            url=_safe_url(entry.url), time=_when(entry), topics=analysis.classification.topics,
            claims=analysis.claims, duplicate_of=analysis.duplicate_of, contests=analysis.contests,
            roundup=analysis.roundup, updated=analysis.event.kind is EventKind.UPDATE, seq=self._tick(),
            language=analysis.language,
        )
        self._where[entry.key] = analysis.story
        while len(story.entries) > self.max_entries:
            dropped, _ = story.entries.popitem(last=False)
            if self._where.get(dropped) == story.story_id:
                del self._where[dropped]
        if analysis.contests:
            target = self._stories.get(analysis.contests)
            if target is not None:  # a story no longer (or never) held here is not brought back
                _bounded_put(target.contested_by, entry.key, analysis.story, self.max_links)

    def add_alert(self, alert: Alert) -> None:
        story = self._story(alert.story)
        if not story.complete and not story.headline:
            story.headline, story.time = alert.title, alert.first_seen or alert.created
        current = story.alerts.get(alert.alert_id)
        if current is not None and current.revision > alert.revision:
            return  # an older revision read late: keep the newest
        _bounded_put(story.alerts, alert.alert_id, _AlertThread(
            alert_id=alert.alert_id, rule=alert.rule, severity=alert.severity, kind=alert.kind.value,
            revision=alert.revision, title=alert.title, entry_key=alert.entry_key, created=alert.created,
            suppressed=alert.suppressed, contested_by=alert.contested_by,
        ), self.max_alerts)

    # -- reading ------------------------------------------------------------

    def _title(self, entry_key: str) -> str | None:
        story = self._stories.get(self._where.get(entry_key, ""))
        entry = story.entries.get(entry_key) if story else None
        return entry.title if entry else None

    def _headline(self, story_id: str) -> str | None:
        story = self._stories.get(story_id)
        return story.headline if story else None

    def snapshot(self, now: datetime | None = None) -> dict[str, Any]:
        """The page's JSON: every story held, newest first (by its first entry's time)."""
        stories = sorted(self._stories.values(),
                         key=lambda s: (s.time.timestamp() if s.time else float("-inf"), s.seq), reverse=True)
        return {
            "generated": _iso(now),
            "limits": {"stories": self.max_stories, "entries": self.max_entries},
            "stories": [self._story_json(s) for s in stories],
        }

    def _story_json(self, story: _Story) -> dict[str, Any]:
        entries = sorted(story.entries.values(),
                         key=lambda e: (e.time.timestamp() if e.time else float("inf"), e.seq))
        topics: dict[str, None] = {}
        languages: dict[str, None] = {}
        claims: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        for e in entries:
            topics.update(dict.fromkeys(e.topics))
            languages.update(dict.fromkeys([e.language] if e.language else []))
            for c in e.claims:
                claims.setdefault((c.kind, c.claimant, c.place, verification(c)), {**_claim(c), "entry": e.key})
        return {
            "id": story.story_id,
            "headline": story.headline,
            "time": _iso(story.time),
            "complete": story.complete,
            "topics": list(topics),
            "languages": list(languages),  # of the entries shown, in time order
            "claims": list(claims.values()),
            "entry_count": story.entry_count,
            "entries": [self._entry_json(e) for e in entries],
            "contested_by": [{"entry": key, "story": in_story, "title": self._title(key)}
                             for key, in_story in story.contested_by.items()],
            "alerts": [{"alert_id": a.alert_id, "rule": a.rule, "severity": a.severity, "kind": a.kind,
                        "revision": a.revision, "title": a.title, "entry": a.entry_key,
                        "created": _iso(a.created), "suppressed": a.suppressed,
                        "contested_by": list(a.contested_by)}
                       for a in sorted(story.alerts.values(), key=lambda a: a.created)],
        }

    def _entry_json(self, e: _Entry) -> dict[str, Any]:
        return {
            "key": e.key, "source": e.source, "id": e.entry_id, "title": e.title, "url": e.url,
            "time": _iso(e.time), "topics": list(e.topics), "claims": [_claim(c) for c in e.claims],
            "duplicate_of": e.duplicate_of,
            "duplicate_of_title": self._title(e.duplicate_of) if e.duplicate_of else None,
            "contests": e.contests,
            "contests_headline": self._headline(e.contests) if e.contests else None,
            "roundup": e.roundup, "updated": e.updated, "language": e.language,
        }


def _when(entry: Entry) -> datetime | None:
    return entry.published or entry.seen


def _bounded_put(mapping: OrderedDict[str, Any], key: str, value: Any, limit: int) -> None:
    mapping[key] = value
    mapping.move_to_end(key)
    while len(mapping) > limit:
        mapping.popitem(last=False)

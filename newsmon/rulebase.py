"""What every rule kind shares: thread ids, scoped rule state, filters, the event clock."""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from newsmon.model import Alert, Analysis, Claim, EventKind, claim_from_dict, claim_to_dict

State = MutableMapping[str, dict[str, Any]]


def alert_id(rule: str, story: str) -> str:
    """Stable id of the alert thread of one rule and one story."""
    return hashlib.blake2b(f"{rule}\x1f{story}".encode(), digest_size=8).hexdigest()


def state_key(rule: str, story: str) -> str:
    return f"{rule}\x1f{story}"


class Scoped(MutableMapping[str, dict[str, Any]]):
    """Rule state of one detection scope: a view of a shared mapping with the keys prefixed by the scope."""

    def __init__(self, state: State, scope: str) -> None:
        self._state = state
        self._prefix = f"{scope}\x1e"

    def __getitem__(self, key: str) -> dict[str, Any]:
        value = self._state.get(self._prefix + key)
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: dict[str, Any]) -> None:
        self._state[self._prefix + key] = value

    def __delitem__(self, key: str) -> None:
        del self._state[self._prefix + key]

    def __iter__(self) -> Iterator[str]:
        n = len(self._prefix)
        return (k[n:] for k in list(self._state) if k.startswith(self._prefix))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def event_time(analysis: Analysis, now: datetime) -> datetime:
    """The time rules judge an analysis at: its event time, else ``now``."""
    return analysis.at or now


class Rule(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def quiet(self) -> float: ...

    def evaluate(self, analysis: Analysis, state: State, now: datetime) -> list[Alert]: ...


@dataclass(frozen=True, slots=True)
class Filters:
    """Which analyses a rule looks at: glob patterns on source, claim place and claimant (any of each)."""

    sources: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    claimants: tuple[str, ...] = ()

    def accepts(self, analysis: Analysis) -> bool:
        if self.sources and not any_match(self.sources, [analysis.entry.source]):
            return False
        if self.places and not any_match(self.places, [c.place for c in analysis.claims]):
            return False
        return not (self.claimants and not any_match(self.claimants, [c.claimant for c in analysis.claims]))


def any_match(patterns: Iterable[str], values: Iterable[str]) -> bool:
    values = [v.lower() for v in values if v]
    return any(fnmatch.fnmatchcase(v, p.lower()) for p in patterns for v in values)


def original(analysis: Analysis) -> bool:
    """A new, original entry: not an edit, a re-report or a roundup."""
    return analysis.event.kind is EventKind.NEW and not analysis.duplicate_of and not analysis.roundup


def counts(analysis: Analysis, topic: str, filters: Filters) -> bool:
    """Whether an analysis is a new, original entry carrying `topic`."""
    return topic in analysis.classification.topics and original(analysis) and filters.accepts(analysis)


def thread_labels(alert: Alert) -> dict[str, Any]:
    """What a thread's state keeps of its first alert so that every revision carries its labels."""
    return {"claim": claim_to_dict(alert.claim) if alert.claim else None, "topics": list(alert.topics),
            "language": alert.language}


def labels_of(thread: dict[str, Any], analysis: Analysis) -> tuple[Claim | None, tuple[str, ...]]:
    """(claim, topics) of a thread's revisions: the thread's own; the revising entry's for a thread
    kept by an older version (no labels in its state)."""
    if "topics" not in thread:
        return next(iter(analysis.claims), None), analysis.classification.topics
    claim = thread.get("claim")
    return (claim_from_dict(claim) if isinstance(claim, dict) else None), tuple(thread["topics"])

"""Alert rules: pure functions from an `Analysis` (plus rule state) to alerts.

Rule state lives in a mapping the caller owns (a Faust table in the worker, a
dict in `newsmon replay`), keyed by ``rule name + story``.  Values are small
JSON-serialisable dicts, so the state survives restarts through the table's
changelog.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from newsmon.model import Alert, AlertKind, Analysis
from newsmon.settings import RuleSettings

State = MutableMapping[str, dict[str, Any]]


def alert_id(rule: str, story: str) -> str:
    """Stable id of the alert thread of one rule and one story."""
    return hashlib.blake2b(f"{rule}\x1f{story}".encode(), digest_size=8).hexdigest()


def state_key(rule: str, story: str) -> str:
    return f"{rule}\x1f{story}"


class Rule(Protocol):
    name: str

    def evaluate(self, analysis: Analysis, state: State, now: datetime) -> list[Alert]: ...


def _summary(analysis: Analysis) -> str:
    body = analysis.entry.body.split("\n\n", 1)[0]
    return body if len(body) <= 400 else body[:397].rstrip() + "..."


@dataclass(frozen=True, slots=True)
class FirstSeenRule:
    """Fires once per story that carries `topic`; a contesting entry updates the thread.

    Duplicates, roundups and edits of entries never open a new alert.
    """

    name: str
    topic: str
    severity: str = "warning"

    def evaluate(self, analysis: Analysis, state: State, now: datetime) -> list[Alert]:
        alerts: list[Alert] = []
        if analysis.contests:
            contested = self._contest(analysis, state, now)
            if contested:
                alerts.append(contested)
        if self.topic not in analysis.classification.topics:
            return alerts
        key = state_key(self.name, analysis.story)
        if key in state or analysis.duplicate_of or analysis.roundup:
            return alerts
        claim = next(iter(analysis.claims), None)
        alert = Alert(
            alert_id=alert_id(self.name, analysis.story),
            rule=self.name,
            severity=self.severity,
            kind=AlertKind.FIRED,
            story=analysis.story,
            entry_key=analysis.entry.key,
            source=analysis.entry.source,
            title=analysis.entry.title,
            summary=_summary(analysis),
            url=analysis.entry.url,
            created=now,
            topics=analysis.classification.topics,
            claim=claim,
            first_seen=analysis.entry.seen,
            why={"rule": "first-seen", "topic": self.topic, "detection": analysis.why},
        )
        state[key] = {"alert": alert_id(self.name, analysis.story), "revision": 0,
                      "entry": analysis.entry.key, "title": alert.title, "url": alert.url,
                      "source": alert.source, "contested_by": []}
        alerts.append(alert)
        return alerts

    def _contest(self, analysis: Analysis, state: State, now: datetime) -> Alert | None:
        assert analysis.contests is not None
        key = state_key(self.name, analysis.contests)
        thread = state.get(key)
        if thread is None or analysis.entry.key in thread["contested_by"]:
            return None
        contested_by = [*thread["contested_by"], analysis.entry.key]
        revision = int(thread["revision"]) + 1
        state[key] = {**thread, "revision": revision, "contested_by": contested_by}
        return Alert(
            alert_id=thread["alert"],
            rule=self.name,
            severity=self.severity,
            kind=AlertKind.UPDATED,
            story=analysis.contests,
            entry_key=thread["entry"],
            source=thread["source"],
            title=thread["title"],
            summary=f"Contested: {analysis.entry.title}",
            url=thread["url"],
            created=now,
            revision=revision,
            topics=analysis.classification.topics,
            contested_by=tuple(contested_by),
            first_seen=analysis.entry.seen,
            why={"rule": "first-seen", "contested_by": analysis.entry.key, "detection": analysis.why},
        )


def build_rules(settings: Iterable[RuleSettings]) -> list[Rule]:
    """Rule objects from validated settings; unknown kinds are a config error upstream."""
    rules: list[Rule] = []
    for rule in settings:
        if rule.kind != "first-seen":
            raise ValueError(f"rules: {rule.name}: unsupported rule kind {rule.kind!r} (known: first-seen)")
        rules.append(FirstSeenRule(rule.name, rule.topic or rule.name, rule.severity))
    return rules


def evaluate(rules: Iterable[Rule], analysis: Analysis, state: State, now: datetime) -> list[Alert]:
    return [alert for rule in rules for alert in rule.evaluate(analysis, state, now)]

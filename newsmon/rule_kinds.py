"""The rule kinds: first-seen, count-in-window, spike (see `newsmon.rules`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from newsmon.model import Alert, AlertKind, Analysis, Claim, EventKind, claim_to_dict
from newsmon.routing import SEVERITIES, suppress
from newsmon.rulebase import (
    Filters,
    State,
    alert_id,
    counts,
    event_time,
    labels_of,
    original,
    state_key,
    thread_labels,
)

MAX_LISTED_DUPLICATES = 50  # suppressed duplicates listed in a thread's why (all are counted)


def claim_severity(severity: str, claim: Claim | None) -> str:
    """An alert's severity for its claim: a claim with neither claimant nor place (nobody says it, and
    it happened nowhere a reader can check) is one level below the rule's, never ``critical``."""
    if claim is None or claim.claimant or claim.place or severity not in SEVERITIES:
        return severity
    return SEVERITIES[max(0, SEVERITIES.index(severity) - 1)]


def _summary(analysis: Analysis) -> str:
    body = analysis.entry.body.split("\n\n", 1)[0]
    return body if len(body) <= 400 else body[:397].rstrip() + "..."


@dataclass(frozen=True, slots=True)
class FirstSeenRule:
    """Fires once per story that carries `topic`; a contesting entry updates the thread.

    Duplicates, roundups and edits of entries never open a new alert.  With a
    ``repeat_interval``, new original entries joining a story that fired produce a
    ``repeated`` revision of its thread at most once per interval.
    """

    name: str
    topic: str
    severity: str = "warning"
    filters: Filters = field(default_factory=Filters)
    quiet: float = 0.0
    repeat_interval: float = 0.0

    def evaluate(self, analysis: Analysis, state: State, now: datetime) -> list[Alert]:
        alerts: list[Alert] = []
        if analysis.contests:
            contested = self._contest(analysis, state, now)
            if contested:
                alerts.append(contested)
        key = state_key(self.name, analysis.story)
        if key in state:
            if analysis.duplicate_of and analysis.event.kind is EventKind.NEW:
                _suppressed_duplicate(analysis, state, key)
            repeated = self._developing(analysis, state, key, now)
            return [*alerts, repeated] if repeated else alerts
        if self.topic not in analysis.classification.topics:
            return alerts
        if analysis.duplicate_of or analysis.roundup or not self.filters.accepts(analysis):
            return alerts
        claim = next(iter(analysis.claims), None)
        alert = Alert(
            alert_id=alert_id(self.name, analysis.story),
            rule=self.name,
            severity=claim_severity(self.severity, claim),
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
            why={"rule": "first-seen", "topic": self.topic, "detection": analysis.why, "duplicates": [],
                 "duplicates_count": 0, **({"language": analysis.language} if analysis.language else {})},
            language=analysis.language,
        )
        state[key] = {"alert": alert_id(self.name, analysis.story), "revision": 0,
                      "entry": analysis.entry.key, "title": alert.title, "url": alert.url,
                      "source": alert.source, "contested_by": [],
                      "notified": event_time(analysis, now).timestamp(), "developments": [],
                      "severity": alert.severity, **thread_labels(alert)}
        alerts.append(alert)
        return alerts

    def _developing(self, analysis: Analysis, state: State, key: str, now: datetime) -> Alert | None:
        """A ``repeated`` revision when the story fired, keeps developing and ``repeat_interval`` has passed."""
        if not self.repeat_interval or not original(analysis) or analysis.contests:
            return None
        thread = state[key]
        at = event_time(analysis, now).timestamp()
        developments = [*thread.get("developments", []), analysis.entry.key][-50:]
        notified = float(thread.get("notified", at))
        if at - notified < self.repeat_interval:
            state[key] = {**thread, "developments": developments}
            return None
        thread = state[key] = {**thread, "revision": int(thread["revision"]) + 1, "notified": at, "developments": []}
        count = len(developments)
        return self._revision(
            thread, AlertKind.REPEATED, analysis.story, analysis, now,
            f"Still developing: {count} new report{'s' if count != 1 else ''}. Latest: {analysis.entry.title}",
            {"repeat_interval_s": self.repeat_interval, "since_last_notification_s": round(at - notified, 3),
             "developments": developments},
        )

    def _revision(self, thread: dict[str, Any], kind: AlertKind, story: str, analysis: Analysis, now: datetime,
                  summary: str, why: dict[str, Any]) -> Alert:
        """A new revision of an alert thread (its state already updated), with the thread's labels."""
        claim, topics = labels_of(thread, analysis)
        return Alert(
            alert_id=thread["alert"],
            rule=self.name,
            severity=str(thread.get("severity") or self.severity),  # the thread keeps its first alert's
            kind=kind,
            story=story,
            entry_key=thread["entry"],
            source=thread["source"],
            title=thread["title"],
            summary=summary,
            url=thread["url"],
            created=now,
            revision=int(thread["revision"]),
            topics=topics,
            claim=claim,
            contested_by=tuple(thread.get("contested_by", ())),
            first_seen=analysis.entry.seen,
            why={"rule": "first-seen", "topic": self.topic, **why, "detection": analysis.why,
                 "duplicates": list(thread.get("duplicates", ())),
                 "duplicates_count": int(thread.get("duplicates_count", 0))},
            language=str(thread.get("language") or ""),  # the thread's entry's (unknown in an older state)
        )

    def _contest(self, analysis: Analysis, state: State, now: datetime) -> Alert | None:
        assert analysis.contests is not None
        key = state_key(self.name, analysis.contests)
        thread = state.get(key)
        if thread is None or analysis.entry.key in thread["contested_by"]:
            return None
        contested_by = [*thread["contested_by"], analysis.entry.key]
        thread = state[key] = {**thread, "revision": int(thread["revision"]) + 1, "contested_by": contested_by}
        return self._revision(thread, AlertKind.UPDATED, analysis.contests, analysis, now,
                              f"Contested: {analysis.entry.title}", {"contested_by": analysis.entry.key})


def _suppressed_duplicate(analysis: Analysis, state: State, key: str) -> None:
    """Count a near-duplicate that detection folded into a story that fired (the alert's ``why`` lists them)."""
    thread = state[key]
    entry = analysis.entry
    seen = thread.get("duplicates", [])
    if any(d.get("entry") == entry.key for d in seen):
        return
    duplicate = {"entry": entry.key, "source": entry.source, "of": analysis.duplicate_of,
                 "similarity": analysis.similarity}
    state[key] = {**thread, "duplicates": [*seen, duplicate][-MAX_LISTED_DUPLICATES:],
                  "duplicates_count": int(thread.get("duplicates_count", 0)) + 1}


def _window_alert(rule: str, severity: str, kind: str, episode: str, analysis: Analysis, now: datetime,
                  title: str, summary: str, why: dict[str, Any], revision: int = 0,
                  thread: dict[str, Any] | None = None) -> Alert:
    """An alert about a topic's volume: one thread per window episode, filed under the story that
    tipped it (`thread`, the episode's state: its story, claim and topics are kept for every
    revision, so a thread's alerts share a Kafka key, a delivery lane and their labels and reach
    receivers in order); the entry fields name the latest entry."""
    if revision and thread:
        story, (claim, topics) = str(thread["story"]), labels_of(thread, analysis)
    else:
        story, claim, topics = analysis.story, next(iter(analysis.claims), None), analysis.classification.topics
    return Alert(
        alert_id=alert_id(rule, episode),
        rule=rule,
        severity=severity,
        kind=AlertKind.REPEATED if revision else AlertKind.FIRED,
        revision=revision,
        story=story,
        entry_key=analysis.entry.key,
        source=analysis.entry.source,
        title=title,
        summary=summary,
        url=analysis.entry.url,
        created=now,
        topics=topics,
        claim=claim,
        first_seen=analysis.entry.seen,
        why={"rule": kind, **why},
        language=analysis.language,
    )


@dataclass(frozen=True, slots=True)
class CountInWindowRule:
    """Fires when at least `threshold` distinct stories carrying `topic` fall within `window` seconds.

    ``sliding``: the window ends now; the rule fires when the count reaches the
    threshold and re-arms once it has dropped below it.  ``tumbling``: windows are
    aligned to multiples of `window` (UTC epoch); at most one alert per window.
    With a ``repeat_interval`` (sliding), a story counted while the window stays at
    or above the threshold produces a ``repeated`` revision of the episode's thread
    at most once per interval.
    """

    name: str
    topic: str
    threshold: int
    window: float
    severity: str = "warning"
    mode: str = "sliding"
    filters: Filters = field(default_factory=Filters)
    quiet: float = 0.0
    repeat_interval: float = 0.0

    def evaluate(self, analysis: Analysis, state: State, now: datetime) -> list[Alert]:
        key = state_key(self.name, "\x1fwindow")
        current = state.get(key) or {"stories": {}, "armed": True, "fired_window": None}
        stories: dict[str, float] = dict(current["stories"])
        ts = event_time(analysis, now).timestamp()
        episode_state: dict[str, Any] | None = current.get("episode")
        if self.mode == "tumbling":
            start = math.floor(ts / self.window) * self.window
            stories = {s: t for s, t in stories.items() if t >= start}
        else:
            start = ts - self.window
            stories = {s: t for s, t in stories.items() if t > start}
        counted = counts(analysis, self.topic, self.filters) and analysis.story not in stories
        if counted:
            stories[analysis.story] = ts
        armed = bool(current["armed"]) or len(stories) < self.threshold
        fired_window = current["fired_window"]
        if armed:
            episode_state = None
        alerts: list[Alert] = []
        if counted and len(stories) >= self.threshold:
            revision = 0
            if self.mode == "tumbling" and fired_window != start:
                fired_window = start
                episode = f"tumbling:{int(start)}"
            elif self.mode != "tumbling" and armed:
                armed = False
                episode = f"sliding:{int(min(stories.values()))}"
                claim = next(iter(analysis.claims), None)
                episode_state = {"id": episode, "revision": 0, "notified": ts, "story": analysis.story,
                                 "claim": claim_to_dict(claim) if claim else None,
                                 "topics": list(analysis.classification.topics)}
            elif (self.repeat_interval and episode_state is not None
                  and ts - float(episode_state["notified"]) >= self.repeat_interval):
                episode, revision = str(episode_state["id"]), int(episode_state["revision"]) + 1
                episode_state = {**episode_state, "revision": revision, "notified": ts}
            else:
                episode = ""
            if episode:
                n = len(stories)
                span = timedelta(seconds=self.window)
                alerts.append(_window_alert(
                    self.name, self.severity, "count-in-window", episode, analysis, now,
                    f"{n} new {self.topic} stories within {span}", f"Latest: {analysis.entry.title}",
                    {"topic": self.topic, "count": n, "threshold": self.threshold, "window_s": self.window,
                     "mode": self.mode, "stories": sorted(stories, key=stories.__getitem__),
                     **({"repeat_interval_s": self.repeat_interval} if revision else {})},
                    revision, episode_state))
        state[key] = {"stories": stories, "armed": armed, "fired_window": fired_window, "episode": episode_state}
        return alerts


@dataclass(frozen=True, slots=True)
class SpikeRule:
    """Fires when a topic's count in the current bucket exceeds mean + k·σ of the previous buckets.

    Counts new, original entries carrying `topic` per `bucket` seconds; the
    baseline is the `baseline` buckets before the current one (empty ones count
    as 0).  The current count must also reach `min_count`.  At most one alert per
    bucket.  ``per_source``: every source has its own counts, baseline and alerts
    (a quiet regional blog spiking is news even when the wires are busy).

    The baseline must be warm: until `baseline` whole buckets have passed since
    the rule first saw an entry (any source: one that posts nothing meanwhile is
    observed at 0), a spike is only recorded, held back as ``warming-up`` with
    "warming up (n/N buckets)" in its ``why`` -- on a cold start σ is 0 and any
    `min_count` would look like a spike.
    """

    name: str
    topic: str
    bucket: float = 600.0
    baseline: int = 12
    k: float = 3.0
    min_count: int = 5
    severity: str = "warning"
    filters: Filters = field(default_factory=Filters)
    quiet: float = 0.0
    per_source: bool = False

    def evaluate(self, analysis: Analysis, state: State, now: datetime) -> list[Alert]:
        source = analysis.entry.source if self.per_source else ""
        key = state_key(self.name, f"\x1fspike\x1f{source}" if source else "\x1fspike")
        index = math.floor(event_time(analysis, now).timestamp() / self.bucket)
        since = self._since(state, key, index)
        if not counts(analysis, self.topic, self.filters):
            return []
        current = state.get(key) or {"buckets": {}, "fired": None}
        buckets = {int(b): int(n) for b, n in current["buckets"].items() if index - self.baseline <= int(b) <= index}
        buckets[index] = buckets.get(index, 0) + 1
        history = [buckets.get(b, 0) for b in range(index - self.baseline, index)]
        mean = sum(history) / len(history) if history else 0.0
        sigma = math.sqrt(sum((n - mean) ** 2 for n in history) / len(history)) if history else 0.0
        limit = mean + self.k * sigma
        count = buckets[index]
        observed = min(self.baseline, max(0, index - since))
        alerts: list[Alert] = []
        fired = current["fired"]
        if count >= self.min_count and count > limit and fired != index:
            fired = index
            where = f" from {source}" if source else ""
            alert = _window_alert(
                self.name, self.severity, "spike", f"spike:{source}:{index}" if source else f"spike:{index}",
                analysis, now, f"Spike in {self.topic}{where}: {count} entries in {timedelta(seconds=self.bucket)}",
                f"Baseline {mean:.1f} ± {sigma:.1f} per bucket. Latest: {analysis.entry.title}",
                {"topic": self.topic, "count": count, "mean": round(mean, 3), "sigma": round(sigma, 3),
                 "k": self.k, "limit": round(limit, 3), "min_count": self.min_count, "bucket_s": self.bucket,
                 "baseline": f"{observed}/{self.baseline} buckets observed",
                 **({"source": source} if source else {})})
            if observed < self.baseline:  # a cold baseline (σ 0 or close) would call anything a spike
                alert = suppress(alert, "warming-up", baseline=f"warming up ({observed}/{self.baseline} buckets)")
            alerts.append(alert)
        state[key] = {"buckets": {str(b): n for b, n in buckets.items()}, "fired": fired}
        return alerts

    def _since(self, state: State, key: str, index: int) -> int:
        """The bucket from which the rule has watched the stream (every source: a source that posts
        nothing meanwhile is observed at 0); its baseline is warm `baseline` buckets later."""
        since_key = state_key(self.name, "\x1fspike-since")
        watching = state.get(since_key)
        if watching is None:
            # counts kept by an older version mean the rule has watched for long
            since = index - self.baseline if key in state else index
            state[since_key] = watching = {"since": since}
        return int(watching["since"])

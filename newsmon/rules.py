"""Alert rules: pure functions from an `Analysis` (plus rule state) to alerts.

Rule state lives in a mapping the caller owns (a Faust table in the worker, a
dict in `newsmon replay`), keyed by ``rule name + story``.  Values are small
JSON-serialisable dicts, so the state survives restarts through the table's
changelog.

Kinds: ``first-seen`` (once per story carrying a topic; a contesting entry
updates the thread), ``count-in-window`` (at least N distinct stories with a
topic within a sliding or tumbling window), ``spike`` (a topic's rate in the
current bucket well above its own recent baseline).  Every kind takes filters
on source / place / claimant, a severity and an optional quiet period (after a
rule fired, its next alerts within the period are held back: produced with
``why.routing.suppressed = "quiet-period"`` and never delivered).

``repeat_interval`` (first-seen and count-in-window): a thread that keeps
developing -- new, original entries join the story, or the window stays at or
above its threshold as new stories arrive -- gets one ``repeated`` reminder (a
new revision of the same thread, never a new alert) at most every
``repeat_interval``; a thread with nothing new stays quiet.  Unset, a thread is
announced once and updated only when contested.

Time.  Windows, buckets, quiet periods and repeat intervals run on the entry's
event time (``Analysis.at``, the detector's clock: publication time, never going
back, never ahead of the wall clock), so `newsmon replay` of an archive and the
worker reading the same entries from Kafka fire the same alerts.  ``now`` (the
wall clock) only stamps ``Alert.created``.
"""

from __future__ import annotations

import fnmatch
import hashlib
import math
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from newsmon.model import Alert, AlertKind, Analysis, Claim, EventKind
from newsmon.routing import suppress
from newsmon.settings import RuleSettings, parse_duration

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
        if self.sources and not _any_match(self.sources, [analysis.entry.source]):
            return False
        if self.places and not _any_match(self.places, [c.place for c in analysis.claims]):
            return False
        return not (self.claimants and not _any_match(self.claimants, [c.claimant for c in analysis.claims]))


def _any_match(patterns: Iterable[str], values: Iterable[str]) -> bool:
    values = [v.lower() for v in values if v]
    return any(fnmatch.fnmatchcase(v, p.lower()) for p in patterns for v in values)


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
                      "source": alert.source, "contested_by": [],
                      "notified": event_time(analysis, now).timestamp(), "developments": []}
        alerts.append(alert)
        return alerts

    def _developing(self, analysis: Analysis, state: State, key: str, now: datetime) -> Alert | None:
        """A ``repeated`` revision when the story fired, keeps developing and ``repeat_interval`` has passed."""
        if not self.repeat_interval or not _original(analysis) or analysis.contests:
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
            claim=next(iter(analysis.claims), None),
        )

    def _revision(self, thread: dict[str, Any], kind: AlertKind, story: str, analysis: Analysis, now: datetime,
                  summary: str, why: dict[str, Any], claim: Claim | None = None) -> Alert:
        """A new revision of an alert thread (its state already updated)."""
        return Alert(
            alert_id=thread["alert"],
            rule=self.name,
            severity=self.severity,
            kind=kind,
            story=story,
            entry_key=thread["entry"],
            source=thread["source"],
            title=thread["title"],
            summary=summary,
            url=thread["url"],
            created=now,
            revision=int(thread["revision"]),
            topics=analysis.classification.topics,
            claim=claim,
            contested_by=tuple(thread.get("contested_by", ())),
            first_seen=analysis.entry.seen,
            why={"rule": "first-seen", **why, "detection": analysis.why},
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


def _window_alert(rule: str, severity: str, kind: str, episode: str, analysis: Analysis, now: datetime,
                  title: str, summary: str, why: dict[str, Any], revision: int = 0, story: str = "") -> Alert:
    """An alert about a topic's volume: one thread per window episode, filed under the story that
    tipped it (``story``: kept for every revision, so a thread's alerts share a Kafka key and a
    delivery lane and reach receivers in order); the entry fields name the latest entry."""
    return Alert(
        alert_id=alert_id(rule, episode),
        rule=rule,
        severity=severity,
        kind=AlertKind.REPEATED if revision else AlertKind.FIRED,
        revision=revision,
        story=story or analysis.story,
        entry_key=analysis.entry.key,
        source=analysis.entry.source,
        title=title,
        summary=summary,
        url=analysis.entry.url,
        created=now,
        topics=analysis.classification.topics,
        claim=next(iter(analysis.claims), None),
        first_seen=analysis.entry.seen,
        why={"rule": kind, **why},
    )


def _original(analysis: Analysis) -> bool:
    """A new, original entry: not an edit, a re-report or a roundup."""
    return analysis.event.kind is EventKind.NEW and not analysis.duplicate_of and not analysis.roundup


def _counts(analysis: Analysis, topic: str, filters: Filters) -> bool:
    """Whether an analysis is a new, original entry carrying `topic`."""
    return topic in analysis.classification.topics and _original(analysis) and filters.accepts(analysis)


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
        counted = _counts(analysis, self.topic, self.filters) and analysis.story not in stories
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
                episode_state = {"id": episode, "revision": 0, "notified": ts, "story": analysis.story}
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
                    revision, str(episode_state["story"]) if revision and episode_state else ""))
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
        if not _counts(analysis, self.topic, self.filters):
            return []
        source = analysis.entry.source if self.per_source else ""
        key = state_key(self.name, f"\x1fspike\x1f{source}" if source else "\x1fspike")
        current = state.get(key) or {"buckets": {}, "fired": None}
        index = math.floor(event_time(analysis, now).timestamp() / self.bucket)
        buckets = {int(b): int(n) for b, n in current["buckets"].items() if index - self.baseline <= int(b) <= index}
        buckets[index] = buckets.get(index, 0) + 1
        history = [buckets.get(b, 0) for b in range(index - self.baseline, index)]
        mean = sum(history) / len(history) if history else 0.0
        sigma = math.sqrt(sum((n - mean) ** 2 for n in history) / len(history)) if history else 0.0
        limit = mean + self.k * sigma
        count = buckets[index]
        alerts: list[Alert] = []
        fired = current["fired"]
        if count >= self.min_count and count > limit and fired != index:
            fired = index
            where = f" from {source}" if source else ""
            alerts.append(_window_alert(
                self.name, self.severity, "spike", f"spike:{source}:{index}" if source else f"spike:{index}",
                analysis, now, f"Spike in {self.topic}{where}: {count} entries in {timedelta(seconds=self.bucket)}",
                f"Baseline {mean:.1f} ± {sigma:.1f} per bucket. Latest: {analysis.entry.title}",
                {"topic": self.topic, "count": count, "mean": round(mean, 3), "sigma": round(sigma, 3),
                 "k": self.k, "limit": round(limit, 3), "min_count": self.min_count, "bucket_s": self.bucket,
                 **({"source": source} if source else {})}))
        state[key] = {"buckets": {str(b): n for b, n in buckets.items()}, "fired": fired}
        return alerts


RULE_KINDS = ("first-seen", "count-in-window", "spike")
RULE_OPTIONS: dict[str, set[str]] = {
    "first-seen": {"repeat_interval"},
    "count-in-window": {"threshold", "window", "mode", "repeat_interval"},
    "spike": {"bucket", "baseline", "k", "min_count", "by"},
}
COMMON_OPTIONS = {"sources", "places", "claimants", "quiet", "firing_for"}


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError(f"{what}: expected a string or a list of strings, got {value!r}")


def _positive_int(options: Mapping[str, Any], key: str, default: int) -> int:
    value = options.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{key}: expected a positive integer, got {value!r}")
    return value


def _seconds(options: Mapping[str, Any], key: str, default: float, allow_zero: bool = False) -> float:
    try:
        seconds = parse_duration(options.get(key, default))
    except ValueError as exc:
        raise ValueError(f"{key}: {exc}") from None
    if seconds < 0 or (seconds == 0 and not allow_zero):
        raise ValueError(f"{key}: must be positive")
    return seconds


def build_rule(rule: RuleSettings) -> Rule:
    """One rule object from its settings; raises ValueError naming the offending option."""
    if rule.kind not in RULE_KINDS:
        raise ValueError(f"kind: unsupported rule kind {rule.kind!r} (known: {', '.join(RULE_KINDS)})")
    options = rule.options
    unknown = set(options) - RULE_OPTIONS[rule.kind] - COMMON_OPTIONS
    if unknown:
        known = ", ".join(sorted(RULE_OPTIONS[rule.kind] | COMMON_OPTIONS))
        raise ValueError(f"{sorted(unknown)[0]}: unknown option for a {rule.kind} rule (known: {known})")
    filters = Filters(*(_strings(options.get(k, []), k) for k in ("sources", "places", "claimants")))
    quiet = _seconds(options, "quiet", 0, allow_zero=True)
    _seconds(options, "firing_for", 3600)
    topic = rule.topic or rule.name
    repeat = _seconds(options, "repeat_interval", 0, allow_zero=True)
    if rule.kind == "first-seen":
        return FirstSeenRule(rule.name, topic, rule.severity, filters, quiet, repeat)
    if rule.kind == "count-in-window":
        if "threshold" not in options or "window" not in options:
            raise ValueError("threshold: a count-in-window rule needs 'threshold' and 'window'")
        mode = options.get("mode", "sliding")
        if mode not in ("sliding", "tumbling"):
            raise ValueError(f"mode: expected sliding or tumbling, got {mode!r}")
        if repeat and mode == "tumbling":
            raise ValueError("repeat_interval: only for sliding windows (a tumbling window fires once per window)")
        return CountInWindowRule(rule.name, topic, _positive_int(options, "threshold", 1),
                                 _seconds(options, "window", 0), rule.severity, mode, filters, quiet, repeat)
    k = options.get("k", 3.0)
    if isinstance(k, bool) or not isinstance(k, int | float) or k < 0:
        raise ValueError(f"k: expected a non-negative number, got {k!r}")
    by = options.get("by", "all")
    if by not in ("all", "source"):
        raise ValueError(f"by: expected all or source, got {by!r}")
    return SpikeRule(rule.name, topic, _seconds(options, "bucket", 600), _positive_int(options, "baseline", 12),
                     float(k), _positive_int(options, "min_count", 5), rule.severity, filters, quiet,
                     per_source=by == "source")


def build_rules(settings: Iterable[RuleSettings]) -> list[Rule]:
    """Rule objects from validated settings."""
    rules: list[Rule] = []
    for rule in settings:
        try:
            rules.append(build_rule(rule))
        except ValueError as exc:
            raise ValueError(f"rules: {rule.name}: {exc}") from None
    return rules


def firing_for(rule: RuleSettings) -> float:
    """How long an alert of this rule counts as firing for inhibition (default 1h)."""
    return parse_duration(rule.options.get("firing_for", 3600))


def _quiet(rule: Rule, alert: Alert, state: State, now: datetime) -> Alert:
    """Hold back a rule's new alert within its quiet period after the last one it sent."""
    if not rule.quiet or alert.kind is not AlertKind.FIRED:
        return alert
    key = state_key(rule.name, "\x1fquiet")
    last = (state.get(key) or {}).get("last")
    if last is not None and now.timestamp() - float(last) < rule.quiet:
        return suppress(alert, "quiet-period", quiet_s=rule.quiet, last_fired=float(last))
    state[key] = {"last": now.timestamp()}
    return alert


def evaluate(rules: Iterable[Rule], analysis: Analysis, state: State, now: datetime) -> list[Alert]:
    """Every rule's alerts for one analysis; alerts held back by a quiet period carry the reason in ``why``.

    ``now`` is the wall clock (it stamps ``Alert.created``); windows and periods use
    the analysis's event time (see the module docstring).
    """
    at = event_time(analysis, now)
    return [_quiet(rule, alert, state, at) for rule in rules for alert in rule.evaluate(analysis, state, now)]

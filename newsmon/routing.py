"""Routing and noise control, Alertmanager style: pure decisions, time as an argument.

- **silences**: a matcher set with an expiry; a matching alert is held back.
- **inhibition**: while a higher-severity alert for a place is firing, lower-severity
  alerts for the same place are held back.
- **grouping**: alerts of one group (by story, or any labels: place, rule, ...)
  are sent together, as one notification where the channel has one (Slack: one
  message, a section per alert): the first batch after ``group_wait``, later
  ones at most every ``group_interval``; a newer revision of an alert thread in
  the same batch supersedes the older one.
- **rate limit**: a token bucket per channel; alerts over the limit wait (they are
  never dropped).

Nothing here does I/O: the agents keep the state (a Faust table, a dict) and pass
the clock in; `newsmon replay` uses the same code.
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from newsmon.model import Alert

T = TypeVar("T")
SEVERITIES = ("info", "warning", "critical")
MATCHER_LABELS = ("rule", "severity", "kind", "story", "source", "place", "claimant", "topic", "verification")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else 0


def suppress(alert: Alert, reason: str, **detail: Any) -> Alert:
    """The alert marked as held back, with the reason in its ``why``."""
    routing = {**alert.why.get("routing", {}), "suppressed": reason, **detail}
    return replace(alert, why={**alert.why, "routing": routing})


def annotate(alert: Alert, **detail: Any) -> Alert:
    routing = {**alert.why.get("routing", {}), **detail}
    return replace(alert, why={**alert.why, "routing": routing})


# -- silences -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Silence:
    """Holds back alerts whose labels match every matcher (shell-style globs, case-insensitive)."""

    id: str
    matchers: Mapping[str, str]
    ends: datetime
    starts: datetime | None = None
    created_by: str = ""
    comment: str = ""

    def active(self, now: datetime) -> bool:
        return (self.starts is None or self.starts <= now) and now < self.ends

    def matches(self, alert: Alert) -> bool:
        labels = alert.labels()
        for name, pattern in self.matchers.items():
            value = labels.get(name, "")
            if name == "topic":
                if not any(fnmatch.fnmatchcase(t.lower(), pattern.lower()) for t in alert.topics):
                    return False
            elif not fnmatch.fnmatchcase(value.lower(), pattern.lower()):
                return False
        return True

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "matchers": dict(self.matchers), "ends": self.ends.isoformat(),
                "starts": self.starts.isoformat() if self.starts else None,
                "created_by": self.created_by, "comment": self.comment}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Silence:
        starts = data.get("starts")
        return cls(id=str(data["id"]), matchers={str(k): str(v) for k, v in dict(data["matchers"]).items()},
                   ends=datetime.fromisoformat(str(data["ends"])),
                   starts=datetime.fromisoformat(str(starts)) if starts else None,
                   created_by=str(data.get("created_by") or ""), comment=str(data.get("comment") or ""))


def parse_matchers(items: Iterable[str]) -> dict[str, str]:
    """``["place=Bakhmut", "rule=breakthrough-*"]`` -> matcher mapping; raises ValueError."""
    matchers: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name or not value.strip():
            raise ValueError(f"matcher {item!r}: expected label=value")
        if name not in MATCHER_LABELS:
            raise ValueError(f"matcher {item!r}: unknown label {name!r} (known: {', '.join(MATCHER_LABELS)})")
        matchers[name] = value.strip()
    if not matchers:
        raise ValueError("a silence needs at least one matcher")
    return matchers


def silenced_by(alert: Alert, silences: Iterable[Silence], now: datetime) -> Silence | None:
    return next((s for s in silences if s.active(now) and s.matches(alert)), None)


# -- inhibition -----------------------------------------------------------------

Firing = MutableMapping[str, dict[str, Any]]


def inhibit_key(place: str) -> str:
    return f"\x1finhibit\x1f{place.strip().lower()}"


def inhibited_by(alert: Alert, firing: Firing, now: datetime) -> dict[str, Any] | None:
    """The firing higher-severity alert for the same place that holds this one back, if any."""
    if not alert.place:
        return None
    current = firing.get(inhibit_key(alert.place))
    if not current or datetime.fromisoformat(current["until"]) <= now:
        return None
    if severity_rank(current["severity"]) > severity_rank(alert.severity) and current["alert"] != alert.alert_id:
        return current
    return None


def record_firing(alert: Alert, firing: Firing, now: datetime, firing_for: float) -> None:
    """Remember a sent alert as firing for its place for `firing_for` seconds."""
    if not alert.place:
        return
    key = inhibit_key(alert.place)
    current = firing.get(key)
    until = now + timedelta(seconds=firing_for)
    if (current and datetime.fromisoformat(current["until"]) > now
            and severity_rank(current["severity"]) > severity_rank(alert.severity)):
        return  # a higher-severity alert is already firing there
    firing[key] = {"alert": alert.alert_id, "severity": alert.severity, "until": until.isoformat()}


# -- grouping -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupPolicy:
    group_by: tuple[str, ...] = ("story",)
    group_wait: float = 0.0
    group_interval: float = 0.0

    @property
    def active(self) -> bool:
        """Whether alerts are batched at all (a wait or an interval is set)."""
        return self.group_wait > 0 or self.group_interval > 0

    def key(self, alert: Alert) -> str:
        labels = alert.labels()
        return "\x1f".join(labels.get(name, "") for name in self.group_by)

    def describe(self, alert: Alert) -> str:
        """The group of an alert as people read it: ``place=Luhansk, rule=breakthrough-claim``."""
        labels = alert.labels()
        return ", ".join(f"{name}={labels.get(name, '')}" for name in self.group_by)

    def lane_key(self, alert: Alert) -> str:
        """What picks an alert's delivery lane: its story, or -- when groups span stories -- its group
        (without ``kind``, so every revision of a thread shares a lane and stays in order)."""
        if not self.active or "story" in self.group_by:
            return alert.story
        labels = alert.labels()
        return "\x1f".join(labels.get(name, "") for name in self.group_by if name != "kind")


@dataclass
class Grouper:
    """Batches alerts per group: when each batch may go out, and which alerts it carries."""

    policy: GroupPolicy
    last_sent: dict[str, float] = field(default_factory=dict)  # group -> monotonic time of the last flush

    def due(self, group: str, first_queued: float) -> float:
        """Time (same clock as the arguments) at which the batch of `group` may be sent."""
        last = self.last_sent.get(group)
        if last is None:
            return first_queued + self.policy.group_wait
        return max(first_queued, last + self.policy.group_interval)

    def flushed(self, group: str, now: float) -> None:
        self.last_sent[group] = now
        if len(self.last_sent) > 10_000:  # forget the oldest groups
            for stale in sorted(self.last_sent, key=self.last_sent.__getitem__)[:1000]:
                del self.last_sent[stale]


@dataclass
class Batches(Generic[T]):
    """The open batches of one sender, per group: what is due when (pure; the caller brings the clock).

    The deliver agent holds one per channel lane (monotonic clock); `newsmon replay`
    one per channel (event time).  A batch of a group goes out at
    `Grouper.due`; everything that joined the group until then goes with it."""

    grouper: Grouper
    open: dict[str, list[T]] = field(default_factory=dict)
    first: dict[str, float] = field(default_factory=dict)

    def add(self, group: str, item: T, queued: float) -> None:
        self.open.setdefault(group, []).append(item)
        self.first.setdefault(group, queued)

    def next_due(self) -> float | None:
        return min((self.grouper.due(g, t) for g, t in self.first.items()), default=None)

    def pop_due(self, now: float) -> list[tuple[str, list[T]]]:
        """The batches due at `now` (oldest first), marked as sent."""
        due = sorted((self.grouper.due(g, t), g) for g, t in self.first.items())
        out: list[tuple[str, list[T]]] = []
        for when, group in due:
            if when > now:
                break
            out.append((group, self.open.pop(group)))
            del self.first[group]
            self.grouper.flushed(group, when)  # when it was due: where the next interval starts
        return out

    def __len__(self) -> int:
        return sum(len(v) for v in self.open.values())


def collapse(batch: list[Alert]) -> tuple[list[Alert], list[Alert]]:
    """(to send, superseded): only the newest revision of each alert thread in a batch is sent."""
    newest: dict[str, Alert] = {}
    for alert in batch:
        if alert.alert_id not in newest or alert.revision >= newest[alert.alert_id].revision:
            newest[alert.alert_id] = alert
    keep = [a for a in batch if newest[a.alert_id] is a]
    dropped = [a for a in batch if newest[a.alert_id] is not a]
    return keep, dropped


# -- rate limit -----------------------------------------------------------------


@dataclass
class TokenBucket:
    """At most `rate` sends per second on average, bursts of `burst`."""

    rate: float
    burst: float
    tokens: float = math.nan
    stamp: float = 0.0

    def wait(self, now: float) -> float:
        """Seconds to wait before the next send; takes the token when 0."""
        if math.isnan(self.tokens):
            self.tokens, self.stamp = self.burst, now
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


def parse_rate(value: str) -> float:
    """``"30/m"``, ``"1/s"``, ``"100/h"`` -> sends per second; raises ValueError."""
    count, sep, unit = str(value).partition("/")
    units = {"s": 1.0, "m": 60.0, "h": 3600.0}
    try:
        n = float(count)
    except ValueError:
        n = -1.0
    if not sep or unit.strip() not in units or n <= 0:
        raise ValueError(f'expected a rate like "30/m", "1/s", "100/h", got {value!r}')
    return n / units[unit.strip()]


# -- the routing of one alert, as the rules agent and `newsmon replay` do it ------


@dataclass
class Router:
    """Silences, then inhibition, for each alert the rules produced (quiet periods are the rules').

    `silences` gives the silences in force (the worker re-reads its file); `firing`
    holds the places firing for inhibition (a Faust table in the worker, a dict in
    replay); `firing_for` is each rule's firing duration.  Inhibition runs on event
    time, like rule windows, so a backlog and its replay inhibit alike; silences are
    operators' decisions in wall-clock time -- ``silence_times=False`` (replay)
    applies every given silence whatever its start and end.
    """

    silences: Callable[[], Iterable[Silence]]
    firing: Firing
    firing_for: Mapping[str, float] = field(default_factory=dict)
    silence_times: bool = True

    def route(self, alert: Alert, now: datetime, at: datetime) -> Alert:
        """The alert, marked ``suppressed`` when held back; `now` the wall clock, `at` the event time."""
        if alert.suppressed:
            return alert
        current = list(self.silences())
        silence = (silenced_by(alert, current, now) if self.silence_times
                   else next((s for s in current if s.matches(alert)), None))
        if silence is not None:
            return suppress(alert, "silenced", silence=silence.id, until=silence.ends.isoformat())
        inhibitor = inhibited_by(alert, self.firing, at)
        if inhibitor is not None:
            return suppress(alert, "inhibited", by=inhibitor["alert"], by_severity=inhibitor["severity"],
                            until=inhibitor["until"])
        record_firing(alert, self.firing, at, self.firing_for.get(alert.rule, 3600.0))
        return alert

"""When to poll a source next: adaptive interval, backoff, server hints.

Pure functions of numbers (seconds) and times passed in; no clock, no I/O, no
global random state (callers pass a number drawn from [0, 1)), so every rule
here is unit-testable.

Adaptive interval
    After a successful poll the interval is multiplied by `Policy.grow`
    when the poll brought nothing new or changed (a quiet source is polled
    less often) and by ``Policy.shrink ** min(changes, 3)`` when it did (a
    busy one more often), always within ``[min_interval, max_interval]``.
    Growth is gentle and shrinking fast: a live blog that wakes up is caught
    within a poll or two, a dead one drifts to `max_interval` over about a
    dozen quiet polls.  The first poll of a source (everything is new) does
    not adapt.

Backoff
    After the n-th consecutive failure the delay is ``base * 2 ** (n - 1)``
    capped at `Policy.max_backoff`, with "equal jitter": half of it fixed,
    half random.  So the delay never shrinks while the streak grows, failing
    sources on one host do not retry in lockstep, and a source is never given
    up (it stays at the cap).

Server hints
    ``Retry-After`` (seconds or an HTTP date) is a floor for the next delay;
    ``Cache-Control: max-age`` is a floor too (polling sooner would only
    fetch the cached copy again), but never above `max_interval`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = [
    "MAX_RETRY_AFTER",
    "Policy",
    "adapt_interval",
    "backoff_delay",
    "jittered",
    "next_delay",
    "parse_max_age",
    "parse_retry_after",
]

MAX_RETRY_AFTER = 6 * 3600.0  # a Retry-After beyond this is read as this (garbage dates, "come back in a year")
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)\"?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Policy:
    """How one source is scheduled; all values in seconds."""

    interval: float = 60.0  # the configured interval: starting point and backoff base
    min_interval: float = 15.0
    max_interval: float = 900.0
    max_backoff: float = 900.0  # cap of the error backoff
    grow: float = 1.25  # factor after a quiet poll
    shrink: float = 0.5  # factor per new/changed entry (at most 3 counted)
    jitter: float = 0.1  # +-10 % on regular intervals

    def __post_init__(self) -> None:
        if not 0 < self.min_interval <= self.interval <= self.max_interval:
            raise ValueError(f"need 0 < min_interval <= interval <= max_interval, got "
                             f"{self.min_interval}, {self.interval}, {self.max_interval}")
        if self.max_backoff <= 0 or self.grow < 1 or not 0 < self.shrink <= 1 or not 0 <= self.jitter < 1:
            raise ValueError("need max_backoff > 0, grow >= 1, 0 < shrink <= 1, 0 <= jitter < 1")

    def clamp(self, seconds: float) -> float:
        return min(self.max_interval, max(self.min_interval, seconds))


def adapt_interval(policy: Policy, current: float, changes: int) -> float:
    """The interval after a successful poll that yielded `changes` new or changed entries."""
    if changes <= 0:
        return policy.clamp(current * policy.grow)
    return policy.clamp(current * policy.shrink ** min(changes, 3))


def backoff_delay(policy: Policy, streak: int, rand: float) -> float:
    """Delay after the `streak`-th consecutive failure (streak >= 1); `rand` in [0, 1)."""
    if streak < 1:
        raise ValueError("backoff needs an error streak of at least 1")
    exponent = min(streak - 1, 60)  # 2**60 * anything positive is past any cap
    raw = min(policy.max_backoff, policy.interval * 2.0**exponent)
    return raw / 2 + raw / 2 * _unit(rand)


def jittered(seconds: float, spread: float, rand: float) -> float:
    """`seconds` moved by up to +-`spread` (a fraction), `rand` in [0, 1)."""
    return seconds * (1 - spread + 2 * spread * _unit(rand))


def next_delay(
    policy: Policy,
    *,
    interval: float,
    error_streak: int,
    rand: float,
    retry_after: float | None = None,
    max_age: float | None = None,
) -> float:
    """Seconds until the next poll.

    `interval` is the source's current (adapted) interval, `error_streak` the
    number of consecutive failures so far (0 after a success), `retry_after`
    and `max_age` what the last response asked for, if anything.
    """
    if error_streak > 0:
        delay = backoff_delay(policy, error_streak, rand)
    else:
        delay = jittered(interval, policy.jitter, rand)
        if max_age is not None:
            delay = max(delay, min(max_age, policy.max_interval))
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (delta-seconds or HTTP date), or None.

    A date in the past means 0; an unreadable value is None (the caller falls
    back to its own backoff).  `now` must be tz-aware.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return min(float(text), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:  # "-0000" dates come back naive: they are UTC
        when = when.replace(tzinfo=UTC)
    seconds = (when - now).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER) if math.isfinite(seconds) else None


def parse_max_age(cache_control: str | None) -> float | None:
    """``max-age`` of a ``Cache-Control`` header in seconds, or None (absent, ``no-cache``, unreadable)."""
    if not cache_control:
        return None
    lowered = cache_control.lower()
    if "no-cache" in lowered or "no-store" in lowered:
        return None
    match = _MAX_AGE.search(cache_control)
    return float(match.group(1)) if match else None


def _unit(rand: float) -> float:
    return min(max(rand, 0.0), 1.0)

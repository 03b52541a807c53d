"""The pure scheduling maths: adaptive interval, backoff with jitter, Retry-After, max-age."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from newsmon.connectors.schedule import (
    MAX_RETRY_AFTER,
    Policy,
    adapt_interval,
    backoff_delay,
    jittered,
    next_delay,
    parse_max_age,
    parse_retry_after,
)

POLICY = Policy(interval=60, min_interval=15, max_interval=900, max_backoff=900)
NOW = datetime(2024, 8, 27, 12, 0, tzinfo=UTC)


def test_quiet_polls_grow_the_interval_up_to_max() -> None:
    interval = 60.0
    seen = []
    for _ in range(30):
        interval = adapt_interval(POLICY, interval, 0)
        seen.append(interval)
    assert seen[0] == pytest.approx(75.0)
    assert all(b >= a for a, b in itertools.pairwise(seen))
    assert seen[-1] == 900.0


def test_busy_polls_shrink_the_interval_down_to_min() -> None:
    assert adapt_interval(POLICY, 60, 1) == pytest.approx(30.0)
    assert adapt_interval(POLICY, 120, 2) == pytest.approx(30.0)
    assert adapt_interval(POLICY, 120, 3) == pytest.approx(15.0)
    assert adapt_interval(POLICY, 800, 50) == pytest.approx(100.0)  # at most 3 changes count
    assert adapt_interval(POLICY, 20, 5) == 15.0


def test_interval_stays_within_bounds_from_outside() -> None:
    assert adapt_interval(POLICY, 5000, 0) == 900.0
    assert adapt_interval(POLICY, 1, 1) == 15.0


def test_backoff_grows_and_is_capped() -> None:
    lows = [backoff_delay(POLICY, n, 0.0) for n in range(1, 12)]
    highs = [backoff_delay(POLICY, n, 0.999999) for n in range(1, 12)]
    assert lows[0] == pytest.approx(30.0) and highs[0] == pytest.approx(60.0, rel=1e-5)
    assert lows[1] == pytest.approx(60.0) and highs[1] == pytest.approx(120.0, rel=1e-5)
    # equal jitter: any delay after streak n+1 is at least any delay after streak n (until the cap)
    for n in range(len(lows) - 1):
        assert lows[n + 1] >= highs[n] - 1e-3 or highs[n] >= POLICY.max_backoff / 2
    assert max(highs) <= 900.0
    assert highs[-1] == pytest.approx(900.0, rel=1e-5)
    assert lows[-1] == pytest.approx(450.0)


def test_backoff_never_gives_up_and_survives_huge_streaks() -> None:
    assert backoff_delay(POLICY, 10_000, 0.5) == pytest.approx(675.0)


def test_backoff_needs_a_streak() -> None:
    with pytest.raises(ValueError):
        backoff_delay(POLICY, 0, 0.5)


def test_jitter_is_within_spread() -> None:
    assert jittered(100, 0.1, 0.0) == pytest.approx(90.0)
    assert jittered(100, 0.1, 0.5) == pytest.approx(100.0)
    assert jittered(100, 0.1, 1.0) == pytest.approx(110.0)
    assert jittered(100, 0.1, 7.0) == pytest.approx(110.0)  # out-of-range draws are clamped


def test_next_delay_regular_and_after_errors() -> None:
    assert next_delay(POLICY, interval=120, error_streak=0, rand=0.5) == pytest.approx(120.0)
    assert next_delay(POLICY, interval=120, error_streak=2, rand=0.0) == pytest.approx(60.0)


def test_next_delay_retry_after_is_a_floor_and_capped() -> None:
    assert next_delay(POLICY, interval=60, error_streak=1, rand=0.0, retry_after=600) == 600
    assert next_delay(POLICY, interval=60, error_streak=1, rand=0.0, retry_after=1) == pytest.approx(30.0)
    assert next_delay(POLICY, interval=60, error_streak=1, rand=0.0, retry_after=10**9) == MAX_RETRY_AFTER


def test_next_delay_max_age_is_a_floor_up_to_max_interval() -> None:
    assert next_delay(POLICY, interval=60, error_streak=0, rand=0.5, max_age=300) == 300
    assert next_delay(POLICY, interval=60, error_streak=0, rand=0.5, max_age=10) == pytest.approx(60.0)
    assert next_delay(POLICY, interval=60, error_streak=0, rand=0.5, max_age=86400) == 900


def test_retry_after_seconds_and_dates() -> None:
    assert parse_retry_after("120", NOW) == 120.0
    assert parse_retry_after(" 0 ", NOW) == 0.0
    later = format_datetime(NOW + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(later, NOW) == pytest.approx(90.0)
    earlier = format_datetime(NOW - timedelta(hours=1), usegmt=True)
    assert parse_retry_after(earlier, NOW) == 0.0
    assert parse_retry_after("Tue, 27 Aug 2024 12:02:00 -0000", NOW) == pytest.approx(120.0)
    assert parse_retry_after("99999999999", NOW) == MAX_RETRY_AFTER


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5", "Mon, 99 Foo 2024"])
def test_retry_after_unreadable_is_none(value: str | None) -> None:
    assert parse_retry_after(value, NOW) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("max-age=300", 300.0),
        ("public, max-age=60, s-maxage=600", 60.0),
        ('max-age="30"', 30.0),
        ("s-maxage=600", None),
        ("no-cache, max-age=60", None),
        ("no-store", None),
        ("", None),
        (None, None),
    ],
)
def test_max_age(header: str | None, expected: float | None) -> None:
    assert parse_max_age(header) == expected


def test_policy_rejects_inconsistent_bounds() -> None:
    with pytest.raises(ValueError):
        Policy(interval=10, min_interval=15, max_interval=900)
    with pytest.raises(ValueError):
        Policy(interval=60, shrink=0)

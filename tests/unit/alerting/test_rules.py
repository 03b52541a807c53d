"""Rule kinds: count-in-window counts stories, spike needs a baseline, filters, quiet period."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newsmon.model import AlertKind, Analysis, Claim, Classification, Entry, EntryEvent, EventKind
from newsmon.rules import (
    CountInWindowRule,
    Filters,
    FirstSeenRule,
    SpikeRule,
    build_rules,
    evaluate,
)
from newsmon.settings import RuleSettings
from newsmon.text import content_hash

T = datetime(2023, 2, 15, 12, 0, tzinfo=UTC)


def analysis(entry_id: str, topics: tuple[str, ...] = ("casualties",), source: str = "blog",
             story: str | None = None, **kw: Any) -> Analysis:
    e = Entry(source=source, entry_id=entry_id, title=f"t{entry_id}", body="b",
              content_hash=content_hash(entry_id, "b"))
    return Analysis(EntryEvent(EventKind.NEW, e), story=story or e.key, classification=Classification(topics), **kw)


def at(minutes: float) -> datetime:
    return T + timedelta(minutes=minutes)


def test_count_in_window_counts_stories_not_entries_and_fires_once_per_episode() -> None:
    rule = CountInWindowRule("cas", "casualties", threshold=3, window=6 * 3600)
    state: dict[str, dict[str, Any]] = {}
    s1 = analysis("1")
    assert evaluate([rule], s1, state, at(0)) == []
    # more entries of the same story, a duplicate and an edit do not count
    assert evaluate([rule], analysis("2", story=s1.story), state, at(1)) == []
    assert evaluate([rule], analysis("3", duplicate_of=s1.entry.key), state, at(2)) == []
    assert evaluate([rule], replace(analysis("4"), event=EntryEvent(EventKind.UPDATE, s1.entry)), state, at(3)) == []
    assert evaluate([rule], analysis("5", topics=("combat",)), state, at(4)) == []
    assert evaluate([rule], analysis("6"), state, at(10)) == []
    fired = evaluate([rule], analysis("7"), state, at(20))
    assert [(a.kind, a.why["count"], a.why["rule"]) for a in fired] == [(AlertKind.FIRED, 3, "count-in-window")]
    assert evaluate([rule], analysis("8"), state, at(30)) == []  # still above: no second alert
    # six hours later the window has emptied; the rule re-arms and fires a new thread
    later = [evaluate([rule], analysis(f"L{i}"), state, at(7 * 60 + i)) for i in range(3)]
    assert [len(x) for x in later] == [0, 0, 1] and later[2][0].alert_id != fired[0].alert_id


def test_count_in_window_tumbling_fires_once_per_window() -> None:
    rule = CountInWindowRule("cas", "casualties", threshold=2, window=3600, mode="tumbling")
    state: dict[str, dict[str, Any]] = {}
    out = [len(evaluate([rule], analysis(str(i)), state, at(m))) for i, m in enumerate([0, 10, 20, 59, 61, 62])]
    assert out == [0, 1, 0, 0, 0, 1]  # the hour boundary starts a new count


def test_spike_needs_min_count_and_k_sigma_above_baseline() -> None:
    rule = SpikeRule("spike", "casualties", bucket=600, baseline=6, k=2.0, min_count=3)
    state: dict[str, dict[str, Any]] = {}
    n = 0

    def feed(bucket: int, count: int) -> int:
        nonlocal n
        fired = 0
        for i in range(count):
            n += 1
            fired += len(evaluate([rule], analysis(str(n)), state, at(bucket * 10 + i * 0.1)))
        return fired

    # a steady baseline of 2..3 per bucket never fires (min_count 3 reached, but within mean + 2σ)
    assert [feed(b, c) for b, c in enumerate([2, 3, 2, 3, 2, 3])] == [0, 1, 0, 0, 0, 0]
    assert feed(6, 3) == 0
    assert feed(7, 9) == 1  # well above its own baseline: once per bucket
    alert = evaluate([rule], analysis("x"), state, at(8 * 10))  # next bucket: one entry, no alert
    assert alert == []


def test_spike_on_empty_baseline_respects_min_count() -> None:
    rule = SpikeRule("spike", "casualties", bucket=600, baseline=3, k=3.0, min_count=4)
    state: dict[str, dict[str, Any]] = {}
    fired = [len(evaluate([rule], analysis(str(i)), state, at(i * 0.5))) for i in range(5)]
    assert fired == [0, 0, 0, 1, 0]


def test_filters_on_source_place_and_claimant() -> None:
    rule = FirstSeenRule("bt", "breakthrough-claim", "critical",
                         Filters(sources=("blog*",), places=("bakhmut",), claimants=("*ministry*",)))
    claim = Claim("breakthrough", "Russian defence ministry", "Bakhmut")
    ok = analysis("1", ("breakthrough-claim",), claims=(claim,))
    assert len(evaluate([rule], ok, {}, T)) == 1
    assert evaluate([rule], analysis("2", ("breakthrough-claim",), source="wire", claims=(claim,)), {}, T) == []
    elsewhere = analysis("3", ("breakthrough-claim",), claims=(replace(claim, place="Kherson"),))
    assert evaluate([rule], elsewhere, {}, T) == []
    assert evaluate([rule], analysis("4", ("breakthrough-claim",)), {}, T) == []  # no claim, no place


def test_quiet_period_holds_back_later_alerts_of_the_rule_with_the_reason() -> None:
    rule = FirstSeenRule("bt", "casualties", "warning", quiet=600)
    state: dict[str, dict[str, Any]] = {}
    first = evaluate([rule], analysis("1"), state, at(0))
    second = evaluate([rule], analysis("2"), state, at(5))
    third = evaluate([rule], analysis("3"), state, at(11))
    assert [a.suppressed for a in first + second + third] == ["", "quiet-period", ""]
    assert second[0].why["routing"]["quiet_s"] == 600
    # the suppressed story still counts as alerted: it never fires later
    assert evaluate([rule], analysis("2b", story=second[0].story), state, at(30)) == []


def test_build_rules_from_settings_and_errors_name_the_option() -> None:
    rules = build_rules([
        RuleSettings("a", "first-seen", "breakthrough-claim", "critical", {"places": ["Bakhmut"]}),
        RuleSettings("b", "count-in-window", "casualties", options={"threshold": 3, "window": "6h"}),
        RuleSettings("c", "spike", "shelling", options={"k": 2.5, "bucket": "10m", "baseline": 6, "min_count": 4}),
    ])
    assert [type(r).__name__ for r in rules] == ["FirstSeenRule", "CountInWindowRule", "SpikeRule"]
    assert isinstance(rules[1], CountInWindowRule) and rules[1].window == 6 * 3600
    with pytest.raises(ValueError, match=r"rules: b: threshold: expected a positive integer"):
        build_rules([RuleSettings("b", "count-in-window", "x", options={"threshold": 0, "window": "1h"})])
    with pytest.raises(ValueError, match=r"rules: c: bogus: unknown option for a spike rule"):
        build_rules([RuleSettings("c", "spike", "x", options={"bogus": 1})])
    with pytest.raises(ValueError, match=r"kind: unsupported rule kind 'nope'"):
        build_rules([RuleSettings("d", "nope")])

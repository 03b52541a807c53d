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
            alerts = evaluate([rule], analysis(str(n)), state, at(bucket * 10 + i * 0.1))
            fired += sum(1 for a in alerts if not a.suppressed)
        return fired

    # a steady baseline of 2..3 per bucket never fires (min_count 3 reached, but within mean + 2σ;
    # and the baseline is warming up for the first 6 buckets)
    assert [feed(b, c) for b, c in enumerate([2, 3, 2, 3, 2, 3])] == [0, 0, 0, 0, 0, 0]
    assert feed(6, 3) == 0
    assert feed(7, 9) == 1  # well above its own baseline: once per bucket
    alert = evaluate([rule], analysis("x"), state, at(8 * 10))  # next bucket: one entry, no alert
    assert alert == []


def test_spike_on_a_cold_start_waits_for_a_warm_baseline() -> None:
    """The first entries of a blog are no spike: σ of an empty baseline is 0, so the rule waits for
    `baseline` buckets of history and says so in the held-back alert's why."""
    rule = SpikeRule("spike", "casualties", bucket=600, baseline=3, k=3.0, min_count=4)
    state: dict[str, dict[str, Any]] = {}
    cold = [evaluate([rule], analysis(str(i)), state, at(i * 0.5)) for i in range(5)]
    assert [len(x) for x in cold] == [0, 0, 0, 1, 0]  # min_count reached on an empty baseline ...
    held = cold[3][0]
    assert held.suppressed == "warming-up"  # ... is held back, not sent
    assert held.why["routing"]["baseline"] == "warming up (0/3 buckets)"
    state = {}
    evaluate([rule], analysis("b1", topics=("combat",)), state, at(0))  # the rule starts watching
    two = [evaluate([rule], analysis(f"w{i}"), state, at(20 + i * 0.1)) for i in range(4)]
    assert two[3][0].why["routing"]["baseline"] == "warming up (2/3 buckets)"
    warm = [evaluate([rule], analysis(f"x{i}"), state, at(30 + i * 0.1)) for i in range(9)]
    sent = [a for x in warm for a in x if not a.suppressed]
    assert len(sent) == 1 and sent[0].why["baseline"] == "3/3 buckets observed"  # warm: a real spike fires


def test_spike_per_source_judges_each_source_against_its_own_baseline() -> None:
    """A busy wire and a quiet regional blog: 5 entries is a spike for the blog, routine for the wire."""
    overall = SpikeRule("spike", "casualties", bucket=600, baseline=6, k=2.0, min_count=4)
    per_source = replace(overall, name="spike-by-source", per_source=True)
    state: dict[str, dict[str, Any]] = {}
    n = 0

    def feed(bucket: int, wire: int, blog: int) -> list[tuple[str, str]]:
        nonlocal n
        out = []
        for source, count in (("wire", wire), ("regional", blog)):
            for i in range(count):
                n += 1
                a = analysis(str(n), source=source)
                out += [(x.rule, x.why.get("source", "")) for x in
                        evaluate([overall, per_source], a, state, at(bucket * 10 + i * 0.05)) if not x.suppressed]
        return out

    warm = [feed(b, 8 if b % 2 else 16, 0) for b in range(12)]  # mean 12, sigma 4
    assert warm == [[]] * 12  # warming up, then the wire is steady
    fired = feed(12, 12, 5)
    assert fired == [("spike-by-source", "regional")]  # overall 17 is within the wire's noise
    with pytest.raises(ValueError, match="by: expected all or source"):
        build_rules([RuleSettings("s", "spike", "casualties", options={"by": "region"})])
    [built] = build_rules([RuleSettings("s", "spike", "casualties", options={"by": "source"})])
    assert isinstance(built, SpikeRule) and built.per_source


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


def test_first_seen_repeat_interval_reminds_of_a_developing_story_at_most_once_per_interval() -> None:
    rule = FirstSeenRule("war", "casualties", repeat_interval=3600)
    state: dict[str, dict[str, Any]] = {}
    first = evaluate([rule], analysis("1"), state, at(0))
    story = first[0].story
    # developments within the hour are collected, not announced; a duplicate is no development
    assert evaluate([rule], analysis("2", story=story), state, at(10)) == []
    assert evaluate([rule], analysis("3", story=story, duplicate_of="blog\x1f2"), state, at(20)) == []
    assert evaluate([rule], analysis("4", story=story, topics=()), state, at(50)) == []
    reminder = evaluate([rule], analysis("5", story=story), state, at(61))
    assert [(a.kind, a.alert_id, a.revision, a.banner) for a in reminder] == [
        (AlertKind.REPEATED, first[0].alert_id, 1, "STILL DEVELOPING #1")]
    assert reminder[0].why["developments"] == ["blog\x1f2", "blog\x1f4", "blog\x1f5"]
    assert reminder[0].summary.startswith("Still developing: 3 new reports.")
    assert reminder[0].idempotency_key != first[0].idempotency_key
    # the next reminder waits a full interval after this one
    assert evaluate([rule], analysis("6", story=story), state, at(100)) == []
    assert [a.revision for a in evaluate([rule], analysis("7", story=story), state, at(125))] == [2]
    # a story with no new reports stays quiet however long it fires
    assert evaluate([rule], analysis("8", story=story, duplicate_of="blog\x1f7"), state, at(600)) == []


def test_first_seen_without_repeat_interval_announces_a_story_once() -> None:
    rule = FirstSeenRule("war", "casualties")
    state: dict[str, dict[str, Any]] = {}
    story = evaluate([rule], analysis("1"), state, at(0))[0].story
    assert [evaluate([rule], analysis(f"x{i}", story=story), state, at(60 * i)) for i in range(1, 30)] == [[]] * 29


def test_count_in_window_repeat_interval_reminds_while_the_window_stays_above_threshold() -> None:
    rule = CountInWindowRule("cas", "casualties", threshold=2, window=3 * 3600, repeat_interval=3600)
    state: dict[str, dict[str, Any]] = {}
    fired = [a for i, m in enumerate([0, 10]) for a in evaluate([rule], analysis(str(i)), state, at(m))]
    assert [a.kind for a in fired] == [AlertKind.FIRED]
    assert evaluate([rule], analysis("2"), state, at(40)) == []  # above, but within the interval
    again = evaluate([rule], analysis("3"), state, at(75))
    assert [(a.kind, a.alert_id, a.revision, a.why["count"]) for a in again] == [
        (AlertKind.REPEATED, fired[0].alert_id, 1, 4)]
    # filed under the story that tipped the episode: one Kafka key, one lane, in order
    assert again[0].story == fired[0].story != again[0].entry_key
    # the window empties; the next episode is a new thread, not a reminder
    new = [a for i, m in enumerate([600, 601]) for a in evaluate([rule], analysis(f"n{i}"), state, at(m))]
    assert [(a.kind, a.revision) for a in new] == [(AlertKind.FIRED, 0)] and new[0].alert_id != fired[0].alert_id


def test_windows_run_on_event_time_not_on_the_wall_clock() -> None:
    """An archive read in one burst is judged by when its entries happened, as replay does."""
    rule = CountInWindowRule("cas", "casualties", threshold=3, window=3600)
    state: dict[str, dict[str, Any]] = {}
    wall = at(10_000)  # all processed within the same second, long after
    spread = [evaluate([rule], analysis(str(i), at=at(90 * i)), state, wall) for i in range(3)]
    assert spread == [[], [], []]  # 90 minutes apart: never 3 within an hour
    burst = [a for i in range(3) for a in evaluate([rule], analysis(f"b{i}", at=at(1000 + i)), state, wall)]
    assert [a.why["count"] for a in burst] == [3] and burst[0].created == wall


def test_repeat_interval_option_is_validated() -> None:
    [rule] = build_rules([RuleSettings("r", "first-seen", "casualties", options={"repeat_interval": "2h"})])
    assert isinstance(rule, FirstSeenRule) and rule.repeat_interval == 7200
    with pytest.raises(ValueError, match="repeat_interval: only for sliding"):
        build_rules([RuleSettings("c", "count-in-window", "casualties",
                                  options={"threshold": 2, "window": "1h", "mode": "tumbling",
                                           "repeat_interval": "1h"})])
    with pytest.raises(ValueError, match="repeat_interval: unknown option for a spike rule"):
        build_rules([RuleSettings("s", "spike", "casualties", options={"repeat_interval": "1h"})])

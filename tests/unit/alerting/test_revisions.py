"""Every revision of an alert thread (a contest update, a reminder) carries the thread's labels, so
silences, inhibition, quiet periods and grouping treat it like the alert it revises."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsmon.model import AlertKind, Analysis, Claim, Classification, Entry, EntryEvent, EventKind
from newsmon.replay import load_entries, run
from newsmon.routing import GroupPolicy, Silence, inhibited_by, parse_matchers, record_firing, silenced_by
from newsmon.rules import CountInWindowRule, FirstSeenRule, evaluate
from newsmon.settings import RuleSettings, Settings
from newsmon.text import content_hash

T = datetime(2023, 2, 15, 12, 0, tzinfo=UTC)
SEED = Path(os.environ.get("NEWSMON_SHARED", Path(__file__).parents[4] / "shared")) / "data" / "seed-entries.jsonl"


def analysis(entry_id: str, topics: tuple[str, ...], claims: tuple[Claim, ...] = (), **kw: Any) -> Analysis:
    e = Entry("blog", entry_id, f"t{entry_id}", "b", content_hash=content_hash(entry_id, "b"))
    return Analysis(EntryEvent(EventKind.NEW, e), story=kw.pop("story", e.key), classification=Classification(topics),
                    claims=claims, **kw)


CLAIM = Claim("breakthrough", "Russian defence ministry", "Luhansk")


@pytest.mark.skipif(not SEED.exists(), reason="seed data not found (set NEWSMON_SHARED)")
def test_a_place_silence_stops_the_seed_breakthrough_alert_and_its_updates() -> None:
    settings = Settings(rules=[RuleSettings("breakthrough-claim", "first-seen", "breakthrough-claim", "critical")])
    thread = [a for step in run(load_entries(SEED), settings) for a in step.alerts if a.rule == "breakthrough-claim"]
    assert [a.kind for a in thread] == [AlertKind.FIRED, AlertKind.UPDATED, AlertKind.UPDATED]
    assert len({a.alert_id for a in thread}) == 1
    silence = Silence("s", parse_matchers(["place=Luhansk*", "rule=breakthrough-claim"]), T + timedelta(days=1))
    assert [silenced_by(a, [silence], T) is silence for a in thread] == [True, True, True]
    for update in thread[1:]:  # the update shows who claimed what where, as the alert did
        assert update.claim is not None and (update.claim.claimant, update.claim.place) == (
            "Russian defence ministry", "Luhansk")
        assert update.labels()["verification"] == "unverified"
        assert GroupPolicy(("place", "claimant")).key(update) == GroupPolicy(("place", "claimant")).key(thread[0])


def test_an_inhibited_thread_has_its_updates_inhibited_too() -> None:
    warn = FirstSeenRule("advance", "breakthrough-claim", "warning")
    state: dict[str, dict[str, Any]] = {}
    firing: dict[str, dict[str, Any]] = {}
    critical = FirstSeenRule("major", "major-offensive", "critical")
    [loud] = evaluate([critical], analysis("1", ("major-offensive",), (CLAIM,)), state, T)
    record_firing(loud, firing, T, 3600)
    [alert] = evaluate([warn], analysis("2", ("breakthrough-claim",), (CLAIM,)), state, T)
    denial = analysis("3", ("denial",), contests=alert.story)  # a denial names no place of its own
    [update] = evaluate([warn], denial, state, T + timedelta(minutes=5))
    assert update.kind is AlertKind.UPDATED and update.alert_id == alert.alert_id
    assert inhibited_by(alert, firing, T) is not None
    assert inhibited_by(update, firing, T + timedelta(minutes=5)) is not None
    assert update.topics == alert.topics  # the thread's topics, not the denial's


def test_a_reminder_carries_the_thread_labels_and_a_quiet_held_thread_stays_quiet() -> None:
    rule = FirstSeenRule("bt", "breakthrough-claim", "critical", quiet=3600, repeat_interval=60)
    state: dict[str, dict[str, Any]] = {}
    [first] = evaluate([rule], analysis("1", ("breakthrough-claim",), (CLAIM,)), state, T)
    other = analysis("2", ("breakthrough-claim",), (Claim("breakthrough", "x", "Kherson"),))
    [held] = evaluate([rule], other, state, T + timedelta(minutes=1))
    assert held.suppressed == "quiet-period"
    later = analysis("3", ("casualties",), story=other.story)  # the held story keeps developing
    [reminder] = evaluate([rule], later, state, T + timedelta(minutes=3))
    assert reminder.kind is AlertKind.REPEATED and reminder.place == "Kherson"
    assert reminder.suppressed == "quiet-period"  # an update of an alert that was never sent is not sent
    assert first.suppressed == ""


def test_a_window_reminder_carries_the_episode_labels() -> None:
    rule = CountInWindowRule("wave", "casualties", threshold=2, window=3600, repeat_interval=60)
    state: dict[str, dict[str, Any]] = {}
    evaluate([rule], analysis("1", ("casualties",), (CLAIM,)), state, T)
    [fired] = evaluate([rule], analysis("2", ("casualties",), (CLAIM,)), state, T + timedelta(minutes=1))
    [again] = evaluate([rule], analysis("3", ("casualties", "combat")), state, T + timedelta(minutes=3))
    assert again.kind is AlertKind.REPEATED and again.labels() == {**fired.labels(), "kind": "repeated"}


@pytest.mark.parametrize(
    "claim, rule_severity, severity",
    [
        (Claim("breakthrough", "Russian defence ministry", "Luhansk"), "critical", "critical"),
        (Claim("breakthrough", "Russian defence ministry", ""), "critical", "critical"),  # a claimant: checkable
        (Claim("breakthrough", "", "Robotyne"), "critical", "critical"),  # a place: checkable
        (Claim("breakthrough", "", ""), "critical", "warning"),  # nobody says it, nowhere: never critical
        (Claim("breakthrough", "", ""), "warning", "info"),
        (Claim("breakthrough", "", ""), "info", "info"),
    ],
)
def test_a_claim_with_neither_claimant_nor_place_alerts_one_level_lower_for_its_whole_thread(
    claim: Claim, rule_severity: str, severity: str
) -> None:
    rule = FirstSeenRule("breakthrough-claim", "breakthrough-claim", severity=rule_severity)
    state: dict[str, dict[str, Any]] = {}
    first = analysis("1", ("breakthrough-claim",), (claim,))
    fired = evaluate([rule], first, state, T)
    # the other side's denial revises the thread: the revision keeps the first alert's severity
    denial = analysis("2", ("combat",), (), contests=first.story)
    updated = evaluate([rule], denial, state, T + timedelta(minutes=5))
    expected = [(AlertKind.FIRED, severity), (AlertKind.UPDATED, severity)]
    assert [(a.kind, a.severity) for a in fired + updated] == expected

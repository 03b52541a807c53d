"""Silences, inhibition, grouping and rate limits: pure decisions with time as an argument."""

from __future__ import annotations

import argparse
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsmon import silences
from newsmon.cli import silences as silences_cli
from newsmon.model import Alert, AlertKind, Claim
from newsmon.routing import (
    Batches,
    Grouper,
    GroupPolicy,
    Silence,
    TokenBucket,
    collapse,
    inhibited_by,
    parse_matchers,
    parse_rate,
    record_firing,
    silenced_by,
)
from newsmon.settings import Settings, WorkerSettings

T = datetime(2023, 2, 15, 12, 0, tzinfo=UTC)


def alert(story: str, severity: str = "warning", place: str = "Bakhmut", revision: int = 0,
          rule: str = "bt") -> Alert:
    return Alert(f"id-{rule}-{story}", rule, severity, AlertKind.FIRED if not revision else AlertKind.UPDATED,
                 story, story, "blog", "t", "s", "", T, revision, ("breakthrough-claim",),
                 Claim("breakthrough", "ministry", place))


def test_silence_matches_every_matcher_by_glob_until_it_expires() -> None:
    silence = Silence("s1", parse_matchers(["place=bakh*", "severity=warning"]), T + timedelta(hours=1))
    assert silenced_by(alert("a"), [silence], T) is silence
    assert silenced_by(alert("a", severity="critical"), [silence], T) is None
    assert silenced_by(alert("a", place="Kherson"), [silence], T) is None
    assert silenced_by(alert("a"), [silence], T + timedelta(hours=1)) is None  # expired
    topic = Silence("s2", {"topic": "breakthrough-*"}, T + timedelta(hours=1))
    assert topic.matches(alert("a"))
    with pytest.raises(ValueError, match="unknown label 'url'"):
        parse_matchers(["url=x"])


def test_inhibition_holds_back_lower_severity_for_the_same_place_while_firing() -> None:
    firing: dict[str, dict[str, Any]] = {}
    critical = alert("a", "critical")
    assert inhibited_by(critical, firing, T) is None
    record_firing(critical, firing, T, firing_for=3600)
    warning = alert("b", "warning", place="bakhmut ")
    assert inhibited_by(warning, firing, T + timedelta(minutes=5)) == firing["\x1finhibit\x1fbakhmut"]
    assert inhibited_by(alert("c", "warning", place="Kherson"), firing, T) is None
    assert inhibited_by(alert("d", "critical"), firing, T) is None  # same severity is not inhibited
    assert inhibited_by(warning, firing, T + timedelta(hours=1)) is None  # no longer firing
    # a lower-severity alert never replaces the higher one that is firing
    record_firing(warning, firing, T + timedelta(minutes=1), 3600)
    assert firing["\x1finhibit\x1fbakhmut"]["severity"] == "critical"


def test_grouping_waits_then_batches_and_newest_revision_supersedes() -> None:
    grouper = Grouper(GroupPolicy(("story",), group_wait=30, group_interval=300))
    assert grouper.due("s", first_queued=100) == 130
    grouper.flushed("s", 130)
    assert grouper.due("s", first_queued=140) == 430  # next batch not before group_interval
    assert grouper.due("t", first_queued=140) == 170
    keep, dropped = collapse([alert("s"), alert("s", revision=1), alert("s", rule="other")])
    assert [(a.rule, a.revision) for a in keep] == [("bt", 1), ("other", 0)]
    assert [(a.rule, a.revision) for a in dropped] == [("bt", 0)]
    assert GroupPolicy(("story", "place")).key(alert("s")) == "s\x1fBakhmut"


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    bucket = TokenBucket(rate=parse_rate("60/m"), burst=2)
    assert [bucket.wait(0.0), bucket.wait(0.0)] == [0.0, 0.0]
    assert bucket.wait(0.0) == pytest.approx(1.0)
    assert bucket.wait(1.0) == 0.0
    with pytest.raises(ValueError):
        parse_rate("many")


def test_silence_cli_add_list_expire(tmp_path: Path) -> None:
    settings = Settings(worker=WorkerSettings(data_dir=tmp_path))
    parser = argparse.ArgumentParser()
    silences_cli.add_arguments(parser.add_subparsers(dest="command"))

    def cli(*argv: str, now: datetime = T) -> tuple[int, str]:
        out = io.StringIO()
        return silences_cli.cmd(settings, parser.parse_args(argv), out, now), out.getvalue()

    code, text = cli("silence", "add", "place=Bakhmut", "rule=bt", "--for", "2h", "--by", "desk", "--comment", "known")
    assert code == 0
    silence_id = text.split()[0]
    (stored,) = silences.load(tmp_path / "silences.json")
    assert stored.matchers == {"place": "Bakhmut", "rule": "bt"} and stored.ends == T + timedelta(hours=2)
    assert silence_id in cli("silence", "list")[1]
    assert cli("silence", "list", now=T + timedelta(hours=3))[1] == "no active silences\n"
    assert cli("silence", "add", "nolabel")[0] == 2
    assert cli("silence", "expire", silence_id[:6])[0] == 0
    assert silences.load(tmp_path / "silences.json") == []
    watcher = silences.SilenceFile(tmp_path / "silences.json", check_every=0)
    assert watcher.current() == []


def test_batches_group_alerts_across_stories_per_interval() -> None:
    """group_by place: alerts of several stories go out as one batch per group_interval."""
    policy = GroupPolicy(("place",), group_wait=30, group_interval=300)
    batches: Batches[Alert] = Batches(Grouper(policy))
    queued = [(0, alert("s1")), (10, alert("s2")), (12, alert("k1", place="Kherson")), (20, alert("s1", revision=1))]
    for t, a in queued:
        batches.add(policy.key(a), a, t)
    assert batches.next_due() == 30 and batches.pop_due(29) == []
    out = batches.pop_due(45)
    assert [(g, [(a.story, a.revision) for a in b]) for g, b in out] == [
        ("Bakhmut", [("s1", 0), ("s2", 0), ("s1", 1)]), ("Kherson", [("k1", 0)])]
    batches.add("Bakhmut", alert("s3"), 100)
    assert batches.next_due() == 330  # the group's next batch not before its interval
    assert [len(b) for _, b in batches.pop_due(330)] == [1]
    assert policy.lane_key(alert("s9")) == "Bakhmut"  # one lane per group, so one batch per group
    assert GroupPolicy(("story",), 30).lane_key(alert("s9")) == "s9"
    assert GroupPolicy(("place", "kind"), 30).lane_key(alert("s9", revision=2)) == "Bakhmut"

"""The one-line why: console and Slack show it; the webhook's why lists the suppressed duplicates."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsmon.connectors.console import render
from newsmon.connectors.slack import payload
from newsmon.connectors.webhook import WebhookChannel
from newsmon.explain import why_line
from newsmon.model import Alert, AlertKind, Claim
from newsmon.replay import load_entries, run
from newsmon.settings import RuleSettings, Settings

SEED = Path(os.environ.get("NEWSMON_SHARED", Path(__file__).parents[4] / "shared")) / "data" / "seed-entries.jsonl"


def seed_thread() -> list[Alert]:
    settings = Settings(rules=[RuleSettings("breakthrough-claim", "first-seen", "breakthrough-claim", "critical")])
    return [a for step in run(load_entries(SEED), settings) for a in step.alerts]


@pytest.mark.skipif(not SEED.exists(), reason="seed data not found (set NEWSMON_SHARED)")
def test_console_slack_and_webhook_say_why() -> None:
    fired, update, _ = seed_thread()
    line = why_line(fired)
    assert line.startswith("breakthrough-claim (first-seen on breakthrough-claim) · actor Russian defence ministry, "
                           "action breakthrough")  # rule, actor, action (and the words detection matched)
    assert "place Luhansk; unverified" in line and line.endswith(" · 0 duplicates suppressed")
    assert f"    why: {line}" in render(fired).splitlines()
    # the update: who contests it, and the re-report (E11) detection folded into the story
    assert "place Luhansk; unverified · contested by seed-liveblog:E10: " in why_line(update)
    assert why_line(update).endswith(" · 1 duplicate suppressed")
    slack = [e["text"] for b in payload(update)["blocks"] if b["type"] == "context" for e in b["elements"]]
    assert slack[0].startswith("why: breakthrough-claim (first-seen") and "1 duplicate suppressed" in slack[0]
    body = json.loads(WebhookChannel("hook", "http://127.0.0.1:1/").body(update))
    assert body["why"]["duplicates_count"] == 1
    assert [d["entry"] for d in body["why"]["duplicates"]] == ["seed-liveblog\x1fE11"]
    assert body["why"]["line"] == why_line(update)


def test_a_verification_status_from_detection_is_shown_when_given() -> None:
    alert = Alert("a", "bt", "critical", AlertKind.FIRED, "s", "s", "blog", "t", "s", "",
                  datetime(2023, 1, 1, tzinfo=UTC),
                  claim=Claim("breakthrough", "ministry", "Bakhmut", verification="disputed"),
                  why={"rule": "first-seen", "language": "uk"})
    assert "place Bakhmut; disputed" in why_line(alert) and "language uk" in why_line(alert)
    assert "*Verification*\ndisputed" in [f["text"] for f in payload(alert)["blocks"][2]["fields"]]
    assert alert.labels()["verification"] == "disputed"
    plain = replace(alert, claim=Claim("breakthrough", "ministry", "Bakhmut", verified=True, verification="verified"))
    assert "place Bakhmut; verified" in why_line(plain)

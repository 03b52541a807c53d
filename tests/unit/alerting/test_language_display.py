"""The entry's language where people and dashboards look: the alert (webhook body, Slack field),
every revision of an alert thread, and a bounded Prometheus label."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from prometheus_client import CollectorRegistry

from newsmon.agents.detect import _count
from newsmon.connectors.slack import payload
from newsmon.connectors.webhook import WebhookChannel
from newsmon.metrics import Metrics, generate_latest
from newsmon.model import Alert, AlertKind, Analysis, Claim, Classification, Entry, EntryEvent, EventKind
from newsmon.rules import CountInWindowRule, FirstSeenRule, evaluate
from newsmon.streams.records import decode_alert, encode_alert
from newsmon.text import content_hash

T = datetime(2024, 8, 28, 6, 0, tzinfo=UTC)
CLAIM = Claim("breakthrough", "Russian defence ministry", "Pokrovsk", verification="disputed")
OLD_FIELDS = {"v", "alert_id", "idempotency_key", "rule", "severity", "kind", "revision", "story", "entry_key",
              "source", "title", "summary", "url", "created", "topics", "claim", "contested_by", "first_seen", "why"}


def analysis(entry_id: str, language: str, topics: tuple[str, ...] = ("breakthrough-claim",),
             claims: tuple[Claim, ...] = (CLAIM,), **kw: Any) -> Analysis:
    e = Entry("wire", entry_id, f"title {entry_id}", "b", content_hash=content_hash(entry_id, "b"),
              published=T, seen=T)
    return Analysis(EntryEvent(EventKind.NEW, e), story=kw.pop("story", e.key), classification=Classification(topics),
                    claims=claims, language=language, **kw)


def test_an_alert_and_its_revisions_carry_the_language_of_the_thread_s_entry() -> None:
    rule = FirstSeenRule("breakthrough-claim", "breakthrough-claim", "critical")
    state: dict[str, dict[str, Any]] = {}
    [fired] = evaluate([rule], analysis("ru1", "ru"), state, T)
    assert fired.language == "ru"
    denial = analysis("uk1", "uk", topics=("denial",), claims=(), contests=fired.story)
    [update] = evaluate([rule], denial, state, T + timedelta(minutes=5))
    assert update.kind is AlertKind.UPDATED and update.entry_key == fired.entry_key
    assert update.language == "ru"  # the alert's entry is the Russian claim, not the Ukrainian denial
    assert decode_alert(encode_alert(update)).language == "ru"  # through the alerts topic


def test_a_window_alert_carries_the_language_of_the_entry_it_names() -> None:
    rule = CountInWindowRule("many", "shelling", threshold=2, window=3600)
    state: dict[str, dict[str, Any]] = {}
    assert evaluate([rule], analysis("a", "de", topics=("shelling",), claims=()), state, T) == []
    [alert] = evaluate([rule], analysis("b", "pl", topics=("shelling",), claims=()), state, T + timedelta(minutes=1))
    assert alert.entry_key.endswith("b") and alert.language == "pl"


def test_webhook_body_has_the_language_and_keeps_every_field() -> None:
    rule = FirstSeenRule("breakthrough-claim", "breakthrough-claim", "critical")
    [alert] = evaluate([rule], analysis("uk9", "uk"), {}, T)
    body = json.loads(WebhookChannel("hook", "https://hooks.example/x").body(alert))
    assert body["language"] == "uk"
    assert set(body) >= OLD_FIELDS
    assert body["claim"]["verification"] == "disputed"


def test_slack_shows_the_language_by_name() -> None:
    alert = Alert("a1", "breakthrough-claim", "critical", AlertKind.FIRED, "s", "wire\x1fuk9", "wire",
                  "Сили оборони відбили атаку", "…", "https://x/1", T, claim=CLAIM, language="uk")
    fields = [f["text"] for f in payload(alert)["blocks"][2]["fields"]]
    assert "*Language*\nUkrainian (uk)" in fields
    assert "*Verification*\ndisputed" in fields
    other = [f["text"] for f in payload(replace(alert, language="ur"))["blocks"][2]["fields"]]
    assert "*Language*\nur" in other
    assert not any(f.startswith("*Language*") for f in
                   (f["text"] for f in payload(replace(alert, language=""))["blocks"][2]["fields"]))


def test_analysed_entries_are_counted_by_language_with_other_for_the_rest() -> None:
    metrics = Metrics(CollectorRegistry())
    metrics.prime(("detect",), (), ())
    ctx = SimpleNamespace(metrics=metrics)
    for language in ("uk", "uk", "ru", "ur", "nl", ""):
        _count(ctx, analysis(f"e-{language}", language, topics=(), claims=()), "wire")  # type: ignore[arg-type]
    text = generate_latest(metrics.registry).decode()
    assert 'newsmon_entries_analysed_total{language="uk"} 2.0' in text
    assert 'newsmon_entries_analysed_total{language="ru"} 1.0' in text
    assert 'newsmon_entries_analysed_total{language="other"} 3.0' in text
    assert 'newsmon_entries_analysed_total{language="pt"} 0.0' in text  # primed: increase() sees the first one
    labels = {line.split('"')[1] for line in text.splitlines() if line.startswith("newsmon_entries_analysed_total{")}
    assert labels == {"en", "uk", "ru", "de", "fr", "es", "it", "pl", "pt", "other"}

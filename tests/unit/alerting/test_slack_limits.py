"""Slack Block Kit limits hold on the text as sent (after escaping), and no cut splits an entity."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from newsmon.connectors.slack import (
    FIELD_LIMIT,
    HEADER_LIMIT,
    MAX_BLOCKS,
    MAX_FIELDS,
    TEXT_LIMIT,
    clip_mrkdwn,
    fields,
    group_payload,
    payload,
)
from newsmon.model import Alert, AlertKind, Claim

T = datetime(2023, 2, 15, 12, 0, tzinfo=UTC)
BASE = Alert("a1", "breakthrough-claim", "critical", AlertKind.UPDATED, "blog\x1f24", "blog\x1f24", "blog",
             "Claimed breakthrough", "The ministry said ...", "https://x/#24", T, revision=1,
             claim=Claim("breakthrough", "Russian defence ministry", "Luhansk", False))
ENTITY_CUT = re.compile(r"&(a|am|amp|l|lt|g|gt)?…")  # an entity cut in half just before the ellipsis


def texts(body: dict[str, Any]) -> list[str]:
    out = [body["text"]]
    for block in body["blocks"]:
        if "text" in block:
            out.append(block["text"]["text"])
        out += [f["text"] for f in block.get("fields", [])]
        out += [e["text"] for e in block.get("elements", [])]
    return out


def no_broken_entity(text: str) -> bool:
    return not ENTITY_CUT.search(text) and not re.search(r"&(?!amp;|lt;|gt;)", text)


def test_a_long_contested_by_list_makes_a_field_of_at_most_2000_characters() -> None:
    """4,213 characters of contested-by once made Slack answer 400 (the alert was dead-lettered)."""
    alert = replace(BASE, contested_by=tuple(f"blog\x1f<&E{i:04d}>" for i in range(400)))
    contested = next(f["text"] for f in fields(alert) if f["text"].startswith("*Contested by*"))
    assert len(contested) <= FIELD_LIMIT and contested.endswith("…")
    assert len(contested) > FIELD_LIMIT - 10  # clipped near the limit, not emptied
    assert no_broken_entity(contested)


def test_a_section_is_at_most_3000_characters_after_escaping() -> None:
    alert = replace(BASE, summary="Q&A <live> " * 400)  # 4,400 raw characters, more once escaped
    summary = payload(alert)["blocks"][1]["text"]["text"]
    assert len(summary) <= TEXT_LIMIT and summary.endswith("…") and no_broken_entity(summary)
    assert all(len(t) <= TEXT_LIMIT for t in texts(payload(alert)))


def test_the_header_is_at_most_150_characters() -> None:
    header = payload(replace(BASE, title="&" * 400))["blocks"][0]["text"]["text"]
    assert len(header) == HEADER_LIMIT and header.startswith("Update #1: &&&")  # plain_text: not escaped


def test_a_section_has_at_most_10_fields() -> None:
    alerts = [replace(BASE, alert_id=f"a{i}", contested_by=("blog\x1fE1",)) for i in range(3)]
    for body in (payload(alerts[0]), group_payload(alerts)):
        assert all(len(b.get("fields", [])) <= MAX_FIELDS for b in body["blocks"])
    assert len(fields(alerts[0])) == 6


def test_a_message_has_at_most_50_blocks_and_says_how_many_it_left_out() -> None:
    alerts = [replace(BASE, alert_id=f"a{i}", title=f"Claim {i}") for i in range(70)]
    body = group_payload(alerts, group="place=Luhansk")
    assert len(body["blocks"]) == MAX_BLOCKS
    assert body["blocks"][0]["text"]["text"] == "70 alerts: place=Luhansk"
    assert "22 more not shown" in body["blocks"][-1]["elements"][0]["text"]
    assert len(json.dumps(body)) < 200_000


def test_clipping_never_cuts_an_entity_or_a_link_in_half() -> None:
    for n in range(1, 12):  # every position of the cut across "&amp;" and "&lt;"
        text = "x" * n + "&amp;&lt;&gt;" * 3
        clipped = clip_mrkdwn(text, 12)
        assert len(clipped) <= 12 and no_broken_entity(clipped), (n, clipped)
    link = "see <https://example.org/a/very/long/path|the report> now"
    assert clip_mrkdwn(link, 30) == "see…"
    assert clip_mrkdwn("short &amp; sweet", 3000) == "short &amp; sweet"

"""Slack channel: an incoming-webhook POST with Block Kit blocks and a plain-text fallback.

The webhook URL is a secret (it is the credential): it comes from the config or
an environment variable (`url_env`) and is never logged or put in a dead-letter
record.  Slack answers 200 ``ok``; 429 carries Retry-After; 400/403/404/410 are
refusals (bad payload, revoked hook, archived channel) and are dead-lettered.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx

from newsmon.connectors.channel import Delivery
from newsmon.connectors.webhook import HttpChannel
from newsmon.model import Alert, AlertKind

HEADER_LIMIT = 150  # Slack's limit for a header block's plain_text
TEXT_LIMIT = 3000  # and for a section's text


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _escape(text: str) -> str:
    """Slack mrkdwn control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, label: str) -> str:
    return f"<{url}|{_escape(label)}>" if url.startswith(("http://", "https://")) else _escape(label)


def _entry_label(key: str) -> str:
    return key.replace("\x1f", ":")


def fallback_text(alert: Alert) -> str:
    """The notification text (and what clients without Block Kit show)."""
    head = alert.banner
    parts = [f"[{head}] {alert.severity.upper()} {alert.rule}: {alert.title}"]
    if alert.claim:
        claim = alert.claim
        parts.append(f"claim by {claim.claimant or 'unattributed'}"
                     f"{' at ' + claim.place if claim.place else ''}"
                     f" ({'verified' if claim.verified else 'not independently verified'})")
    if alert.contested_by:
        parts.append(f"contested by {', '.join(_entry_label(k) for k in alert.contested_by)}")
    if alert.url:
        parts.append(alert.url)
    return _clip(" — ".join(parts), TEXT_LIMIT)


def payload(alert: Alert, story_url: str = "") -> dict[str, Any]:
    """The incoming-webhook JSON: ``text`` fallback plus header, summary, fields and context blocks.

    `story_url` is an optional template such as ``"https://desk.example/story/{story}"``.
    """
    prefix = "" if alert.kind is AlertKind.FIRED else f"{alert.banner.capitalize()}: "
    fields: list[dict[str, str]] = []
    claim = alert.claim
    if claim:
        fields.append({"type": "mrkdwn", "text": f"*Claimant*\n{_escape(claim.claimant or 'unattributed')}"})
        fields.append({"type": "mrkdwn", "text": f"*Place*\n{_escape(claim.place or 'unknown')}"})
        status = "verified" if claim.verified else "not independently verified"
        fields.append({"type": "mrkdwn", "text": f"*Verification*\n{status}"})
    fields.append({"type": "mrkdwn", "text": f"*Source*\n{_link(alert.url, alert.source or 'link')}"})
    if alert.contested_by:
        who = ", ".join(_escape(_entry_label(k)) for k in alert.contested_by)
        fields.append({"type": "mrkdwn", "text": f"*Contested by*\n{who}"})
    story = _entry_label(alert.story)
    link = story_url.format(story=alert.story, alert=alert.alert_id) if story_url else ""
    fields.append({"type": "mrkdwn", "text": f"*Story*\n{_link(link, story)}"})
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _clip(prefix + alert.title, HEADER_LIMIT),
                                    "emoji": False}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _clip(_escape(alert.summary) or " ", TEXT_LIMIT)}},
        {"type": "section", "fields": fields[:10]},  # Slack allows at most 10 fields
        {"type": "context", "elements": [{"type": "mrkdwn", "text": _escape(
            f"{alert.severity} · rule {alert.rule} · {alert.idempotency_key}")}]},
    ]
    return {"text": fallback_text(alert), "blocks": blocks}


class SlackChannel(HttpChannel):
    def __init__(
        self,
        name: str,
        url: str,
        story_url: str = "",
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(name, url, timeout, client, clock)
        self._story_url = story_url

    async def send(self, alert: Alert) -> Delivery:
        body = json.dumps(payload(alert, self._story_url), ensure_ascii=False, separators=(",", ":")).encode()
        return await self._post_json(alert, body)

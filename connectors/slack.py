"""Slack channel: an incoming-webhook POST with Block Kit blocks and a plain-text fallback.

The webhook URL is a secret (it is the credential): it comes from the config or
an environment variable (`url_env`) and is never logged or put in a dead-letter
record.  Slack answers 200 ``ok``; 429 carries Retry-After; 400/403/404/410 are
refusals (bad payload, revoked hook, archived channel) and are dead-lettered.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from newsmon.connectors.channel import Delivery
from newsmon.connectors.webhook import HttpChannel
from newsmon.explain import why_line
from newsmon.languages import display
from newsmon.model import Alert, AlertKind, verification

# Block Kit limits, enforced on the text as sent (after escaping)
HEADER_LIMIT = 150  # a header block's plain_text
TEXT_LIMIT = 3000  # a section's text, a context element's text
FIELD_LIMIT = 2000  # one section field
MAX_FIELDS = 10  # fields in one section
MAX_BLOCKS = 50  # blocks in one message
FALLBACK_LIMIT = 3000  # the notification text (Slack truncates long ones itself)
MAX_GROUP_ALERTS = MAX_BLOCKS - 2  # a grouped message: a header, a section per alert, a context
_ENTITIES = ("&amp;", "&lt;", "&gt;")


def _clip(text: str, limit: int) -> str:
    """Plain text cut to `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clip_mrkdwn(text: str, limit: int) -> str:
    """Escaped mrkdwn cut to `limit` characters without cutting an entity (``&amp;``) or a link
    (``<url|label>``) in half: the cut moves back before it."""
    if len(text) <= limit:
        return text
    cut = limit - 1  # room for the ellipsis
    amp = text.rfind("&", max(0, cut - 4), cut)
    if amp != -1:
        entity = next((e for e in _ENTITIES if text.startswith(e, amp)), "")
        if amp + len(entity) > cut:
            cut = amp
    link = text.rfind("<", 0, cut)
    if link != -1 and text.find(">", link) >= cut:
        cut = link
    return text[:cut].rstrip() + "…"


def _escape(text: str) -> str:
    """Slack mrkdwn control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, label: str) -> str:
    return f"<{url}|{_escape(label)}>" if url.startswith(("http://", "https://")) else _escape(label)


def _entry_label(key: str) -> str:
    return key.replace("\x1f", ":")


def _plain_fallback(alert: Alert) -> str:
    head = alert.banner
    parts = [f"[{head}] {alert.severity.upper()} {alert.rule}: {alert.title}"]
    if alert.claim:
        claim = alert.claim
        parts.append(f"claim by {claim.claimant or 'unattributed'}"
                     f"{' at ' + claim.place if claim.place else ''}"
                     f" ({_status(alert)})")
    if alert.contested_by:
        parts.append(f"contested by {', '.join(_entry_label(k) for k in alert.contested_by)}")
    if alert.url:
        parts.append(alert.url)
    return " — ".join(parts)


def fallback_text(alert: Alert) -> str:
    """The notification text (and what clients without Block Kit show), escaped and clipped."""
    return clip_mrkdwn(_escape(_plain_fallback(alert)), FALLBACK_LIMIT)


def _field(label: str, value: str) -> dict[str, str]:
    """A section field; `value` is mrkdwn already escaped."""
    return {"type": "mrkdwn", "text": clip_mrkdwn(f"*{label}*\n{value}", FIELD_LIMIT)}


def _status(alert: Alert) -> str:
    claim = alert.claim
    if claim is None:
        return ""
    status = verification(claim)
    return "not independently verified" if status == "unverified" else status


def fields(alert: Alert, story_url: str = "") -> list[dict[str, str]]:
    """Claimant / place / verification / language / source / contested by / story: at most `MAX_FIELDS`."""
    out: list[dict[str, str]] = []
    claim = alert.claim
    if claim:
        out.append(_field("Claimant", _escape(claim.claimant or "unattributed")))
        out.append(_field("Place", _escape(claim.place or "unknown")))
        out.append(_field("Verification", _escape(_status(alert))))
    if alert.language:
        out.append(_field("Language", _escape(display(alert.language))))
    out.append(_field("Source", _link(alert.url, alert.source or "link")))
    if alert.contested_by:
        out.append(_field("Contested by", ", ".join(_escape(_entry_label(k)) for k in alert.contested_by)))
    story = _entry_label(alert.story)
    link = story_url.format(story=alert.story, alert=alert.alert_id) if story_url else ""
    out.append(_field("Story", _link(link, story)))
    return out[:MAX_FIELDS]


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip_mrkdwn(_escape(text), TEXT_LIMIT)}]}


def group_key(alerts: Sequence[Alert]) -> str:
    """The Idempotency-Key of a grouped message: stable for the same alerts (and revisions)."""
    keys = "\n".join(sorted(a.idempotency_key for a in alerts))
    return "group-" + hashlib.blake2b(keys.encode(), digest_size=12).hexdigest()


def _within_block_limit(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    return [*blocks[: MAX_BLOCKS - 1], _context(f"… {len(blocks) - MAX_BLOCKS + 1} more blocks not shown")]


def payload(alert: Alert, story_url: str = "") -> dict[str, Any]:
    """The incoming-webhook JSON: ``text`` fallback plus header, summary, fields, why and context blocks.

    `story_url` is an optional template such as ``"https://desk.example/story/{story}"``.
    """
    prefix = "" if alert.kind is AlertKind.FIRED else f"{alert.banner.capitalize()}: "
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _clip(prefix + alert.title, HEADER_LIMIT),
                                    "emoji": False}},
        {"type": "section", "text": {"type": "mrkdwn", "text": clip_mrkdwn(_escape(alert.summary) or " ",
                                                                          TEXT_LIMIT)}},
        {"type": "section", "fields": fields(alert, story_url)},
        _context(f"why: {why_line(alert)}"),
        _context(f"{alert.severity} · rule {alert.rule} · {alert.idempotency_key}"),
    ]
    return {"text": fallback_text(alert), "blocks": _within_block_limit(blocks)}


def group_payload(alerts: Sequence[Alert], story_url: str = "", group: str = "") -> dict[str, Any]:
    """One message for a group's batch: a header, one section per alert (its headline, summary, why
    and key as text, its fields as fields) and a context line; at most `MAX_BLOCKS` blocks."""
    n = len(alerts)
    title = f"{n} alert{'s' if n != 1 else ''}{': ' + group if group else ''}"
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text",
                                                                "text": _clip(title, HEADER_LIMIT), "emoji": False}}]
    for alert in alerts[:MAX_GROUP_ALERTS]:
        text = (f"*{_escape(f'[{alert.banner}] {alert.severity.upper()} {alert.rule}: {alert.title}')}*\n"
                f"{_escape(alert.summary)}\n_why: {_escape(why_line(alert))}_\n`{_escape(alert.idempotency_key)}`")
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": clip_mrkdwn(text, TEXT_LIMIT)},
                       "fields": fields(alert, story_url)})
    rest = n - MAX_GROUP_ALERTS
    blocks.append(_context(f"{n} alerts grouped{' by ' + group if group else ''}"
                           + (f"; {rest} more not shown" if rest > 0 else "")))
    text = f"{title} — " + " | ".join(_plain_fallback(a) for a in alerts)
    return {"text": clip_mrkdwn(_escape(text), FALLBACK_LIMIT), "blocks": _within_block_limit(blocks)}


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

    group_size = MAX_GROUP_ALERTS  # alerts of one group batch per message

    async def send(self, alert: Alert) -> Delivery:
        body = json.dumps(payload(alert, self._story_url), ensure_ascii=False, separators=(",", ":")).encode()
        return await self._post_json(alert, body)

    async def send_group(self, alerts: Sequence[Alert], group: str) -> Delivery:
        """A group's batch as one message (a section per alert)."""
        body = json.dumps(group_payload(alerts, self._story_url, group), ensure_ascii=False,
                          separators=(",", ":")).encode()
        return await self._post_json(alerts[0], body, {"Idempotency-Key": group_key(alerts)})

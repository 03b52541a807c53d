"""Webhook signing and answer classification; console rendering."""

from __future__ import annotations

import hashlib
import hmac
import io
from datetime import UTC, datetime

import httpx
import pytest

from newsmon.connectors.channel import Outcome
from newsmon.connectors.console import ConsoleChannel
from newsmon.connectors.webhook import WebhookChannel, classify, retry_after, sign
from newsmon.model import Alert, AlertKind, Claim

T = datetime(2023, 2, 15, 12, 0, tzinfo=UTC)
ALERT = Alert("a1", "breakthrough-claim", "critical", AlertKind.FIRED, "s", "blog\x1f24", "blog",
              "Russia claims breakthrough", "The ministry said ...", "https://x/#24", T,
              claim=Claim("breakthrough", "Russian defence ministry", "Luhansk", False))


def test_signature_is_hmac_sha256_of_timestamp_and_body() -> None:
    body = b'{"a":1}'
    header = sign("secret", 1700000000, body)
    expected = hmac.new(b"secret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


@pytest.mark.parametrize(
    ("status", "headers", "outcome", "wait"),
    [
        (200, {}, Outcome.DELIVERED, None),
        (204, {}, Outcome.DELIVERED, None),
        (500, {}, Outcome.RETRY, None),
        (503, {"retry-after": "7"}, Outcome.RETRY, 7.0),
        (429, {"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"}, Outcome.RETRY, 10.0),
        (408, {}, Outcome.RETRY, None),
        (404, {}, Outcome.FAILED, None),
        (401, {}, Outcome.FAILED, None),
    ],
)
def test_only_2xx_counts_as_delivered(status: int, headers: dict[str, str], outcome: Outcome,
                                      wait: float | None) -> None:
    now = 1445412480.0  # 10 s before the HTTP date above
    delivery = classify(httpx.Response(status, headers=headers, text="nope"), now)
    assert delivery.outcome is outcome and delivery.retry_after == wait


def test_retry_after_ignores_garbage() -> None:
    assert retry_after("soon", 0) is None and retry_after(None, 0) is None


async def test_webhook_posts_json_with_idempotency_key_and_signature() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    channel = WebhookChannel("hook", "https://hooks.example/x", "k", client=client, clock=lambda: 1700000000.5)
    delivery = await channel.send(ALERT)
    await client.aclose()
    assert delivery.outcome is Outcome.DELIVERED
    (request,) = seen
    assert request.headers["idempotency-key"] == "a1.0"
    assert request.headers["x-newsmon-signature"] == sign("k", 1700000000, request.content)


async def test_webhook_network_error_is_a_retry() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    delivery = await WebhookChannel("hook", "https://hooks.example/x", client=client).send(ALERT)
    await client.aclose()
    assert delivery.outcome is Outcome.RETRY and "ConnectError" in delivery.detail


async def test_console_shows_claim_and_source() -> None:
    out = io.StringIO()
    await ConsoleChannel(stream=out).send(ALERT)
    text = out.getvalue()
    assert "[ALERT] CRITICAL breakthrough-claim: Russia claims breakthrough" in text
    assert "Russian defence ministry at Luhansk (not independently verified)" in text

"""Webhook signing and answer classification; console rendering."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import httpx
import pytest

from newsmon.connectors.channel import Delivery, Outcome
from newsmon.connectors.console import ConsoleChannel
from newsmon.connectors.webhook import MAX_ANSWER_BYTES, WebhookChannel, classify, retry_after, sign
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
    delivery = classify(status, "nope", headers.get("retry-after"), now)
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


class Trickle(httpx.AsyncByteStream):
    """An answer body that never ends: a byte every 50 ms."""

    def __init__(self) -> None:
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            await asyncio.sleep(0.05)
            self.sent += 1
            yield b"x"


async def send_via(handler: Callable[[httpx.Request], Awaitable[httpx.Response]], timeout: float) -> Delivery:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    try:
        channel = WebhookChannel("hook", "https://hooks.example/x", timeout=timeout, client=client)
        return await asyncio.wait_for(channel.send(ALERT), 30)  # a hang fails the test instead of stalling it
    finally:
        await client.aclose()


async def test_a_receiver_that_never_answers_is_a_retry_after_the_timeout() -> None:
    async def silent(request: httpx.Request) -> httpx.Response:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    delivery = await send_via(silent, timeout=0.3)
    assert delivery.outcome is Outcome.RETRY and delivery.detail == "no answer within 0.3s"


@pytest.mark.parametrize(("status", "outcome"), [(200, Outcome.DELIVERED), (503, Outcome.RETRY)])
async def test_an_endless_answer_body_does_not_hold_the_delivery(status: int, outcome: Outcome) -> None:
    body = Trickle()

    async def trickling(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, stream=body)

    delivery = await send_via(trickling, timeout=0.5)
    assert delivery.outcome is outcome and delivery.status == status
    assert 0 < body.sent < 100  # read until the deadline, then let go
    assert delivery.detail == ("" if status == 200 else "x" * len(delivery.detail))


async def test_a_huge_answer_is_read_only_in_part_and_quoted_shortly() -> None:
    async def huge(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, content=b"E" * (20 * MAX_ANSWER_BYTES))

    delivery = await send_via(huge, timeout=5)
    assert delivery.outcome is Outcome.RETRY and delivery.detail == "E" * 200


async def test_console_shows_claim_and_source() -> None:
    out = io.StringIO()
    await ConsoleChannel(stream=out).send(ALERT)
    text = out.getvalue()
    assert "[ALERT] CRITICAL breakthrough-claim: Russia claims breakthrough" in text
    assert "Russian defence ministry at Luhansk (not independently verified)" in text

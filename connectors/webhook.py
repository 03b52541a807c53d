"""Generic webhook channel: JSON POST, idempotency key, HMAC-SHA256 signature.

Receivers verify a delivery like this (documented in the README):

    signed = f"{timestamp}.".encode() + body
    expected = hex(HMAC-SHA256(secret, signed))
    header X-Newsmon-Signature == f"t={timestamp},v1={expected}"

and drop a repeated ``Idempotency-Key``.
"""

from __future__ import annotations

import asyncio
import codecs
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime

import httpx

from newsmon.connectors.channel import Delivery, Outcome
from newsmon.explain import why_line
from newsmon.model import Alert
from newsmon.streams.records import alert_to_dict

USER_AGENT = "newsmon-webhook/1"
SIGNATURE_HEADER = "X-Newsmon-Signature"
MAX_ANSWER_BYTES = 64 * 1024  # of a receiver's answer, read at most this much


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError):
        return None


def classify(status: int, answer: str, retry_after_header: str | None, now: float) -> Delivery:
    """What an HTTP answer (status, start of the body, Retry-After) means for delivery: only 2xx is success."""
    detail = answer[:200]
    if 200 <= status < 300:
        return Delivery(Outcome.DELIVERED, status)
    if status in (408, 429) or status >= 500:
        return Delivery(Outcome.RETRY, status, detail, retry_after(retry_after_header, now))
    return Delivery(Outcome.FAILED, status, detail)


async def post(client: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str], now: float,
               timeout: float) -> Delivery:
    """POST and classify the answer.  The URL never appears in `detail`.

    No status within `timeout` (of the whole attempt, however slowly the receiver
    trickles bytes) or a network error is a retry.  Of the answer's body at most
    `MAX_ANSWER_BYTES` are read, until the same deadline: a receiver that answers
    with an endless or huge body cannot hold a delivery lane or fill memory, and
    its status is the answer all the same.
    """
    deadline = asyncio.get_running_loop().time() + timeout
    try:
        async with asyncio.timeout_at(deadline):
            response = await client.send(client.build_request("POST", url, content=body, headers=headers),
                                         stream=True)
    except TimeoutError:
        return Delivery(Outcome.RETRY, 0, f"no answer within {timeout:g}s")
    except httpx.HTTPError as exc:
        return Delivery(Outcome.RETRY, 0, f"{type(exc).__name__}: {exc}".replace(url, "<url>"))
    try:
        answer = bytearray()
        try:
            async with asyncio.timeout_at(deadline):
                async for chunk in response.aiter_bytes():
                    answer += chunk
                    if len(answer) >= MAX_ANSWER_BYTES:
                        break
        except (TimeoutError, httpx.HTTPError):
            pass  # the status is the answer; the body is only quoted in a report
        text = bytes(answer[:MAX_ANSWER_BYTES]).decode(_codec(response.charset_encoding), "replace")
        return classify(response.status_code, text, response.headers.get("retry-after"), now)
    finally:
        await response.aclose()


def _codec(charset: str | None) -> str:
    try:
        return codecs.lookup(charset or "utf-8").name
    except LookupError:
        return "utf-8"


class HttpChannel:
    """What the HTTP channels share: one client (connection reuse), a clock, a URL kept out of logs."""

    def __init__(
        self,
        name: str,
        url: str,
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.name = name
        self._url = url
        self._client = client or httpx.AsyncClient(timeout=timeout, headers={"User-Agent": USER_AGENT})
        self._owns_client = client is None
        self._clock = clock
        self._timeout = timeout

    def __repr__(self) -> str:  # never the URL: it can carry a token
        return f"{type(self).__name__}({self.name!r})"

    async def _post_json(self, alert: Alert, body: bytes, extra: dict[str, str] | None = None) -> Delivery:
        """POST `body` with the alert's Idempotency-Key (unless `extra` gives another)."""
        headers = {"Content-Type": "application/json", "Idempotency-Key": alert.idempotency_key, **(extra or {})}
        return await post(self._client, self._url, body, headers, self._clock(), self._timeout)

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()


class WebhookChannel(HttpChannel):
    def __init__(
        self,
        name: str,
        url: str,
        secret: str = "",
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(name, url, timeout, client, clock)
        self._secret = secret

    def body(self, alert: Alert) -> bytes:
        data = alert_to_dict(alert)
        data["why"] = {**alert.why, "line": why_line(alert)}  # plus the one-line why the console shows
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()

    async def send(self, alert: Alert) -> Delivery:
        body = self.body(alert)
        if not self._secret:
            return await self._post_json(alert, body)
        # the signature's timestamp is the clock reading the POST is sent with
        return await self._post_json(alert, body, {SIGNATURE_HEADER: sign(self._secret, int(self._clock()), body)})

"""Generic webhook channel: JSON POST, idempotency key, HMAC-SHA256 signature.

Receivers verify a delivery like this (documented in the README):

    signed = f"{timestamp}.".encode() + body
    expected = hex(HMAC-SHA256(secret, signed))
    header X-Newsmon-Signature == f"t={timestamp},v1={expected}"

and drop a repeated ``Idempotency-Key``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime

import httpx

from newsmon.connectors.channel import Delivery, Outcome
from newsmon.model import Alert
from newsmon.streams.records import alert_to_dict

USER_AGENT = "newsmon-webhook/1"
SIGNATURE_HEADER = "X-Newsmon-Signature"


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


def classify(response: httpx.Response, now: float) -> Delivery:
    """What an HTTP answer means for delivery: only 2xx is success."""
    status = response.status_code
    detail = response.text[:200]
    if 200 <= status < 300:
        return Delivery(Outcome.DELIVERED, status)
    if status in (408, 429) or status >= 500:
        return Delivery(Outcome.RETRY, status, detail, retry_after(response.headers.get("retry-after"), now))
    return Delivery(Outcome.FAILED, status, detail)


async def post(client: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str], now: float) -> Delivery:
    """POST and classify the answer; a network error is a retry.  The URL never appears in `detail`."""
    try:
        response = await client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return Delivery(Outcome.RETRY, 0, f"{type(exc).__name__}: {exc}".replace(url, "<url>"))
    return classify(response, now)


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

    def __repr__(self) -> str:  # never the URL: it can carry a token
        return f"{type(self).__name__}({self.name!r})"

    async def _post_json(self, alert: Alert, body: bytes, extra: dict[str, str] | None = None) -> Delivery:
        headers = {"Content-Type": "application/json", "Idempotency-Key": alert.idempotency_key, **(extra or {})}
        return await post(self._client, self._url, body, headers, self._clock())

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
        return json.dumps(alert_to_dict(alert), ensure_ascii=False, separators=(",", ":")).encode()

    async def send(self, alert: Alert) -> Delivery:
        body = self.body(alert)
        if not self._secret:
            return await self._post_json(alert, body)
        # the signature's timestamp is the clock reading the POST is sent with
        return await self._post_json(alert, body, {SIGNATURE_HEADER: sign(self._secret, int(self._clock()), body)})

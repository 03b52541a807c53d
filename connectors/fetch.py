"""The HTTP seam of the poller: one GET, read under a size cap and a time limit.

Holds what a request needs and gives back, with no knowledge of sources or
hosts: the client's defaults (`USER_AGENT`, `ACCEPT`, `new_client`), the
request itself (`get`: 2xx with its body or 304, else `FetchError`), its
result `Fetched` and its error `FetchError`.  Waiting for the host (spacing,
concurrency, Retry-After) is `newsmon.connectors.host_gate`'s; what a
response means for a source is `newsmon.connectors.poller`'s.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from newsmon import __version__
from newsmon.connectors.schedule import parse_retry_after

__all__ = ["ACCEPT", "USER_AGENT", "FetchError", "Fetched", "Trace", "get", "new_client"]

USER_AGENT = f"newsmon/{__version__} (+https://github.com/newsmon/newsmon; live-blog monitor)"
ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, "
          "text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.5")
MAX_BYTES = 8 * 1024 * 1024
TIMEOUT = 30.0
MAX_CONNECTIONS = 100

Trace = Callable[[str, Mapping[str, Any]], Awaitable[None]]  # httpcore's "trace" request extension


class FetchError(Exception):
    """A poll that failed: HTTP error status, network error, timeout, oversized or unreadable response."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None,
                 kind: str = "network") -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        # the `class` label of newsmon_source_errors_total: network, timeout, http-4xx, http-5xx,
        # too-large, unreadable, sink
        self.kind = kind
        self.elapsed = 0.0  # seconds the request took (waiting for the host not included)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response that was read: 2xx with its body, or 304 with none."""

    status: int
    body: bytes
    headers: httpx.Headers
    url: str  # after redirects
    elapsed: float = 0.0  # seconds from sending the request to the last byte (waiting for the host not included)

    @property
    def content_type(self) -> str:
        return str(self.headers.get("content-type", ""))


def new_client(*, timeout: float, max_connections: int, user_agent: str) -> httpx.AsyncClient:
    """The poller's one client: its time limits, headers, redirects and connection pool."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
        headers={"User-Agent": user_agent, "Accept": ACCEPT},
        follow_redirects=True,
        max_redirects=5,
        limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
    )


async def get(client: httpx.AsyncClient, url: str, headers: dict[str, str], *, max_bytes: int, timeout: float,
              clock: Callable[[], datetime], trace: Trace | None = None) -> Fetched:
    """GET `url` within `timeout` seconds and `max_bytes`; 2xx or 304, else `FetchError` (with `elapsed` set).

    `clock` (wall time) dates a Retry-After given as an HTTP date.
    """
    began = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            return await _read(client, url, headers, max_bytes, began, clock, trace)
    except FetchError as exc:
        error = exc
    except TimeoutError:
        error = FetchError(f"no complete response within {timeout:g}s", kind="timeout")
    except httpx.TooManyRedirects:
        error = FetchError("too many redirects")
    except httpx.HTTPError as exc:
        error = FetchError(f"{type(exc).__name__}: {str(exc) or 'no detail'}")
    error.elapsed = time.perf_counter() - began
    raise error


async def _read(client: httpx.AsyncClient, url: str, headers: dict[str, str], max_bytes: int, began: float,
                clock: Callable[[], datetime], trace: Trace | None) -> Fetched:
    extensions = {"trace": trace} if trace is not None else None
    async with client.stream("GET", url, headers=headers, extensions=extensions) as response:
        status = response.status_code
        final_url = str(response.url)
        if status == 304:
            return Fetched(304, b"", response.headers, final_url, time.perf_counter() - began)
        if not 200 <= status < 300:
            retry_after = None
            if status in (429, 503):
                retry_after = parse_retry_after(response.headers.get("retry-after"), clock())
            reason = response.reason_phrase or ""
            raise FetchError(f"HTTP {status} {reason}".rstrip(), status=status, retry_after=retry_after,
                             kind="http-5xx" if status >= 500 else "http-4xx")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(f"response too large: Content-Length {declared} bytes exceeds the limit of "
                             f"{max_bytes} bytes (source option max_bytes)", status=status, kind="too-large")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"response too large: more than {max_bytes} bytes (source option "
                                 "max_bytes); stopped reading", status=status, kind="too-large")
            chunks.append(chunk)
        return Fetched(status, b"".join(chunks), response.headers, final_url, time.perf_counter() - began)

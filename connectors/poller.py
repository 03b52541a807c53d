"""Polling web sources over one shared async httpx client.

Per source: conditional GET (ETag / Last-Modified; a 304 costs no parsing),
a response size cap, exponential backoff with jitter after failures (a
failing source is reported, never given up), and only entries whose content
hash changed since the last poll are sent on.  Exact deduplication
downstream stays the authority (this memory is lost on restart).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

import httpx

from newsmon.connectors.kinds import parser_for
from newsmon.metrics import Metrics
from newsmon.model import Entry
from newsmon.settings import SourceSettings

log = logging.getLogger("newsmon.connectors.poller")
USER_AGENT = "newsmon/0.1 (+https://github.com/newsmon/newsmon; live-blog monitor)"
MAX_BYTES = 8 * 1024 * 1024


class FetchError(Exception):
    """A poll that failed: HTTP error status, network error, oversized response."""


@dataclass
class SourceState:
    etag: str = ""
    last_modified: str = ""
    hashes: dict[str, str] = field(default_factory=dict)
    error_streak: int = 0
    last_success: float | None = None
    last_error: str = ""


@dataclass(frozen=True, slots=True)
class PollResult:
    status: int
    entries: list[Entry]
    changed: list[Entry]


class Poller:
    def __init__(self, metrics: Metrics, clock: Callable[[], datetime],
                 client: httpx.AsyncClient | None = None) -> None:
        self.metrics = metrics
        self.clock = clock
        self.client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(20.0, connect=10.0),
            headers={"User-Agent": USER_AGENT},
            follow_redirects=True,
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
        )
        self.states: dict[str, SourceState] = {}

    async def aclose(self) -> None:
        await self.client.aclose()

    async def _fetch(self, source: SourceSettings, state: SourceState) -> tuple[int, bytes]:
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        async with self.client.stream("GET", source.url, headers=headers) as response:
            if response.status_code == 304:
                return 304, b""
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code}")
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FetchError(f"response larger than {MAX_BYTES} bytes")
                chunks.append(chunk)
            state.etag = response.headers.get("etag", "")
            state.last_modified = response.headers.get("last-modified", "")
            self.metrics.fetched_bytes.labels(source.id).inc(size)
            return response.status_code, b"".join(chunks)

    async def poll_once(self, source: SourceSettings, sink: Callable[[Entry], Awaitable[None]]) -> PollResult:
        """One poll: fetch, parse, send changed entries. Raises on failure (after counting)."""
        state = self.states.setdefault(source.id, SourceState())
        started = time.perf_counter()
        try:
            status, body = await self._fetch(source, state)
            entries = [] if status == 304 else parser_for(source.kind)(
                body, source.url, source=source.id, now=self.clock(), **dict(source.options))
        except (httpx.HTTPError, FetchError, ValueError) as exc:
            state.error_streak += 1
            state.last_error = f"{type(exc).__name__}: {exc}"
            self.metrics.polls.labels(source.id, "error").inc()
            self.metrics.error_streak.labels(source.id).set(state.error_streak)
            raise
        finally:
            self.metrics.poll_seconds.labels(source.id).observe(time.perf_counter() - started)
        changed = [e for e in entries if state.hashes.get(e.entry_id) != e.content_hash]
        for entry in changed:
            await sink(entry)
            state.hashes[entry.entry_id] = entry.content_hash
            self.metrics.emitted.labels(source.id).inc()
        state.error_streak = 0
        state.last_success = time.time()
        self.metrics.polls.labels(source.id, "not-modified" if status == 304 else "ok").inc()
        self.metrics.error_streak.labels(source.id).set(0)
        return PollResult(status, entries, changed)

    def delay(self, source: SourceSettings) -> float:
        """Seconds until the next poll: the interval, or backoff with jitter after errors."""
        streak = self.states.get(source.id, SourceState()).error_streak
        if streak == 0:
            return source.interval
        return min(source.max_interval, source.interval * 2 ** min(streak, 10)) * random.uniform(0.5, 1.0)

    async def run(self, source: SourceSettings, sink: Callable[[Entry], Awaitable[None]]) -> None:
        while True:
            try:
                await self.poll_once(source, sink)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("source %s: poll failed (%s); retrying later", source.id, exc)
            wait = self.delay(source)
            self.metrics.next_poll.labels(source.id).set(wait)
            await asyncio.sleep(wait)

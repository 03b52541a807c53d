"""Polling web sources politely, over one shared async httpx client.

Per source (the etiquette Miniflux follows, and a bit more):

* conditional GET: ``If-None-Match`` / ``If-Modified-Since`` from the last
  200; a 304 costs no parsing, and neither does a 200 whose body is
  byte-identical to the last one (servers without validators);
* ``Retry-After`` on 429/503 (seconds or HTTP date) is a floor for the next
  poll; after a 429 the whole host is left alone that long;
* exponential backoff with jitter after failures, never giving up: the
  source is reported as failing (error streak, last error) and retried at
  most `max_backoff` apart;
* an adaptive interval within ``[min_interval, max_interval]``: longer after
  quiet polls, shorter after polls that brought new or changed entries (see
  `newsmon.connectors.schedule`); ``Cache-Control: max-age`` is honoured as a
  floor;
* per host: at most `host_concurrency` requests at once, and requests put on
  the wire at least `host_spacing` seconds apart (measured from when the
  previous one's headers were written, so a slow connect cannot shorten it);
* a response size cap (checked against Content-Length first, then while
  reading the decoded body), a total time limit per request, a clear
  ``User-Agent``, one connection pool for everything.

Only entries that are new, or whose content hash changed (an edit), are
sent to the sink, at most `max_entries` per poll; the rest are held over to
the next polls (see `newsmon.connectors.changes`).  The source options read
here (`host_spacing`, `host_concurrency`, `max_bytes`, `timeout`,
`max_backoff`, `remember`, `max_entries`) are listed and checked in
`newsmon.connectors.source_state`.

When several sources on one host set `host_spacing` / `host_concurrency`,
the most polite value applies to the host.

`SourceState` of every source is kept in `Poller.states` (and, for the
worker's ``/sources`` page, reachable through `live_states`).

This module is the loop; its parts are `fetch` (the request, `Fetched`,
`FetchError`), `host_gate` (per-host limits), `source_state` (options, state,
`PollResult`) and `changes`.  The names it always offered stay importable here.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
import time
import weakref
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import httpx

from newsmon.connectors.changes import Sink, changes, send_held
from newsmon.connectors.fetch import (
    ACCEPT,
    MAX_BYTES,
    MAX_CONNECTIONS,
    TIMEOUT,
    USER_AGENT,
    Fetched,
    FetchError,
    get,
    new_client,
)
from newsmon.connectors.host_gate import HOST_CONCURRENCY, HOST_SPACING, HostGate
from newsmon.connectors.kinds import parser_for
from newsmon.connectors.schedule import (
    MAX_RETRY_AFTER,
    adapt_interval,
    backoff_delay,
    next_delay,
    parse_max_age,
)
from newsmon.connectors.source_state import (
    ERROR,
    MAX_ENTRIES,
    NOT_MODIFIED,
    OK,
    POLLER_OPTIONS,
    REMEMBER,
    THROTTLED,
    UNCHANGED,
    PollResult,
    SourceConfig,
    SourceState,
    source_config,
)
from newsmon.metrics import Metrics
from newsmon.model import Entry
from newsmon.settings import SourceSettings

__all__ = [
    "ACCEPT",
    "ERROR",
    "MAX_BYTES",
    "MAX_CONNECTIONS",
    "MAX_ENTRIES",
    "NOT_MODIFIED",
    "OK",
    "POLLER_OPTIONS",
    "REMEMBER",
    "THROTTLED",
    "TIMEOUT",
    "UNCHANGED",
    "USER_AGENT",
    "FetchError",
    "Fetched",
    "PollResult",
    "Poller",
    "SourceConfig",
    "SourceState",
    "live_states",
]

log = logging.getLogger("newsmon.connectors.poller")

THREAD_PARSE_BYTES = 512 * 1024  # larger bodies are parsed off the event loop

Sleep = Callable[[float], Awaitable[None]]

_LIVE: weakref.WeakSet[Poller] = weakref.WeakSet()


def live_states() -> dict[str, SourceState]:
    """States of every source of every poller alive in this process (for the worker's web page)."""
    states: dict[str, SourceState] = {}
    for poller in list(_LIVE):
        states.update(poller.states)
    return states


class Poller:
    """Polls sources; one instance per process, shared by all sources (one client, one pool).

    `clock` gives wall time (tz-aware) for entries and state; `monotonic` and
    `sleep` drive scheduling and spacing, and may be replaced by a virtual
    clock in tests; `rng` draws the jitter.
    """

    def __init__(
        self,
        metrics: Metrics,
        clock: Callable[[], datetime],
        client: httpx.AsyncClient | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        host_concurrency: int = HOST_CONCURRENCY,
        host_spacing: float = HOST_SPACING,
        max_bytes: int = MAX_BYTES,
        timeout: float = TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
        user_agent: str = USER_AGENT,
    ) -> None:
        if host_concurrency < 1 or host_spacing < 0 or max_bytes < 1 or timeout <= 0 or max_connections < 1:
            raise ValueError("need host_concurrency >= 1, host_spacing >= 0, max_bytes >= 1, timeout > 0, "
                             "max_connections >= 1")
        self.metrics = metrics
        self.clock = clock
        self.sleep = sleep
        self.monotonic = monotonic
        self.rng = rng or random.Random()
        self.host_concurrency = host_concurrency
        self.host_spacing = host_spacing
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._own_client = client is None
        self.client = client or new_client(timeout=timeout, max_connections=max_connections,
                                           user_agent=user_agent)
        self.states: dict[str, SourceState] = {}
        self._configs: dict[str, SourceConfig] = {}
        self._gates: dict[str, HostGate] = {}
        self._connections = asyncio.Semaphore(max_connections)  # never wait inside httpx's pool
        _LIVE.add(self)

    async def aclose(self) -> None:
        _LIVE.discard(self)
        if self._own_client:
            await self.client.aclose()

    # -- configuration -----------------------------------------------------------

    def config(self, source: SourceSettings) -> SourceConfig:
        """The source's validated settings; raises ValueError naming the bad option."""
        cached = self._configs.get(source.id)
        if cached is not None:
            return cached
        config = source_config(source, max_bytes=self.max_bytes, timeout=self.timeout)
        self._gate(config)
        self._configs[source.id] = config
        return config

    def state_for(self, source: SourceSettings) -> SourceState:
        state = self.states.get(source.id)
        if state is None:
            state = self.states[source.id] = SourceState(source.id, source.kind, source.url, interval=source.interval)
        return state

    def _gate(self, config: SourceConfig) -> HostGate:
        gate = self._gates.get(config.host)
        if gate is None:
            gate = self._gates[config.host] = HostGate(self.host_concurrency, self.host_spacing)
        gate.configure(config.host_concurrency, config.host_spacing)
        return gate

    def _ad_hoc_config(self, url: str) -> SourceConfig:
        return self.config(SourceSettings(id=f"adhoc-{hashlib.blake2b(url.encode(), digest_size=6).hexdigest()}",
                                          kind="", url=url))

    # -- fetching ------------------------------------------------------------------

    async def fetch(self, url: str, *, etag: str = "", last_modified: str = "",
                    config: SourceConfig | None = None) -> Fetched:
        """GET `url` politely (host limits, size cap, time limit); 2xx or 304, else `FetchError`."""
        config = config or self._ad_hoc_config(url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        gate = self._gate(config)
        async with gate.slot(self._connections, self.monotonic, self.sleep) as trace:  # waits for the host
            return await get(self.client, url, headers, max_bytes=config.max_bytes, timeout=config.timeout,
                             clock=self.clock, trace=trace)

    # -- polling -------------------------------------------------------------------

    async def poll_once(self, source: SourceSettings, sink: Sink) -> PollResult:
        """One poll: fetch, parse if needed, send new and changed entries; failures are recorded, not raised.

        Raises ValueError only for a misconfigured source (see `config`).
        """
        config = self.config(source)
        state = self.state_for(source)
        state.polls += 1
        state.last_attempt = self.clock()
        spent = 0.0  # request + processing; waiting for the host does not count
        try:
            fetched = await self.fetch(source.url, etag=state.etag, last_modified=state.last_modified,
                                       config=config)
            started = time.perf_counter()
            spent = fetched.elapsed
            try:
                result = await self._process(source, config, state, fetched, sink)
            finally:
                spent += time.perf_counter() - started
        except FetchError as exc:
            spent = spent or exc.elapsed
            result = self._failed(source, config, state, exc)
        self.metrics.poll_seconds.labels(source.id).observe(spent)
        self.metrics.polls.labels(source.id, result.outcome).inc()
        self.metrics.error_streak.labels(source.id).set(state.error_streak)
        return result

    async def _process(self, source: SourceSettings, config: SourceConfig, state: SourceState,
                       fetched: Fetched, sink: Sink) -> PollResult:
        max_age = parse_max_age(fetched.headers.get("cache-control"))
        entries: list[Entry] = []
        changed: list[Entry] = []
        new = 0
        if fetched.status == 304:
            outcome = NOT_MODIFIED
            state.etag = fetched.headers.get("etag", state.etag)  # a 304 may carry a fresh validator
        else:
            self.metrics.fetched_bytes.labels(source.id).inc(len(fetched.body))
            digest = hashlib.blake2b(fetched.body, digest_size=16).hexdigest()
            if digest == state.body_digest:
                outcome = UNCHANGED
            else:
                outcome = OK
                entries = await self._parse(source, config, state, fetched)
                state.present = len(entries)
                state.held = changes(state, entries, self.clock())  # what was held over before is moot now
                changed, new = await send_held(source.id, config, state, sink, metrics=self.metrics,
                                               clock=self.clock)
                # validators only once everything got through (sent, or held over here): a failed
                # send refetches and reads the document in full
                state.body_digest = digest
                state.etag = fetched.headers.get("etag", "")
                state.last_modified = fetched.headers.get("last-modified", "")
        if outcome != OK and state.held:
            changed, new = await send_held(source.id, config, state, sink, metrics=self.metrics, clock=self.clock)
        deferred = len(state.held)
        if deferred:
            state.entries_deferred += deferred
            self.metrics.deferred.labels(source.id).inc(deferred)
            if outcome == OK:  # once per document, not at every poll that sends the next ones
                log.warning("source %s: %d new or edited entries in one document, over max_entries=%d; %d held "
                            "over to the next polls", source.id, len(changed) + deferred, config.max_entries,
                            deferred)
            state.interval = config.policy.min_interval  # the next poll sends the next ones
        elif state.successes > 0:  # the first poll is a baseline: everything is new
            state.interval = adapt_interval(config.policy, state.interval, len(changed))
        state.successes += 1
        state.status = "ok"
        state.error_streak = 0
        state.last_status = fetched.status
        state.last_outcome = outcome
        state.last_success = self.clock()
        self.metrics.poll_interval.labels(source.id).set(state.interval)
        self.metrics.last_success.labels(source.id).set(state.last_success.timestamp())
        return PollResult(outcome, fetched.status, entries, changed, new, deferred=deferred, max_age=max_age)

    async def _parse(self, source: SourceSettings, config: SourceConfig, state: SourceState,
                     fetched: Fetched) -> list[Entry]:
        """The document's entries; a warning the parser gave (a broken document that still gave
        entries) is kept in `state.warning`, counted and logged."""
        notes: list[str] = []
        try:
            parse = parser_for(source.kind)
            options = dict(config.parser_options)
            options.setdefault("content_type", fetched.content_type)
            now = self.clock()
            if len(fetched.body) > THREAD_PARSE_BYTES:
                entries = await asyncio.to_thread(parse, fetched.body, fetched.url, source=source.id, now=now,
                                                  notes=notes, **options)
            else:
                entries = parse(fetched.body, fetched.url, source=source.id, now=now, notes=notes, **options)
        except Exception as exc:  # parsers raise ParseError; anything else is a parser bug: same treatment
            raise FetchError(f"not readable as {source.kind}: {exc}", status=fetched.status,
                             kind="unreadable") from None
        state.warning = "; ".join(notes)
        if notes:
            self.metrics.source_warnings.labels(source.id).inc()
            log.warning("source %s: %s", source.id, state.warning)
        return entries

    def _failed(self, source: SourceSettings, config: SourceConfig, state: SourceState,
                exc: FetchError) -> PollResult:
        state.error_streak += 1
        self.metrics.source_errors.labels(source.id, exc.kind).inc()
        state.last_error = str(exc)
        state.last_error_at = self.clock()
        state.last_status = exc.status
        throttled = exc.status in (429, 503)
        state.status = "throttled" if throttled else "failing"
        state.last_outcome = THROTTLED if throttled else ERROR
        if exc.status == 429 and exc.retry_after:
            gate = self._gate(config)
            gate.blocked_until = max(gate.blocked_until, self.monotonic() + min(exc.retry_after, MAX_RETRY_AFTER))
        streak = state.error_streak
        if streak & (streak - 1) == 0:  # 1, 2, 4, 8, ... : a failing source does not flood the log
            log.warning("source %s: %s (failure %d in a row; retrying with backoff)", source.id, exc, streak)
        return PollResult(state.last_outcome, exc.status, error=str(exc), retry_after=exc.retry_after)

    # -- scheduling ----------------------------------------------------------------

    def delay_after(self, source: SourceSettings, result: PollResult) -> float:
        """Seconds until the next poll of `source` after `result`."""
        state = self.state_for(source)
        return next_delay(self.config(source).policy, interval=state.interval, error_streak=state.error_streak,
                          rand=self.rng.random(), retry_after=result.retry_after, max_age=result.max_age)

    def schedule(self, source: SourceSettings, delay: float) -> None:
        """Record that the next poll of `source` is due in `delay` seconds."""
        state = self.state_for(source)
        state.next_poll_at = self.monotonic() + delay
        state.next_poll = self.clock() + timedelta(seconds=delay)
        self.metrics.next_poll.labels(source.id).set(delay)

    async def run(self, source: SourceSettings, sink: Sink) -> None:
        """Poll `source` until cancelled; never gives up on a failing source."""
        state = self.state_for(source)
        try:
            self.config(source)
        except ValueError as exc:
            state.status = "misconfigured"
            state.last_error = str(exc)
            log.error("%s; not polling it", exc)
            return
        while True:
            try:
                result = await self.poll_once(source, sink)
                delay = self.delay_after(source, result)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a bug here, not a source failure: keep polling
                log.exception("source %s: poll crashed", source.id)
                state.error_streak += 1
                state.status = "failing"
                state.last_error = f"internal error: {type(exc).__name__}: {exc}"
                delay = backoff_delay(self.config(source).policy, state.error_streak, self.rng.random())
            self.schedule(source, delay)
            await self.sleep(delay)

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
sent to the sink; an unchanged poll sends nothing.  Exact deduplication
downstream stays the authority: the memory here is bounded (`remember` ids
per source, least recently present evicted first) and lost on restart.

Source options read here (besides those the parsers read), all optional::

    host_spacing = "1s"      # minimum gap between requests to the host (on the wire)
    host_concurrency = 2     # requests in flight to the host
    max_bytes = 8388608      # response size cap
    timeout = "30s"          # whole request, connect to last byte
    max_backoff = "15m"      # cap of the error backoff (default max_interval)
    remember = 5000          # entry ids remembered for change detection
    max_entries = 1000       # new or edited entries sent on per poll

A document with more new or edited entries than `max_entries` (a hostile or
broken page, an archive dumped into a feed) does not flood the pipeline ahead
of every other source: the first `max_entries` of them, in document order, are
sent on and the rest are held over in memory (not parsed again); every next
poll, due after `min_interval`, sends the next `max_entries` of them -- also
when it is answered 304 or with the same bytes.  A changed document replaces
what was held over (its entries are compared with the memory again).  Nothing
is dropped; held-over entries are counted at every poll that holds them.

When several sources on one host set `host_spacing` / `host_concurrency`,
the most polite value applies to the host.

`SourceState` of every source is kept in `Poller.states` (and, for the
worker's ``/sources`` page, reachable through `live_states`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import logging
import random
import time
import weakref
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from newsmon import __version__
from newsmon.connectors.kinds import parser_for
from newsmon.connectors.schedule import (
    MAX_RETRY_AFTER,
    Policy,
    adapt_interval,
    backoff_delay,
    next_delay,
    parse_max_age,
    parse_retry_after,
)
from newsmon.metrics import Metrics
from newsmon.model import Entry
from newsmon.settings import SourceSettings, parse_duration

__all__ = [
    "ACCEPT",
    "USER_AGENT",
    "FetchError",
    "Fetched",
    "PollResult",
    "Poller",
    "SourceState",
    "live_states",
]

log = logging.getLogger("newsmon.connectors.poller")

USER_AGENT = f"newsmon/{__version__} (+https://github.com/newsmon/newsmon; live-blog monitor)"
ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, "
          "text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.5")
MAX_BYTES = 8 * 1024 * 1024
TIMEOUT = 30.0
HOST_CONCURRENCY = 2
HOST_SPACING = 1.0
MAX_CONNECTIONS = 100
REMEMBER = 5000
MAX_ENTRIES = 1000
THREAD_PARSE_BYTES = 512 * 1024  # larger bodies are parsed off the event loop
POLLER_OPTIONS = frozenset(
    {"host_spacing", "host_concurrency", "max_bytes", "timeout", "max_backoff", "remember", "max_entries"}
)

Sink = Callable[[Entry], Awaitable[None]]
Sleep = Callable[[float], Awaitable[None]]
Trace = Callable[[str, Mapping[str, Any]], Awaitable[None]]  # httpcore's "trace" request extension

# outcomes, the `outcome` label of newsmon_source_polls_total
OK = "ok"  # 200, parsed
NOT_MODIFIED = "not-modified"  # 304
UNCHANGED = "unchanged"  # 200 with the same bytes as last time: not parsed
THROTTLED = "throttled"  # 429 / 503
ERROR = "error"  # anything else that failed

_LIVE: weakref.WeakSet[Poller] = weakref.WeakSet()


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


@dataclass(frozen=True, slots=True)
class PollResult:
    outcome: str  # OK, NOT_MODIFIED, UNCHANGED, THROTTLED, ERROR
    status: int | None = None  # HTTP status, None when no response came
    entries: list[Entry] = field(default_factory=list)  # parsed from this response
    changed: list[Entry] = field(default_factory=list)  # sent to the sink: new or edited
    new: int = 0  # how many of `changed` were never seen before
    deferred: int = 0  # new or edited entries held over to later polls (over `max_entries`)
    error: str = ""
    retry_after: float | None = None
    max_age: float | None = None


@dataclass
class SourceState:
    """What the poller knows about one source; `snapshot()` is what the CLI shows."""

    source: str
    kind: str = ""
    url: str = ""
    status: str = "never polled"  # never polled | ok | failing | throttled | misconfigured
    interval: float = 0.0  # current adaptive interval (s)
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    next_poll: datetime | None = None  # wall clock, for people
    next_poll_at: float | None = None  # monotonic, for the scheduler
    error_streak: int = 0
    last_error: str = ""
    last_error_at: datetime | None = None
    warning: str = ""  # what the parser said of the last document read (a broken feed); "" when clean
    last_status: int | None = None
    last_outcome: str = ""
    polls: int = 0
    successes: int = 0
    entries_seen: int = 0  # distinct entry ids seen since start (an evicted id seen again counts again)
    entries_emitted: int = 0  # new + changed entries sent on
    entries_deferred: int = 0  # new + changed entries held over to a later poll (counted at every poll)
    etag: str = ""
    last_modified: str = ""
    body_digest: str = ""
    present: int = 0  # entries in the last document parsed
    held: list[Entry] = field(default_factory=list, repr=False)  # to send with the next polls (max_entries)
    memory: OrderedDict[str, tuple[str, datetime]] = field(default_factory=OrderedDict, repr=False)

    def snapshot(self) -> dict[str, Any]:
        """JSON-ready view, without the entry memory."""
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": self.source,
            "kind": self.kind,
            "url": self.url,
            "status": self.status,
            "interval_seconds": round(self.interval, 3),
            "last_attempt": iso(self.last_attempt),
            "last_success": iso(self.last_success),
            "next_poll": iso(self.next_poll),
            "error_streak": self.error_streak,
            "last_error": self.last_error,
            "last_error_at": iso(self.last_error_at),
            "warning": self.warning,
            "last_status": self.last_status,
            "last_outcome": self.last_outcome,
            "polls": self.polls,
            "successes": self.successes,
            "entries_seen": self.entries_seen,
            "entries_emitted": self.entries_emitted,
            "entries_deferred": self.entries_deferred,
            "held": len(self.held),
            "remembered": len(self.memory),
            "conditional": bool(self.etag or self.last_modified),
        }


@dataclass(frozen=True, slots=True)
class SourceConfig:
    """A source's settings as the poller uses them, options validated."""

    policy: Policy
    host: str
    host_spacing: float | None  # None: not set by the source (the poller's default applies)
    host_concurrency: int | None
    max_bytes: int
    timeout: float
    remember: int
    max_entries: int
    parser_options: Mapping[str, Any]


class _HostGate:
    """Concurrency limit and request spacing of one host."""

    def __init__(self, limit: int, spacing: float) -> None:
        self.limit = limit
        self.spacing = spacing
        self.active = 0
        self.next_start = 0.0  # monotonic: earliest start of the next request
        self.turn = asyncio.Lock()  # held from a spaced request's wait until it is on the wire
        self.blocked_until = 0.0  # monotonic: after a 429 with Retry-After
        self.condition = asyncio.Condition()
        self._explicit_limit: int | None = None
        self._explicit_spacing: float | None = None

    def configure(self, limit: int | None, spacing: float | None) -> None:
        """Apply a source's explicit settings; the most polite of them wins."""
        if limit is not None:
            self._explicit_limit = limit if self._explicit_limit is None else min(self._explicit_limit, limit)
            self.limit = self._explicit_limit
        if spacing is not None:
            self._explicit_spacing = spacing if self._explicit_spacing is None else max(self._explicit_spacing,
                                                                                        spacing)
            self.spacing = self._explicit_spacing


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
        self.client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            headers={"User-Agent": user_agent, "Accept": ACCEPT},
            follow_redirects=True,
            max_redirects=5,
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
        )
        self.states: dict[str, SourceState] = {}
        self._configs: dict[str, SourceConfig] = {}
        self._gates: dict[str, _HostGate] = {}
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
        options = dict(source.options)

        def duration(name: str, default: float | None, *, zero_ok: bool = False) -> float | None:
            if name not in options:
                return default
            try:
                value = parse_duration(options[name])
            except ValueError as exc:
                raise ValueError(f"source {source.id}: option {name}: {exc}") from None
            if value < 0 or (value == 0 and not zero_ok):
                raise ValueError(f"source {source.id}: option {name}: must be {'>= 0' if zero_ok else '> 0'}")
            return value

        def count(name: str, default: int | None) -> int | None:
            if name not in options:
                return default
            value = options[name]
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"source {source.id}: option {name}: expected a whole number >= 1, got {value!r}")
            return value

        parts = urlsplit(source.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"source {source.id}: not an http(s) url: {source.url!r}")
        try:
            port = parts.port
        except ValueError as exc:
            raise ValueError(f"source {source.id}: bad url {source.url!r}: {exc}") from None
        host = f"{parts.hostname.lower()}:{port or (443 if parts.scheme == 'https' else 80)}"
        max_backoff = duration("max_backoff", source.max_interval) or source.max_interval
        try:
            policy = Policy(interval=source.interval, min_interval=source.min_interval,
                            max_interval=source.max_interval, max_backoff=max_backoff)
        except ValueError as exc:
            raise ValueError(f"source {source.id}: {exc}") from None
        config = SourceConfig(
            policy=policy,
            host=host,
            host_spacing=duration("host_spacing", None, zero_ok=True),
            host_concurrency=count("host_concurrency", None),
            max_bytes=count("max_bytes", self.max_bytes) or self.max_bytes,
            timeout=duration("timeout", self.timeout) or self.timeout,
            remember=count("remember", REMEMBER) or REMEMBER,
            max_entries=count("max_entries", MAX_ENTRIES) or MAX_ENTRIES,
            parser_options={k: v for k, v in options.items() if k not in POLLER_OPTIONS},
        )
        self._gate(config)
        self._configs[source.id] = config
        return config

    def state_for(self, source: SourceSettings) -> SourceState:
        state = self.states.get(source.id)
        if state is None:
            state = self.states[source.id] = SourceState(source.id, source.kind, source.url, interval=source.interval)
        return state

    def _gate(self, config: SourceConfig) -> _HostGate:
        gate = self._gates.get(config.host)
        if gate is None:
            gate = self._gates[config.host] = _HostGate(self.host_concurrency, self.host_spacing)
        gate.configure(config.host_concurrency, config.host_spacing)
        return gate

    def _ad_hoc_config(self, url: str) -> SourceConfig:
        return self.config(SourceSettings(id=f"adhoc-{hashlib.blake2b(url.encode(), digest_size=6).hexdigest()}",
                                          kind="", url=url))

    # -- fetching ------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _host_slot(self, config: SourceConfig) -> AsyncIterator[Trace | None]:
        """Wait for the host: concurrency, a 429's Retry-After, spacing; then a connection.

        With a spacing, requests to the host take turns: a request waits until `spacing` after
        the previous one went on the wire (its headers written, as httpcore's trace tells; or
        it ended without), so a slow connect or a late wake-up never brings two closer.
        Yields the trace callback to pass with the request (None without a spacing).
        """
        gate = self._gate(config)
        async with gate.condition:
            await gate.condition.wait_for(lambda: gate.active < gate.limit)
            gate.active += 1
        try:
            blocked = gate.blocked_until - self.monotonic()
            if blocked > 0:
                await self.sleep(blocked)
            async with self._connections:
                if gate.spacing <= 0:
                    yield None
                    return
                await gate.turn.acquire()
                released = False

                def sent() -> None:
                    nonlocal released
                    if not released:
                        released = True
                        gate.next_start = self.monotonic() + gate.spacing
                        gate.turn.release()

                async def trace(event: str, info: Mapping[str, Any]) -> None:
                    if event.endswith(".send_request_headers.complete"):
                        sent()

                try:
                    wait = gate.next_start - self.monotonic()
                    if wait > 0:
                        await self.sleep(wait)
                    yield trace
                finally:
                    sent()
        finally:
            gate.active -= 1
            async with gate.condition:
                gate.condition.notify()

    async def fetch(self, url: str, *, etag: str = "", last_modified: str = "",
                    config: SourceConfig | None = None) -> Fetched:
        """GET `url` politely (host limits, size cap, time limit); 2xx or 304, else `FetchError`."""
        config = config or self._ad_hoc_config(url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        async with self._host_slot(config) as trace:
            began = time.perf_counter()
            try:
                async with asyncio.timeout(config.timeout):
                    return await self._get(url, headers, config.max_bytes, began, trace)
            except FetchError as exc:
                error = exc
            except TimeoutError:
                error = FetchError(f"no complete response within {config.timeout:g}s", kind="timeout")
            except httpx.TooManyRedirects:
                error = FetchError("too many redirects")
            except httpx.HTTPError as exc:
                error = FetchError(f"{type(exc).__name__}: {str(exc) or 'no detail'}")
            error.elapsed = time.perf_counter() - began
            raise error

    async def _get(self, url: str, headers: dict[str, str], max_bytes: int, began: float,
                   trace: Trace | None = None) -> Fetched:
        extensions = {"trace": trace} if trace is not None else None
        async with self.client.stream("GET", url, headers=headers, extensions=extensions) as response:
            status = response.status_code
            final_url = str(response.url)
            if status == 304:
                return Fetched(304, b"", response.headers, final_url, time.perf_counter() - began)
            if not 200 <= status < 300:
                retry_after = None
                if status in (429, 503):
                    retry_after = parse_retry_after(response.headers.get("retry-after"), self.clock())
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
                state.held = self._changes(state, entries)  # what was held over before is moot now
                changed, new = await self._send_held(source, config, state, sink)
                # validators only once everything got through (sent, or held over here): a failed
                # send refetches and reads the document in full
                state.body_digest = digest
                state.etag = fetched.headers.get("etag", "")
                state.last_modified = fetched.headers.get("last-modified", "")
        if outcome != OK and state.held:
            changed, new = await self._send_held(source, config, state, sink)
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

    def _changes(self, state: SourceState, entries: list[Entry]) -> list[Entry]:
        """Entries that are new or whose content hash changed, with `seen` set to when first sent on."""
        now = self.clock()
        changed: list[Entry] = []
        for entry in entries:
            known = state.memory.get(entry.entry_id)
            if known is None:
                changed.append(entry if entry.seen else dataclasses.replace(entry, seen=now))
            elif known[0] != entry.content_hash:
                changed.append(dataclasses.replace(entry, seen=known[1]))
            else:
                state.memory.move_to_end(entry.entry_id)  # still on the page: keep it
        return changed

    async def _send_held(self, source: SourceSettings, config: SourceConfig, state: SourceState,
                         sink: Sink) -> tuple[list[Entry], int]:
        """Send the first `max_entries` of the held entries not sent yet (the rest stay held);
        returns them and how many of them were never seen before."""
        memory = state.memory
        state.held = [e for e in state.held if memory.get(e.entry_id, ("",))[0] != e.content_hash]
        batch = state.held[: config.max_entries]
        new = sum(1 for e in batch if e.entry_id not in memory)
        await self._send(source, config, state, batch, sink)
        state.held = state.held[config.max_entries :]
        return batch, new

    async def _send(self, source: SourceSettings, config: SourceConfig, state: SourceState,
                    changed: list[Entry], sink: Sink) -> None:
        for entry in changed:
            try:
                await sink(entry)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                raise FetchError(f"could not send entry on: {type(exc).__name__}: {exc}", kind="sink") from exc
            if entry.entry_id not in state.memory:
                state.entries_seen += 1
            state.memory[entry.entry_id] = (entry.content_hash, entry.seen or self.clock())
            state.memory.move_to_end(entry.entry_id)
            state.entries_emitted += 1
            self.metrics.emitted.labels(source.id).inc()
        limit = max(config.remember, 2 * state.present)  # never forget what the page still shows
        while len(state.memory) > limit:
            state.memory.popitem(last=False)

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

"""The poller against a real HTTP server on 127.0.0.1: conditional GET, Retry-After,
backoff, per-host spacing and concurrency, change detection, size cap, error pages.

No Kafka and no mocks: a stdlib ThreadingHTTPServer (HTTP/1.1, keep-alive) answers
from per-path scripts and records every request.  Waits that would take minutes
(backoff, Retry-After) run on a virtual clock injected into the poller; the
per-host limits run on the real clock with sub-second spacing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import itertools
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from prometheus_client import CollectorRegistry

from newsmon.cli import sources as sources_cli
from newsmon.config import from_mapping
from newsmon.connectors.poller import Poller, SourceState
from newsmon.metrics import Metrics
from newsmon.model import Entry
from newsmon.settings import SourceSettings

pytestmark = pytest.mark.integration


# -- a scripted HTTP server ------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    no_length: bool = False  # stream the body without Content-Length, then close


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival
    port: int  # client port: the same port means the same (reused) connection


Script = Callable[[dict[str, str]], Reply]


class FeedServer:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.scripts: dict[str, list[Reply | Script]] = {}
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                with server.lock:
                    server.requests.append(Request(self.path, headers, time.monotonic(), self.client_address[1]))
                    server.active += 1
                    server.max_active = max(server.max_active, server.active)
                    script = server.scripts.get(self.path, [])
                    step = script.pop(0) if len(script) > 1 else (script[0] if script else Reply(404, b"no"))
                try:
                    reply = step(headers) if callable(step) else step
                    if reply.delay:
                        time.sleep(reply.delay)
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.no_length:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    elif reply.status != 304:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if reply.status != 304:
                        for start in range(0, len(reply.body), 16384):
                            self.wfile.write(reply.body[start:start + 16384])
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True
                finally:
                    with server.lock:
                        server.active -= 1

            def log_message(self, *args: Any) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def script(self, path: str, *steps: Reply | Script) -> str:
        """Answer `path` with `steps` in turn (the last one repeats); returns the url."""
        with self.lock:
            self.scripts[path] = list(steps)
        return self.url(path)

    def hits(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path == path]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    srv = FeedServer()
    thread = threading.Thread(target=srv.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()


def rss(*items: tuple[str, str, str], build: str = "Tue, 27 Aug 2024 12:00:00 GMT") -> bytes:
    body = "".join(f"<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title>"
                   f"<description>{text}</description><pubDate>Tue, 27 Aug 2024 11:00:00 GMT</pubDate></item>"
                   for guid, title, text in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Test</title>'
            f"<link>http://example.org/</link><lastBuildDate>{build}</lastBuildDate>{body}</channel></rss>").encode()


def feed(body: bytes, **headers: str) -> Reply:
    return Reply(200, body, {"Content-Type": "application/rss+xml; charset=utf-8", **headers})


def conditional(body: bytes, etag: str, last_modified: str) -> Script:
    """200 with validators, or 304 when the request carries the current ETag."""
    def answer(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == etag:
            return Reply(304, headers={"ETag": etag})
        return feed(body, ETag=etag, **{"Last-Modified": last_modified})
    return answer


# -- time and poller -----------------------------------------------------------------------


class StopPolling(Exception):
    """Raised by the virtual sleep to end a `Poller.run` loop after enough polls."""


class VirtualTime:
    """monotonic()/sleep() for the poller: sleeping advances time instantly and is recorded."""

    def __init__(self, stop_after: int = 1_000_000, on_sleep: Callable[[float], None] | None = None) -> None:
        self.now = 10_000.0
        self.sleeps: list[float] = []
        self.stop_after = stop_after
        self.on_sleep = on_sleep

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.on_sleep:
            self.on_sleep(seconds)
        if len(self.sleeps) >= self.stop_after:
            raise StopPolling
        self.now += seconds
        await asyncio.sleep(0)


def utcnow() -> datetime:
    return datetime.now(UTC)


@contextlib.asynccontextmanager
async def make_poller(vt: VirtualTime | None = None, **kwargs: Any) -> AsyncIterator[Poller]:
    kwargs.setdefault("host_spacing", 0.0)
    if vt is not None:
        kwargs.update(sleep=vt.sleep, monotonic=vt.monotonic)
    poller = Poller(Metrics(CollectorRegistry()), utcnow, **kwargs)
    try:
        yield poller
    finally:
        await poller.aclose()


def source(url: str, sid: str = "src", kind: str = "rss", interval: float = 60, **options: Any) -> SourceSettings:
    return SourceSettings(sid, kind, url, interval=interval, min_interval=15, max_interval=900, options=options)


class Collect:
    def __init__(self) -> None:
        self.entries: list[Entry] = []

    async def __call__(self, entry: Entry) -> None:
        self.entries.append(entry)


async def run_until_stopped(poller: Poller, src: SourceSettings, sink: Collect) -> None:
    with pytest.raises(StopPolling):
        await poller.run(src, sink)


def outcome_count(poller: Poller, sid: str, outcome: str) -> float:
    value = poller.metrics.registry.get_sample_value("newsmon_source_polls_total",
                                                     {"source": sid, "outcome": outcome})
    return value or 0.0


# -- conditional GET and change detection ---------------------------------------------------


async def test_second_poll_is_conditional_and_a_304_emits_nothing(server: FeedServer) -> None:
    body = rss(("a", "Alpha", "first"), ("b", "Beta", "second"))
    url = server.script("/feed", conditional(body, '"v1"', "Tue, 27 Aug 2024 12:00:00 GMT"))
    sink = Collect()
    async with make_poller() as poller:
        first = await poller.poll_once(source(url), sink)
        second = await poller.poll_once(source(url), sink)
        state = poller.states["src"]

    assert first.outcome == "ok" and [e.entry_id for e in first.changed] == ["a", "b"]
    assert len(sink.entries) == 2 and all(e.seen is not None for e in sink.entries)
    hits = server.hits("/feed")
    assert "if-none-match" not in hits[0].headers and "if-modified-since" not in hits[0].headers
    assert hits[1].headers["if-none-match"] == '"v1"'
    assert hits[1].headers["if-modified-since"] == "Tue, 27 Aug 2024 12:00:00 GMT"
    assert hits[0].headers["user-agent"].startswith("newsmon/")
    assert second.outcome == "not-modified" and second.status == 304
    assert second.entries == [] and second.changed == []
    assert len(sink.entries) == 2  # nothing more emitted
    assert outcome_count(poller, "src", "not-modified") == 1
    assert state.status == "ok" and state.last_status == 304 and state.entries_seen == 2


async def test_identical_body_without_validators_is_not_parsed(server: FeedServer) -> None:
    url = server.script("/plain", feed(rss(("a", "Alpha", "first"))))
    sink = Collect()
    async with make_poller() as poller:
        await poller.poll_once(source(url), sink)
        again = await poller.poll_once(source(url), sink)
    assert again.outcome == "unchanged" and again.entries == [] and again.changed == []
    assert len(sink.entries) == 1


async def test_unchanged_poll_emits_nothing_and_a_changed_entry_is_emitted_again(server: FeedServer) -> None:
    v1 = rss(("a", "Alpha", "first"), ("b", "Beta", "second"))
    v1_rebuilt = rss(("a", "Alpha", "first"), ("b", "Beta", "second"), build="Tue, 27 Aug 2024 12:05:00 GMT")
    v2 = rss(("a", "Alpha", "first"), ("b", "Beta", "second, corrected"), ("c", "Gamma", "third"))
    url = server.script("/live", feed(v1), feed(v1_rebuilt), feed(v2), feed(v2))
    sink = Collect()
    async with make_poller() as poller:
        src = source(url)
        first = await poller.poll_once(src, sink)
        same = await poller.poll_once(src, sink)  # other bytes, same entries: parsed, nothing emitted
        edited = await poller.poll_once(src, sink)
        again = await poller.poll_once(src, sink)
        state = poller.states["src"]

    assert len(first.changed) == 2
    assert same.outcome == "ok" and len(same.entries) == 2 and same.changed == []
    assert [e.entry_id for e in edited.changed] == ["b", "c"] and edited.new == 1
    old_b = next(e for e in first.changed if e.entry_id == "b")
    new_b = edited.changed[0]
    assert new_b.content_hash != old_b.content_hash and new_b.body == "second, corrected"
    assert new_b.seen == old_b.seen  # `seen` stays the first time it was sent on
    assert again.outcome == "unchanged" and again.changed == []
    assert [e.entry_id for e in sink.entries] == ["a", "b", "b", "c"]
    assert state.entries_seen == 3 and state.entries_emitted == 4


async def test_a_flood_is_sent_on_over_several_polls_each_entry_once(server: FeedServer) -> None:
    # A document with more new entries than max_entries: the first ones go now, the rest are held
    # over and go with the next polls, even those answered 304; nothing lost, nothing twice.
    body = rss(*[(f"e{i}", f"Title {i}", f"text {i}") for i in range(7)])
    url = server.script("/flood", conditional(body, '"v1"', "Tue, 27 Aug 2024 12:00:00 GMT"))
    sink = Collect()
    async with make_poller() as poller:
        src = source(url, max_entries=3)
        polls = [await poller.poll_once(src, sink) for _ in range(4)]
        state = poller.states["src"]
        held = poller.metrics.registry.get_sample_value("newsmon_source_entries_deferred_total", {"source": "src"})

    assert [[e.entry_id for e in p.changed] for p in polls[:3]] == [["e0", "e1", "e2"], ["e3", "e4", "e5"], ["e6"]]
    assert [(p.new, p.deferred) for p in polls[:3]] == [(3, 4), (3, 1), (1, 0)]
    assert [e.entry_id for e in sink.entries] == [f"e{i}" for i in range(7)]
    assert [p.outcome for p in polls] == ["ok", "not-modified", "not-modified", "not-modified"]
    assert polls[3].changed == [] and polls[3].deferred == 0
    assert held == 5 and state.entries_deferred == 5 and state.snapshot()["entries_deferred"] == 5
    assert state.snapshot()["held"] == 0
    assert state.entries_emitted == 7


async def test_a_failed_send_of_held_over_entries_loses_none_and_repeats_none(server: FeedServer) -> None:
    body = rss(*[(f"e{i}", f"Title {i}", "text") for i in range(6)])
    url = server.script("/flood", conditional(body, '"v1"', "Tue, 27 Aug 2024 12:00:00 GMT"))

    class FailsOnce(Collect):
        async def __call__(self, entry: Entry) -> None:
            if entry.entry_id == "e3" and not getattr(self, "failed", False):
                self.failed = True
                raise ConnectionError("broker away")
            await super().__call__(entry)

    sink = FailsOnce()
    async with make_poller() as poller:
        src = source(url, max_entries=2)
        polls = [await poller.poll_once(src, sink) for _ in range(5)]
    assert [p.outcome for p in polls] == ["ok", "error", "not-modified", "not-modified", "not-modified"]
    assert "could not send entry on" in polls[1].error
    assert [e.entry_id for e in sink.entries] == [f"e{i}" for i in range(6)]


async def test_a_changed_document_replaces_what_was_held_over(server: FeedServer) -> None:
    v1 = rss(*[(f"e{i}", f"Title {i}", "text") for i in range(5)])
    v2 = rss(("n", "News", "text"), *[(f"e{i}", f"Title {i}", "edited" if i == 4 else "text") for i in range(5)])
    url = server.script("/flood", feed(v1), feed(v2), feed(v2), feed(v2))
    sink = Collect()
    async with make_poller() as poller:
        src = source(url, max_entries=2)
        polls = [await poller.poll_once(src, sink) for _ in range(4)]
    # e2..e4 were held from v1; v2 brings n and edits e4 (held: the edited one is sent, once)
    assert [[e.entry_id for e in p.changed] for p in polls] == [["e0", "e1"], ["n", "e2"], ["e3", "e4"], []]
    assert next(e for e in sink.entries if e.entry_id == "e4").body == "edited"
    assert [p.deferred for p in polls] == [3, 2, 0, 0]


async def test_the_sources_page_shows_what_is_held_over(server: FeedServer) -> None:
    url = server.script("/flood", feed(rss(*[(f"e{i}", f"Title {i}", "text") for i in range(5)])))
    async with make_poller() as poller:
        await poller.poll_once(source(url, max_entries=2), Collect())
        snapshot = poller.states["src"].snapshot()
    assert (snapshot["entries_emitted"], snapshot["held"], snapshot["entries_deferred"]) == (2, 3, 3)


async def test_held_over_entries_make_the_next_poll_come_at_min_interval(server: FeedServer) -> None:
    body = rss(*[(f"e{i}", f"Title {i}", f"text {i}") for i in range(4)])
    url = server.script("/flood", feed(body))
    async with make_poller() as poller:
        capped, whole = source(url, "capped", interval=600, max_entries=2), source(url, "whole", interval=600)
        first = await poller.poll_once(capped, Collect())
        soon = poller.delay_after(capped, first)
        usual = poller.delay_after(whole, await poller.poll_once(whole, Collect()))
    assert first.deferred == 2
    assert soon < 30 and usual > 300  # min_interval (15 s) instead of the interval (600 s), with jitter


async def test_max_entries_must_be_a_whole_number() -> None:
    async with make_poller() as poller:
        with pytest.raises(ValueError, match="option max_entries: expected a whole number >= 1"):
            poller.config(source("http://127.0.0.1:1/feed", max_entries=0))


async def test_entry_memory_is_bounded(server: FeedServer) -> None:
    pages = [rss(*[(f"id{n}-{i}", f"T{n}-{i}", "x") for i in range(5)]) for n in range(4)]
    url = server.script("/rotating", *[feed(page) for page in pages])
    async with make_poller() as poller:
        src = source(url, remember=8)
        for _ in pages:
            await poller.poll_once(src, Collect())
        state = poller.states["src"]
    assert len(state.memory) == 10  # max(remember, 2 * entries on the page)
    assert all(key.startswith(("id2-", "id3-")) for key in state.memory)


# -- server asks to slow down ----------------------------------------------------------------


async def test_retry_after_seconds_on_429_is_respected_for_source_and_host(server: FeedServer) -> None:
    url = server.script("/busy", Reply(429, b"slow down", {"Retry-After": "120"}), feed(rss(("a", "A", "x"))))
    other = server.script("/other", feed(rss(("o", "O", "x"))))
    vt = VirtualTime(stop_after=2)
    sink = Collect()
    async with make_poller(vt) as poller:
        src = source(url)
        result = await poller.poll_once(src, sink)
        assert result.outcome == "throttled" and result.retry_after == 120
        state = poller.states["src"]
        assert state.status == "throttled" and state.error_streak == 1 and state.last_status == 429
        assert poller.delay_after(src, result) == 120  # not the 30-60 s backoff
        # another source on the same host waits for the host too
        await poller.poll_once(source(other, sid="other"), sink)
        assert vt.sleeps and vt.sleeps[0] == pytest.approx(120)
        assert server.hits("/other")[0].at >= server.hits("/busy")[0].at
    assert outcome_count(poller, "src", "throttled") == 1


async def test_retry_after_http_date_on_503_in_the_run_loop(server: FeedServer) -> None:
    def unavailable(_: dict[str, str]) -> Reply:
        when = format_datetime(datetime.now(UTC) + timedelta(seconds=300), usegmt=True)
        return Reply(503, b"maintenance", {"Retry-After": when})

    url = server.script("/maint", unavailable, feed(rss(("a", "A", "x"))))
    vt = VirtualTime(stop_after=2)
    sink = Collect()
    async with make_poller(vt) as poller:
        await run_until_stopped(poller, source(url), sink)
        state = poller.states["src"]
    assert 295 <= vt.sleeps[0] <= 301  # the date, not the backoff
    assert 54 <= vt.sleeps[1] <= 66  # after the success: the interval with jitter
    assert state.status == "ok" and state.error_streak == 0 and len(sink.entries) == 1
    assert len(server.hits("/maint")) == 2


# -- failures: backoff, error pages, size cap -----------------------------------------------


async def test_backoff_grows_with_the_error_streak_and_a_success_resets_it(server: FeedServer) -> None:
    error = Reply(500, b"<html><body>Internal Server Error</body></html>", {"Content-Type": "text/html"})
    url = server.script("/flaky", error, error, error, error, feed(rss(("a", "A", "x"))))
    streaks: list[int] = []
    poller_box: list[Poller] = []
    vt = VirtualTime(stop_after=6, on_sleep=lambda _: streaks.append(poller_box[0].states["src"].error_streak))
    sink = Collect()
    async with make_poller(vt) as poller:
        poller_box.append(poller)
        await run_until_stopped(poller, source(url), sink)
        state = poller.states["src"]
    assert streaks == [1, 2, 3, 4, 0, 0]
    delays = vt.sleeps
    assert 30 <= delays[0] <= 60 and 60 <= delays[1] <= 120 and 120 <= delays[2] <= 240 and 240 <= delays[3] <= 480
    assert delays[0] <= delays[1] <= delays[2] <= delays[3]
    assert 54 <= delays[4] <= 66  # success: back to the interval
    assert state.status == "ok" and state.last_error == "HTTP 500 Internal Server Error"
    assert len(sink.entries) == 1 and len(server.hits("/flaky")) == 6


async def test_html_error_page_served_as_feed_is_an_error_and_the_loop_goes_on(server: FeedServer) -> None:
    page = Reply(200, b"<!DOCTYPE html><html><head><title>Service Unavailable</title></head>"
                      b"<body><h1>Sorry</h1></body></html>", {"Content-Type": "text/html; charset=utf-8"})
    url = server.script("/feed.xml", page, page, feed(rss(("a", "A", "x"))))
    seen: list[SourceState] = []
    poller_box: list[Poller] = []

    def record(_: float) -> None:
        state = poller_box[0].states["src"]
        seen.append(SourceState(state.source, status=state.status, error_streak=state.error_streak,
                                last_error=state.last_error))

    vt = VirtualTime(stop_after=3, on_sleep=record)
    sink = Collect()
    async with make_poller(vt) as poller:
        poller_box.append(poller)
        await run_until_stopped(poller, source(url), sink)
    assert [s.status for s in seen] == ["failing", "failing", "ok"]
    assert [s.error_streak for s in seen] == [1, 2, 0]
    assert "not readable as rss" in seen[0].last_error and "HTML" in seen[0].last_error
    assert len(sink.entries) == 1
    assert poller.metrics.registry.get_sample_value(
        "newsmon_source_errors_total", {"source": "src", "class": "unreadable"}) == 2


async def test_oversized_responses_are_refused(server: FeedServer) -> None:
    big = rss(*[(f"id{i}", f"Title {i}", "x" * 200) for i in range(50)])
    declared = server.script("/big", feed(big))
    streamed = server.script("/stream", Reply(200, big, {"Content-Type": "application/rss+xml"}, no_length=True))
    sink = Collect()
    async with make_poller() as poller:
        by_header = await poller.poll_once(source(declared, sid="declared", max_bytes=4096), sink)
        by_reading = await poller.poll_once(source(streamed, sid="streamed", max_bytes=4096), sink)
        fine = await poller.poll_once(source(declared, sid="roomy", max_bytes=len(big)), sink)
        states = dict(poller.states)
    assert by_header.outcome == "error"
    assert f"response too large: Content-Length {len(big)} bytes exceeds the limit of 4096 bytes" in by_header.error
    assert by_reading.outcome == "error" and "response too large: more than 4096 bytes" in by_reading.error
    assert states["declared"].status == "failing" and states["streamed"].error_streak == 1
    assert fine.outcome == "ok" and len(sink.entries) == 50
    sample = poller.metrics.registry.get_sample_value
    assert sample("newsmon_source_errors_total", {"source": "declared", "class": "too-large"}) == 1
    assert sample("newsmon_source_errors_total", {"source": "streamed", "class": "too-large"}) == 1


async def test_misconfigured_source_is_reported_not_polled(server: FeedServer) -> None:
    url = server.script("/x", feed(rss(("a", "A", "x"))))
    async with make_poller() as poller:
        await poller.run(source(url, host_spacing="soon"), Collect())
        state = poller.states["src"]
    assert state.status == "misconfigured" and "host_spacing" in state.last_error
    assert server.hits("/x") == []


# -- per-host politeness (real clock) --------------------------------------------------------


class WireTimes(httpx.AsyncBaseTransport):
    """A real transport that notes when each request's headers were written to the socket.

    The time is taken before the poller hears of it (httpcore's trace callback, chained), so
    a gap between two noted times is never longer than the gap the poller itself measured.
    """

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.sent: list[float] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        downstream = request.extensions.get("trace")

        async def trace(event: str, info: dict[str, Any]) -> None:
            if event.endswith(".send_request_headers.complete"):
                self.sent.append(time.monotonic())
            if downstream is not None:
                await downstream(event, info)

        request.extensions = {**request.extensions, "trace": trace}
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_requests_to_one_host_are_spaced_on_the_wire(server: FeedServer) -> None:
    # Four sources on one host, all due at once, host_spacing 200 ms and room for four
    # requests at a time: the host must get them one by one, 200 ms apart as sent --
    # also when the first one's connect is slow (a loaded machine).  What the server's
    # thread notes on arrival adds its own scheduling delay, so only the order and the
    # count are checked there.
    spacing = 0.2
    urls = [server.script(f"/s{n}", feed(rss((f"s{n}", "S", "x")))) for n in range(4)]
    sources = [source(u, sid=f"s{n}", host_spacing="200ms") for n, u in enumerate(urls)]
    wire = WireTimes()
    async with httpx.AsyncClient(transport=wire) as client, make_poller(host_concurrency=4, client=client) as poller:
        results = await asyncio.gather(*(poller.poll_once(s, Collect()) for s in sources))
    assert all(r.outcome == "ok" for r in results)
    assert len(server.requests) == 4 and len(wire.sent) == 4
    gaps = [b - a for a, b in itertools.pairwise(wire.sent)]
    assert min(gaps) >= spacing, gaps


async def test_concurrency_per_host_is_limited(server: FeedServer) -> None:
    urls = [server.script(f"/c{n}", Reply(200, rss((f"c{n}", "C", "x")), delay=0.25)) for n in range(6)]
    sources = [source(u, sid=f"c{n}") for n, u in enumerate(urls)]
    async with make_poller(host_concurrency=2) as poller:
        started = time.monotonic()
        results = await asyncio.gather(*(poller.poll_once(s, Collect()) for s in sources))
        elapsed = time.monotonic() - started
    assert all(r.outcome == "ok" for r in results)
    assert server.max_active == 2
    assert elapsed >= 3 * 0.25 - 0.02  # three waves of two


async def test_connections_are_reused(server: FeedServer) -> None:
    url = server.script("/keep", feed(rss(("a", "A", "x"))))
    async with make_poller() as poller:
        for _ in range(3):
            await poller.poll_once(source(url), Collect())
    assert len({r.port for r in server.hits("/keep")}) == 1


# -- the `newsmon sources` commands ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_cli(argv: list[str], settings: Any) -> tuple[int, str]:
    parser = argparse.ArgumentParser(prog="newsmon")
    sources_cli.add_arguments(parser.add_subparsers(dest="command", required=True))
    out = io.StringIO()
    code = sources_cli.cmd_sources(settings, parser.parse_args(argv), out)
    return code, out.getvalue()


def test_sources_list_without_worker_shows_the_configuration() -> None:
    settings = from_mapping({
        "worker": {"web_port": free_port()},
        "sources": [{"id": "wire", "kind": "rss", "url": "http://127.0.0.1:9/feed"},
                    {"id": "demo", "kind": "replay", "path": "demo:demo-liveblog.jsonl"}],
    })
    code, text = run_cli(["sources", "list"], settings)
    assert code == 0
    assert "no worker answering" in text
    wire = next(line for line in text.splitlines() if line.startswith("wire "))
    assert "never polled" in wire and "http://127.0.0.1:9/feed" in wire


def test_sources_list_shows_live_state_from_the_worker_page(server: FeedServer) -> None:
    ok_url = server.script("/ok", feed(rss(("a", "A", "x"))))
    bad_url = server.script("/bad", Reply(500, b"oops"))
    settings = from_mapping({"sources": [{"id": "good", "kind": "rss", "url": ok_url},
                                         {"id": "broken", "kind": "rss", "url": bad_url}]})

    async def poll_both() -> dict[str, SourceState]:
        async with make_poller() as poller:
            for src in settings.sources:
                result = await poller.poll_once(src, Collect())
                poller.schedule(src, poller.delay_after(src, result))
            return dict(poller.states)

    states = asyncio.run(poll_both())
    page = {"polling": True, "sources": sources_cli.describe_sources(settings.sources, states)}
    server.script("/sources", Reply(200, json.dumps(page).encode(), {"Content-Type": "application/json"}))
    code, text = run_cli(["sources", "list", "--worker", server.url("")], settings)
    assert code == 0 and "state from" in text
    lines = {line.split()[0]: line for line in text.splitlines() if line.startswith(("good ", "broken "))}
    assert " ok " in lines["good"] and "ago)" in lines["good"] and "(in " in lines["good"]
    assert " failing " in lines["broken"] and lines["broken"].split()[-2] == "1"
    assert "broken: last error: HTTP 500" in text


def test_sources_test_prints_the_entries_and_checks_conditional_get(server: FeedServer) -> None:
    body = rss(("a", "Alpha headline", "first"), ("b", "Beta headline", "second"))
    url = server.script("/t", conditional(body, '"t1"', "Tue, 27 Aug 2024 12:00:00 GMT"))
    code, text = run_cli(["sources", "test", url], from_mapping({}))
    assert code == 0, text
    assert "kind: rss (detected: rss)" in text
    assert "conditional re-check: 304 Not Modified" in text
    assert "2 entries would be emitted" in text and "max_entries" not in text
    code, text = run_cli(["sources", "test", url, "-o", "max_entries=1"], from_mapping({}))
    assert "note: more than max_entries=1: sent on over 2 polls, 1 at a time" in text
    assert "2024-08-27 11:00Z (source)  Alpha headline" in text and "id: b" in text

    page = server.script("/page", Reply(200, b"<html><head><title>Oops</title></head><body>x</body></html>",
                                        {"Content-Type": "text/html"}))
    code, text = run_cli(["sources", "test", page, "--kind", "rss", "--json"], from_mapping({}))
    report = json.loads(text)
    assert code == 1 and report["detected"] == "html" and "not readable as rss" in report["error"]


# -- issue 14 point 15: a broken document is not a healthy feed ---------------------------


def truncated(*items: tuple[str, str, str]) -> bytes:
    whole = rss(*items)
    return whole[: whole.rindex(b"<item>") + 20]  # a download cut off inside the last item


async def test_a_truncated_feed_is_a_source_warning_and_its_entries_still_go_on(server: FeedServer) -> None:
    broken = truncated(("a", "Alpha", "first"), ("b", "Beta", "second"), ("c", "Gamma", "third"))
    url = server.script("/cut", feed(broken), feed(rss(("a", "Alpha", "first"), ("b", "Beta", "second"))))
    sink = Collect()
    async with make_poller() as poller:
        first = await poller.poll_once(source(url), sink)
        snapshot = poller.states["src"].snapshot()
        warnings = poller.metrics.registry.get_sample_value("newsmon_source_document_warnings_total",
                                                            {"source": "src"})
        await poller.poll_once(source(url), sink)  # the whole document again: the warning clears
        healed = poller.states["src"].snapshot()
    assert first.outcome == "ok" and [e.entry_id for e in sink.entries][:2] == ["a", "b"]
    assert snapshot["status"] == "ok" and snapshot["warning"].startswith("broken document: line 1")
    assert warnings == 1
    assert healed["warning"] == ""


def test_sources_test_and_list_show_the_warning(server: FeedServer) -> None:
    url = server.script("/cut", feed(truncated(("a", "Alpha", "first"), ("b", "Beta", "second"))))
    code, text = run_cli(["sources", "test", url, "--no-recheck"], from_mapping({}))
    assert code == 0 and "warning: broken document: line 1" in text and "1 entries would be emitted" in text
    code, text = run_cli(["sources", "test", url, "--no-recheck", "--json"], from_mapping({}))
    assert json.loads(text)["warnings"][0].startswith("broken document")

    settings = from_mapping({"sources": [{"id": "cut", "kind": "rss", "url": url}]})

    async def poll() -> dict[str, SourceState]:
        async with make_poller() as poller:
            await poller.poll_once(settings.sources[0], Collect())
            return dict(poller.states)

    page = {"polling": True, "sources": sources_cli.describe_sources(settings.sources, asyncio.run(poll()))}
    server.script("/sources", Reply(200, json.dumps(page).encode(), {"Content-Type": "application/json"}))
    code, text = run_cli(["sources", "list", "--worker", server.url("")], settings)
    assert "cut: warning: broken document" in text

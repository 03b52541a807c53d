"""Run the configured sources: poll web sources, play replay files, send entries on.

`run_sources` is used by the worker's sources task and by `newsmon connect`;
the sink decides where entries go (a Faust topic or a plain Kafka producer).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from datetime import datetime
from importlib import resources
from pathlib import Path

from newsmon.connectors.poller import Poller
from newsmon.connectors.replay import parse_lines
from newsmon.metrics import Metrics
from newsmon.model import Entry, in_published_order
from newsmon.settings import SourceSettings

log = logging.getLogger("newsmon.connectors")
Sink = Callable[[Entry], Awaitable[None]]
Clock = Callable[[], datetime]


def read_replay_file(path: str) -> bytes:
    """Bytes of a replay file; `demo:NAME` names a file shipped in `newsmon.demo`."""
    if path.startswith("demo:"):
        return resources.files("newsmon.demo").joinpath(path[5:]).read_bytes()
    return Path(path).read_bytes()


async def play(source: SourceSettings, sink: Sink, metrics: Metrics, clock: Clock,
               sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> int:
    """Send a replay file's entries in `published` order, gaps divided by `speedup`."""
    data = read_replay_file(source.path)
    options = dict(source.options)
    keep_source = bool(options.pop("keep_source", False))
    parsed, problems = parse_lines(data, source.path, source=source.id, now=clock())
    for problem in problems:  # reported, counted and skipped: the file's other entries go on
        log.warning("replay %s: %s (line skipped)", source.id, problem)
        metrics.skipped_lines.labels(source.id).inc()
    # Entries are the configured source's, unless the file's own `source` fields should be kept
    # (an archive of several sources).
    entries = in_published_order(parsed if keep_source else [replace(e, source=source.id) for e in parsed])
    log.info("replay %s: playing %d entries from %s (speedup %g)", source.id, len(entries), source.path,
             source.speedup)
    previous: datetime | None = None
    for entry in entries:
        if previous and entry.published:
            gap = (entry.published - previous).total_seconds() / source.speedup
            if gap > 0:
                await sleep(min(gap, source.max_interval))
        previous = entry.published or previous
        await sink(entry)
        metrics.emitted.labels(source.id).inc()
    log.info("replay %s: sent %d entries", source.id, len(entries))
    return len(entries)


async def run_sources(sources: Iterable[SourceSettings], sink: Sink, metrics: Metrics, clock: Clock) -> None:
    """Run every source until cancelled; replay sources end when their file is played."""
    sources = list(sources)
    poller = Poller(metrics, clock)
    downstream = sink

    async def stamped(entry: Entry) -> None:
        await downstream(entry if entry.seen else replace(entry, seen=clock()))

    sink = stamped
    try:
        async with asyncio.TaskGroup() as group:
            for source in sources:
                if source.kind == "replay":
                    group.create_task(_guarded_play(source, sink, metrics, clock), name=f"replay:{source.id}")
                else:
                    group.create_task(poller.run(source, sink), name=f"poll:{source.id}")
    finally:
        await poller.aclose()


async def _guarded_play(source: SourceSettings, sink: Sink, metrics: Metrics, clock: Clock) -> None:
    try:
        await play(source, sink, metrics, clock)
    except (OSError, ValueError) as exc:
        metrics.polls.labels(source.id, "error").inc()
        log.error("replay %s: cannot play %s: %s", source.id, source.path, exc)

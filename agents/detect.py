"""detect: unique entries -> analysed entries.

Runs the pure detection core (`newsmon.detect.Detector`: near-duplicates,
stories, topics, claims, contests) on every entry event.  The detector's
per-entry memory is mirrored into the `detector-memory` table; after a restart
or a rebalance the in-memory indexes are rebuilt from that table
(`Detector.restore`) before the first record of a scope is analysed.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import faust

from newsmon.agents.context import Context, co_partitioned
from newsmon.agents.guard import guarded
from newsmon.detect import Detector
from newsmon.detect.detector import detection_config
from newsmon.languages import metric_label
from newsmon.model import Analysis, Entry, EventKind, split_key
from newsmon.streams.records import decode_event, encode_analysis

STAGE = "detect"
log = logging.getLogger("newsmon.agents.detect")


def attach(app: faust.App, ctx: Context) -> None:
    memory = app.Table("detector-memory", default=None, partitions=ctx.settings.kafka.partitions)
    co_partitioned(memory, ctx.topics.names.unique)
    config = detection_config(ctx.settings)
    detectors: dict[str, Detector] = {}
    watermarks: dict[str, datetime] = {}
    by_scope: dict[str, list[tuple[str, dict[str, Any]]]] | None = None  # the table's records, grouped once

    def detector_for(scope: str) -> Detector:
        nonlocal by_scope
        if scope not in detectors:
            if by_scope is None:  # one pass over the table for every scope, not one per scope
                by_scope = {}
                for k, v in memory.items():
                    if v:
                        by_scope.setdefault(str(v.get("s")), []).append((k, v["m"]))
            detectors[scope] = Detector.restore(config, by_scope.pop(scope, []), ctx.clock())
        return detectors[scope]

    async def forget(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        nonlocal by_scope
        for scope in detectors:  # another worker may own it now: it reports the scope
            ctx.metrics.window_entries.remove(scope)
        detectors.clear()  # rebuilt from the table for whatever partitions we get next
        watermarks.clear()
        by_scope = None

    app.on_partitions_revoked.connect(forget)

    async def detect(stream: Any) -> None:
        async for event in stream.events():
            async with guarded(ctx, STAGE, event):
                scope = (event.key or b"").decode() or ctx.settings.worker.scope
                entry_event = decode_event(event.value)
                source = ctx.source_label(entry_event.entry.source)
                ctx.metrics.stage_in.labels(STAGE, source).inc()
                detector = detector_for(scope)
                now = event_time(entry_event.entry, watermarks.get(scope), ctx.clock())
                watermarks[scope] = now
                analysis = detector.analyse(entry_event, now)
                ctx.metrics.window_entries.labels(scope).set(len(detector))
                for key, record in detector.memory_updates().items():
                    if record is None:
                        memory.pop(key, None)
                    else:
                        memory[key] = {"s": scope, "m": record}
                await ctx.topics.analysed.send(key=scope.encode(), value=encode_analysis(analysis))
                _count(ctx, analysis, source)
                log.info("%s", describe(analysis))

    app.agent(ctx.topics.unique, name="newsmon.detect")(detect)


def event_time(entry: Entry, watermark: datetime | None, wall: datetime) -> datetime:
    """The detector's clock: event time, never going back, never ahead of the wall clock.

    Windows follow the entries' own times, so an archive replayed through the
    pipeline is judged as it happened (as `newsmon replay` does); a bogus
    future date cannot push the window past the present.
    """
    when = min(entry.published or entry.seen or wall, wall)
    return max(when, watermark) if watermark else when


def describe(analysis: Analysis) -> str:
    """One log line per analysed entry, so an operator sees entries flow and what was decided."""
    entry = analysis.entry
    if analysis.duplicate_of:
        verdict = f"duplicate of {_short(analysis.duplicate_of)}"
    elif analysis.story != entry.key:
        verdict = f"story {_short(analysis.story)}"
    else:
        verdict = "new story"
    extra = f", contests {_short(analysis.contests)}" if analysis.contests else ""
    topics = ",".join(analysis.classification.topics) or "-"
    kind = "" if analysis.event.kind is EventKind.NEW else " (updated)"
    return f"{entry.source}/{entry.entry_id}{kind}: {verdict}{extra} [{topics}] {entry.title[:80]}"


def _short(key: str) -> str:
    return split_key(key)[1] or key


def _count(ctx: Context, analysis: Analysis, source: str) -> None:
    m = ctx.metrics
    m.stage_out.labels(STAGE, source).inc()
    m.analysed.labels(metric_label(analysis.language)).inc()
    if analysis.duplicate_of:
        m.duplicates.labels(source, "near").inc()
    elif analysis.story == analysis.entry.key:
        m.stories.labels(source).inc()
    for topic in analysis.classification.topics:
        m.topics.labels(topic).inc()
    for claim in analysis.claims:
        m.claims.labels(claim.kind).inc()
    if analysis.contests:
        m.contested.inc()

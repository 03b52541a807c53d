"""dedup: raw entries -> unique entries.

Passes an entry the first time its identity (source + entry id) is seen, and
again as an *update* when its content hash changed; an unchanged re-poll is
dropped.  The last passed hash per identity lives in the `entry-hashes` table
(changelogged, so it survives restarts and moves with partitions); identities
not seen for `worker.dedup_retention` are forgotten (see `newsmon.dedup`).

Output is keyed by detection scope (`Settings.scopes`: one for all sources by
default), so that entries which may duplicate each other (across sources) meet
in one partition of the detect stage; sources in different scopes spread over
partitions, and so over workers.
"""

from __future__ import annotations

from typing import Any

import faust

from newsmon.agents.context import Context, co_partitioned
from newsmon.agents.guard import guarded
from newsmon.dedup import exact, expired, needs_refresh, previous_hash, seen_record
from newsmon.model import EventKind
from newsmon.streams.records import decode_entry, encode_event

STAGE = "dedup"
SWEEP_SECONDS = 60.0


def attach(app: faust.App, ctx: Context) -> None:
    hashes = app.Table("entry-hashes", default=None, partitions=ctx.settings.kafka.partitions)
    co_partitioned(hashes, ctx.topics.names.raw)
    scope_of = ctx.settings.scopes()
    retention = ctx.settings.worker.dedup_retention
    swept: dict[int, float] = {}  # partition -> when its expired records were last removed

    def sweep(partition: int, now: float) -> None:
        """Forget this partition's identities not seen for `retention` (at most once a minute)."""
        if now - swept.get(partition, 0.0) < SWEEP_SECONDS:
            return
        swept[partition] = now
        for key in expired(list(hashes.items()), partition, now - retention):
            del hashes[key]

    async def dedup(stream: Any) -> None:
        async for event in stream.events():
            source = ctx.source_label((event.key or b"").decode(errors="replace"))
            async with guarded(ctx, STAGE, event, source):
                entry = decode_entry(event.value)
                source = ctx.source_label(entry.source)
                ctx.metrics.stage_in.labels(STAGE, source).inc()
                now = ctx.clock().timestamp()
                partition = event.message.partition
                record = hashes.get(entry.key)
                decided = exact(previous_hash(record), entry)
                if decided is None:
                    ctx.metrics.duplicates.labels(source, "exact").inc()
                    if needs_refresh(record, now):
                        hashes[entry.key] = seen_record(entry.content_hash, now, partition)
                else:
                    hashes[entry.key] = seen_record(entry.content_hash, now, partition)
                    if decided.kind is EventKind.UPDATE:
                        ctx.metrics.updates.labels(source).inc()
                    await ctx.topics.unique.send(key=scope_of(entry.source).encode(), value=encode_event(decided))
                    ctx.metrics.stage_out.labels(STAGE, source).inc()
                sweep(partition, now)

    app.agent(ctx.topics.raw, name="newsmon.dedup")(dedup)

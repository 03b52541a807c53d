"""Kafka consumer lag of this worker's partitions: `newsmon_consumer_lag_records{topic, partition}`,
and records a stage's consumer skipped: `newsmon_stage_gap_records_total{stage, outcome}`.

Every few seconds, for each partition of the pipeline's consumed topics (raw,
unique, analysed, alerts) that is assigned to this worker:

    lag = end offset (high-water mark, asked from the broker)
          - committed offset (what this worker processed and committed)

The committed offset is Faust's own record of its last commit, which it also
loads from the broker when partitions are assigned (so a restarted worker does
not report its whole backlog).  A partition with no commit yet counts from its
earliest retained offset (the consumer starts there, `auto_offset_reset =
earliest`).  Partitions this worker no longer owns after a rebalance are removed
from the gauge, so summing the gauge over all workers counts each partition once.
During a rebalance nothing is measured (the last values stay until the next
tick).  Changelog and dead-letter topics are not included: no agent consumes them.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Mapping
from typing import Any

import faust
from prometheus_client import Gauge

from newsmon.agents.context import Context

log = logging.getLogger("newsmon.agents.lag")
INTERVAL = 5.0  # seconds between measurements


def lag_of(assigned: Iterable[Any], ends: Mapping[Any, int | None], committed: Mapping[Any, int | None],
           earliest: Mapping[Any, int]) -> dict[tuple[str, int], int]:
    """Lag per (topic, partition) from end, committed and earliest offsets; pure, for tests.

    Partitions whose end offset is unknown are left out; lag is never negative.
    """
    lag: dict[tuple[str, int], int] = {}
    for tp in assigned:
        end = ends.get(tp)
        if end is None:
            continue
        position = committed.get(tp)
        if position is None:
            position = earliest.get(tp, 0)
        lag[(tp.topic, tp.partition)] = max(0, int(end) - int(position))
    return lag


async def measure(app: faust.App, topics: set[str]) -> dict[tuple[str, int], int] | None:
    """Lag of the assigned partitions of `topics`, or None while it cannot be measured."""
    consumer = app.consumer
    if consumer is None or app.rebalancing:
        return None
    assigned = [tp for tp in consumer.assignment() if tp.topic in topics]
    if not assigned:
        return {}
    ends = await consumer.highwaters(*assigned)
    # Faust keeps its last commit per partition here (a defaultdict: use .get, never [] on it).
    committed: Mapping[Any, int | None] = dict(getattr(consumer, "_committed_offset", {}) or {})
    missing = [tp for tp in assigned if committed.get(tp) is None]
    earliest = await consumer.earliest_offsets(*missing) if missing else {}
    return lag_of(assigned, ends, committed, earliest)


def publish(gauge: Gauge, lag: Mapping[tuple[str, int], int], reported: set[tuple[str, str]]) -> None:
    """Set the gauge for `lag` and remove the label sets of partitions no longer reported."""
    current = {(topic, str(partition)): value for (topic, partition), value in lag.items()}
    for labels in reported - current.keys():
        with contextlib.suppress(KeyError):
            gauge.remove(*labels)
    for labels, value in current.items():
        gauge.labels(*labels).set(value)
    reported.clear()
    reported.update(current)


def attach(app: faust.App, ctx: Context) -> None:
    names = ctx.topics.names
    topics = {names.raw, names.unique, names.analysed, names.alerts}
    reported: set[tuple[str, str]] = set()
    stage_of = {names.raw: "dedup", names.unique: "detect", names.analysed: "rules", names.alerts: "deliver"}

    def on_hole(topic: str, partition: int, expected: int, found: int, lost: int) -> None:
        """The consumer found offsets expected..found-1 skipped (streams.consumer): count them."""
        stage = stage_of.get(topic)
        if stage is not None:
            ctx.metrics.stage_gaps.labels(stage, "reread").inc(found - expected - lost)
            ctx.metrics.stage_gaps.labels(stage, "lost").inc(lost)

    hole_listeners = getattr(app, "hole_listeners", None)
    if hole_listeners is not None:
        hole_listeners.append(on_hole)

    async def consumer_lag() -> None:
        try:
            lag = await measure(app, topics)
        except Exception as exc:  # not started yet, broker unreachable: try again next tick
            log.debug("consumer lag not measured: %s: %s", type(exc).__name__, exc)
            return
        if lag is not None:
            publish(ctx.metrics.consumer_lag, lag, reported)

    app.timer(interval=INTERVAL, name="newsmon.consumer_lag")(consumer_lag)

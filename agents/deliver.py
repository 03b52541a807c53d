"""deliver: alerts -> channels (console, webhook, Slack), at least once, never blocking each other.

Each channel has its own senders ("lanes", asyncio tasks fed by queues); the
agent only reads alerts and hands them to every channel that has not yet
acknowledged them.  Alerts of one story always go to the same lane of a
channel, so a channel receives them in order per story.  A channel that is down
retries (exponential backoff with full jitter, Retry-After honoured) until it
recovers and then receives its backlog; the other channels go on meanwhile.
Retriable failures (network errors, 5xx, 408, 429) are retried without limit;
a refusal (any other 4xx) is dead-lettered with the receiver's answer.
Silences are checked again before every attempt: an alert silenced while it
waited in a backlog is not sent once the channel recovers.

Crash safety: the stream does not ack an alert when the agent moves on
(``stream.noack()``).  It is acked -- and its Kafka offset becomes committable
-- only when every channel has delivered or dead-lettered it, and Faust
commits offsets only up to the first un-acked one.  After a crash the
un-acked alerts are read again; the ``delivery-state`` table (changelogged,
keyed by story with the alerts topic's partitioner, so it lives in the same
partition as the story's alerts) says which channel already acknowledged which
idempotency key, so those are not re-sent.  A send acknowledged by the receiver
just before a crash, before the table write reached Kafka, is sent again with
the same ``Idempotency-Key``: at least once from newsmon, at most once at a
receiver that drops repeated keys.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
import zlib
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import faust

from newsmon.agents.context import Context
from newsmon.agents.guard import guarded
from newsmon.connectors.channel import Channel, Delivery, Outcome
from newsmon.connectors.channels import DeliveryOptions, build_channel, delivery_options
from newsmon.model import Alert
from newsmon.routing import Grouper, TokenBucket, collapse, silenced_by
from newsmon.silences import SilenceFile, path_for
from newsmon.streams.current import as_current
from newsmon.streams.records import alert_to_dict, decode_alert

STAGE = "deliver"
DELIVERED = "delivered"
DEADLETTERED = "dead-lettered"
SILENCED = "silenced"
MAX_RETRY_AFTER = 3600.0
log = logging.getLogger("newsmon.agents.deliver")


def backoff(attempt: int, base: float = 0.5, cap: float = 30.0, rng: random.Random | None = None) -> float:
    """Full-jitter exponential backoff: uniform in [0, min(cap, base * 2**attempt)]."""
    return (rng or random).uniform(0, min(cap, base * 2 ** min(attempt, 30)))


def retry_wait(delivery: Delivery, attempt: int, cap: float) -> float:
    """How long to wait before the next attempt: Retry-After when given, else backoff."""
    if delivery.retry_after is not None:
        return min(max(delivery.retry_after, 0.0), MAX_RETRY_AFTER)
    return max(0.05, backoff(attempt, cap=cap))


def lane_of(story: str, lanes: int) -> int:
    return zlib.crc32(story.encode()) % lanes


def ack_key(channel: str, alert: Alert) -> str:
    return f"{channel}\x1f{alert.idempotency_key}"


@dataclass
class Pending:
    """One alert event waiting for its channels; acked when `remaining` reaches 0."""

    event: Any
    alert: Alert
    remaining: int
    tp: Any


@dataclass
class Item:
    pending: Pending
    queued: float  # monotonic time


@dataclass
class ChannelSender:
    """The lanes of one channel."""

    channel: Channel
    options: DeliveryOptions
    queues: list[asyncio.Queue[Item]] = field(default_factory=list)
    bucket: TokenBucket | None = None
    grouper: Grouper | None = None

    def __post_init__(self) -> None:
        self.queues = [asyncio.Queue(max(1, self.options.queue_size // self.options.lanes))
                       for _ in range(self.options.lanes)]
        if self.options.rate > 0:
            self.bucket = TokenBucket(self.options.rate, self.options.burst)
        grouping = self.options.grouping
        if grouping.group_wait > 0 or grouping.group_interval > 0:
            self.grouper = Grouper(grouping)

    def backlog(self) -> int:
        return sum(q.qsize() for q in self.queues)


def attach(app: faust.App, ctx: Context) -> None:
    # Keyed by story bytes with the producer's partitioner: the same partition as the story's alerts.
    state = app.Table("delivery-state", default=None, partitions=ctx.settings.kafka.partitions,
                      key_type=bytes, use_partitioner=True)
    senders = [ChannelSender(build_channel(c), delivery_options(c)) for c in ctx.settings.channels]
    m = ctx.metrics
    silences = SilenceFile(path_for(ctx.settings))  # re-read when `newsmon silence` changes it

    def acknowledged(alert: Alert) -> dict[str, str]:
        value = state.get(alert.story.encode())
        return dict(value) if isinstance(value, dict) else {}

    def record(pending: Pending, channel: str, status: str) -> None:
        # read-modify-write without an await in between: atomic on the event loop
        alert = pending.alert
        value = acknowledged(alert)
        value[ack_key(channel, alert)] = status
        with as_current(pending.event):
            state[alert.story.encode()] = value

    async def owned(pending: Pending) -> bool:
        """Is the alert's partition still ours?  Waits out a rebalance before answering.

        A partition that comes back to this worker keeps its queued alerts (they are delivered
        and acked here); one that moved is re-read from its committed offset by the new owner,
        which skips what the delivery-state table says was acknowledged.
        """
        while app.rebalancing:  # noqa: ASYNC110 - Faust offers a flag here, not an event
            await asyncio.sleep(0.05)
        return pending.tp in app.assignor.assigned_actives()

    async def deadletter(sender: ChannelSender, alert: Alert, delivery: Delivery) -> None:
        name = sender.channel.name
        log.error("deliver: %s refused alert %s (%s %s); sent to dead-letter topic",
                  name, alert.idempotency_key, delivery.status, delivery.detail[:120])
        record_ = {"v": 1, "stage": STAGE, "channel": name, "status": delivery.status,
                   "response": delivery.detail, "alert": alert_to_dict(alert),
                   "failed_at": ctx.clock().isoformat()}
        await ctx.topics.deadletter.send(key=STAGE.encode(), value=json.dumps(record_).encode())
        m.deadlettered.labels(STAGE).inc()

    async def send_until_settled(sender: ChannelSender, item: Item) -> bool:
        """Send until delivered or refused; False when the alert's partition was revoked meanwhile."""
        channel, alert, attempt = sender.channel, item.pending.alert, 0
        while True:
            if not await owned(item.pending):
                return False
            silence = silenced_by(alert, silences.current(), ctx.clock())
            if silence is not None:  # silenced while it waited (e.g. behind a channel that was down)
                m.alerts_suppressed.labels("silenced").inc()
                m.deliveries.labels(channel.name, "suppressed").inc()
                record(item.pending, channel.name, SILENCED)
                log.info("deliver: %s not sent %s: silenced by %s", channel.name, alert.idempotency_key, silence.id)
                return True
            if sender.bucket is not None:
                wait = sender.bucket.wait(time.monotonic())
                if wait > 0:
                    m.delivery_throttled.labels(channel.name).inc()
                    while wait > 0:
                        await asyncio.sleep(wait)
                        wait = sender.bucket.wait(time.monotonic())
            try:
                delivery = await channel.send(alert)
            except Exception as exc:  # a channel bug must not kill the lane: retry like a network error
                delivery = Delivery(Outcome.RETRY, 0, f"{type(exc).__name__}: {exc}")
            m.deliveries.labels(channel.name, delivery.outcome.value).inc()
            if delivery.outcome is Outcome.DELIVERED:
                record(item.pending, channel.name, DELIVERED)
                log.info("deliver: %s acknowledged %s (%s)", channel.name, alert.idempotency_key, alert.title[:60])
                now = ctx.clock()
                m.delivery_seconds.labels(channel.name).observe(max(0.0, (now - alert.created).total_seconds()))
                if alert.first_seen:
                    m.end_to_end.labels(channel.name).observe(max(0.0, (now - alert.first_seen).total_seconds()))
                return True
            if delivery.outcome is Outcome.FAILED:
                await deadletter(sender, alert, delivery)
                record(item.pending, channel.name, DEADLETTERED)
                return True
            wait = retry_wait(delivery, attempt, sender.options.max_backoff)
            log.warning("deliver: %s answered %s for %s, retry %d in %.1fs", channel.name,
                        delivery.status or delivery.detail[:80], alert.idempotency_key, attempt + 1, wait)
            attempt += 1
            await asyncio.sleep(wait)

    async def settle(stream: Any, pending: Pending) -> None:
        pending.remaining -= 1
        if pending.remaining == 0 and await owned(pending):
            await stream.ack(pending.event)

    async def lane(stream: Any, sender: ChannelSender, queue: asyncio.Queue[Item]) -> None:
        backlog: deque[Item] = deque()
        name = sender.channel.name
        while True:
            item = backlog.popleft() if backlog else await queue.get()
            batch = [item]
            if sender.grouper is not None:
                policy = sender.grouper.policy
                group = policy.key(item.pending.alert)
                delay = sender.grouper.due(group, item.queued) - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                while not queue.empty():
                    backlog.append(queue.get_nowait())
                same = [i for i in backlog if policy.key(i.pending.alert) == group]
                for i in same:
                    backlog.remove(i)
                batch += same
                sender.grouper.flushed(group, time.monotonic())
            _, superseded = collapse([i.pending.alert for i in batch])
            for i in batch:
                alert = i.pending.alert
                try:
                    if any(alert is s for s in superseded):
                        m.alerts_suppressed.labels("superseded").inc()
                        m.deliveries.labels(name, "superseded").inc()
                        record(i.pending, name, "superseded")
                    elif await send_until_settled(sender, i) is False:
                        continue  # partition revoked: not ours to ack any more
                    await settle(stream, i.pending)
                except asyncio.CancelledError:
                    raise
                except Exception:  # a lane must outlive a bug in one send
                    # Not acked: the alert is re-read after a restart (receivers drop repeats).
                    log.exception("deliver: %s failed on alert %s; left unacknowledged", name, alert.idempotency_key)
                    m.errors.labels(STAGE, "other").inc()
            m.delivery_backlog.labels(name).set(sender.backlog() + len(backlog))

    async def dispatch(event: Any) -> bool:
        """Hand one alert to the channels that still owe it; False when nothing is left to do."""
        alert = decode_alert(event.value)
        m.stage_in.labels(STAGE, ctx.source_label(alert.source)).inc()
        if alert.suppressed:
            for sender in senders:
                m.deliveries.labels(sender.channel.name, "suppressed").inc()
            return False
        done = acknowledged(alert)
        todo = [s for s in senders if ack_key(s.channel.name, alert) not in done]
        for sender in senders:
            if sender not in todo:
                m.deliveries.labels(sender.channel.name, "skipped-acknowledged").inc()
                log.info("deliver: %s already acknowledged %s; not sent again", sender.channel.name,
                         alert.idempotency_key)
        if not todo:
            return False
        message = event.message
        tp = message.tp
        pending = Pending(event, alert, len(todo), tp)
        log.debug("deliver: %s from %s[%s]@%s to %s", alert.idempotency_key, tp.topic, tp.partition,
                  message.offset, ", ".join(s.channel.name for s in todo))
        queued = time.monotonic()
        for sender in todo:
            queue = sender.queues[lane_of(alert.story, len(sender.queues))]
            await queue.put(Item(pending, queued))  # waits only when this channel's queue is full
            m.delivery_backlog.labels(sender.channel.name).set(sender.backlog())
        return True

    async def deliver(stream: Any) -> None:
        tasks = [asyncio.ensure_future(lane(stream, sender, queue)) for sender in senders for queue in sender.queues]
        try:
            async for event in stream.noack().events():
                handed = False
                async with guarded(ctx, STAGE, event):
                    handed = await dispatch(event)
                if not handed:
                    await stream.ack(event)
        finally:
            # A graceful stop got here after Faust waited (bounded: streams.app.App) for every alert
            # handed to the lanes to be acked; whatever is still unfinished is re-read on restart.
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for sender in senders:
                await sender.channel.aclose()

    app.agent(ctx.topics.alerts, name="newsmon.deliver")(deliver)


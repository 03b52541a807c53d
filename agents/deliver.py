"""deliver: alerts -> channels (console, webhook, Slack), at least once, never blocking each other.

Each channel has its own senders ("lanes", asyncio tasks fed by queues); the
agent only reads alerts and hands them to every channel that has not yet
acknowledged them.  Alerts of one story always go to the same lane of a
channel, so a channel receives them in order per story (with groups that span
stories, a group's alerts share a lane: in order per alert thread).  A lane of
a grouping channel keeps one open batch per group (`newsmon.routing.Batches`)
and sends each when due: as one notification where the channel has one
(``send_group``: Slack, console), else alert by alert; every alert of it is
acknowledged in the delivery-state table on its own.  A channel that is down
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
from dataclasses import dataclass, field
from typing import Any

import faust

from newsmon.agents.context import Context, co_partitioned
from newsmon.agents.guard import guarded
from newsmon.connectors.channel import Channel, Delivery, Outcome
from newsmon.connectors.channels import DeliveryOptions, build_channel, delivery_options
from newsmon.model import Alert
from newsmon.routing import Batches, Grouper, TokenBucket, collapse, silenced_by
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
        if grouping.active:
            self.grouper = Grouper(grouping)

    def backlog(self) -> int:
        return sum(q.qsize() for q in self.queues)

    def queue_for(self, alert: Alert) -> asyncio.Queue[Item]:
        return self.queues[lane_of(self.options.grouping.lane_key(alert), len(self.queues))]

    def chunks(self, items: list[Item]) -> list[list[Item]]:
        """A batch as notifications: one per alert, or a few alerts each where the channel
        sends a group as one message (`Channel.group_size`)."""
        size = max(1, int(getattr(self.channel, "group_size", 1)))
        return [items[i:i + size] for i in range(0, len(items), size)]


async def producer_knows(app: faust.App, table: Any) -> None:
    """Have the producer fetch the metadata of a table's changelog topic.

    A table keyed with the producer's partitioner (``use_partitioner``) looks up the
    changelog's partitions synchronously at every write; a changelog topic created
    after the producer started is unknown to it until its next metadata refresh
    (minutes), and a write before that raised ``TypeError`` (an alert delivered,
    its acknowledgement not recorded).
    """
    topic = table.changelog_topic.get_topic_name()
    try:
        await app.producer._ensure_producer().partitions_for(topic)  # type: ignore[attr-defined]
    except Exception as exc:  # the write may still succeed once metadata is refreshed
        log.warning("deliver: no metadata for %s yet: %s", topic, exc)


def attach(app: faust.App, ctx: Context) -> None:
    # Keyed by story bytes with the producer's partitioner: the same partition as the story's alerts.
    state = app.Table("delivery-state", default=None, partitions=ctx.settings.kafka.partitions,
                      key_type=bytes, use_partitioner=True)
    co_partitioned(state, ctx.topics.names.alerts)
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

    async def throttle(sender: ChannelSender) -> None:
        """Wait for the channel's rate limit: one token per notification (an alert or a group)."""
        if sender.bucket is None:
            return
        wait = sender.bucket.wait(time.monotonic())
        if wait > 0:
            m.delivery_throttled.labels(sender.channel.name).inc()
            while wait > 0:
                await asyncio.sleep(wait)
                wait = sender.bucket.wait(time.monotonic())

    def delivered(sender: ChannelSender, item: Item) -> None:
        alert, name = item.pending.alert, sender.channel.name
        record(item.pending, name, DELIVERED)
        now = ctx.clock()
        m.delivery_seconds.labels(name).observe(max(0.0, (now - alert.created).total_seconds()))
        if alert.first_seen:
            m.end_to_end.labels(name).observe(max(0.0, (now - alert.first_seen).total_seconds()))

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
            await throttle(sender)
            try:
                delivery = await channel.send(alert)
            except Exception as exc:  # a channel bug must not kill the lane: retry like a network error
                delivery = Delivery(Outcome.RETRY, 0, f"{type(exc).__name__}: {exc}")
            m.deliveries.labels(channel.name, delivery.outcome.value).inc()
            if delivery.outcome is Outcome.DELIVERED:
                delivered(sender, item)
                log.info("deliver: %s acknowledged %s (%s)", channel.name, alert.idempotency_key, alert.title[:60])
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

    async def send_group_until_settled(sender: ChannelSender, items: list[Item], group: str) -> list[Item]:
        """Send several alerts as one notification until delivered or refused; the items settled
        (an alert whose partition was revoked meanwhile is left to its new owner)."""
        channel, attempt, settled = sender.channel, 0, []
        while True:
            items = [i for i in items if await owned(i.pending)]
            for item in list(items):
                silence = silenced_by(item.pending.alert, silences.current(), ctx.clock())
                if silence is not None:  # silenced while it waited
                    m.alerts_suppressed.labels("silenced").inc()
                    m.deliveries.labels(channel.name, "suppressed").inc()
                    record(item.pending, channel.name, SILENCED)
                    items.remove(item)
                    settled.append(item)
            if not items:
                return settled
            await throttle(sender)
            alerts = [i.pending.alert for i in items]
            try:
                delivery = await channel.send_group(alerts, group)  # type: ignore[attr-defined]
            except Exception as exc:  # a channel bug must not kill the lane: retry like a network error
                delivery = Delivery(Outcome.RETRY, 0, f"{type(exc).__name__}: {exc}")
            m.deliveries.labels(channel.name, delivery.outcome.value).inc(len(items))
            if delivery.outcome is Outcome.DELIVERED:
                for item in items:
                    delivered(sender, item)
                log.info("deliver: %s acknowledged %d alerts of group %s", channel.name, len(items), group[:80])
                return settled + items
            if delivery.outcome is Outcome.FAILED:
                for item in items:
                    await deadletter(sender, item.pending.alert, delivery)
                    record(item.pending, channel.name, DEADLETTERED)
                return settled + items
            wait = retry_wait(delivery, attempt, sender.options.max_backoff)
            log.warning("deliver: %s answered %s for a group of %d, retry %d in %.1fs", channel.name,
                        delivery.status or delivery.detail[:80], len(items), attempt + 1, wait)
            attempt += 1
            await asyncio.sleep(wait)

    async def flush(stream: Any, sender: ChannelSender, batch: list[Item]) -> None:
        """Send one group's batch: the newest revision of each thread, as few notifications as the
        channel allows; ack each alert when every channel settled it."""
        name = sender.channel.name
        keep, _ = collapse([i.pending.alert for i in batch])
        send = [i for i in batch if any(i.pending.alert is k for k in keep)]
        superseded = [i for i in batch if not any(i is j for j in send)]
        for chunk in ([superseded] if superseded else []) + sender.chunks(send):
            try:
                if chunk is superseded:  # a newer revision of the thread goes in its place
                    for i in superseded:
                        m.alerts_suppressed.labels("superseded").inc()
                        m.deliveries.labels(name, "superseded").inc()
                        record(i.pending, name, "superseded")
                    done = superseded
                elif len(chunk) == 1:
                    done = chunk if await send_until_settled(sender, chunk[0]) else []
                else:
                    group = sender.options.grouping.describe(chunk[0].pending.alert)
                    done = await send_group_until_settled(sender, chunk, group)
                for i in done:
                    await settle(stream, i.pending)
            except asyncio.CancelledError:
                raise
            except Exception:  # a lane must outlive a bug in one send
                # Not acked: the alerts are re-read after a restart (receivers drop repeats).
                log.exception("deliver: %s failed on %s; left unacknowledged", name,
                              ", ".join(i.pending.alert.idempotency_key for i in chunk))
                m.errors.labels(STAGE, "other").inc()

    async def lane(stream: Any, sender: ChannelSender, queue: asyncio.Queue[Item]) -> None:
        name = sender.channel.name
        if sender.grouper is None:  # no grouping: every alert on its own, in arrival order
            while True:
                await flush(stream, sender, [await queue.get()])
                m.delivery_backlog.labels(name).set(sender.backlog())
        policy = sender.grouper.policy
        batches: Batches[Item] = Batches(sender.grouper)
        while True:
            due = batches.next_due()
            timeout = None if due is None else due - time.monotonic()
            if timeout is None or timeout > 0:
                try:
                    item = await asyncio.wait_for(queue.get(), timeout)
                    batches.add(policy.key(item.pending.alert), item, item.queued)
                except TimeoutError:
                    pass
            while not queue.empty():
                item = queue.get_nowait()
                batches.add(policy.key(item.pending.alert), item, item.queued)
            for _, batch in batches.pop_due(time.monotonic()):
                await flush(stream, sender, batch)
            m.delivery_backlog.labels(name).set(sender.backlog() + len(batches))

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
            queue = sender.queue_for(alert)
            await queue.put(Item(pending, queued))  # waits only when this channel's queue is full
            m.delivery_backlog.labels(sender.channel.name).set(sender.backlog())
        return True

    async def deliver(stream: Any) -> None:
        await producer_knows(app, state)
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


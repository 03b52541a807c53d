"""deliver: alerts -> channels (console, webhook, Slack).

For every alert and every configured channel: skip it when the
`delivery-state` table says that channel already acknowledged this
idempotency key (so a restarted worker does not re-send what was delivered);
otherwise send, retrying passing failures with exponential backoff and jitter
(honouring Retry-After).  A refusal (4xx other than 408/429) or exhausted
retries puts the alert with the receiver's answer on the dead-letter topic:
never counted as delivered, never silently dropped.  Channels are sent to
concurrently, so one slow channel does not hold up the others for an alert.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from typing import Any

import faust

from newsmon.agents.context import Context
from newsmon.agents.guard import guarded
from newsmon.connectors.channel import Channel, Delivery, Outcome
from newsmon.connectors.channels import build_channels
from newsmon.model import Alert
from newsmon.streams.records import alert_to_dict, decode_alert

STAGE = "deliver"
log = logging.getLogger("newsmon.agents.deliver")


def backoff(attempt: int, base: float = 0.5, cap: float = 30.0, rng: random.Random | None = None) -> float:
    """Full-jitter exponential backoff: uniform in [0, min(cap, base * 2**attempt)]."""
    return (rng or random).uniform(0, min(cap, base * 2**attempt))


def attach(app: faust.App, ctx: Context) -> None:
    state = app.Table("delivery-state", default=None, partitions=ctx.settings.kafka.partitions)
    channels: list[Channel] = build_channels(ctx.settings.channels)
    max_attempts = 6

    async def send_with_retries(channel: Channel, alert: Alert) -> Delivery:
        delivery = Delivery(Outcome.RETRY)
        for attempt in range(max_attempts):
            delivery = await channel.send(alert)
            ctx.metrics.deliveries.labels(channel.name, delivery.outcome.value).inc()
            if delivery.outcome is not Outcome.RETRY:
                return delivery
            wait = delivery.retry_after if delivery.retry_after is not None else backoff(attempt)
            log.warning("deliver: %s answered %s, retry %d in %.1fs", channel.name,
                        delivery.status or delivery.detail, attempt + 1, wait)
            await asyncio.sleep(min(wait, 60.0))
        return delivery

    async def deliver_one(channel: Channel, alert: Alert) -> None:
        key = f"{channel.name}\x1f{alert.idempotency_key}"
        if state.get(key) == "delivered":
            ctx.metrics.deliveries.labels(channel.name, "skipped-acknowledged").inc()
            return
        delivery = await send_with_retries(channel, alert)
        if delivery.outcome is Outcome.DELIVERED:
            state[key] = "delivered"
            seconds = (ctx.clock() - alert.created).total_seconds()
            ctx.metrics.delivery_seconds.labels(channel.name).observe(max(0.0, seconds))
            if alert.first_seen:
                end_to_end = (ctx.clock() - alert.first_seen).total_seconds()
                ctx.metrics.end_to_end.labels(channel.name).observe(max(0.0, end_to_end))
            return
        state[key] = "failed"
        log.error("deliver: %s refused alert %s (%s %s); sent to dead-letter topic",
                  channel.name, alert.idempotency_key, delivery.status, delivery.detail[:120])
        record = {"v": 1, "stage": STAGE, "channel": channel.name, "status": delivery.status,
                  "response": delivery.detail, "alert": alert_to_dict(alert),
                  "failed_at": ctx.clock().isoformat()}
        await ctx.topics.deadletter.send(key=STAGE.encode(), value=json.dumps(record).encode())
        ctx.metrics.deadlettered.labels(STAGE).inc()

    async def deliver(stream: Any) -> None:
        async for event in stream.events():
            async with guarded(ctx, STAGE, event):
                alert = decode_alert(event.value)
                ctx.metrics.stage_in.labels(STAGE, ctx.source_label(alert.source)).inc()
                await asyncio.gather(*(deliver_one(channel, alert) for channel in channels))

    app.agent(ctx.topics.alerts, name="newsmon.deliver")(deliver)

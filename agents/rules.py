"""rules: analysed entries -> alerts.

Evaluates the configured rules (`newsmon.rules`) on every analysis.  Rule
state (which story already fired, its thread revision, contesting entries)
lives in the `rule-state` table.  Alerts are keyed by story, so every update
of one alert thread is delivered in order.
"""

from __future__ import annotations

from typing import Any

import faust

from newsmon.agents.context import Context
from newsmon.agents.guard import guarded
from newsmon.rules import build_rules, evaluate
from newsmon.streams.records import decode_analysis, encode_alert

STAGE = "rules"


def attach(app: faust.App, ctx: Context) -> None:
    state = app.Table("rule-state", default=None, partitions=ctx.settings.kafka.partitions)
    rules = build_rules(ctx.settings.rules)

    async def rule_agent(stream: Any) -> None:
        async for event in stream.events():
            async with guarded(ctx, STAGE, event):
                analysis = decode_analysis(event.value)
                source = ctx.source_label(analysis.entry.source)
                ctx.metrics.stage_in.labels(STAGE, source).inc()
                for alert in evaluate(rules, analysis, state, ctx.clock()):
                    await ctx.topics.alerts.send(key=alert.story.encode(), value=encode_alert(alert))
                    ctx.metrics.alerts.labels(alert.rule, alert.severity, alert.kind.value).inc()
                    ctx.metrics.stage_out.labels(STAGE, source).inc()

    app.agent(ctx.topics.analysed, name="newsmon.rules")(rule_agent)

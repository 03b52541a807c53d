"""rules: analysed entries -> alerts.

Evaluates the configured rules (`newsmon.rules`) on every analysis, then routes
each alert (`newsmon.routing`): an alert matched by an active silence
(`newsmon silence add`), or inhibited by a higher-severity alert firing for the
same place (on event time, like the rule windows), is still written to the alerts topic -- with the reason in
``why.routing.suppressed`` -- and counted, but the deliver stage does not send
it.  Rule state (which story already fired, thread revisions, window counts,
places firing for inhibition) lives in the `rule-state` table, rule keys
prefixed with the detection scope (the record key): one scope's windows count
its own stories, and each key is written from one partition only.  Alerts are keyed
by story, so every update of one alert thread is delivered in order.
"""

from __future__ import annotations

from typing import Any

import faust

from newsmon.agents.context import Context, co_partitioned
from newsmon.agents.guard import guarded
from newsmon.routing import Router
from newsmon.rules import Scoped, build_rules, evaluate, event_time, firing_for
from newsmon.silences import SilenceFile, path_for
from newsmon.streams.records import decode_analysis, encode_alert

STAGE = "rules"


def attach(app: faust.App, ctx: Context) -> None:
    state = app.Table("rule-state", default=None, partitions=ctx.settings.kafka.partitions)
    co_partitioned(state, ctx.topics.names.analysed)
    rules = build_rules(ctx.settings.rules)
    firing_seconds = {rule.name: firing_for(rule) for rule in ctx.settings.rules}
    silences = SilenceFile(path_for(ctx.settings))

    router = Router(silences.current, state, firing_seconds)

    async def rule_agent(stream: Any) -> None:
        async for event in stream.events():
            async with guarded(ctx, STAGE, event):
                analysis = decode_analysis(event.value)
                source = ctx.source_label(analysis.entry.source)
                ctx.metrics.stage_in.labels(STAGE, source).inc()
                scoped = Scoped(state, (event.key or b"").decode(errors="replace"))
                now = ctx.clock()
                at = event_time(analysis, now)
                for alert in (router.route(a, now, at) for a in evaluate(rules, analysis, scoped, now)):
                    await ctx.topics.alerts.send(key=alert.story.encode(), value=encode_alert(alert))
                    ctx.metrics.alerts.labels(alert.rule, alert.severity, alert.kind.value).inc()
                    if alert.suppressed:
                        ctx.metrics.alerts_suppressed.labels(alert.suppressed).inc()
                    ctx.metrics.stage_out.labels(STAGE, source).inc()

    app.agent(ctx.topics.analysed, name="newsmon.rules")(rule_agent)

"""Faust agents, one per stage: decode, call the pure core, emit, count.

    raw --dedup--> unique --detect--> analysed --rules--> alerts --deliver--> channels
"""

from __future__ import annotations

import faust

from newsmon.agents import dedup, deliver, detect, lag, rules, sources, sources_view, timeline, web
from newsmon.agents.context import Context


def attach_all(app: faust.App, ctx: Context) -> None:
    """Register every stage's agent (and the sources task, if enabled) on `app`."""
    for module in (dedup, detect, rules, deliver, timeline, web, sources_view, lag, sources):
        module.attach(app, ctx)

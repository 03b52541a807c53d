"""sources: run the configured connectors inside the worker (embedded mode).

In a multi-worker deployment run connectors once, with `newsmon connect`,
and start workers with `--no-sources`; here every source runs as a task of
this worker and sends its entries to the raw topic, keyed by source id.
"""

from __future__ import annotations

import asyncio
import logging

import faust

from newsmon.agents.context import Context
from newsmon.connectors.runner import run_sources
from newsmon.model import Entry
from newsmon.streams.records import encode_entry

log = logging.getLogger("newsmon.agents.sources")


def attach(app: faust.App, ctx: Context) -> None:
    if not ctx.run_sources or not ctx.settings.sources:
        return

    async def sink(entry: Entry) -> None:
        await ctx.topics.raw.send(key=entry.source.encode(), value=encode_entry(entry))

    async def sources() -> None:
        try:
            await run_sources(ctx.settings.sources, sink, ctx.metrics, ctx.clock)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("sources: connector runner stopped")

    app.task(sources)

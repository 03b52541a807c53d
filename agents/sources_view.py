"""The worker's ``/sources`` page: configured sources with their live polling state.

Read by ``newsmon sources list``.  The state is that of the pollers running in
this process (`connectors.poller.live_states`); a worker started without
sources reports ``"polling": false`` and every source as "never polled".
"""

from __future__ import annotations

from typing import Any

import faust

from newsmon.agents.context import Context
from newsmon.cli.sources import describe_sources
from newsmon.connectors.poller import live_states


def payload(ctx: Context) -> dict[str, Any]:
    """What ``GET /sources`` answers (JSON)."""
    return {
        "time": ctx.clock().isoformat(),
        "polling": ctx.run_sources,
        "sources": describe_sources(ctx.settings.sources, live_states()),
    }


def attach(app: faust.App, ctx: Context) -> None:
    @app.page("/sources")
    async def sources(view: Any, request: Any) -> Any:
        return view.json(payload(ctx))

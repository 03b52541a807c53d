"""Web endpoints of the worker (Faust's web server): /metrics, /healthz, /ready."""

from __future__ import annotations

from typing import Any

import faust
from prometheus_client import CONTENT_TYPE_LATEST

from newsmon.agents.context import Context
from newsmon.metrics import generate_latest


def is_ready(app: faust.App) -> bool:
    """Connected, assigned, and tables recovered: the worker is processing."""
    recovery: Any = getattr(app.tables, "recovery")  # noqa: B009 - not in TableManagerT
    return bool(
        app.consumer is not None
        and not app.rebalancing
        and not recovery.in_recovery
        and recovery.completed.is_set()
    )


def attach(app: faust.App, ctx: Context) -> None:
    @app.page("/metrics")
    async def metrics(view: Any, request: Any) -> Any:
        return view.bytes(generate_latest(ctx.metrics.registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    @app.page("/healthz")
    async def healthz(view: Any, request: Any) -> Any:
        return view.json({"status": "ok"})

    @app.page("/ready")
    async def ready(view: Any, request: Any) -> Any:
        ok = is_ready(app)
        return view.json({"ready": ok}, status=200 if ok else 503)

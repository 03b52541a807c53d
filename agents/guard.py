"""Per-event error guard: a record that fails is logged, counted and dead-lettered.

One raised exception can otherwise end a Faust agent silently; here every
event runs inside `guarded()`, so the agent moves on to the next record.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from newsmon.agents.context import Context

log = logging.getLogger("newsmon.agents")


def deadletter_record(stage: str, error: BaseException, event: Any, now: str) -> bytes:
    """The dead-letter record: enough to inspect and re-drive the failed input."""
    message = getattr(event, "message", None)
    value = getattr(event, "value", b"")
    raw = value if isinstance(value, bytes) else json.dumps(value, default=str).encode()
    try:
        text: str | None = raw.decode()
    except UnicodeDecodeError:
        text = None
    record = {
        "v": 1,
        "stage": stage,
        "error": f"{type(error).__name__}: {error}",
        "failed_at": now,
        "topic": getattr(message, "topic", None),
        "partition": getattr(message, "partition", None),
        "offset": getattr(message, "offset", None),
        "key": (getattr(event, "key", None) or b"").decode(errors="replace"),
        "value": text,
        "value_b64": None if text is not None else base64.b64encode(raw).decode(),
    }
    return json.dumps(record, ensure_ascii=False).encode()


@asynccontextmanager
async def guarded(ctx: Context, stage: str, event: Any, source: str = "other") -> AsyncIterator[None]:
    started = time.perf_counter()
    try:
        yield
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        message = getattr(event, "message", None)
        log.error(
            "%s: record failed (%s: %s) at %s[%s]@%s; sent to dead-letter topic",
            stage, type(exc).__name__, exc,
            getattr(message, "topic", "?"), getattr(message, "partition", "?"), getattr(message, "offset", "?"),
            exc_info=not isinstance(exc, ValueError),
        )
        ctx.metrics.errors.labels(stage, source).inc()
        try:
            await ctx.topics.deadletter.send(
                key=stage.encode(), value=deadletter_record(stage, exc, event, ctx.clock().isoformat())
            )
            ctx.metrics.deadlettered.labels(stage).inc()
        except Exception:
            log.exception("%s: could not write to the dead-letter topic", stage)
    finally:
        ctx.metrics.stage_seconds.labels(stage).observe(time.perf_counter() - started)

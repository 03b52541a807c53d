"""Start a worker process: create topics, build the app, attach agents, run until signalled."""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any

import faust

from newsmon.agents import attach_all
from newsmon.agents.context import Context
from newsmon.metrics import Metrics, process_registry
from newsmon.settings import Settings
from newsmon.streams.app import create_app, declare_topics
from newsmon.streams.outage import OutageLog
from newsmon.streams.topics import ensure_topics

log = logging.getLogger("newsmon.worker")
COORDINATOR_LOGGER = "aiokafka.consumer.group_coordinator"


class RetriedCoordinatorErrors(logging.Filter):
    """aiokafka logs a retriable coordinator lookup failure as ERROR, which every fresh broker
    produces once while it elects the group coordinator; it is retried, so it is a WARNING."""

    def filter(self, record: logging.LogRecord) -> bool:
        err = record.args[0] if isinstance(record.args, tuple) and record.args else None
        if (record.levelno == logging.ERROR and record.msg.startswith("Group Coordinator Request failed")
                and getattr(err, "retriable", False)):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.msg += " (retrying)"
        return True


def build(settings: Settings, *, run_sources: bool) -> tuple[faust.App, Context]:
    """The app with every agent attached, and the context the agents share."""
    registry = process_registry()
    app = create_app(settings)
    ctx = Context(settings=settings, topics=declare_topics(app, settings), metrics=Metrics(registry),
                  run_sources=run_sources)
    attach_all(app, ctx)
    ctx.metrics.prime(("dedup", "detect", "rules", "deliver"), (c.name for c in settings.channels),
                      (s.id for s in settings.sources))
    return app, ctx


def _ticker(outage: OutageLog) -> Any:
    async def tick() -> None:
        outage.tick()
    return tick


def run(settings: Settings, *, run_sources: bool) -> int:
    """Run a worker in this process until SIGINT/SIGTERM; returns the exit code."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(ensure_topics(settings.bootstrap, settings.kafka))
    app, _ = build(settings, run_sources=run_sources)
    level = settings.worker.log_level.upper()
    worker = faust.Worker(
        app,
        loop=loop,
        loglevel="WARNING" if level == "INFO" else level,
        redirect_stdouts=False,
        quiet=True,
    )
    worker.spinner = None  # its terminal escapes would mangle console alerts and logs
    # Faust is chatty at INFO and its logging setup lets only WARNING through the root logger:
    # newsmon's own loggers get their own handler at the configured level.
    ours = logging.getLogger("newsmon")
    ours.setLevel(level)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    ours.handlers = [handler]
    ours.propagate = False
    logging.getLogger(COORDINATOR_LOGGER).addFilter(RetriedCoordinatorErrors())
    outage = OutageLog(log)
    outage.install()
    app.timer(interval=1.0, name="newsmon.outage_log")(_ticker(outage))
    try:
        worker.execute_from_commandline()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0

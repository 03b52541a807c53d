"""`newsmon run`, `newsmon worker` and `newsmon connect`: the long-running commands."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from typing import Any

from newsmon import broker
from newsmon.cli.broker import broker_config
from newsmon.settings import Settings

COMMANDS = ("run", "worker", "connect")


def add_arguments(subparsers: Any) -> None:
    run = subparsers.add_parser("run", help="run broker (embedded), worker and sources until Ctrl-C")
    run.add_argument("--keep-broker", action="store_true", help="leave the local broker running on exit")
    worker = subparsers.add_parser("worker", help="run a worker (agents only unless --with-sources)")
    worker.add_argument("--with-sources", action="store_true", help="also run the configured sources")
    subparsers.add_parser("connect", help="run the configured sources only")


def cmd_run(settings: Settings, run_sources: bool, keep_broker: bool) -> int:
    from newsmon.streams import worker

    started_here = False
    if settings.embedded:
        cfg = broker_config(settings)
        if not broker.status(cfg).running:
            print(f"newsmon: starting the local Kafka broker on {settings.bootstrap} ...", file=sys.stderr)
            broker.start(cfg)
            started_here = True
    print(f"newsmon: worker '{settings.worker.app_id}' on {settings.bootstrap}; metrics at "
          f"http://{settings.worker.web_host}:{settings.worker.web_port}/metrics; Ctrl-C stops.", file=sys.stderr)
    try:
        return worker.run(settings, run_sources=run_sources)
    finally:
        if started_here and not keep_broker:
            print("newsmon: stopping the local Kafka broker ...", file=sys.stderr)
            broker.stop(broker_config(settings))


def cmd_worker(settings: Settings, with_sources: bool) -> int:
    from newsmon.streams import worker

    return worker.run(settings, run_sources=with_sources)


def cmd_connect(settings: Settings) -> int:
    from newsmon.connectors.produce import run_connectors

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_connectors(settings))
    return 0


def cmd(settings: Settings, args: Any) -> int:
    if args.command == "run":
        return cmd_run(settings, run_sources=True, keep_broker=args.keep_broker)
    if args.command == "worker":
        return cmd_worker(settings, args.with_sources)
    return cmd_connect(settings)

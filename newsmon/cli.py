"""The `newsmon` command.

    newsmon run                 embedded broker (if configured) + worker + sources
    newsmon worker              a worker only (several may share the topics)
    newsmon connect             the sources only, producing to the raw topic
    newsmon broker start|stop|status
    newsmon config check|default
    newsmon sources list|test URL
    newsmon rules check             validate rules (and backtest them with --replay FILE)
    newsmon silence add|list|expire
    newsmon replay FILE.jsonl   the detection + rules backtest, no broker needed
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from newsmon import broker, rules_cli, sources_cli
from newsmon.broker import BrokerConfig, BrokerError
from newsmon.settings import ConfigError, Settings, load

log = logging.getLogger("newsmon.cli")


def default_config_path() -> Path | None:
    """NEWSMON_CONFIG, else ./newsmon.toml, else None (the packaged default)."""
    if os.environ.get("NEWSMON_CONFIG"):
        return Path(os.environ["NEWSMON_CONFIG"])
    local = Path("newsmon.toml")
    return local if local.exists() else None


def load_settings(path: str | None) -> Settings:
    chosen = Path(path) if path else default_config_path()
    if chosen is None:
        with resources.as_file(resources.files("newsmon").joinpath("default.toml")) as packaged:
            return load(packaged)
    return load(chosen)


def _broker_config(settings: Settings) -> BrokerConfig:
    return BrokerConfig(
        port=settings.broker.port,
        controller_port=settings.broker.controller_port,
        data_dir=settings.broker.data_dir,
        heap=settings.broker.heap,
        num_partitions=settings.kafka.partitions,
    )


def cmd_broker(settings: Settings, action: str) -> int:
    if not settings.embedded:
        print(f"newsmon uses the existing cluster at {settings.bootstrap}; no local broker to {action}.")
        return 0
    cfg = _broker_config(settings)
    if action == "start":
        state = broker.start(cfg)
    elif action == "stop":
        broker.stop(cfg)
        state = broker.status(cfg)
    else:
        state = broker.status(cfg)
    print(state.describe())
    return 0


def cmd_run(settings: Settings, run_sources: bool, keep_broker: bool) -> int:
    from newsmon.streams import worker

    started_here = False
    if settings.embedded:
        cfg = _broker_config(settings)
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
            broker.stop(_broker_config(settings))


def cmd_connect(settings: Settings) -> int:
    from newsmon.connectors.produce import run_connectors

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_connectors(settings))
    return 0


def cmd_replay(settings: Settings, input_path: str, summary: bool, silences_path: str | None = None) -> int:
    from newsmon import silences
    from newsmon.replay import replay_file

    held = silences.load(Path(silences_path)) if silences_path else []
    return replay_file(settings, Path(input_path), sys.stdout, summary=summary, silences=held)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsmon", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", "-c", help="TOML config file (default: $NEWSMON_CONFIG, ./newsmon.toml, "
                                               "or the packaged demo config)")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run broker (embedded), worker and sources until Ctrl-C")
    run.add_argument("--keep-broker", action="store_true", help="leave the local broker running on exit")
    worker = sub.add_parser("worker", help="run a worker (agents only unless --with-sources)")
    worker.add_argument("--with-sources", action="store_true", help="also run the configured sources")
    sub.add_parser("connect", help="run the configured sources only")
    brk = sub.add_parser("broker", help="manage the embedded local Kafka broker")
    brk.add_argument("action", choices=("start", "stop", "status"))
    cfg = sub.add_parser("config", help="validate or print configuration")
    cfg.add_argument("action", choices=("check", "default"))
    sources_cli.add_arguments(sub)
    rules_cli.add_arguments(sub)
    replay = sub.add_parser("replay", help="run detection and rules over a JSON-lines file, in-process")
    replay.add_argument("input", help="JSON lines: id, published, title, body[, author, source, url]")
    replay.add_argument("--summary", action="store_true", help="print a table instead of JSON lines")
    replay.add_argument("--silences", metavar="FILE", help="apply the silences of this file (as `newsmon silence` "
                                                            "writes it), whatever their start and end")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "config" and args.action == "default":
        print(resources.files("newsmon").joinpath("default.toml").read_text(encoding="utf-8"), end="")
        return 0
    try:
        settings = load_settings(args.config)
        if args.command == "config":
            print(f"ok: {len(settings.sources)} sources, {len(settings.rules)} rules, "
                  f"{len(settings.channels)} channels; kafka {settings.bootstrap}"
                  f"{' (embedded)' if settings.embedded else ''}")
            return 0
        if args.command == "broker":
            return cmd_broker(settings, args.action)
        if args.command == "run":
            return cmd_run(settings, run_sources=True, keep_broker=args.keep_broker)
        if args.command == "worker":
            from newsmon.streams import worker as worker_module

            return worker_module.run(settings, run_sources=args.with_sources)
        if args.command == "connect":
            return cmd_connect(settings)
        if args.command in rules_cli.COMMANDS:
            return rules_cli.cmd(settings, args, sys.stdout)
        if args.command == "sources":
            return sources_cli.cmd_sources(settings, args, sys.stdout)
        if args.command == "replay":
            return cmd_replay(settings, args.input, args.summary, args.silences)
    except ConfigError as exc:
        print(f"newsmon: configuration error: {exc}", file=sys.stderr)
        return 2
    except BrokerError as exc:
        print(f"newsmon: broker: {exc}", file=sys.stderr)
        return 3
    return 1

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
import logging
import sys
from collections.abc import Sequence

from newsmon.broker import BrokerError
from newsmon.cli import broker, config, replay, rules, run, silences, sources
from newsmon.settings import ConfigError

log = logging.getLogger("newsmon.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsmon", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", "-c", help="TOML config file (default: $NEWSMON_CONFIG, ./newsmon.toml, "
                                               "or the packaged demo config)")
    sub = parser.add_subparsers(dest="command", required=True)
    run.add_arguments(sub)
    broker.add_arguments(sub)
    config.add_arguments(sub)
    sources.add_arguments(sub)
    rules.add_arguments(sub)
    silences.add_arguments(sub)
    replay.add_arguments(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "config" and args.action == "default":
        sys.stdout.write(config.default_text())
        return 0
    try:
        settings = config.load_settings(args.config)
        if args.command in config.COMMANDS:
            return config.check(settings, sys.stdout)
        if args.command in broker.COMMANDS:
            return broker.cmd(settings, args.action, sys.stdout)
        if args.command in run.COMMANDS:
            return run.cmd(settings, args)
        if args.command in rules.COMMANDS:
            return rules.cmd(settings, args, sys.stdout)
        if args.command in silences.COMMANDS:
            return silences.cmd(settings, args, sys.stdout)
        if args.command in sources.COMMANDS:
            return sources.cmd_sources(settings, args, sys.stdout)
        if args.command in replay.COMMANDS:
            return replay.cmd(settings, args, sys.stdout)
    except ConfigError as exc:
        print(f"newsmon: configuration error: {exc}", file=sys.stderr)
        return 2
    except BrokerError as exc:
        print(f"newsmon: broker: {exc}", file=sys.stderr)
        return 3
    return 1

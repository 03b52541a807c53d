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

A user error (a missing or malformed file, a bad url or option, a bad configuration) is one line
on stderr and exit status 2.  An internal error is one line too (status 1); --debug shows its
traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from newsmon.broker import BrokerError
from newsmon.cli import broker, config, replay, rules, run, silences, sources
from newsmon.cli.errors import Parser, UserError
from newsmon.settings import ConfigError

log = logging.getLogger("newsmon.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="newsmon", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", "-c", help="TOML config file (default: $NEWSMON_CONFIG, ./newsmon.toml, "
                                               "or the packaged demo config)")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
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
    try:
        return _dispatch(args)
    except ConfigError as exc:
        print(f"newsmon: configuration error: {exc}", file=sys.stderr)
        return 2
    except UserError as exc:
        print(f"newsmon: {exc}", file=sys.stderr)
        return 2
    except BrokerError as exc:
        print(f"newsmon: broker: {exc}", file=sys.stderr)
        return 3
    except Exception as exc:
        if args.debug:
            raise
        print(f"newsmon: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
              file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "config" and args.action == "default":
        sys.stdout.write(config.default_text())
        return 0
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
    raise UserError(f"unknown command {args.command!r}")

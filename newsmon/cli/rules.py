"""`newsmon rules check`: validate the rules and channels, optionally backtest them on a file.

`newsmon silence` is in `newsmon.cli.silences`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from newsmon.cli.errors import reading
from newsmon.rules import build_rules
from newsmon.settings import Settings

COMMANDS = ("rules",)


def add_arguments(subparsers: Any) -> None:
    rules = subparsers.add_parser("rules", help="check the configured alert rules")
    rules_sub = rules.add_subparsers(dest="rules_action", required=True)
    check = rules_sub.add_parser("check", help="validate the rules and channels; optionally backtest them")
    check.add_argument("--replay", metavar="FILE.jsonl", help="also count the alerts each rule fires on a file")


def cmd(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    """``rules check``."""
    return _check(settings, args, out)


def _check(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    rules = build_rules(settings.rules)  # settings were validated on load; this cannot fail here
    for rule, conf in zip(rules, settings.rules, strict=True):
        options = ", ".join(f"{k}={v}" for k, v in sorted(conf.options.items()))
        topic = conf.topic or f"{conf.name} (no topic set: the rule's name)"
        out.write(f"ok  {rule.name:<24} {conf.kind:<16} topic={topic} "
                  f"severity={conf.severity}{' ' + options if options else ''}\n")
    for channel in settings.channels:
        out.write(f"ok  channel {channel}\n")
    if args.replay:
        from newsmon.replay import load_entries, run

        counts: dict[str, dict[str, int]] = {r.name: {} for r in rules}
        entries = reading(args.replay, lambda: load_entries(Path(args.replay)))
        for step in run(entries, settings, rules):
            for alert in step.alerts:
                what = alert.suppressed or alert.kind.value
                counts[alert.rule][what] = counts[alert.rule].get(what, 0) + 1
        for name, by_kind in counts.items():
            summary = ", ".join(f"{n} {k}" for k, n in sorted(by_kind.items())) or "no alerts"
            out.write(f"replay {name}: {summary}\n")
    out.write(f"{len(rules)} rules, {len(settings.channels)} channels: ok\n")
    return 0

"""`newsmon replay FILE`: the backtest's command line (the run itself is `newsmon.replay`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO

from newsmon.cli.errors import reading
from newsmon.settings import Settings

COMMANDS = ("replay",)


def add_arguments(subparsers: Any) -> None:
    replay = subparsers.add_parser("replay", help="run detection and rules over a JSON-lines file, in-process")
    replay.add_argument("input", help="JSON lines: id, published, title, body[, author, source, url]")
    replay.add_argument("--summary", action="store_true", help="print a table instead of JSON lines")


def cmd(settings: Settings, args: Any, out: TextIO) -> int:
    from newsmon.replay import replay_file

    return reading(args.input, lambda: replay_file(settings, Path(args.input), out, summary=args.summary))

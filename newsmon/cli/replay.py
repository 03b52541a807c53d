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
    replay.add_argument("--silences", metavar="FILE", help="apply the silences of this file (as `newsmon silence` "
                                                            "writes it), whatever their start and end")


def cmd(settings: Settings, args: Any, out: TextIO) -> int:
    from newsmon import silences
    from newsmon.replay import replay_file

    held = reading(args.silences, lambda: silences.load(Path(args.silences))) if args.silences else []
    return reading(
        args.input, lambda: replay_file(settings, Path(args.input), out, summary=args.summary, silences=held)
    )

"""`newsmon silence add|list|expire`: hold back matching alerts for a while."""

from __future__ import annotations

import argparse
import getpass
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from newsmon import silences
from newsmon.routing import Silence, parse_matchers
from newsmon.settings import Settings, parse_duration

COMMANDS = ("silence",)


def add_arguments(subparsers: Any) -> None:
    silence = subparsers.add_parser("silence", help="hold back matching alerts for a while")
    silence_sub = silence.add_subparsers(dest="silence_action", required=True)
    add = silence_sub.add_parser("add", help="add a silence")
    add.add_argument("matchers", nargs="+", metavar="LABEL=GLOB",
                     help="labels: rule, severity, kind, story, source, place, claimant, topic")
    add.add_argument("--for", dest="duration", default="2h", help="how long (default 2h)")
    add.add_argument("--comment", default="", help="why")
    add.add_argument("--by", default="", help="who (default: the current user)")
    silence_sub.add_parser("list", help="list active silences")
    expire = silence_sub.add_parser("expire", help="end a silence now")
    expire.add_argument("id", help="silence id (a unique prefix is enough)")


def cmd(settings: Settings, args: argparse.Namespace, out: TextIO, now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    path = silences.path_for(settings)
    try:
        if args.silence_action == "add":
            return _add(path, args, out, now)
        if args.silence_action == "list":
            return _list(path, out, now)
        if silences.expire(path, args.id, now):
            out.write(f"expired {args.id}\n")
            return 0
    except ValueError as exc:
        out.write(f"newsmon: silence: {exc}\n")
        return 2
    out.write(f"newsmon: silence: no single silence with id {args.id!r}\n")
    return 1


def _add(path: Path, args: argparse.Namespace, out: TextIO, now: datetime) -> int:
    seconds = parse_duration(args.duration)
    if seconds <= 0:
        raise ValueError("--for must be positive")
    silence = Silence(id=uuid.uuid4().hex[:12], matchers=parse_matchers(args.matchers),
                      ends=now + timedelta(seconds=seconds), starts=now,
                      created_by=args.by or getpass.getuser(), comment=args.comment)
    silences.add(path, silence, now)
    out.write(f"{silence.id} until {silence.ends.isoformat(timespec='seconds')} ({path})\n")
    return 0


def _list(path: Path, out: TextIO, now: datetime) -> int:
    active = [s for s in silences.load(path) if s.active(now)]
    for s in active:
        matchers = " ".join(f"{k}={v}" for k, v in s.matchers.items())
        out.write(f"{s.id}  until {s.ends.isoformat(timespec='seconds')}  {matchers}  "
                  f"by {s.created_by or '-'}{'  # ' + s.comment if s.comment else ''}\n")
    if not active:
        out.write("no active silences\n")
    return 0

"""Replay files (JSON Lines) -> entries, for tests, backfills and demos.

One JSON object per line::

    {"id": "E01", "published": "2023-02-15T15:20:00Z", "title": "…", "body": "…",
     "author": "…", "source": "seed-liveblog", "url": "https://…"}

Only ``id`` is required; ``title``, ``body``, ``published``, ``author``,
``source``, ``url``, ``modified`` and ``flags`` (a list of `Flag` values such
as ``"pinned"``) are optional.  Text is
plain text: it is normalised with `newsmon.text.normalise`, not read as HTML.

* ``source``: the line's own ``source`` when it has one, else the `source`
  argument, so one file can replay several publishers.
* ``published``: parsed like any date (`parsing.parse_datetime`); missing or
  unreadable -> ``now``, FIRST_SEEN.

Ids are kept as given: identity is the source plus the id, so the same id in
two sources is two entries, and a line repeating an earlier identity is that
entry seen again -- dropped downstream when unchanged, an update when edited
(exact dedup, as on the live path).

Blank lines are skipped.  A line that is not a JSON object, or lacks ``id``, is
reported (``file:line: reason``) and skipped, and the other lines go on
(`parse_lines` returns the reports, `parse` logs them); an input that has no
line at all, or no line that could be read, raises `ParseError`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from newsmon.model import Entry, Flag

from .parsing import ParseError, build_entry, decode_bytes, load_json, parse_datetime

__all__ = ["parse", "parse_lines"]

log = logging.getLogger("newsmon.connectors.replay")

_FLAGS = {flag.value: flag for flag in Flag}


def parse_lines(data: bytes, url: str = "", *, source: str, now: datetime) -> tuple[list[Entry], list[str]]:
    """(entries, problems) of the JSONL in `data`, in file order: a malformed line is skipped and
    named in `problems` (``file:line: reason``); the other lines go on.  Raises `ParseError` for an
    input with no line, or with no line that could be read."""
    text = decode_bytes(data)
    where = url or "replay"
    entries: list[Entry] = []
    problems: list[str] = []
    lines = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        lines += 1
        try:
            entries.append(_line(line, f"{where}:{number}", source=source, now=now))
        except ParseError as error:
            problems.append(str(error))
        except (ValueError, TypeError) as error:  # a field of a shape nothing expected
            problems.append(f"{where}:{number}: {error}")
    if not lines:
        raise ParseError(f"{where}: empty replay file")
    if not entries:
        more = f" (and {len(problems) - 1} more bad lines)" if len(problems) > 1 else ""
        raise ParseError(f"{problems[0]}{more}")
    return entries, problems


def parse(data: bytes, url: str = "", *, source: str, now: datetime, **options: Any) -> list[Entry]:
    """Entries of the JSONL in `data`, in file order; `url` names the file in messages.  Malformed
    lines are logged (``file:line: reason``) and skipped; see `parse_lines`."""
    entries, problems = parse_lines(data, url, source=source, now=now)
    for problem in problems:
        log.warning("replay: %s (line skipped)", problem)
    return entries


def _line(line: str, where: str, *, source: str, now: datetime) -> Entry:
    try:
        row = load_json(line)
    except ValueError as error:
        reason = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
        raise ParseError(f"{where}: not JSON ({reason})") from error
    if not isinstance(row, Mapping):
        raise ParseError(f"{where}: expected a JSON object, got {type(row).__name__}")
    return _entry(row, where, source=source, now=now)


def _text(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    return value if isinstance(value, str) else ""


def _entry(row: Mapping[str, Any], where: str, *, source: str, now: datetime) -> Entry:
    entry_id = row.get("id")
    if entry_id is None or str(entry_id).strip() == "":
        raise ParseError(f"{where}: line has no 'id'")
    flags = {_FLAGS[str(f)] for f in row.get("flags") or [] if str(f) in _FLAGS}
    return build_entry(
        source=_text(row, "source") or source,
        entry_id=str(entry_id).strip(),
        title=_text(row, "title"),
        body=_text(row, "body"),
        url=_text(row, "url"),
        author=_text(row, "author"),
        published=parse_datetime(row.get("published")),
        modified=parse_datetime(row.get("modified")),
        flags=flags,
        now=now,
    )

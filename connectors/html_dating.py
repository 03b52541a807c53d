"""Dating the posts of a plain-HTML live blog whose posts give only a time of day.

Days of time-only posts ("15:20")
    From the post's date heading when ``date`` is set and one applies; else a
    running day: it starts at the `day` option, else the page's own
    modification/publication date (JSON-LD ``dateModified``, ``datePublished``,
    ``startDate``; ``article:modified_time``/``article:published_time`` meta),
    else `now`, all in the layout's ``tz``.  Walking the posts in page order
    (newest first unless ``newest_first=False``), a time more than three hours
    *later* than the previous post's means midnight was crossed and the day
    goes back by one.  Pinned posts stand out of order and do not move the
    running day.  A post whose time is a full date ("Tuesday 14 February 2023
    10:30") sets the running day itself.  A time after the page's modification
    time (or after `now`) belongs to the day before.  These rules are
    heuristics: a blog with a silent gap of more than 21 hours between two
    time-only posts cannot be dated right without date headings.

`date_headings` finds the page's day headings and `heading_day` the one that
dates a post; `page_anchor` gives the day to start from and the latest time a
post can have; `Dater` keeps the running day while the posts are walked.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from .html_layout import Selectors, css_select
from .parsing import TimeOfDay, at_time_of_day, jsonld_blocks, parse_datetime, parse_day, to_utc, walk_json

__all__ = ["Dater", "date_headings", "heading_day", "page_anchor"]

_ROLLOVER_MINUTES = 180
_FUTURE_TOLERANCE = timedelta(minutes=10)
_MAX_DATE_HEADING = 80  # characters; longer text is a post, not a day heading


def date_headings(
    doc: Any, layout: Selectors, position: Mapping[Any, int], post_ids: set[int]
) -> list[tuple[int, date]]:
    headings = []
    for element in css_select(doc, layout.date, self_too=True):
        if id(element) in post_ids:
            continue
        text = " ".join(str(element.text_content()).split())
        found = parse_day(text) if len(text) <= _MAX_DATE_HEADING else None
        if found is not None:
            headings.append((position[element], found))
    return sorted(headings)


def heading_day(headings: list[tuple[int, date]], where: int, scope: str) -> date | None:
    if scope == "following":
        before = [day for at, day in headings if at < where]
        return before[-1] if before else None
    after = [day for at, day in headings if at > where]
    return after[0] if after else None


def page_anchor(doc: Any, day: date | None, now: datetime, zone: tzinfo) -> tuple[date, datetime]:
    """The day to start dating time-only posts from, and the latest time a post can have."""
    now = to_utc(now)
    if day is not None:
        return day, now
    modified: datetime | None = None
    started: datetime | None = None
    for block in jsonld_blocks(doc):
        for node in walk_json(block):
            modified = modified or parse_datetime(node.get("dateModified"))
            for key in ("datePublished", "startDate", "uploadDate"):
                started = started or parse_datetime(node.get(key))
    for prop, value in ((str(m.get("property") or m.get("name") or ""), m.get("content")) for m in doc.iter("meta")):
        if prop in ("article:modified_time", "og:updated_time"):
            modified = modified or parse_datetime(value)
        elif prop == "article:published_time":
            started = started or parse_datetime(value)
    if modified is not None:
        return modified.astimezone(zone).date(), min(modified, now)
    if started is not None:
        return started.astimezone(zone).date(), now
    return now.astimezone(zone).date(), now


class Dater:
    """Gives time-only posts a day, walking the posts in page order (see the module doc)."""

    def __init__(self, day: date, bound: datetime, zone: tzinfo, newest_first: bool) -> None:
        self.day, self.bound, self.zone, self.newest_first = day, bound, zone, newest_first
        self.last: int | None = None  # minutes of the day of the previous unpinned post

    def full(self, when: datetime) -> None:
        local = when.astimezone(self.zone)
        self.day, self.last = local.date(), local.hour * 60 + local.minute

    def clock(self, clock: TimeOfDay, *, pinned: bool) -> datetime:
        step = timedelta(days=-1 if self.newest_first else 1)
        if not pinned and self.last is not None:
            later = clock.minutes - self.last
            if (later > _ROLLOVER_MINUTES) if self.newest_first else (later < -_ROLLOVER_MINUTES):
                self.day += step
        when = at_time_of_day(self.day, clock, self.zone)
        if when > self.bound + _FUTURE_TOLERANCE:
            when = at_time_of_day(self.day - timedelta(days=1), clock, self.zone)
            if not pinned and self.last is None:
                self.day -= timedelta(days=1)
        if not pinned:
            self.last = clock.minutes
        return when

"""Plain-HTML live blogs and tickers, configured with CSS selectors -> entries.

A `Selectors` value describes one page layout.  CSS selectors cover most of it;
what CSS cannot express is a handful of explicit options, each used by a real
layout:

* ``split=True``: a post is not an element but a *heading plus the siblings
  after it* up to the next post heading (BR24: ``<h2>12.31 Uhr: …</h2><p>…``).
* ``entry_pattern``: a regex the post element's text must match, so that other
  headings in the same place are not posts.
* ``time_in_title``: the time is the title's prefix ("12.31 Uhr: Headline",
  "19:02 (IST) …") and is cut off the title.
* ``date`` + ``date_scope``: page-level headings that give the day of
  time-only posts ("Dienstag, 27. August 2024"), and whether a heading dates the
  posts after it (``"following"``, the usual layout) or before it
  (``"preceding"``, as in the BR capture, where the day heading trails the
  day's posts).
* ``require_time``: posts without a time are dropped (widgets, result cards).

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

Times from a ``datetime`` attribute holding a full date are SOURCE times;
times read from text are TEXT times; posts without time are dated `now`
(FIRST_SEEN) unless ``require_time``.

Ids: the ``id_attr`` attribute of the post element, else the fragment (or the
address) of the ``link`` element's href, else a hash of the time as written and
the title (or body when there is no title).

A page on which neither ``container`` (when given) nor any post is found raises
`ParseError`: it is an error page or the layout changed, not an empty blog.
A page whose ``container`` is present but holds no post gives ``[]``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any, Literal

import lxml.etree
import lxml.html
from cssselect import HTMLTranslator, SelectorError

from newsmon.model import Entry, Flag, TimeSource
from newsmon.text import html_to_text

from .parsing import (
    ParseError,
    TimeOfDay,
    absolute_url,
    at_time_of_day,
    build_entry,
    clean_title,
    decode_bytes,
    dedupe_ids,
    describe_document,
    fallback_id,
    get_zone,
    html_document,
    jsonld_blocks,
    parse_datetime,
    parse_day,
    parse_time_of_day,
    split_time_prefix,
    to_utc,
    url_fragment,
    walk_json,
)

__all__ = ["PRESETS", "Selectors", "parse"]

_ROLLOVER_MINUTES = 180
_FUTURE_TOLERANCE = timedelta(minutes=10)
_MAX_DATE_HEADING = 80  # characters; longer text is a post, not a day heading
_ISO_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class Selectors:
    """How to find posts and their parts on one HTML layout.

    All selectors are CSS (as understood by ``cssselect``).  ``entry`` and
    ``container`` and ``date`` apply to the whole page; the others apply inside
    one post.  ``None`` means "the layout has no such part".
    """

    entry: str  # one match per post; with split=True, the heading that starts a post
    title: str | None = None  # in split mode, None means the post heading itself
    time: str | None = None  # value from @datetime, else @content, else the text
    author: str | None = None  # all matches, joined with ", "
    body: str | None = None  # all matches joined; None = the post minus title/time/author
    pinned: str | None = None  # post is PINNED when it matches or contains a match
    key_event: str | None = None  # likewise for KEY_EVENT
    id_attr: str | None = None  # attribute of the post element holding a stable id
    link: str | None = None  # permalink element (an <a href>) inside the post
    date: str | None = None  # page-level day headings ("Dienstag, 27. August 2024")
    date_scope: Literal["following", "preceding"] = "following"
    container: str | None = None  # must exist on a real page of this layout
    exclude: str | None = None  # removed before the body is read (bylines, captions, widgets)
    split: bool = False
    entry_pattern: str | None = None  # regex the post element's text must match (search)
    time_in_title: bool = False
    require_time: bool = False
    tz: str = "UTC"  # zone of times without offset: IANA name, "+05:30" or "BST"
    newest_first: bool = True


PRESETS: dict[str, Selectors] = {
    # BR24 "News-Ticker" (br.de/nachrichten): posts are <h2>HH.MM Uhr: Headline</h2>
    # followed by <p>s inside the article body; the day is an <h2> heading that,
    # in the capture we have, comes after the day's posts.  The summary list at
    # the top ("… (05.19 Uhr)") is not a post.
    "br24": Selectors(
        container="section#articlebody",
        entry="section#articlebody h2",
        split=True,
        entry_pattern=r"^\s*\d{1,2}[.:]\d{2}\s*Uhr\s*:",
        time_in_title=True,
        date="section#articlebody h2",
        date_scope="preceding",
        tz="Europe/Berlin",
    ),
    # WP SportoweFakty "Relacja na żywo": each post is a div.coventry with its time
    # in aside > time.  Heat-result cards and pre-match notes have no time and are
    # dropped (require_time); times elsewhere on the page (fixtures, video
    # lengths) are outside the posts.  Highlighted posts (results) are key events.
    "sportowefakty": Selectors(
        container="div.coveragelist",
        entry="div.coveragelist > div.coventry",
        time="aside.coventry__aside > time",
        body="div.coventry__body",
        id_attr="id",
        key_event=".coventry--highlight",
        exclude="script, style, .emotions",
        require_time=True,
        tz="Europe/Warsaw",
    ),
}


@lru_cache(maxsize=256)
def _xpath(css: str, prefix: str) -> Any:
    try:
        expression = HTMLTranslator().css_to_xpath(css, prefix=prefix)
    except SelectorError as error:
        raise ValueError(f"bad CSS selector {css!r}: {error}") from error
    return lxml.etree.XPath(expression)


def _select(element: Any, css: str | None, *, self_too: bool = False) -> list[Any]:
    if not css:
        return []
    return list(_xpath(css, "descendant-or-self::" if self_too else "descendant::")(element))


def parse(
    data: bytes,
    url: str,
    *,
    source: str,
    now: datetime,
    selectors: Selectors | Mapping[str, Any] | None = None,
    preset: str | None = None,
    day: date | None = None,
    content_type: str = "",
    **options: Any,
) -> list[Entry]:
    """Entries of the page in `data`, in page order.

    Give the layout as `selectors` or by `preset` name (see `PRESETS`).  `day`
    is the day of the newest time-only post when the page does not say it.
    Unknown `options` are ignored.
    """
    layout = _layout(selectors, preset)
    zone = get_zone(layout.tz)
    text = decode_bytes(data, content_type)
    doc = html_document(text, url or "page")
    where = url or "page"

    if layout.container and not _select(doc, layout.container, self_too=True):
        raise ParseError(f"{where}: no element matches container {layout.container!r} in {describe_document(text)}")
    posts = _posts(doc, layout)
    if not posts and not layout.container:
        raise ParseError(f"{where}: no element matches entry {layout.entry!r} in {describe_document(text)}")

    position = {element: index for index, element in enumerate(doc.iter())}
    headings = _date_headings(doc, layout, position, {id(p.anchor) for p in posts})
    anchor_day, bound = _anchor(doc, day, now, zone)
    dater = _Dater(anchor_day, bound, zone, layout.newest_first)

    entries: list[Entry] = []
    for post in posts:
        entry = _entry(post, layout, dater, headings, position, url, source=source, now=now, zone=zone)
        if entry is not None:
            entries.append(entry)
    return dedupe_ids(entries)


def _layout(selectors: Selectors | Mapping[str, Any] | None, preset: str | None) -> Selectors:
    if isinstance(selectors, Mapping):  # a `selectors = {...}` table from the config file
        known = {f.name for f in fields(Selectors)}
        unknown = sorted(set(selectors) - known)
        if unknown:
            raise ValueError(f"unknown selector keys {unknown}; known: {', '.join(sorted(known))}")
        if "entry" not in selectors:
            raise ValueError("selectors need at least 'entry' (the CSS selector of one post)")
        return Selectors(**selectors)
    if selectors is not None:
        return selectors
    if preset is None:
        raise ValueError("html_selectors.parse needs selectors= or preset=")
    try:
        return PRESETS[preset]
    except KeyError:
        raise ValueError(f"unknown preset {preset!r}; known: {', '.join(sorted(PRESETS))}") from None


# --------------------------------------------------------------------------- posts


@dataclass
class _Post:
    anchor: Any  # the post's element in the page (the heading in split mode)
    content: Any  # a private copy holding the whole post


def _posts(doc: Any, layout: Selectors) -> list[_Post]:
    pattern = re.compile(layout.entry_pattern) if layout.entry_pattern else None
    matches = [
        element
        for element in _select(doc, layout.entry, self_too=True)
        if pattern is None or pattern.search(" ".join(str(element.text_content()).split()))
    ]
    if not layout.split:
        return [_Post(element, copy.deepcopy(element)) for element in matches]
    starts = {id(element) for element in matches}
    posts = []
    for heading in matches:
        wrapper = lxml.html.Element("div")
        wrapper.append(copy.deepcopy(heading))
        sibling = heading.getnext()
        while sibling is not None and id(sibling) not in starts and sibling.tag != heading.tag:
            wrapper.append(copy.deepcopy(sibling))
            sibling = sibling.getnext()
        posts.append(_Post(heading, wrapper))
    return posts


def _text(element: Any) -> str:
    return html_to_text(lxml.html.tostring(element, encoding="unicode", with_tail=False))


def _drop(element: Any) -> None:
    """Remove `element` (keeping its tail text), and a parent it leaves without words."""
    parent = element.getparent()
    if parent is None:
        return
    element.drop_tree()
    if parent.getparent() is not None and not any(c.isalnum() for c in str(parent.text_content())):
        parent.drop_tree()


# --------------------------------------------------------------------------- dates


def _date_headings(
    doc: Any, layout: Selectors, position: Mapping[Any, int], post_ids: set[int]
) -> list[tuple[int, date]]:
    headings = []
    for element in _select(doc, layout.date, self_too=True):
        if id(element) in post_ids:
            continue
        text = " ".join(str(element.text_content()).split())
        found = parse_day(text) if len(text) <= _MAX_DATE_HEADING else None
        if found is not None:
            headings.append((position[element], found))
    return sorted(headings)


def _heading_day(headings: list[tuple[int, date]], where: int, scope: str) -> date | None:
    if scope == "following":
        before = [day for at, day in headings if at < where]
        return before[-1] if before else None
    after = [day for at, day in headings if at > where]
    return after[0] if after else None


def _anchor(doc: Any, day: date | None, now: datetime, zone: tzinfo) -> tuple[date, datetime]:
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


class _Dater:
    """Gives time-only posts a day, walking the posts in page order (see module doc)."""

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


# --------------------------------------------------------------------------- one post


def _time_value(element: Any) -> tuple[str, bool]:
    """The time text of a time element, and whether it came from a machine-readable attribute."""
    for attribute in ("datetime", "content"):
        value = element.get(attribute)
        if value and str(value).strip():
            return str(value).strip(), True
    return " ".join(str(element.text_content()).split()), False


def _entry(
    post: _Post,
    layout: Selectors,
    dater: _Dater,
    headings: list[tuple[int, date]],
    position: Mapping[Any, int],
    page_url: str,
    *,
    source: str,
    now: datetime,
    zone: tzinfo,
) -> Entry | None:
    work = post.content
    flags = set()
    if _select(work, layout.pinned, self_too=True):
        flags.add(Flag.PINNED)
    if _select(work, layout.key_event, self_too=True):
        flags.add(Flag.KEY_EVENT)

    links = _select(work, layout.link)
    href = absolute_url(page_url, str(links[0].get("href") or "")) if links else ""

    if layout.title:
        title_elements = _select(work, layout.title)[:1]
    else:
        title_elements = [work[0]] if layout.split and len(work) else []
    time_elements = _select(work, layout.time)[:1]
    author_elements = _select(work, layout.author)
    title = clean_title(str(title_elements[0].text_content())) if title_elements else ""
    raw_time, machine = _time_value(time_elements[0]) if time_elements else ("", False)
    authors = [clean_title(str(e.text_content())) for e in author_elements]

    for element in _select(work, layout.exclude):  # after reading the parts: exclude is about the body
        element.drop_tree()
    if layout.body:
        body = "\n\n".join(t for t in (_text(e) for e in _select(work, layout.body)) if t)
    else:
        for element in [*title_elements, *time_elements, *author_elements]:
            if element is not work:
                _drop(element)
        body = _text(work)

    # When
    clock: TimeOfDay | None = None
    full: datetime | None = None
    if raw_time:
        if _ISO_DATE.match(raw_time) or parse_day(raw_time) is not None:
            full = parse_datetime(raw_time, default_tz=zone)
        if full is None:
            clock = parse_time_of_day(raw_time)
    if layout.time_in_title and title:
        prefix, rest = split_time_prefix(title)
        if prefix is not None:
            raw_time = raw_time or title[: prefix.end]
            title = rest
            clock = clock or prefix
    if full is None and clock is None and layout.require_time:
        return None
    if not (title or body):
        return None

    pinned = Flag.PINNED in flags
    published: datetime | None = None
    published_from = TimeSource.TEXT
    if full is not None:
        published = full
        published_from = TimeSource.SOURCE if machine else TimeSource.TEXT
        if not pinned:
            dater.full(full)
    elif clock is not None:
        heading_day = _heading_day(headings, position[post.anchor], layout.date_scope) if headings else None
        published = at_time_of_day(heading_day, clock, zone) if heading_day else dater.clock(clock, pinned=pinned)

    # Who
    entry_id = str(post.anchor.get(layout.id_attr) or "").strip() if layout.id_attr else ""
    if not entry_id and href:
        entry_id = url_fragment(href) or href
    url = href or (f"{page_url}#{entry_id}" if page_url and entry_id and layout.id_attr == "id" else page_url)
    if not entry_id:
        entry_id = fallback_id(raw_time, title or body)

    return build_entry(
        source=source,
        entry_id=entry_id,
        title=title,
        body=body,
        url=url,
        author=", ".join(dict.fromkeys(a for a in authors if a)),
        published=published,
        published_from=published_from,
        flags=flags,
        now=now,
    )

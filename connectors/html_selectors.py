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
    running day kept while walking the posts in page order (see
    `newsmon.connectors.html_dating` for the rules and their limits).

Times from a ``datetime`` attribute holding a full date are SOURCE times;
times read from text are TEXT times; posts without time are dated `now`
(FIRST_SEEN) unless ``require_time``.

Ids: the ``id_attr`` attribute of the post element, else the fragment (or the
address) of the ``link`` element's href, else a hash of the time as written and
the title (or body when there is no title).

A page on which neither ``container`` (when given) nor any post is found raises
`ParseError`: it is an error page or the layout changed, not an empty blog.
A page whose ``container`` is present but holds no post gives ``[]``.

This module finds the posts and reads each one; the layout itself (`Selectors`,
`PRESETS`, CSS matching) is in `newsmon.connectors.html_layout`, importable
from here too, and the dating of time-only posts in
`newsmon.connectors.html_dating`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

import lxml.html

from newsmon.model import Entry, Flag, TimeSource
from newsmon.text import html_to_text

from .html_dating import Dater, date_headings, heading_day, page_anchor
from .html_layout import PRESETS, Selectors, css_select, layout_of
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
    parse_datetime,
    parse_day,
    parse_time_of_day,
    split_time_prefix,
    url_fragment,
)

__all__ = ["PRESETS", "Selectors", "parse"]

_ISO_DATE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")


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
    layout = layout_of(selectors, preset)
    zone = get_zone(layout.tz)
    text = decode_bytes(data, content_type)
    doc = html_document(text, url or "page")
    where = url or "page"

    if layout.container and not css_select(doc, layout.container, self_too=True):
        raise ParseError(f"{where}: no element matches container {layout.container!r} in {describe_document(text)}")
    posts = _posts(doc, layout)
    if not posts and not layout.container:
        raise ParseError(f"{where}: no element matches entry {layout.entry!r} in {describe_document(text)}")

    position = {element: index for index, element in enumerate(doc.iter())}
    headings = date_headings(doc, layout, position, {id(p.anchor) for p in posts})
    anchor_day, bound = page_anchor(doc, day, now, zone)
    dater = Dater(anchor_day, bound, zone, layout.newest_first)

    entries: list[Entry] = []
    for post in posts:
        entry = _entry(post, layout, dater, headings, position, url, source=source, now=now, zone=zone)
        if entry is not None:
            entries.append(entry)
    return dedupe_ids(entries)


# --------------------------------------------------------------------------- posts


@dataclass
class _Post:
    anchor: Any  # the post's element in the page (the heading in split mode)
    content: Any  # a private copy holding the whole post


def _posts(doc: Any, layout: Selectors) -> list[_Post]:
    pattern = re.compile(layout.entry_pattern) if layout.entry_pattern else None
    matches = [
        element
        for element in css_select(doc, layout.entry, self_too=True)
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
    dater: Dater,
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
    if css_select(work, layout.pinned, self_too=True):
        flags.add(Flag.PINNED)
    if css_select(work, layout.key_event, self_too=True):
        flags.add(Flag.KEY_EVENT)

    links = css_select(work, layout.link)
    href = absolute_url(page_url, str(links[0].get("href") or "")) if links else ""

    if layout.title:
        title_elements = css_select(work, layout.title)[:1]
    else:
        title_elements = [work[0]] if layout.split and len(work) else []
    time_elements = css_select(work, layout.time)[:1]
    author_elements = css_select(work, layout.author)
    title = clean_title(str(title_elements[0].text_content())) if title_elements else ""
    raw_time, machine = _time_value(time_elements[0]) if time_elements else ("", False)
    authors = [clean_title(str(e.text_content())) for e in author_elements]

    for element in css_select(work, layout.exclude):  # after reading the parts: exclude is about the body
        element.drop_tree()
    if layout.body:
        body = "\n\n".join(t for t in (_text(e) for e in css_select(work, layout.body)) if t)
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
        headed = heading_day(headings, position[post.anchor], layout.date_scope) if headings else None
        published = at_time_of_day(headed, clock, zone) if headed else dater.clock(clock, pinned=pinned)

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

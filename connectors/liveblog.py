"""schema.org ``LiveBlogPosting`` pages (JSON-LD or microdata) -> entries.

Where the updates are found
    Every ``application/ld+json`` block is read, however it is wrapped: several
    blocks, a top-level array, ``@graph``, nested nodes, types given as a list,
    with a URL prefix or in lower case.  A block that is not JSON (NDTV's has
    ``//`` comments) is retried without comments and otherwise skipped.  When no
    JSON-LD ``LiveBlogPosting`` has updates, microdata is read instead:
    ``itemprop="liveBlogUpdate"`` items, their values taken from ``content``,
    ``href``, ``src``, ``datetime`` or the text.  A page with neither raises
    `ParseError`; a live blog without updates gives ``[]``.

One update -> one entry
    * ``entry_id``: the update's ``@id`` (the fragment when it is a URL), else
      the fragment of its ``url`` (``…html/#liveblogPost1288914`` ->
      ``liveblogPost1288914``), else a hash of the raw ``datePublished`` and the
      title (or body), without the date when it is page-wide (see below).
      Fragments that merely count positions (``#post1`` …
      ``#postN`` in page order, Times of India) change meaning whenever a post
      is added, so they are replaced by the hash too (and the url by the page's).
    * ``title``: ``headline``, entities decoded.  A headline that repeats the
      page headline (the Guardian puts the page headline on every update) or
      that is just the start of the body (Times of India) is dropped; a leading
      time such as ``19:02(IST)`` is cut off.  A dropped title is replaced by
      the heading of the update's HTML block when the page has one.
    * ``body``: ``articleBody`` with tags stripped and entities decoded (the
      Guardian cuts it at 1000 characters; the full text only exists in HTML).
    * ``author``: string, Person, Organization or a list of them, joined by ", ".
    * ``published``/``modified``: ``datePublished``/``dateModified``.  When all
      updates carry one identical ``datePublished`` (the Guardian stamps the
      newest post's time on every update), those times are not the posts':
      the times are then taken from the HTML element of the update
      (``<article id="block-<id>">`` with ``<time datetime>``: the first is the
      publication, a later one the last edit), else from a time in the
      headline, else the entry is dated ``now`` as FIRST_SEEN.  The author list
      is then page-wide too, so the byline in the block's header is used.
    * ``flags``: from the Guardian page's embedded block data (``attributes``
      with ``pinned``/``keyEvent``/``summary``) and its pinned-post box.
      Other publishers put no flags in schema.org data.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newsmon.model import Entry, Flag, TimeSource

from .parsing import (
    ParseError,
    absolute_url,
    at_time_of_day,
    build_entry,
    clean_body,
    clean_title,
    decode_bytes,
    dedupe_ids,
    describe_document,
    fallback_id,
    flags_from_attributes,
    html_document,
    json_types,
    jsonld_blocks,
    loads_lenient,
    parse_datetime,
    split_time_prefix,
    url_fragment,
    walk_json,
)

__all__ = ["parse"]

_POSITIONAL = re.compile(r"^(\D*?)(\d+)$")
_ELLIPSIS = "…."


def parse(data: bytes, url: str, *, source: str, now: datetime, content_type: str = "", **options: Any) -> list[Entry]:
    """Entries of the live blog page in `data`, in page order.

    `url` is the page address: the fallback for update urls and the base for
    relative links.  Unknown `options` are ignored.
    """
    text = decode_bytes(data, content_type)
    doc = html_document(text, url or "page")
    blogs = _jsonld_blogs(doc)
    if not any(blog.updates for blog in blogs):
        blogs = _microdata_blogs(doc) or blogs
    if not blogs:
        what = describe_document(text)
        raise ParseError(f"{url or 'page'}: no schema.org LiveBlogPosting (JSON-LD or microdata) in {what}")
    page = _Page.read(doc)
    entries: list[Entry] = []
    seen: set[tuple[str, str]] = set()
    for blog in blogs:
        for entry in _blog_entries(blog, page, url, source=source, now=now):
            if (entry.entry_id, entry.content_hash) not in seen:  # the same update given twice
                seen.add((entry.entry_id, entry.content_hash))
                entries.append(entry)
    return dedupe_ids(entries)


@dataclass
class _Blog:
    node: Mapping[str, Any]
    updates: list[Mapping[str, Any]]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _jsonld_blogs(doc: Any) -> list[_Blog]:
    blogs: list[_Blog] = []
    for block in jsonld_blocks(doc):
        for node in walk_json(block):
            if "liveblogposting" in json_types(node):
                updates = [u for u in _as_list(node.get("liveBlogUpdate")) if isinstance(u, Mapping)]
                blogs.append(_Blog(node, updates))
    return blogs


# --------------------------------------------------------------------------- microdata

_URL_TAGS = {
    "a": "href",
    "area": "href",
    "link": "href",
    "img": "src",
    "audio": "src",
    "video": "src",
    "source": "src",
    "iframe": "src",
    "embed": "src",
    "track": "src",
    "object": "data",
}


def _microdata_value(element: Any) -> str:
    tag = str(element.tag).lower()
    if tag == "meta" or element.get("content") is not None:
        return str(element.get("content") or "")
    if tag in _URL_TAGS:
        return str(element.get(_URL_TAGS[tag]) or "")
    if tag == "time" and element.get("datetime"):
        return str(element.get("datetime"))
    if tag in ("data", "meter"):
        return str(element.get("value") or "")
    return str(element.text_content())


def _microdata_item(element: Any) -> dict[str, Any]:
    """A microdata item as a JSON-LD-like dict (one value, or a list when repeated)."""
    props: dict[str, list[Any]] = {}

    def visit(node: Any) -> None:
        for child in node.iterchildren():
            if not isinstance(child.tag, str):
                continue
            names = str(child.get("itemprop") or "").split()
            scoped = child.get("itemscope") is not None
            if names:
                value: Any = _microdata_item(child) if scoped else _microdata_value(child)
                for name in names:
                    props.setdefault(name, []).append(value)
            if not scoped:
                visit(child)

    visit(element)
    item: dict[str, Any] = {name: values[0] if len(values) == 1 else values for name, values in props.items()}
    if element.get("itemtype"):
        item["@type"] = str(element.get("itemtype")).split()
    if element.get("itemid"):
        item["@id"] = str(element.get("itemid"))
    return item


def _microdata_blogs(doc: Any) -> list[_Blog]:
    blogs: list[_Blog] = []
    lower_type = "translate(@itemtype, 'LIVEBOGPSTN', 'livebogpstn')"
    for element in doc.xpath(f"//*[@itemscope][contains({lower_type}, 'liveblogposting')]"):
        item = _microdata_item(element)
        updates = [u for u in _as_list(item.get("liveBlogUpdate")) if isinstance(u, Mapping)]
        blogs.append(_Blog(item, updates))
    if blogs and not any(blog.updates for blog in blogs):
        # Updates outside the LiveBlogPosting element (itemref layouts): take them from anywhere.
        found = doc.xpath("//*[@itemscope][contains(concat(' ', normalize-space(@itemprop), ' '), ' liveBlogUpdate ')]")
        blogs[0].updates = [_microdata_item(element) for element in found]
    return blogs


# --------------------------------------------------------------------------- page extras


@dataclass
class _Page:
    """What the HTML around the structured data says about updates."""

    elements: dict[str, Any] = field(default_factory=dict)  # element id -> element
    flags: dict[str, set[Flag]] = field(default_factory=dict)  # block id -> flags

    @classmethod
    def read(cls, doc: Any) -> _Page:
        page = cls()
        for element in doc.iter():
            if isinstance(element.tag, str) and element.get("id"):
                page.elements.setdefault(str(element.get("id")), element)
        # Guardian: block data (with attributes) embedded as JSON in island props.
        for element in doc.xpath("//*[@props]"):
            try:
                props = loads_lenient(str(element.get("props")))
            except ValueError:
                continue
            for node in walk_json(props):
                if isinstance(node.get("id"), str) and isinstance(node.get("attributes"), Mapping):
                    page.flags.setdefault(node["id"], set()).update(flags_from_attributes(node["attributes"]))
        # Guardian: the pinned-post box links to the pinned block.
        for box in doc.xpath("//*[contains(@id,'pinned-post') or contains(@data-component,'pinned-post')]"):
            for href in box.xpath(".//a/@href"):
                fragment = url_fragment(str(href))
                if fragment:
                    page.flags.setdefault(fragment.removeprefix("block-"), set()).add(Flag.PINNED)
        return page

    def element_for(self, entry_id: str) -> tuple[str, Any] | tuple[None, None]:
        for anchor in (f"block-{entry_id}", entry_id):
            if anchor in self.elements:
                return anchor, self.elements[anchor]
        return None, None


def _element_times(element: Any) -> tuple[datetime | None, datetime | None]:
    times = [t for t in (parse_datetime(str(v)) for v in element.xpath(".//time/@datetime")) if t is not None]
    if not times:
        return None, None
    later = [t for t in times[1:] if t != times[0]]
    return times[0], (later[-1] if later else None)


def _element_byline(element: Any) -> str:
    """The byline in an update element's header: its text without the time link and the heading."""
    for header in element.xpath("./header | .//header")[:1]:
        header = copy.deepcopy(header)
        for drop in header.xpath(".//a[.//time] | .//time | .//h2 | .//h3 | .//script | .//style"):
            drop.drop_tree()
        return clean_title(str(header.text_content()))
    return ""


def _element_heading(element: Any) -> str:
    for heading in element.xpath(".//header//h2 | .//header//h3"):
        text = clean_title(str(heading.text_content()))
        if text:
            return text
    return ""


# --------------------------------------------------------------------------- updates


def _names(value: Any) -> list[str]:
    names: list[str] = []
    for item in _as_list(value):
        if isinstance(item, str):
            names.append(clean_title(item))
        elif isinstance(item, Mapping):
            names.extend(_names(item.get("name")))
    return [name for name in names if name]


def _text_value(value: Any) -> str:
    """A JSON-LD text value (a string, a language-tagged ``{"@value": …}`` or a list)."""
    if isinstance(value, list):
        return " ".join(_text_value(v) for v in value)
    if isinstance(value, Mapping):
        return _text_value(value.get("@value"))
    return value if isinstance(value, str) else ""


def _node_url(node: Mapping[str, Any], *keys: str) -> str:
    for key in keys:
        value = node.get(key)
        if isinstance(value, Mapping):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    return ""


def _fix_update_url(url: str) -> str:
    """``…/page.html/#post`` (a slash before the fragment after a file name) -> ``…/page.html#post``."""
    return re.sub(r"(\.[A-Za-z0-9]{2,5})/#", r"\1#", url)


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _repeats_body(title: str, body: str) -> bool:
    head = " ".join(title.split()).rstrip(_ELLIPSIS).casefold()
    return bool(head) and " ".join(body.split()).casefold().startswith(head)


def _positional(ids: Iterable[str]) -> bool:
    """True when fragments are a prefix and 1..N in page order ("post1", "post2", …), N >= 2.

    A single "post1" could be either; it is kept as an id.
    """
    numbers, prefixes = [], set()
    for value in ids:
        match = _POSITIONAL.match(value)
        if not match:
            return False
        prefixes.add(match.group(1))
        numbers.append(int(match.group(2)))
    return len(numbers) >= 2 and len(prefixes) == 1 and numbers == list(range(1, len(numbers) + 1))


def _blog_entries(blog: _Blog, page: _Page, page_url: str, *, source: str, now: datetime) -> list[Entry]:
    node = blog.node
    blog_url = _node_url(node, "url", "@id", "mainEntityOfPage") or page_url
    blog_headline = clean_title(_text_value(node.get("headline")) or _text_value(node.get("name")))
    raw_dates = [str(u.get("datePublished") or "") for u in blog.updates]
    page_wide_dates = len(blog.updates) > 1 and len(set(raw_dates)) == 1 and bool(raw_dates[0])
    page_day = parse_datetime(node.get("dateModified") or node.get("datePublished"))

    update_urls = [
        _fix_update_url(absolute_url(blog_url, _node_url(u, "url") or str(u.get("url") or ""))) for u in blog.updates
    ]
    fragments = [url_fragment(u) for u in update_urls]
    fragments_are_ids = not _positional(f for f in fragments if f)

    entries: list[Entry] = []
    for update, update_url, fragment in zip(blog.updates, update_urls, fragments, strict=True):
        raw_id = str(update.get("@id") or "").strip()
        if raw_id.startswith(("http://", "https://")):
            raw_id = url_fragment(raw_id) or raw_id
        entry_id = raw_id or (fragment if fragments_are_ids else "")

        body = clean_body(_text_value(update.get("articleBody")) or _text_value(update.get("text")))
        title = clean_title(_text_value(update.get("headline")) or _text_value(update.get("name")))
        if blog_headline and _same_text(title, blog_headline):
            title = ""
        clock, title = split_time_prefix(title)

        anchor, element = page.element_for(entry_id) if entry_id else (None, None)
        if not title and element is not None:
            title = _element_heading(element)
        if title and body and _repeats_body(title, body):
            title = ""

        author = ", ".join(dict.fromkeys(_names(update.get("author"))))
        published = parse_datetime(update.get("datePublished"))
        modified = parse_datetime(update.get("dateModified"))
        published_from = TimeSource.SOURCE
        if page_wide_dates or published is None:
            # The update's metadata is the page's: prefer what its HTML block says.
            published = modified = None
            if element is not None:
                published, modified = _element_times(element)
                author = _element_byline(element) if page_wide_dates else author
            if published is None and clock is not None and page_day is not None:
                day = page_day.astimezone(clock.tz).date() if clock.tz else page_day.date()
                published, published_from = at_time_of_day(day, clock), TimeSource.TEXT

        if not (title or body):
            continue
        if not entry_id:
            # A page-wide date moves with every new post: it must not be part of the id.
            raw_date = "" if page_wide_dates else str(update.get("datePublished") or "")
            entry_id = fallback_id(raw_date, title or body)
        url = update_url if (fragment and fragments_are_ids) or (not fragment and update_url != blog_url) else ""
        if not url and _node_url(update, "@id"):
            url = _node_url(update, "@id")
        if not url:
            url = f"{blog_url}#{anchor}" if anchor else blog_url

        entries.append(
            build_entry(
                source=source,
                entry_id=entry_id,
                title=title,
                body=body,
                url=url,
                author=author,
                published=published,
                published_from=published_from,
                modified=modified,
                flags=page.flags.get(entry_id, set()),
                now=now,
            )
        )
    return entries

"""RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom feeds -> entries, via feedparser.

feedparser reads the bytes and honours a declared encoding (Content-Type charset,
XML declaration, byte-order mark); bytes that declare none and are not UTF-8 are
detected first (`parsing.sniff_encoding`, charset-normalizer: a KOI8-R feed reads
as Cyrillic, a latin-1 one as windows-1252) and handed over as UTF-8.  The bytes are handed over in a
``BytesIO``: given raw bytes or a string, feedparser would first try to open
them as a file name or URL.

Per item:

* ``entry_id``: the guid / Atom id exactly as published (BBC's ``…#0``, ``…#1``
  suffixes stay distinct ids; a non-URL guid is not resolved against the feed's
  url, so the id does not change when the feed moves), else the link, else a
  hash of title and body.
  WordPress's ``<post-id>`` is never used (Al Jazeera repeats one value on every
  item).  Repeated ids within one feed are made unique by
  `parsing.dedupe_ids`.
* ``title``/``body``: text, entities decoded (also entities left inside CDATA,
  such as ``&#039;``); the body is ``content:encoded`` when present, else the
  description/summary.
* ``published``: pubDate / dc:date / Atom published, else updated; dates with
  non-English names (``Seg, 24 Set 2018``) or year-first numbers (``2020/1/10
  14:33:00``) are read by `parsing.parse_datetime`; a date only feedparser's
  clock-filling ISO 8601 fallback reads is unknown; no date (heise RDF) means
  first-seen ``now``.
* Items without title, body and link (a truncated last item) are dropped.

A document that is not a feed (an HTML error page, JSON, empty bytes, garbage)
raises `ParseError`; a valid feed without items returns ``[]``; a feed that
breaks off (feedparser's ``bozo``: "no element found", "unclosed token") gives
the entries before the break and a warning in `notes`.

feedparser is handed the feed through `hostile.defuse_feed` (character
references to no character, stray ``</width>``/``</height>``, elements with
over 1,000 attributes: what crashes it or takes it hours).  An exception that
still escapes feedparser (it records bad input as ``bozo``, so that is one of
its bugs) refuses the document with `ParseError` naming it.
"""

from __future__ import annotations

import html
import io
import re
import xml.sax
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import feedparser
from feedparser.datetimes.iso8601 import _parse_date_iso8601

from newsmon.model import Entry, TimeSource

from .hostile import defuse_charrefs, defuse_feed
from .parsing import (
    ParseError,
    absolute_url,
    build_entry,
    clean_body,
    clean_title,
    decode_bytes,
    dedupe_ids,
    describe_document,
    fallback_id,
    parse_datetime,
    root_element,
    sniff_encoding,
    to_utc,
)

__all__ = ["parse"]

_SNIFF = 4096  # bytes read to find the root element
_PAGE_ROOTS = frozenset({"html", "head", "body"})
_FEED_ELEMENT = re.compile(rb"<(?:[\w.-]+:)?(?:rss|feed|rdf)\b", re.IGNORECASE)  # anywhere: feedparser finds it too

_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")

_ASCII_PROBE = "&#;=<>\"' /x0123456789abcdefABCDEF"  # what `hostile.defuse_feed` reads and writes


def parse(data: bytes, url: str, *, source: str, now: datetime, content_type: str = "",
          notes: list[str] | None = None, **options: Any) -> list[Entry]:
    """Entries of the feed in `data`, in feed order.

    `url` is the feed's address (used to resolve relative links);
    `content_type` the HTTP Content-Type, whose charset wins over the
    document's own declaration.  A broken document (truncated, not well-formed
    XML) still gives the entries read before the break, and a warning is
    appended to `notes`.  Unknown `options` are ignored.
    """
    if not data.strip():
        raise ParseError(f"{url or 'feed'}: empty document, not a feed")
    if root_element(decode_bytes(data[:_SNIFF], content_type)) in _PAGE_ROOTS and not _FEED_ELEMENT.search(data):
        # a web page (a source configured with the wrong kind, an error page): feedparser would take
        # seconds to find nothing in a large or deeply nested one
        text = decode_bytes(data, content_type)
        raise ParseError(f"{url or 'feed'}: not an RSS/Atom/RDF feed but {describe_document(text)}")
    # No content-location: feedparser would resolve every id against it, so a non-URL guid
    # ("1559104147038") became "<fetch url dir>/1559104147038" and an http->https move or a
    # redirect re-emitted the whole feed as new.  Links are made absolute here (`absolute_url`).
    codec, declared = sniff_encoding(data, content_type)
    if not declared and codec != "utf-8":
        # feedparser would try UTF-8 and then windows-1252 (a KOI8-R feed became mojibake): hand it
        # the text as UTF-8, decoded with the detected codec
        data, codec = data.decode(codec).encode("utf-8"), "utf-8"
    data = _defused(data, codec)
    headers: dict[str, str] = {}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(
            io.BytesIO(data), response_headers=headers, sanitize_html=True, resolve_relative_uris=True
        )
    except Exception as error:  # feedparser records bad input as `bozo`; what escapes it is one of its bugs
        raise ParseError(f"{url or 'feed'}: feedparser failed on this document "
                         f"({type(error).__name__}: {str(error)[:200]})") from error
    version = str(parsed.get("version") or "")
    if not version:
        text = decode_bytes(data, content_type)
        reason = parsed.get("bozo_exception")
        detail = f" ({reason})" if reason else ""
        raise ParseError(f"{url or 'feed'}: not an RSS/Atom/RDF feed but {describe_document(text)}{detail}")

    entries: list[Entry] = []
    for item in parsed.get("entries", []):
        entry = _entry(item, url, source=source, now=now)
        if entry is not None:
            entries.append(entry)
    broken = parsed.get("bozo_exception")
    if notes is not None and isinstance(broken, xml.sax.SAXParseException):
        # not well-formed XML (feedparser's loose parser read on): a truncated download, a broken
        # generator -- not a healthy feed, though its entries so far are sent on
        notes.append(f"broken document: line {broken.getLineNumber()}, column {broken.getColumnNumber()}: "
                     f"{broken.getMessage()} ({len(entries)} entries read)")
    return dedupe_ids(entries)


def _defused(data: bytes, codec: str) -> bytes:
    """`data` through `hostile.defuse_feed`, in the same codec (the same object when nothing changed).

    A document whose bytes are not in `codec` after all (a UTF-16 byte-order mark on UTF-8 bytes:
    feedparser then reads them as UTF-8) also has its character references defused as ASCII bytes.
    """
    try:
        ascii_compatible = _ASCII_PROBE.encode(codec) == _ASCII_PROBE.encode("ascii")
    except (LookupError, UnicodeError):
        ascii_compatible = False
    raw = data.decode("latin-1")  # one character per byte: the bytes come back as they were
    if ascii_compatible:
        fixed = defuse_feed(raw)
        return data if fixed is raw else fixed.encode("latin-1")
    charrefs = defuse_charrefs(raw)
    if charrefs is not raw:
        data = charrefs.encode("latin-1")
    text = data.decode(codec, errors="replace")  # UTF-16/32, EBCDIC: re-encoded only when defused
    fixed = defuse_feed(text)
    return data if fixed is text else fixed.encode(codec, errors="replace")


def _text(value: Any, detail: Mapping[str, Any] | None) -> str:
    """Plain text of a feedparser text construct (title, summary, content)."""
    text = str(value or "")
    kind = str((detail or {}).get("type") or "")
    if "html" in kind or "xml" in kind:
        return text
    # Plain text still may carry entities that were escaped twice or kept in CDATA.
    return html.unescape(text) if _ENTITY.search(text) else html.escape(text, quote=False)


def _entry(parsed_item: Mapping[str, Any], feed_url: str, *, source: str, now: datetime) -> Entry | None:
    # A plain dict: feedparser's own mapping answers "updated" with the published
    # date (and a DeprecationWarning) when an item has no updated date.
    item = dict(parsed_item)
    title = clean_title(_text(item.get("title"), item.get("title_detail")))
    contents = [c for c in item.get("content") or [] if str(c.get("value") or "").strip()]
    if contents:
        body_source = _text(contents[0].get("value"), contents[0])
    else:
        body_source = _text(item.get("summary"), item.get("summary_detail"))
    body = clean_body(body_source)
    link = absolute_url(feed_url, str(item.get("link") or ""))
    if not (title or body or link):
        return None

    guid = str(item.get("id") or "").strip()
    entry_id = guid or link or fallback_id(title, body)

    published, published_from = _date(item, "published")
    updated, _ = _date(item, "updated")
    if published is None and updated is not None:
        published, published_from = updated, TimeSource.SOURCE
    return build_entry(
        source=source,
        entry_id=entry_id,
        title=title,
        body=body,
        url=link,
        author=_author(item),
        published=published,
        published_from=published_from,
        modified=updated,
        now=now,
    )


def _date(item: Mapping[str, Any], field: str) -> tuple[datetime | None, TimeSource]:
    """The item's date `field`: read by `parse_datetime`, else as feedparser read it -- unless only
    feedparser's ISO 8601 fallback reads it, which fills a missing year, month or day from the
    current clock (and reads the rest in the machine's zone): such a date is left unknown."""
    raw = item.get(field)
    value = parse_datetime(raw)
    if value is None:
        struct = item.get(f"{field}_parsed")
        if struct is not None and not (isinstance(raw, str) and _parse_date_iso8601(raw) is not None):
            value = to_utc(datetime(*struct[:6]))
    return value, TimeSource.SOURCE


def _author(item: Mapping[str, Any]) -> str:
    author = str(item.get("author") or "").strip()
    if author:
        return clean_title(author)
    names = [str(a.get("name") or "") for a in item.get("authors") or [] if isinstance(a, Mapping)]
    return ", ".join(clean_title(name) for name in names if name.strip())

"""Helpers shared by the connector parsers: errors, decoding, dates, ids, entries.

Everything here is pure (no I/O) and deterministic, so parsing the same bytes
twice gives equal entries.

Dates
    In `newsmon.connectors.dates` (re-exported here): `parse_datetime`,
    `parse_day`, `parse_time_of_day` and friends.

Ids
    Connectors prefer the publisher's ids (guid, block id, ``@id``, url
    fragment).  When there is none, `fallback_id` hashes the most stable fields
    the caller has (e.g. the raw publication time and the title); and
    `dedupe_ids` makes ids unique within one document (see there).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

import lxml.etree
import lxml.html

from newsmon.model import Entry, Flag, TimeSource
from newsmon.text import content_hash, html_to_text, normalise

from .dates import (
    TimeOfDay,
    at_time_of_day,
    get_zone,
    parse_datetime,
    parse_day,
    parse_time_of_day,
    split_time_prefix,
    to_utc,
)
from .encodings import charset_from_content_type, decode_bytes, guess_encoding, sniff_encoding
from .hostile import limit_attributes

__all__ = [
    "ParseError",
    "TimeOfDay",
    "absolute_url",
    "at_time_of_day",
    "build_entry",
    "charset_from_content_type",
    "clean_body",
    "clean_title",
    "decode_bytes",
    "dedupe_ids",
    "describe_document",
    "fallback_id",
    "flags_from_attributes",
    "get_zone",
    "guess_encoding",
    "html_document",
    "json_types",
    "jsonld_blocks",
    "load_json",
    "loads_lenient",
    "parse_datetime",
    "parse_day",
    "parse_time_of_day",
    "root_element",
    "scalar_text",
    "sniff_encoding",
    "split_time_prefix",
    "to_utc",
    "truthy",
    "url_fragment",
    "walk_json",
]


class ParseError(ValueError):
    """The bytes are not a document of the expected kind (error page, garbage, empty).

    Raised instead of returning ``[]``: an empty list means "a valid document
    with no entries", never "could not read it".
    """


# --------------------------------------------------------------------------- documents


_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def describe_document(text: str, limit: int = 80) -> str:
    """A short human description of a document, for error messages."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        return "an empty document"
    lower = stripped[:2000].lower()
    if "<html" in lower or "<!doctype html" in lower or "<body" in lower or "<head" in lower:
        match = _TITLE_RE.search(stripped[:20000])
        title = " ".join(html_to_text(match.group(1)).split()) if match else ""
        return f"an HTML page titled {title[:limit]!r}" if title else "an HTML page without title"
    if stripped[0] in "{[":
        return f"JSON starting {stripped[:limit]!r}"
    if stripped.startswith("<"):
        match = re.match(r"<(?:\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<?([A-Za-z_][\w:.-]*)", stripped, re.DOTALL)
        return f"XML with root element <{match.group(1)}>" if match else "markup"
    return f"text starting {stripped[:limit]!r}"


_PROLOG = re.compile(r"^(?:\s+|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(r"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


def root_element(text: str) -> str:
    """The lower-case local name of a markup document's first element ("" when it has none)."""
    text = text.lstrip("\ufeff \t\r\n")
    prolog = _PROLOG.match(text)
    root = _ROOT.match(text, prolog.end() if prolog else 0)
    return root.group(2).lower() if root else ""


# --------------------------------------------------------------------------- json


def _strip_js_comments(text: str) -> str:
    """Remove ``//`` and ``/* */`` comments and trailing commas outside strings."""
    out: list[str] = []
    i, n = 0, len(text)
    quote = ""
    while i < n:
        char = text[i]
        if quote:
            out.append(char)
            if char == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if char == quote:
                quote = ""
            i += 1
            continue
        if char in "\"'":
            quote = char
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        elif char in "}]":
            k = len(out) - 1
            while k >= 0 and out[k].isspace():
                k -= 1
            if k >= 0 and out[k] == ",":
                del out[k]
        out.append(char)
        i += 1
    return "".join(out)


def loads_lenient(text: str) -> Any:
    """JSON as embedded in pages: tolerates raw control characters in strings,
    HTML comment/CDATA wrappers, ``//`` and ``/* */`` comments and trailing commas.

    Raises ``ValueError`` when the text is still not JSON (see `load_json`).
    """
    text = text.strip()
    for prefix, suffix in (("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>")):
        if text.startswith(prefix) and text.endswith(suffix):
            text = text[len(prefix) : -len(suffix)].strip()
    try:
        return load_json(text, strict=False)
    except json.JSONDecodeError:
        if text[:1] not in ("{", "[", "/"):
            raise  # markup or text: comments and commas are not what is wrong (and megabytes take seconds)
        return load_json(_strip_js_comments(text), strict=False)


def load_json(text: str, *, strict: bool = True) -> Any:
    """``json.loads`` for text from outside: JSON nested deeper than Python's parser can go
    (a hostile ``[[[[...`` block) is a ``ValueError`` like any other bad JSON, not a
    ``RecursionError`` that would escape the handlers of bad JSON."""
    try:
        return json.loads(text, strict=strict)
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def html_document(text: str, what: str = "page") -> Any:
    """An lxml HTML document for `text`; `ParseError` when there is nothing to parse."""
    text = limit_attributes(_XML_DECL.sub("", text.replace("\x00", ""), count=1))  # libxml2: quadratic
    if not text.strip():
        raise ParseError(f"{what}: empty document")
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ParseError(f"{what}: not parseable as HTML ({error})") from error


def jsonld_blocks(doc: Any) -> list[Any]:
    """The parsed ``application/ld+json`` scripts of a page, in page order.

    Blocks that are not JSON even after `loads_lenient` (comments, trailing
    commas, control characters) are skipped: one broken block must not hide
    the others.
    """
    blocks: list[Any] = []
    for script in doc.iter("script"):
        if "ld+json" not in str(script.get("type") or "").lower():
            continue
        try:
            blocks.append(loads_lenient(str(script.text or "")))
        except ValueError:
            continue
    return blocks


def walk_json(value: Any) -> Iterable[dict[str, Any]]:
    """Every JSON object inside `value` (itself included), depth first, in document order."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def json_types(node: Mapping[str, Any]) -> set[str]:
    """Lower-case schema.org type names of a JSON-LD node.

    Reads ``@type`` (or a bare ``type``), given as a string or a list, with or
    without a ``https://schema.org/`` prefix.
    """
    raw = node.get("@type", node.get("type"))
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).rstrip("/").rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str) and v}


# --------------------------------------------------------------------------- ids


def url_fragment(url: str) -> str:
    """The fragment of `url` ("…#block-1" -> "block-1"), or "" (also for no url at all: "http://[x#y")."""
    return (url or "").partition("#")[2]


_SURROGATE = re.compile("[\ud800-\udfff]")


def scalar_text(text: str) -> str:
    """`text` with lone surrogates (JSON's ``"\\ud800"``, which ``json.loads`` keeps) replaced by U+FFFD:
    they are no characters, and encoding them as UTF-8 (hashing, Kafka records, printing) fails."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def fallback_id(*parts: str) -> str:
    """A stable id hashed from normalised text parts, for entries without any id.

    Callers pass the most stable fields they have (raw publication time and
    title; title and body when there is no time).  The id changes when one of
    those fields is edited, so an edited entry then looks new; that is the
    price of a publisher giving no id.
    """
    digest = hashlib.blake2b(digest_size=8)
    for part in parts:
        digest.update(" ".join(normalise(scalar_text(part)).casefold().split()).encode())
        digest.update(b"\x1f")
    return f"h-{digest.hexdigest()}"


def dedupe_ids(entries: Sequence[Entry]) -> list[Entry]:
    """Make ``entry_id`` unique within one document, deterministically.

    The first entry (in document order) with an id keeps it; a later entry with
    the same id gets ``<id>~<hash of its title and url>`` (and ``~2``, ``~3``
    … on top when even that repeats).  The suffix does not depend on the
    entry's position, so items that keep their content keep their ids when
    the feed rotates.
    """
    seen: set[str] = set()
    counters: dict[str, int] = {}  # the last ~N given per base: N copies of one item take linear time
    result: list[Entry] = []
    for entry in entries:
        entry_id = entry.entry_id
        if entry_id in seen:
            base = f"{entry_id}~{fallback_id(entry.title, entry.url, entry.body if not entry.title else '')[2:10]}"
            entry_id, counter = base, counters.get(base, 1)
            while entry_id in seen:
                counter += 1
                entry_id = f"{base}~{counter}"
            counters[base] = counter
            entry = dataclasses.replace(entry, entry_id=entry_id)
        seen.add(entry_id)
        result.append(entry)
    return result


# --------------------------------------------------------------------------- entries


def clean_title(text: str | None) -> str:
    """A title as one line: tags stripped, entities decoded, whitespace collapsed."""
    return " ".join(html_to_text(text or "").split())


def clean_body(text: str | None) -> str:
    """A body: tags stripped, entities decoded, paragraphs kept (`html_to_text`)."""
    return html_to_text(text or "")


_TRUE_STRINGS = frozenset({"true", "1", "yes", "y", "on"})


def truthy(value: object) -> bool:
    """Booleans as publishers send them: True, "true", "True", 1, "1"…; "false" is False."""
    if isinstance(value, str):
        return value.strip().lower() in _TRUE_STRINGS
    if isinstance(value, (bool, int, float)):
        return bool(value)
    return False


def flags_from_attributes(attributes: Mapping[str, object] | None) -> frozenset[Flag]:
    """Flags from Guardian-style block attributes ``{"keyEvent": true, "pinned": "false", …}``."""
    if not isinstance(attributes, Mapping):
        return frozenset()
    names = {"pinned": Flag.PINNED, "keyevent": Flag.KEY_EVENT, "summary": Flag.SUMMARY}
    lowered = {name.lower(): value for name, value in attributes.items()}
    return frozenset(flag for key, flag in names.items() if truthy(lowered.get(key)))


def build_entry(
    *,
    source: str,
    entry_id: str,
    title: str,
    body: str,
    now: datetime,
    url: str = "",
    author: str = "",
    published: datetime | None = None,
    published_from: TimeSource = TimeSource.SOURCE,
    modified: datetime | None = None,
    flags: Iterable[Flag] = (),
) -> Entry:
    """An `Entry` with cleaned-up fields and its content hash.

    `title` and `body` must already be plain text (see `clean_title`,
    `clean_body`); they are normalised again here.  Without `published` the
    entry is dated `now` and marked ``TimeSource.FIRST_SEEN``.
    """
    title = " ".join(normalise(scalar_text(title)).split())
    body = normalise(scalar_text(body))
    entry_id, url, author, source = scalar_text(entry_id), scalar_text(url), scalar_text(author), scalar_text(source)
    if published is None:
        published, published_from = to_utc(now), TimeSource.FIRST_SEEN
    else:
        published = to_utc(published)
    if modified is not None:
        modified = to_utc(modified)
        if modified == published:
            modified = None
    return Entry(
        source=source,
        entry_id=entry_id,
        title=title,
        body=body,
        url=url,
        author=" ".join(normalise(author).split()),
        published=published,
        published_from=published_from,
        modified=modified,
        content_hash=content_hash(title, body),
        flags=frozenset(flags),
    )


def absolute_url(base: str, link: str | None) -> str:
    """`link` resolved against `base` (kept as is when it is already absolute or base is empty)."""
    if not link:
        return ""
    link = link.strip()
    try:
        return urljoin(base, link) if base else link
    except ValueError:  # not a url ("http://[::1", an unclosed IPv6 host): kept as written
        return link

"""Guess which parser fits a document, from its bytes and Content-Type.

`detect_kind` looks at the content first and uses the Content-Type only to
break ties, because servers mislabel feeds (``text/html`` RSS, ``text/xml``
everything).  It reads, in order:

1. JSON (``{``/``[`` first): a CAPI response or content with ``blocks`` ->
   GUARDIAN; one JSON object per line with an ``id`` -> REPLAY.
2. XML/HTML markup: the root element decides ``<rss>`` -> RSS, ``<feed>`` ->
   ATOM, ``<rdf:RDF>`` -> RDF.  An HTML page -> LIVEBLOG_JSONLD when a JSON-LD
   block has a ``LiveBlogPosting`` with ``liveBlogUpdate``, LIVEBLOG_MICRODATA
   when the markup has ``itemprop="liveBlogUpdate"`` items, ATOM / RSS / RDF
   when the page holds a feed element (an Atom ``<feed>`` in an XHTML page: the
   rss parser reads it there), else HTML, which needs `html_selectors` with a
   layout.  A ``LiveBlogPosting`` without updates
   (SportoweFakty marks its list so, but not the posts) is HTML: the
   structured data would give no entries.
3. Anything else -> UNKNOWN.

`Kind.source_kind` is the kind name that ``connectors.kinds.parser_for`` takes
("rss", "liveblog", "guardian", "html", "replay"); "html" needs a layout
(``selectors=`` or ``preset=``) to parse.
"""

from __future__ import annotations

import re
from enum import StrEnum

from .parsing import decode_bytes, load_json, loads_lenient, root_element

__all__ = ["Kind", "detect_kind"]


class Kind(StrEnum):
    RSS = "rss"
    ATOM = "atom"
    RDF = "rdf"
    LIVEBLOG_JSONLD = "liveblog-jsonld"
    LIVEBLOG_MICRODATA = "liveblog-microdata"
    GUARDIAN = "guardian"
    REPLAY = "replay"
    HTML = "html"
    UNKNOWN = "unknown"

    @property
    def source_kind(self) -> str | None:
        """The source kind for ``connectors.kinds.parser_for``, or None for UNKNOWN."""
        return _SOURCE_KINDS.get(self)


_SOURCE_KINDS = {
    Kind.RSS: "rss",
    Kind.ATOM: "rss",
    Kind.RDF: "rss",
    Kind.LIVEBLOG_JSONLD: "liveblog",
    Kind.LIVEBLOG_MICRODATA: "liveblog",
    Kind.GUARDIAN: "guardian",
    Kind.REPLAY: "replay",
    Kind.HTML: "html",
}

_JSONLD = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script", re.DOTALL | re.IGNORECASE)
# a feed element with what makes it one: Atom's namespace, RSS's version, RDF's element name
_EMBEDDED_FEED = re.compile(
    r"<(?:[\w.-]+:)?(feed)\s[^>]*xmlns(?::[\w.-]+)?\s*=\s*[\"']http://www\.w3\.org/2005/Atom[\"']"
    r"|<(rss)\s[^>]*\bversion\s*=|<(?:rdf:)(RDF)\b",
    re.IGNORECASE,
)
_EMBEDDED_KINDS = {"feed": Kind.ATOM, "rss": Kind.RSS, "rdf": Kind.RDF}
_MICRODATA = re.compile(r"itemprop\s*=\s*[\"']?[^\"'>]*\bliveBlogUpdate\b", re.IGNORECASE)


def detect_kind(data: bytes, content_type: str = "") -> Kind:
    """The `Kind` of the document in `data` (see module doc)."""
    text = decode_bytes(data, content_type).lstrip("\ufeff \t\r\n")
    media = content_type.split(";", 1)[0].strip().lower()
    if not text:
        return Kind.UNKNOWN
    if text[0] in "{[":
        return _json_kind(text)
    if text[0] != "<":
        return Kind.UNKNOWN
    name = root_element(text)
    if name == "rss":
        return Kind.RSS
    if name == "feed":
        return Kind.ATOM
    if name == "rdf":
        return Kind.RDF
    if name in ("html", "head", "body", "meta", "title", "div", "script", "link") or "html" in media:
        if any("liveblogposting" in b.lower() and "liveblogupdate" in b.lower() for b in _JSONLD.findall(text)):
            return Kind.LIVEBLOG_JSONLD
        if _MICRODATA.search(text):
            return Kind.LIVEBLOG_MICRODATA
        embedded = _EMBEDDED_FEED.search(text)
        if embedded:  # a feed inside an (X)HTML page: the rss parser reads it there too
            return _EMBEDDED_KINDS[(embedded.group(1) or embedded.group(2) or embedded.group(3)).lower()]
        return Kind.HTML
    if "rss" in media:
        return Kind.RSS
    if "atom" in media:
        return Kind.ATOM
    return Kind.UNKNOWN


def _json_kind(text: str) -> Kind:
    try:
        document = loads_lenient(text)
    except ValueError:
        return Kind.REPLAY if _is_jsonl(text) else Kind.UNKNOWN
    if isinstance(document, dict):
        response = document.get("response")
        if isinstance(response, dict) and ("content" in response or "results" in response):
            return Kind.GUARDIAN
        if "blocks" in document and ("webUrl" in document or "apiUrl" in document or "id" in document):
            return Kind.GUARDIAN
        if "id" in document and ("body" in document or "title" in document):
            return Kind.REPLAY  # a one-line replay file
    return Kind.UNKNOWN


def _is_jsonl(text: str) -> bool:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    try:
        rows = [load_json(line) for line in lines]
    except ValueError:
        return False
    return bool(rows) and all(isinstance(row, dict) and "id" in row for row in rows)

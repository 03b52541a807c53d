"""Guardian Content API (CAPI) JSON with ``blocks`` -> entries.

Accepted shapes: an item response ``{"response": {"content": {…}}}``, a search
response ``{"response": {"results": [{…}, …]}}`` and a bare content object
(``results[]`` items, firehose).  The content must have been requested with
``show-blocks=all`` (or ``body``): content without ``blocks`` raises
`ParseError`, as does an error response (``"status": "error"``), which names
the API's message.

* ``blocks.body``: one entry per block, in API order (newest first), keyed by
  the block ``id``.  Blocks with ``"published": false`` are skipped.
* ``blocks.main`` is **not** an entry: it is the live blog's header block
  (main media/standfirst), not a post, and it does not change as the blog
  runs.  Summaries and key events are ordinary body blocks carrying the
  ``summary``/``keyEvent`` attributes, and get those flags.
* ``title``: the block's ``title``, else ``attributes.title``.
* ``body``: ``bodyTextSummary``, else the text of ``bodyHtml`` (image-only
  blocks have an empty summary; their captions then are the body).
* ``author``: the block's ``contributors``, named through the content's
  contributor tags when present (CAPI lists tag ids there).
* ``published``: ``firstPublishedDate``, else ``publishedDate``, else
  ``createdDate``; ``modified``: ``lastModifiedDate``, else a later
  ``publishedDate``.  Offsets and milliseconds are read; all UTC.
* ``flags``: ``attributes`` ``pinned``/``keyEvent``/``summary``, as booleans or
  strings ("true"/"false").
* ``url``: ``webUrl?page=with:block-<id>#block-<id>``, the Guardian's own
  permalink form for a block.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from newsmon.model import Entry

from .parsing import (
    ParseError,
    build_entry,
    clean_body,
    clean_title,
    decode_bytes,
    dedupe_ids,
    describe_document,
    flags_from_attributes,
    loads_lenient,
    parse_datetime,
    truthy,
)

__all__ = ["parse"]


def parse(data: bytes, url: str, *, source: str, now: datetime, content_type: str = "", **options: Any) -> list[Entry]:
    """Entries of the CAPI JSON in `data`; `url` is used when content has no ``webUrl``."""
    text = decode_bytes(data, content_type)
    try:
        document = loads_lenient(text)
    except ValueError as error:
        raise ParseError(f"{url or 'guardian'}: not JSON but {describe_document(text)} ({error})") from error
    entries: list[Entry] = []
    for content in _contents(document, url):
        entries.extend(_content_entries(content, url, source=source, now=now))
    return dedupe_ids(entries)


def _contents(document: Any, url: str) -> Iterable[Mapping[str, Any]]:
    where = url or "guardian"
    if not isinstance(document, Mapping):
        raise ParseError(f"{where}: CAPI JSON must be an object, got {type(document).__name__}")
    response = document.get("response")
    if isinstance(response, Mapping):
        if str(response.get("status", "ok")).lower() != "ok":
            raise ParseError(f"{where}: CAPI error response: {response.get('message') or response.get('status')}")
        if isinstance(response.get("content"), Mapping):
            return [response["content"]]
        if isinstance(response.get("results"), list):
            return [r for r in response["results"] if isinstance(r, Mapping)]
        raise ParseError(f"{where}: CAPI response without content or results")
    if "blocks" in document or "webUrl" in document:
        return [document]
    raise ParseError(f"{where}: JSON is not a CAPI response or content object (keys: {', '.join(list(document)[:8])})")


def _items(value: Any) -> list[Any]:
    """A JSON list field as a list; any other JSON (a number, a string, an object, null) has no items."""
    return value if isinstance(value, list) else []


def _content_entries(content: Mapping[str, Any], url: str, *, source: str, now: datetime) -> list[Entry]:
    blocks = content.get("blocks")
    if not isinstance(blocks, Mapping):
        where = content.get("id") or url or "content"
        raise ParseError(f"{where}: content has no blocks (request it with show-blocks=all)")
    web_url = str(content.get("webUrl") or url or "")
    contributors = {
        str(tag.get("id")): clean_title(str(tag.get("webTitle") or ""))
        for tag in _items(content.get("tags"))
        if isinstance(tag, Mapping) and tag.get("type") == "contributor"
    }
    entries: list[Entry] = []
    for block in _items(blocks.get("body")):
        if not isinstance(block, Mapping) or not block.get("id"):
            continue
        if "published" in block and not truthy(block["published"]):
            continue
        entries.append(_block_entry(block, web_url, contributors, source=source, now=now))
    return entries


def _author(block: Mapping[str, Any], contributors: Mapping[str, str]) -> str:
    names: list[str] = []
    for item in _items(block.get("contributors")):
        if isinstance(item, Mapping):
            names.append(clean_title(str(item.get("webTitle") or item.get("name") or "")))
        elif isinstance(item, str):
            names.append(contributors.get(item, ""))
    return ", ".join(dict.fromkeys(name for name in names if name))


def _block_entry(
    block: Mapping[str, Any], web_url: str, contributors: Mapping[str, str], *, source: str, now: datetime
) -> Entry:
    block_id = str(block["id"])
    raw_attributes = block.get("attributes")
    attributes: Mapping[str, Any] = raw_attributes if isinstance(raw_attributes, Mapping) else {}
    title = clean_title(str(block.get("title") or attributes.get("title") or ""))
    body = clean_body(str(block.get("bodyTextSummary") or "")) or clean_body(str(block.get("bodyHtml") or ""))

    first = parse_datetime(block.get("firstPublishedDate"))
    latest = parse_datetime(block.get("publishedDate"))
    published = first or latest or parse_datetime(block.get("createdDate"))
    modified = parse_datetime(block.get("lastModifiedDate")) or latest

    return build_entry(
        source=source,
        entry_id=block_id,
        title=title,
        body=body,
        url=f"{web_url}?page=with:block-{block_id}#block-{block_id}" if web_url else "",
        author=_author(block, contributors),
        published=published,
        modified=modified,
        flags=flags_from_attributes(attributes),
        now=now,
    )

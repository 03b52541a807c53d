"""Guardian CAPI blocks: the three real fixtures in shared/realworld/guardian-blocks and inline responses."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from newsmon.connectors import guardian
from newsmon.connectors.parsing import ParseError
from newsmon.model import Entry, Flag, TimeSource

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
BLOCKS = "realworld/guardian-blocks/"
MAIN_BLOCK = "55267e40e4b06299e97da385"
BODY_IDS = [
    "5530debce4b078ada18a4602",
    "5530d2ede4b078ada18a45ff",
    "5527be22e4b0505fae058181",
    "55267d9de4b06299e97da384",
    "55267da9e4b091b2a1c75fe0",
    "55267dc0e4b091b2a1c75fe1",
]


def parse(data: bytes, url: str = "") -> list[Entry]:
    return guardian.parse(data, url, source="test", now=NOW)


def flags_by_id(entries: list[Entry]) -> dict[str, set[str]]:
    return {e.entry_id: {f.value for f in e.flags} for e in entries}


@pytest.mark.parametrize(
    "name",
    [
        "guardian-capi-item-response-example-liveblog.json",
        "guardian-capi-content-example-liveblog-mixed-attr-types.json",
        "guardian-capi-item-response-2015-string-attrs.json",
    ],
)
def test_real_responses_one_entry_per_body_block(
    read_shared: Callable[[str], bytes], sane: Callable[..., None], name: str
) -> None:
    data = read_shared(BLOCKS + name)
    entries = parse(data)
    assert [e.entry_id for e in entries] == BODY_IDS  # blocks.main is not an entry
    assert MAIN_BLOCK not in {e.entry_id for e in entries}
    sane(entries, source="test")
    assert all(e.published_from is TimeSource.SOURCE for e in entries)
    assert entries[0].url == (
        "http://www.theguardian.com/news/blog/live/2015/apr/09/example-liveblog"
        "?page=with:block-5530debce4b078ada18a4602#block-5530debce4b078ada18a4602"
    )
    assert entries[3].body == "normal block here’s some stuff"
    assert entries[4].title == "key event title"
    # The image-only block has an empty bodyTextSummary: its caption text is the body.
    assert entries[2].body.startswith("Workers stand on scaffolding around the top of the Kremlin")
    assert parse(data) == entries


def test_enveloped_response_with_boolean_attributes(read_shared: Callable[[str], bytes]) -> None:
    entries = parse(read_shared(BLOCKS + "guardian-capi-item-response-example-liveblog.json"))
    assert flags_by_id(entries) == {
        "5530debce4b078ada18a4602": set(),
        "5530d2ede4b078ada18a45ff": set(),
        "5527be22e4b0505fae058181": set(),
        "55267d9de4b06299e97da384": set(),
        "55267da9e4b091b2a1c75fe0": {"key-event", "pinned"},
        "55267dc0e4b091b2a1c75fe1": {"summary"},
    }
    # firstPublishedDate of the newest block is later than webPublicationDate; kept as published.
    assert entries[0].published == datetime(2015, 4, 17, 11, 21, 49, tzinfo=UTC)


def test_bare_content_with_mixed_attribute_types(read_shared: Callable[[str], bytes]) -> None:
    entries = parse(read_shared(BLOCKS + "guardian-capi-content-example-liveblog-mixed-attr-types.json"))
    first = entries[0]
    # {"title": "Hi", "pinned": "false", "summary": "true"}: the string "false" is false.
    assert first.title == "Hi"
    assert first.flags == {Flag.SUMMARY}
    assert flags_by_id(entries)["55267da9e4b091b2a1c75fe0"] == {"key-event", "pinned"}
    assert all(e.modified is None for e in entries)  # no lastModifiedDate on body blocks


def test_2015_string_attributes_offsets_and_milliseconds(read_shared: Callable[[str], bytes]) -> None:
    entries = parse(read_shared(BLOCKS + "guardian-capi-item-response-2015-string-attrs.json"))
    assert flags_by_id(entries)["55267da9e4b091b2a1c75fe0"] == {"key-event"}
    assert flags_by_id(entries)["55267dc0e4b091b2a1c75fe1"] == {"summary"}
    # 2015-04-17T11:21:49.661+01:00
    assert entries[0].published == datetime(2015, 4, 17, 10, 21, 49, 661000, tzinfo=UTC)


# --------------------------------------------------------------------------- inline responses


def block(block_id: str, **fields: object) -> dict[str, object]:
    return {"id": block_id, "published": True, "attributes": {}, "bodyHtml": "", "bodyTextSummary": "", **fields}


def content(*blocks: dict[str, object], **fields: object) -> dict[str, object]:
    return {
        "id": "world/live/2024/x",
        "webUrl": "https://www.theguardian.com/world/live/2024/x",
        "blocks": {"main": block("main"), "body": list(blocks)},
        **fields,
    }


def test_search_response_contributors_unpublished_and_html_bodies() -> None:
    doc = {
        "response": {
            "status": "ok",
            "results": [
                content(
                    block(
                        "b2",
                        bodyHtml="<p>Kyiv&#x27;s <strong>update</strong></p><p>Second</p>",
                        contributors=["profile/ann"],
                        firstPublishedDate="2024-05-01T10:00:00.123Z",
                        lastModifiedDate="2024-05-01T10:05:00Z",
                        attributes={"keyEvent": "True", "pinned": False},
                    ),
                    block("b1", bodyTextSummary="draft", published=False),
                    tags=[{"id": "profile/ann", "type": "contributor", "webTitle": "Ann Smith"}],
                )
            ],
        }
    }
    (entry,) = parse(json.dumps(doc).encode())
    assert entry.entry_id == "b2"
    assert entry.body == "Kyiv's update\n\nSecond"
    assert entry.author == "Ann Smith"
    assert entry.flags == {Flag.KEY_EVENT}
    assert entry.published == datetime(2024, 5, 1, 10, 0, 0, 123000, tzinfo=UTC)
    assert entry.modified == datetime(2024, 5, 1, 10, 5, tzinfo=UTC)


def test_block_without_dates_is_first_seen_and_empty_blog_is_empty() -> None:
    (entry,) = parse(json.dumps(content(block("b1", bodyTextSummary="text"))).encode())
    assert entry.published == NOW and entry.published_from is TimeSource.FIRST_SEEN
    assert parse(json.dumps({"response": {"status": "ok", "content": content()}}).encode()) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'{"response": {"status": "error", "message": "The requested resource could not be found."}}',
            "could not be found",
        ),
        (b"<html><head><title>502 Bad Gateway</title></head></html>", "HTML page titled '502 Bad Gateway'"),
        (b"", "not JSON"),
        (b"[1, 2]", "must be an object"),
        (b'{"a": ' * 100_000 + b"1" + b"}" * 100_000, "JSON nested too deeply"),
        (b'{"response": {"status": "ok", "total": 0}}', "without content or results"),
        (json.dumps({"id": "x", "webUrl": "https://www.theguardian.com/x"}).encode(), "show-blocks"),
        (b'{"hello": "world"}', "not a CAPI response"),
    ],
)
def test_errors(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(data)

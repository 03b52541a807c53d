"""Issue 13, point 6: classes of hostile input that `bench/fuzz.py` found crashing a parser.

Each test feeds one class of input (a date at the edge of the calendar, a zone
offset of days, a character reference to no character, an element with
thousands of attributes, a lone surrogate from JSON, a JSON field of the wrong
type) and asserts what a user sees: the entries are read, or the document is
refused with the documented `ParseError`, never another exception.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from newsmon.connectors import guardian, liveblog, replay, rss
from newsmon.connectors.hostile import limit_attributes
from newsmon.connectors.html_selectors import Selectors
from newsmon.connectors.html_selectors import parse as parse_html
from newsmon.connectors.parsing import ParseError, parse_datetime, parse_day, parse_time_of_day
from newsmon.model import TimeSource
from newsmon.text import content_hash

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


# -- dates at the edges of the calendar and offsets of days --------------------------------------


@pytest.mark.parametrize("text", [
    "0001-01-01T00:00:00+14:00",  # before year 1 in UTC: datetime overflows
    "9999-12-31T23:59:59-14:00",  # after year 9999 in UTC
    "Fri, 31 Dec 9999 23:59:59 -2359",
    "0001-01-01T00:00:00Z",  # representable, but no publication date
    "Dienstag, 31. Dezember 9999, 23:59 Uhr",
    "1.1.0001 00:00",
])
def test_dates_beyond_any_publication_are_unknown(text: str) -> None:
    assert parse_datetime(text) is None


def test_a_zone_offset_of_days_is_no_zone() -> None:
    assert parse_datetime("Tue, 27 Aug 2024 12:31:00 +9999") == datetime(2024, 8, 27, 12, 31, tzinfo=UTC)
    clock = parse_time_of_day("12:31 +99:99")
    assert clock is not None and clock.tz is None  # the time is read, the bogus offset is not a zone
    assert parse_day("31. Dezember 9999") is None


def _liveblog_page(published: str) -> bytes:
    blog = {"@type": "LiveBlogPosting", "liveBlogUpdate": [
        {"@type": "BlogPosting", "@id": "p1", "headline": "Claim", "articleBody": "Text",
         "datePublished": published, "dateModified": published}]}
    return f'<html><head><script type="application/ld+json">{json.dumps(blog)}</script></head></html>'.encode()


@pytest.mark.parametrize("published", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
def test_a_live_blog_update_with_an_impossible_date_is_dated_first_seen(published: str) -> None:
    [entry] = liveblog.parse(_liveblog_page(published), "https://example.org/live", source="t", now=NOW)
    assert entry.title == "Claim"
    assert (entry.published, entry.published_from) == (NOW, TimeSource.FIRST_SEEN)


def test_a_live_blog_update_with_an_offset_of_days_is_read_without_it() -> None:
    [entry] = liveblog.parse(_liveblog_page("2024-08-27T12:31:00+99:99"), "https://example.org/live", source="t",
                             now=NOW)
    assert entry.published == datetime(2024, 8, 27, 12, 31, tzinfo=UTC)


def test_time_only_posts_under_a_day_heading_of_year_9999_are_read() -> None:
    page = (b"<html><body><section id='t'><h2>Freitag, 31. Dezember 9999</h2><h2>23.59 Uhr: Post</h2>"
            b"<p>Text</p></section></body></html>")
    layout = Selectors(container="section#t", entry="section#t h2", split=True, time_in_title=True,
                       entry_pattern=r"Uhr", date="section#t h2", tz="Europe/Berlin")
    [entry] = parse_html(page, "https://example.org/t", source="t", now=NOW, selectors=layout)
    assert entry.title == "Post" and entry.published.year == 2026


# -- feedparser's loose parser on character references to no character ------------------------


@pytest.mark.parametrize("ref", ["&#xD800;", "&#x110000;", "&#99999999999999999999;", "&#" + "9" * 5000 + ";"])
def test_a_broken_feed_with_a_character_reference_to_no_character_is_read(ref: str) -> None:
    # not well-formed (the reference alone is enough for expat): feedparser's loose parser reads it
    data = (f'<rss version="2.0"><channel><title>t</title><item><guid>1</guid><title>Before {ref} after</title>'
            "</item></channel></rss>").encode()
    [entry] = rss.parse(data, "https://example.org/feed", source="t", now=NOW)
    assert entry.title == "Before \ufffd after"


def test_the_same_in_utf16() -> None:
    data = ('<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><item><guid>1</guid>'
            "<title>a &#xD800; b</title></item></channel></rss>").encode("utf-16")
    [entry] = rss.parse(data, "https://example.org/feed", source="t", now=NOW)
    assert entry.title == "a \ufffd b"


# -- an element with very many attributes ------------------------------------------------------


def test_a_feed_element_with_thousands_of_attributes_keeps_its_entries() -> None:
    attributes = "".join(f' a{i}="v>{i}"' for i in range(50_000))  # '>' inside values does not end the tag
    data = (f'<rss version="2.0"><channel{attributes}><title>t</title><item><guid>1</guid><title>Kept</title>'
            "</item></channel></rss>").encode()
    [entry] = rss.parse(data, "https://example.org/feed", source="t", now=NOW)
    assert entry.title == "Kept"
    defused = rss._defused(data, "utf-8")
    assert defused.count(b'="v>') == 1000  # what feedparser is given: the first 1,000 attributes only
    assert defused.startswith(b'<rss version="2.0"><channel a0="v>0" a1="v>1"')


def test_ordinary_feeds_reach_feedparser_unchanged(read_shared) -> None:  # type: ignore[no-untyped-def]
    data = read_shared("realworld/feeds/guardian-us-2018-01-31.rss")  # thousands of '=' and '&#', all fine
    assert rss._defused(data, "utf-8") is data


# -- lone surrogates from JSON ---------------------------------------------------------------


def test_lone_surrogates_in_guardian_blocks_become_replacement_characters() -> None:
    content = {"webUrl": "https://www.theguardian.com/x", "blocks": {"body": [
        {"id": "b\ud800", "title": "Title \udfff", "bodyTextSummary": "Body \ud800 text"}]}}
    [entry] = guardian.parse(json.dumps(content).encode(), "", source="t", now=NOW)
    assert (entry.entry_id, entry.title, entry.body) == ("b\ufffd", "Title \ufffd", "Body \ufffd text")
    assert entry.content_hash == content_hash(entry.title, entry.body)


def test_lone_surrogates_in_a_live_blog_without_ids_still_give_an_id() -> None:
    blog = {"@type": "LiveBlogPosting", "liveBlogUpdate": [{"headline": "H \ud800", "articleBody": "B"}]}
    page = f'<html><head><script type="application/ld+json">{json.dumps(blog)}</script></head></html>'
    [entry] = liveblog.parse(page.encode(), "https://example.org/live", source="t", now=NOW)
    assert entry.title == "H \ufffd" and entry.entry_id.startswith("h-")
    entry.title.encode("utf-8")


def test_lone_surrogates_in_a_replay_line() -> None:
    [entry] = replay.parse(b'{"id": "E\\ud800", "title": "T \\udc00"}\n', "f.jsonl", source="t", now=NOW)
    assert (entry.entry_id, entry.title) == ("E\ufffd", "T \ufffd")


# -- JSON fields of the wrong type ---------------------------------------------------------------


@pytest.mark.parametrize("field,value", [("tags", 7), ("tags", True), ("blocks.body", 3.5), ("blocks.body", True),
                                         ("contributors", 42)])
def test_guardian_list_fields_of_another_type_have_no_items(field: str, value: object) -> None:
    block: dict[str, object] = {"id": "b1", "title": "T", "bodyTextSummary": "B"}
    content: dict[str, object] = {"webUrl": "https://www.theguardian.com/x", "blocks": {"body": [block]}}
    if field == "blocks.body":
        content["blocks"] = {"body": value}
    elif field == "contributors":
        block["contributors"] = value
    else:
        content[field] = value
    entries = guardian.parse(json.dumps({"response": {"status": "ok", "content": content}}).encode(), "",
                             source="t", now=NOW)
    assert [e.entry_id for e in entries] == ([] if field == "blocks.body" else ["b1"])
    assert all(e.author == "" for e in entries)


# -- feedparser's own failures: stray end tags, a long blank prolog, and what still escapes it ---


def test_a_feed_with_stray_image_size_end_tags_is_read() -> None:
    # feedparser's ill-formed case: the loose parser pops nothing for </height> and int(None) raised
    data = (b'<rss version="2.0"><channel><image><url>http://example.org/i.png</url><height>1</height></height>'
            b"</width></image><item><guid>1</guid><title>Kept</title></item></channel></rss>")
    [entry] = rss.parse(data, "https://example.org/feed", source="t", now=NOW)
    assert entry.title == "Kept"


def test_blank_lines_before_a_feed_are_collapsed_for_feedparser() -> None:
    data = b"\r\n" * 50_000 + b'<?xml version="1.0"?><rss version="2.0"><channel><item><guid>1</guid>' \
        b"<title>Kept</title></item></channel></rss>"
    assert len(rss._defused(data, "utf-8")) < 200  # its doctype regex took quadratic time over the blank run
    [entry] = rss.parse(data, "https://example.org/feed", source="t", now=NOW)
    assert entry.title == "Kept"


def test_an_exception_escaping_feedparser_refuses_the_feed_with_a_parse_error() -> None:
    # a well-formed feed on which feedparser 6.0.14 raises (int() of a non-numeric EPSG code)
    data = (b'<?xml version="1.0"?><rss version="2.0" xmlns:georss="http://www.georss.org/georss" '
            b'xmlns:gml="http://www.opengis.net/gml"><channel><item><guid>1</guid><title>T</title><georss:where>'
            b'<gml:Point srsName="EPSG:abc"><gml:pos>1 2</gml:pos></gml:Point></georss:where></item></channel></rss>')
    with pytest.raises(ParseError, match=r"feedparser failed on this document \(ValueError: invalid literal"):
        rss.parse(data, "https://example.org/feed", source="t", now=NOW)


# -- many attributes on one HTML element (libxml2's duplicate check is quadratic) -----------------


def test_an_html_element_with_thousands_of_attributes_keeps_the_page_readable() -> None:
    attributes = "".join(f" data-a{i}='{i}'" for i in range(20_000))
    page = _liveblog_page("2024-08-27T12:31:00Z").replace(b"<head>", f"<head><meta{attributes}>".encode())
    [entry] = liveblog.parse(page, "https://example.org/live", source="t", now=NOW)
    assert entry.title == "Claim"
    text, short = page.decode(), page.decode()[:5000]
    assert limit_attributes(text).count("data-a") == 1000
    assert limit_attributes(short) is short  # fewer than 1,000 '=': not even looked at


def test_broken_markup_in_a_tag_does_not_hide_it_from_the_limit() -> None:
    # junk glued to a value, a stray quote: libxml2 reads them as attributes too
    tag = "<div" + "".join(f' a{i}="{i}"' for i in range(3000)) + '\x1b[31m"x" b=c>text</div>'
    assert limit_attributes(tag).count("=") == 1000 and limit_attributes(tag).endswith(">text</div>")



@pytest.mark.parametrize("damage", [" / ", " = ", "<b", "'"])
def test_a_tag_damaged_among_its_attributes_is_still_limited(damage: str) -> None:
    # a stray "/" or "=", a "<" that cuts the tag in two, a quote never closed: libxml2 still reads
    # thousands of attributes there, so the limit must see them too
    attributes = [f' a{i}="{i}"' for i in range(4000)]
    attributes.insert(2000, damage)
    page = "<html><body><div" + "".join(attributes) + ">text</div></body></html>"
    assert limit_attributes(page).count("=") <= 2000


# -- invalid urls -------------------------------------------------------------------------------


def test_an_update_url_with_an_unclosed_ipv6_host_is_kept_as_written() -> None:
    blog = {"@type": "LiveBlogPosting", "liveBlogUpdate": [
        {"@id": "http://[::1/live#p1", "url": "http://[::1/live#p1", "headline": "H", "articleBody": "B"}]}
    page = f'<html><head><script type="application/ld+json">{json.dumps(blog)}</script></head></html>'
    [entry] = liveblog.parse(page.encode(), "https://example.org/live", source="t", now=NOW)
    assert entry.entry_id == "p1"


# -- many copies of one item ------------------------------------------------------------------


def test_copies_of_one_item_get_numbered_ids() -> None:
    items = "<item><guid>g</guid><title>Same</title></item>" * 5
    entries = rss.parse(f'<rss version="2.0"><channel>{items}</channel></rss>'.encode(), "https://e.org/f",
                        source="t", now=NOW)
    ids = [e.entry_id for e in entries]
    assert ids[0] == "g" and ids[2:] == [f"{ids[1]}~{n}" for n in (2, 3, 4)] and ids[1].startswith("g~")


def test_a_lying_byte_order_mark_does_not_hide_character_references_from_the_defusing() -> None:
    # a UTF-16 mark on UTF-8 bytes: feedparser reads them as UTF-8 and met the bad reference
    data = b'\xfe\xff<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><item><guid>1</guid>' \
        b"<title>a &#x110000; b</title></item></channel></rss>"
    for entry in rss.parse(data, "https://example.org/feed", source="t", now=NOW):
        assert "\U0010ffff" not in entry.title  # read (or refused), never a crash

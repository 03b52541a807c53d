"""RSS/Atom/RDF parsing: the real feeds in shared/realworld/feeds and small ugly inline feeds."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from newsmon.connectors import rss
from newsmon.connectors.parsing import ParseError
from newsmon.model import Entry, TimeSource

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
FEEDS = "realworld/feeds/"


def parse(data: bytes, url: str = "https://example.org/feed.xml", **options: Any) -> list[Entry]:
    return rss.parse(data, url, source="test", now=NOW, **options)


@pytest.mark.parametrize(
    ("name", "count", "oldest", "newest"),
    [
        (
            "aljazeera-all-breaking-2026-09-10.rss",
            25,
            datetime(2026, 9, 10, tzinfo=UTC),
            datetime(2026, 9, 11, tzinfo=UTC),
        ),
        ("bbc-news-world-2026-09-10.rss", 34, datetime(2026, 9, 7, tzinfo=UTC), datetime(2026, 9, 11, tzinfo=UTC)),
        ("bbc-urdu.rss", 26, datetime(2017, 8, 1, tzinfo=UTC), datetime(2018, 1, 12, tzinfo=UTC)),
        ("guardian-us-2018-01-31.rss", 55, datetime(2017, 12, 8, tzinfo=UTC), datetime(2018, 2, 1, tzinfo=UTC)),
        (
            "uol-noticias-ultimas-2018-latin1-no-decl.rss",
            15,
            datetime(2018, 9, 24, tzinfo=UTC),
            datetime(2018, 9, 25, tzinfo=UTC),
        ),
    ],
)
def test_real_feed_counts_dates_and_stable_ids(
    read_shared: Callable[[str], bytes],
    sane: Callable[..., None],
    name: str,
    count: int,
    oldest: datetime,
    newest: datetime,
) -> None:
    data = read_shared(FEEDS + name)
    entries = parse(data)
    assert len(entries) == count
    sane(entries, source="test")
    assert all(e.published_from is TimeSource.SOURCE for e in entries)
    assert all(oldest <= e.published < newest for e in entries if e.published)
    assert parse(data) == entries  # same bytes, same entries (ids, hashes, everything)


def test_heise_rdf_without_dates_or_guids(read_shared: Callable[[str], bytes], sane: Callable[..., None]) -> None:
    data = read_shared(FEEDS + "heise-newsticker-rdf.xml")
    entries = parse(data)
    assert len(entries) == 60
    sane(entries, source="test")
    # No guid anywhere: the link is the id; no date anywhere: first seen now.
    assert all(e.entry_id == e.url and e.url.endswith("?wt_mc=rss.ho.beitrag.rdf") for e in entries)
    assert all(e.published == NOW and e.published_from is TimeSource.FIRST_SEEN for e in entries)
    assert any(e.title == "Mega-Deal: IBM übernimmt Red Hat" for e in entries)
    assert [e.entry_id for e in parse(data)] == [e.entry_id for e in entries]


def test_uol_latin1_without_declaration_and_portuguese_dates(read_shared: Callable[[str], bytes]) -> None:
    entries = parse(read_shared(FEEDS + "uol-noticias-ultimas-2018-latin1-no-decl.rss"))
    first = entries[0]
    assert first.title == "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno"
    # "Seg, 24 Set 2018 19:42:40 -0300" is not RFC 822; feedparser alone gives up on it.
    assert first.published == datetime(2018, 9, 24, 22, 42, 40, tzinfo=UTC)
    assert (
        first.entry_id
        == first.url
        == (
            "https://noticias.uol.com.br/politica/eleicoes/2018/noticias/2018/09/24/"
            "ibope-bolsonaro-perde-de-haddad-ciro-e-alckmin-em-simulacoes-de-2-turno.htm"
        )
    )
    text = " ".join(e.title + e.body for e in entries)
    assert "ã" in text and "é" in text and "ç" in text
    assert "Ã" not in text  # no UTF-8/latin-1 mojibake


def test_aljazeera_post_id_is_not_the_key_and_cdata_entities_are_decoded(read_shared: Callable[[str], bytes]) -> None:
    entries = parse(read_shared(FEEDS + "aljazeera-all-breaking-2026-09-10.rss"))
    assert not any("4935708" in e.entry_id for e in entries)  # the <post-id> every item repeats
    assert all(e.entry_id.startswith("https://www.aljazeera.com/?") for e in entries)
    psg = next(e for e in entries if e.title.startswith("Enrique hails Dembele"))
    assert psg.body.startswith("PSG coach hails 'marvellous' Dembele")  # &#039; inside CDATA
    assert psg.url.endswith("?traffic_source=rss")


def test_bbc_guid_fragments_are_distinct_ids(read_shared: Callable[[str], bytes]) -> None:
    entries = parse(read_shared(FEEDS + "bbc-news-world-2026-09-10.rss"))
    ids = [e.entry_id for e in entries]
    assert "https://www.bbc.co.uk/news/articles/c62kzr1jg0jo#0" in ids
    assert {i.rsplit("#", 1)[1] for i in ids} == {"0", "1", "2", "3"}
    assert all(e.url.endswith("?at_medium=RSS&at_campaign=rss") for e in entries)
    assert entries[0].title == "Trump says every adult American would get $5,000 if Republicans win midterms"


def test_guardian_rss_authors_and_html_descriptions(read_shared: Callable[[str], bytes]) -> None:
    entries = parse(read_shared(FEEDS + "guardian-us-2018-01-31.rss"))
    assert entries[0].author == "David Smith in Washington"
    assert sum(1 for e in entries if e.author) == 50
    assert entries[0].body.startswith("The president’s ‘new American moment’ speech")
    live = [e for e in entries if "/live/" in e.url]
    assert len(live) == 2 and all(e.title.endswith("– live!") for e in live)


def test_bbc_urdu_right_to_left_text(read_shared: Callable[[str], bytes]) -> None:
    entries = parse(read_shared(FEEDS + "bbc-urdu.rss"))
    assert entries[0].entry_id == "http://www.bbc.com/urdu/pakistan-42575603"
    assert entries[0].title.startswith("امریکی عسکری امداد")


# --------------------------------------------------------------------------- inline ugly feeds


def rss_doc(items: str, *, decl: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return f'{decl}<rss version="2.0"><channel><title>T</title><link>https://example.org/</link>{items}</channel></rss>'.encode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head>"
            b"<body><h1>Service Unavailable</h1></body></html>",
            "HTML page titled '503 Service Unavailable'",
        ),
        (b"<html><body><item><title>x</title></item></body></html>", "HTML page"),
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b'{"error": "not found"}', "JSON"),
        (b"\x00\x01garbage{{", "not an RSS/Atom/RDF feed"),
        (b'<?xml version="1.0"?><error><code>403</code></error>', "root element <error>"),
    ],
)
def test_non_feeds_raise_parse_error(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(data)


def test_a_web_page_is_refused_without_running_the_feed_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    # feedparser takes seconds to find nothing in a large or deeply nested page (a source given the
    # wrong kind, a hostile page): a document whose root is <html> and that has no feed element is
    # refused at once, with the page's title
    def not_called(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("feedparser ran on a web page")

    monkeypatch.setattr(rss.feedparser, "parse", not_called)
    deep = b"<!DOCTYPE html><html><head><title>Live: day 12</title></head><body>" + b"<div>" * 50_000
    with pytest.raises(ParseError, match=r"^https://example.org/feed.xml: not an RSS/Atom/RDF feed but "
                                         r"an HTML page titled 'Live: day 12'$"):
        parse(deep + b"x" + b"</div>" * 50_000 + b"</body></html>")


def test_a_page_with_a_feed_element_inside_still_goes_to_the_feed_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[bytes] = []
    parse_feed = rss.feedparser.parse

    def spy(data: Any, **kwargs: Any) -> Any:
        ran.append(data.getvalue())
        return parse_feed(data, **kwargs)

    monkeypatch.setattr(rss.feedparser, "parse", spy)
    page = b"<html><body>" + rss_doc("") + b"</body></html>"
    with contextlib.suppress(ParseError):  # whatever feedparser makes of it: the point is that it was asked
        parse(page)
    assert ran == [page]


@pytest.mark.parametrize(
    "data",
    [
        rss_doc(""),
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>empty</title></feed>',
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
        b"<channel><title>x</title></channel></rdf:RDF>",
    ],
)
def test_valid_feed_without_items_is_empty_not_an_error(data: bytes) -> None:
    assert parse(data) == []


def test_cdata_entities_and_html_are_decoded() -> None:
    data = rss_doc(
        "<item><title><![CDATA[Kyiv&#039;s &quot;counter&quot; &amp; more]]></title>"
        "<description><![CDATA[<p>It&#039;s <b>bold</b>&nbsp;and&hellip;</p><p>Second</p>]]></description>"
        "<link>https://example.org/a</link><guid isPermaLink='false'>g1</guid></item>"
        # escaped twice: a reader sees the characters "<b>", so they stay
        "<item><title>Plain &amp;lt;b&amp;gt; stays &lt; text</title><link>https://example.org/b</link></item>"
    )
    first, second = parse(data)
    assert first.title == 'Kyiv\'s "counter" & more'
    assert first.body == "It's bold and…\n\nSecond"
    assert first.entry_id == "g1"
    assert second.title == "Plain <b> stays < text"


def test_missing_dates_are_first_seen_and_atom_updated_is_used() -> None:
    data = rss_doc("<item><title>No date</title><link>https://example.org/a</link></item>")
    (entry,) = parse(data)
    assert entry.published == NOW and entry.published_from is TimeSource.FIRST_SEEN
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>f</title>'
        b"<entry><id>tag:x,2024:1</id><title>A</title><updated>2024-08-27T12:31:00+02:00</updated>"
        b'<link href="/posts/1"/><author><name>Ann</name></author><summary>s</summary></entry></feed>'
    )
    (entry,) = parse(atom, "https://example.org/feed.atom")
    assert entry.published == datetime(2024, 8, 27, 10, 31, tzinfo=UTC)
    assert entry.published_from is TimeSource.SOURCE
    assert entry.url == "https://example.org/posts/1"  # relative link resolved against the feed
    assert entry.author == "Ann"
    assert entry.entry_id == "tag:x,2024:1"


def test_duplicate_guids_get_unique_ids_that_survive_rotation() -> None:
    items = [
        f"<item><title>Post {n}</title><link>https://example.org/live</link>"
        f'<guid isPermaLink="false">same</guid></item>'
        for n in (1, 2, 3)
    ]
    entries = parse(rss_doc("".join(items)))
    ids = [e.entry_id for e in entries]
    assert ids[0] == "same" and len(set(ids)) == 3 and all(i.startswith("same~") for i in ids[1:])
    assert [e.entry_id for e in parse(rss_doc("".join(items)))] == ids
    # The newest item drops out and a new one comes in: Post 2 and 3 keep their ids
    # (except that the first in the document keeps the bare guid).
    rotated = parse(rss_doc(items[0] + items[2]))
    assert {e.title: e.entry_id for e in rotated}["Post 3"] == ids[2]


def test_items_without_guid_or_link_get_hash_ids_and_empty_items_are_dropped() -> None:
    data = rss_doc(
        "<item><title>Only a title</title></item>"
        "<item><description>Only a body</description></item>"
        "<item><title></title><description></description></item>"
    )
    entries = parse(data)
    assert [e.title or e.body for e in entries] == ["Only a title", "Only a body"]
    assert all(e.entry_id.startswith("h-") for e in entries)
    assert [e.entry_id for e in parse(data)] == [e.entry_id for e in entries]


def test_wordpress_post_id_is_ignored() -> None:
    data = rss_doc(
        '<item><title>A</title><link>https://example.org/?p=1</link><post-id xmlns="com-wordpress:feed-additions:1">9'
        '</post-id></item><item><title>B</title><link>https://example.org/?p=2</link><post-id xmlns="com-wordpress:'
        'feed-additions:1">9</post-id></item>'
    )
    assert [e.entry_id for e in parse(data)] == ["https://example.org/?p=1", "https://example.org/?p=2"]


_ITEM = (
    '<rss version="2.0"><channel><title>t</title><item><title>São Paulo “quoted” café</title></item></channel></rss>'
)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (_ITEM.encode("cp1252"), ""),  # latin-1 family, no declaration at all
        (('<?xml version="1.0" encoding="utf-8"?>' + _ITEM).encode("cp1252"), ""),  # declaration lies
        (('<?xml version="1.0" encoding="ISO-8859-1"?>' + _ITEM).encode("cp1252"), ""),  # cp1252 quotes in "latin-1"
        (_ITEM.encode("cp1252"), "application/rss+xml; charset=windows-1252"),
        (b"\xef\xbb\xbf" + _ITEM.encode("utf-8"), ""),
        (('<?xml version="1.0" encoding="utf-16"?>' + _ITEM).encode("utf-16"), ""),
    ],
)
def test_broken_and_unusual_encodings(data: bytes, content_type: str) -> None:
    (entry,) = parse(data, content_type=content_type)
    assert entry.title == "São Paulo “quoted” café"


def test_truncated_feed_keeps_the_complete_items() -> None:
    data = (
        b'<rss version="2.0"><channel><title>t</title><item><title>A &amp; B</title><link>https://example.org/1</link>'
    )
    data += b"</item><item><title>cut off"
    entries = parse(data)
    assert [e.title for e in entries] == ["A & B"]

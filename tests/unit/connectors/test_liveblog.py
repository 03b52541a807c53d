"""schema.org LiveBlogPosting parsing: the real pages in shared/realworld/liveblogposting and inline pages."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from newsmon.connectors import liveblog
from newsmon.connectors.parsing import ParseError
from newsmon.model import Entry, Flag, TimeSource

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PAGES = "realworld/liveblogposting/"


def parse(data: bytes, url: str = "https://example.org/live") -> list[Entry]:
    return liveblog.parse(data, url, source="test", now=NOW)


@pytest.mark.parametrize(
    ("name", "count", "day"),
    [
        ("theguardian-2023-05-15-russia-ukraine-war-live.html", 10, "2023-05-15"),
        ("independent-2023-08-14-womens-world-cup-live.html", 10, "2023-08-14"),
        ("express-2024-07-18-harry-meghan-live.html", 9, "2024-07-18"),
        ("corkbeo-2020-10-06-level-3-live.html", 26, "2020-10-06"),
        ("repubblica-2023-11-02-israele-hamas-diretta.html", 79, "2023-11-0"),  # 1 Nov 23:30Z .. 2 Nov
        ("timesofindia-2020-10-02-ipl-live-blog.html", 8, "2020-10-02"),
        ("ndtv-sports-2023-11-02-microdata-live-broken-jsonld.html", 40, "2023-11-02"),
    ],
)
def test_real_pages_counts_dates_and_stable_ids(
    read_shared: Callable[[str], bytes], sane: Callable[..., None], name: str, count: int, day: str
) -> None:
    data = read_shared(PAGES + name)
    entries = parse(data)
    assert len(entries) == count
    sane(entries, source="test")
    assert all(e.published_from is TimeSource.SOURCE for e in entries)
    assert all(e.published is not None and e.published.isoformat().startswith(day) for e in entries)
    assert parse(data) == entries


def test_guardian_page_wide_dates_are_replaced_by_the_html_block_times(read_shared: Callable[[str], bytes]) -> None:
    entries = parse(read_shared(PAGES + "theguardian-2023-05-15-russia-ukraine-war-live.html"))
    by_id = {e.entry_id: e for e in entries}
    # JSON-LD says 11:50:54 for all ten; the <article id="block-…"> <time dateTime> says otherwise.
    assert len({e.published for e in entries}) == 10
    assert by_id["646219928f08e408b758af95"].published == datetime(2023, 5, 15, 11, 50, 54, tzinfo=UTC)
    assert by_id["64620b708f08e408b758aedb"].published == datetime(2023, 5, 15, 10, 42, 56, tzinfo=UTC)
    assert by_id["646218558f08e408b758af8d"].modified == datetime(2023, 5, 15, 11, 36, 34, tzinfo=UTC)
    # The page headline on every update is not a title; block headings are.
    assert by_id["646219928f08e408b758af95"].title == ""
    assert by_id["646208dd8f0822aea831dd26"].title == (
        "Stoltenberg: no point discussing how Ukraine can join Nato if it does not prevail in war first"
    )
    assert by_id["646219928f08e408b758af95"].body.startswith("Jennifer Rankin reports from Brussels")
    # The byline comes from the block; the JSON-LD author list is the whole page's.
    assert by_id["646219928f08e408b758af95"].author == "Jennifer Rankin"
    assert by_id["646218558f08e408b758af8d"].author == ""
    assert by_id["646219928f08e408b758af95"].url.endswith("#block-646219928f08e408b758af95")
    # Flags from the page's embedded block attributes and its pinned-post box.
    assert by_id["646210cc8f0822aea831dd91"].flags == {Flag.PINNED, Flag.KEY_EVENT}
    assert {i for i, e in by_id.items() if Flag.KEY_EVENT in e.flags} == {
        "646210cc8f0822aea831dd91",
        "646208dd8f0822aea831dd26",
        "64620b708f08e408b758aedb",
    }
    assert sum(1 for e in entries if Flag.PINNED in e.flags) == 1


def test_independent_fragment_ids_and_slash_before_hash(read_shared: Callable[[str], bytes]) -> None:
    entries = parse(read_shared(PAGES + "independent-2023-08-14-womens-world-cup-live.html"))
    assert entries[0].entry_id == "liveblogPost1288914"
    assert entries[0].url == (
        "https://www.independent.co.uk/sport/football/womens-world-cup-england-news-latest-australia-b2392480.html"
        "#liveblogPost1288914"
    )
    assert all("/#" not in e.url for e in entries)
    assert {e.title for e in entries} >= {"Women’s World Cup"}  # trailing space gone
    assert entries[0].author == "Jamie Braidwood"
    # Page order is neither chronological nor reverse: the parser keeps page order.
    assert entries[0].published == datetime(2023, 8, 14, 4, 20, 6, tzinfo=UTC)


def test_express_entities_in_json_strings_and_string_author(read_shared: Callable[[str], bytes]) -> None:
    entries = parse(read_shared(PAGES + "express-2024-07-18-harry-meghan-live.html"))
    assert entries[0].body.startswith("Meghan Markle's mum, Doria Ragland")
    assert 'preferring to take on a "more traditional" approach' in entries[0].body
    assert entries[1].title.startswith("Meghan Markle 'turned and hissed' at a staffer")
    assert {e.author for e in entries} == {"Jon King"}
    assert entries[0].published == datetime(2024, 7, 18, 10, 48, tzinfo=UTC)  # 11:48+01:00
    assert entries[0].entry_id == "live-1924698-qq0im"


def test_corkbeo_empty_bodies_mixed_dates_and_person_arrays(read_shared: Callable[[str], bytes]) -> None:
    entries = parse(read_shared(PAGES + "corkbeo-2020-10-06-level-3-live.html"))
    assert sum(1 for e in entries if not e.body) == 7
    assert all(e.title for e in entries if not e.body)
    assert {e.author for e in entries} == {"Gavin O'Callaghan"}
    assert entries[0].entry_id == "2259242" and entries[0].title == "Goodnight"
    assert entries[0].published == datetime(2020, 10, 6, 20, 22, 53, 212000, tzinfo=UTC)  # 21:22:53.212+01:00


def test_repubblica_updates_without_ids_get_stable_hash_ids(read_shared: Callable[[str], bytes]) -> None:
    data = read_shared(PAGES + "repubblica-2023-11-02-israele-hamas-diretta.html")
    entries = parse(data)
    assert all(e.entry_id.startswith("h-") for e in entries)
    assert [e.entry_id for e in parse(data)] == [e.entry_id for e in entries]
    assert entries[0].title == "Oms: “A Gaza fermi 14 ospedali su 36, gli altri in sovraccarico”"
    assert entries[0].body.startswith('E\' "profondamente preoccupante" che "14 ospedali su 36')
    assert "più rispetto" in entries[0].body  # &ugrave;
    assert all(
        e.url == "https://www.repubblica.it/esteri/2023/11/02/diretta/israele_hamas_news_guerra_gaza_oggi-419364605/"
        for e in entries
    )
    assert all(e.author == "" for e in entries)  # updates have no author; the page's is not theirs


def test_times_of_india_time_prefix_zero_width_spaces_and_positional_ids(read_shared: Callable[[str], bytes]) -> None:
    entries = parse(read_shared(PAGES + "timesofindia-2020-10-02-ipl-live-blog.html"))
    first = entries[0]
    # "19:02(IST) TOSS: …" repeats the body after the time: no separate title.
    assert first.title == ""
    assert first.body == "TOSS: Sunrisers Hyderabad win toss, opt to bat against Chennai Super Kings in Dubai"
    assert first.published == datetime(2020, 10, 2, 13, 32, 32, tzinfo=UTC)  # 19:02:32+05:30
    assert entries[1].body.startswith("Hello and welcome")  # U+200B removed
    # "#post1" … "#post8" number page positions, not posts: not used as ids or permalinks.
    assert all(e.entry_id.startswith("h-") and "#post" not in e.url for e in entries)
    assert first.author == "Times Of India"


def test_ndtv_microdata_when_json_ld_has_no_live_blog(read_shared: Callable[[str], bytes]) -> None:
    entries = parse(read_shared(PAGES + "ndtv-sports-2023-11-02-microdata-live-broken-jsonld.html"))
    assert [e.entry_id for e in entries][:3] == ["80", "79", "78"] and entries[-1].entry_id == "41"
    assert entries[0].title == "India vs Sri Lanka: It's a wrap!"
    assert entries[0].url.endswith("-4537334#80")  # unquoted content= attribute
    assert entries[-1].body.startswith("Maheesh Theekshana has bowled an expensive over.")  # &nbsp;
    assert entries[-1].published == datetime(2023, 11, 2, 10, 30, 24, tzinfo=UTC)  # 16:00:24+05:30
    assert {e.author for e in entries} == {"NDTV Sports"}


# --------------------------------------------------------------------------- inline pages


def page(*blocks: object, body: str = "", raw: tuple[str, ...] = ()) -> bytes:
    scripts = "".join(f'<script type="application/ld+json">{json.dumps(b)}</script>' for b in blocks)
    scripts += "".join(f'<script type="application/ld+json">{r}</script>' for r in raw)
    return f"<!DOCTYPE html><html><head><title>Live</title>{scripts}</head><body>{body}</body></html>".encode()


def update(**fields: object) -> dict[str, object]:
    return {"@type": "BlogPosting", **fields}


def test_graph_wrapper_type_arrays_lower_case_and_single_update() -> None:
    data = page(
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebPage", "@id": "https://example.org/live"},
                {
                    "@type": ["liveblogposting", "NewsArticle"],
                    "headline": "Live: things happen",
                    "url": "https://example.org/live",
                    "liveBlogUpdate": update(
                        headline="Only update",
                        articleBody="Text",
                        datePublished="2024-01-01T10:00:00+01:00",
                        url="https://example.org/live#u1",
                    ),
                },
            ],
        }
    )
    (entry,) = parse(data)
    assert (entry.entry_id, entry.title, entry.body) == ("u1", "Only update", "Text")
    assert entry.published == datetime(2024, 1, 1, 9, 0, tzinfo=UTC)


def test_broken_block_is_skipped_and_commented_block_is_read() -> None:
    blog = {
        "@type": "LiveBlogPosting",
        "liveBlogUpdate": [update(headline="A", articleBody="a", url="https://x.org/#1")],
    }
    commented = """{ "@type": "LiveBlogPosting", // comment like NDTV's
        "liveBlogUpdate": [{"headline": "B", "articleBody": "b", "url": "https://x.org/#2"},] }"""
    entries = parse(page(raw=("{ not json at all", commented, json.dumps(blog))))
    assert sorted(e.entry_id for e in entries) == ["1", "2"]


def test_block_nested_too_deeply_is_skipped_like_a_broken_one() -> None:
    # Python's JSON parser gives up on deep nesting with a RecursionError, not a ValueError:
    # a hostile block before the real one must not hide the page's updates.
    blog = {"@type": "LiveBlogPosting", "liveBlogUpdate": [update(headline="A", articleBody="a", url="https://x.org/#1")]}
    deep = "[" * 100_000 + "]" * 100_000
    entries = parse(page(blog, raw=(deep, '{"a": ' * 100_000 + "1" + "}" * 100_000)))
    assert [(e.entry_id, e.body) for e in entries] == [("1", "a")]
    with pytest.raises(ParseError, match=r"no schema\.org LiveBlogPosting"):
        parse(page(raw=(deep,)))


def test_authors_entities_and_ids() -> None:
    updates = [
        update(
            **{"@id": "https://example.org/live#post-7"},
            headline="Caf&eacute; &amp; bar &#8211; news",
            articleBody="<p>First&nbsp;para</p><p>Second &quot;quoted&quot;</p>",
            author=[
                {"@type": "Person", "name": "Ann"},
                {"@type": "Organization", "name": "Agency"},
                "Bob",
                {"name": "Ann"},
            ],
        ),
        update(headline="No id, no url", articleBody="x", author={"@type": "Person", "name": "Cy"}),
        update(headline="", articleBody=""),  # nothing to show: dropped
    ]
    entries = parse(page({"@type": "LiveBlogPosting", "headline": "Page", "liveBlogUpdate": updates}))
    assert len(entries) == 2
    first, second = entries
    assert first.entry_id == "post-7"
    assert first.title == "Café & bar – news"
    assert first.body == 'First para\n\nSecond "quoted"'
    assert first.author == "Ann, Agency, Bob"
    assert second.entry_id.startswith("h-") and second.author == "Cy"
    assert second.published == NOW and second.published_from is TimeSource.FIRST_SEEN


def test_page_wide_dates_without_html_are_first_seen_and_headline_times_are_text_times() -> None:
    same = "2024-05-01T12:00:00Z"
    updates = [
        update(headline="Page", articleBody="no time anywhere", datePublished=same, url="https://x.org/p#a"),
        update(headline="09:15 BST: Early news", articleBody="body", datePublished=same, url="https://x.org/p#b"),
    ]
    blog = {"@type": "LiveBlogPosting", "headline": "Page", "dateModified": same, "liveBlogUpdate": updates}
    a, b = parse(page(blog))
    assert (a.title, a.published, a.published_from) == ("", NOW, TimeSource.FIRST_SEEN)
    assert (b.title, b.published, b.published_from) == (
        "Early news",
        datetime(2024, 5, 1, 8, 15, tzinfo=UTC),
        TimeSource.TEXT,
    )


def test_hash_ids_do_not_change_when_a_page_wide_date_moves() -> None:
    def blog(stamp: str, *bodies: str) -> bytes:
        updates = [update(headline="", articleBody=b, datePublished=stamp) for b in bodies]
        return page({"@type": "LiveBlogPosting", "liveBlogUpdate": updates})

    before = parse(blog("2024-05-01T10:00:00Z", "older", "oldest"))
    after = parse(blog("2024-05-01T10:30:00Z", "newest", "older", "oldest"))  # a post was added
    assert [e.entry_id for e in after][1:] == [e.entry_id for e in before]


def test_page_wide_dates_with_html_blocks() -> None:
    same = "2024-05-01T12:00:00Z"
    updates = [update(**{"@id": f"b{n}"}, headline="Page", articleBody=f"post {n}", datePublished=same) for n in (1, 2)]
    html = (
        '<article id="block-b1"><header><time datetime="2024-05-01T11:00:00Z">11.00</time><h2>One</h2></header>'
        "</article>"
        '<article id="block-b2"><header><time datetime="2024-05-01T10:00:00+01:00">10.00</time></header></article>'
    )
    one, two = parse(page({"@type": "LiveBlogPosting", "headline": "Page", "liveBlogUpdate": updates}, body=html))
    assert (one.title, one.published) == ("One", datetime(2024, 5, 1, 11, 0, tzinfo=UTC))
    assert (two.title, two.published) == ("", datetime(2024, 5, 1, 9, 0, tzinfo=UTC))
    assert one.url == "https://example.org/live#block-b1"


def test_duplicate_updates_and_duplicate_ids() -> None:
    u = update(headline="Same", articleBody="text", url="https://x.org/#1")
    changed = update(headline="Other", articleBody="more text", url="https://x.org/#1")
    blog = {"@type": "LiveBlogPosting", "liveBlogUpdate": [u, u, changed]}
    entries = parse(page(blog, blog))  # the same blog twice, too
    assert [e.title for e in entries] == ["Same", "Other"]
    assert entries[0].entry_id == "1" and entries[1].entry_id.startswith("1~")


def test_microdata_with_unquoted_and_entity_values() -> None:
    html = (
        '<div itemscope itemtype="https://schema.org/LiveBlogPosting"><meta itemprop="headline" content="Match">'
        '<div itemprop="liveBlogUpdate" itemscope itemtype="https://schema.org/BlogPosting">'
        "<meta itemprop=url content=https://x.org/m#9></meta>"
        '<meta itemprop ="datePublished" content="2023-11-02T20:19:33&#x2B;05:30" />'
        '<meta itemprop="articleBody" content = "A four&nbsp;for Sri Lanka &amp; more" />'
        '<meta itemprop="headline" content="FOUR!" />'
        '<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
        '<meta itemprop="name" content="Desk"></span>'
        "</div></div>"
    )
    (entry,) = parse(page(body=html))
    assert (entry.entry_id, entry.title, entry.body, entry.author) == (
        "9",
        "FOUR!",
        "A four for Sri Lanka & more",
        "Desk",
    )
    assert entry.published == datetime(2023, 11, 2, 14, 49, 33, tzinfo=UTC)


def test_live_blog_without_updates_is_empty() -> None:
    assert parse(page({"@type": "LiveBlogPosting", "headline": "Starting soon"})) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (
            b"<html><head><title>404 Not Found</title></head><body>gone</body></html>",
            "HTML page titled '404 Not Found'",
        ),
        (page({"@type": "NewsArticle", "headline": "Just an article"}), "no schema.org LiveBlogPosting"),
        (b'{"not": "html"}', "no schema.org LiveBlogPosting"),
    ],
)
def test_pages_without_live_blog_raise(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(data)

"""Plain-HTML live blogs read through CSS selectors: the BR and SportoweFakty presets, the seed live blog
(turned into HTML at test time), and inline layouts for each option."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from newsmon.connectors import html_selectors
from newsmon.connectors.html_selectors import PRESETS, Selectors
from newsmon.connectors.parsing import ParseError, get_zone
from newsmon.model import Entry, Flag, TimeSource
from newsmon.text import normalise

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def parse(data: bytes, url: str = "https://example.org/live", **options: Any) -> list[Entry]:
    return html_selectors.parse(data, url, source="test", now=NOW, **options)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


# --------------------------------------------------------------------------- real tickers


def test_br24_ticker(read_shared: Callable[[str], bytes], sane: Callable[..., None]) -> None:
    data = read_shared("realworld/html/br-2024-08-27-nahost-news-ticker.html")
    entries = parse(data, preset="br24")
    assert len(entries) == 7
    sane(entries, source="test")
    # "HH.MM Uhr" in Berlin summer time, the day from the "Dienstag, 27. August 2024" heading.
    assert [e.published for e in entries] == [
        utc(2024, 8, 27, 10, 31),
        utc(2024, 8, 27, 9, 39),
        utc(2024, 8, 27, 9, 13),
        utc(2024, 8, 27, 8, 31),
        utc(2024, 8, 27, 6, 57),
        utc(2024, 8, 27, 3, 20),
        utc(2024, 8, 27, 0, 2),
    ]
    assert all(e.published_from is TimeSource.TEXT for e in entries)
    assert entries[0].title == "Ultraorthodoxe jüdische Zeitung lehnt Tempelberg-Aussagen von Sicherheitsminister ab"
    assert entries[3].title == 'Farbanschlag auf "Tagesspiegel"-Gebäude in Berlin'
    assert entries[5].title == "Mittlerweile 640 Tote im Westjordanland"  # 05.20 Uhr, not the summary's 05.19
    assert entries[5].body.startswith("Bei einem israelischen Luftangriff im Norden des Westjordanlands")
    assert "Seit Beginn des Krieges" in entries[5].body  # the post's second paragraph
    assert "Uhr" not in " ".join(e.title for e in entries)
    assert "ZU DEN BISHERIGEN ENTWICKLUNGEN" not in " ".join(e.body for e in entries)
    assert [e.entry_id for e in parse(data, preset="br24")] == [e.entry_id for e in entries]


def test_sportowefakty_relation(read_shared: Callable[[str], bytes], sane: Callable[..., None]) -> None:
    data = read_shared("realworld/html/sportowefakty-2020-09-28-zuzel-relacja-live.html")
    entries = parse(data, preset="sportowefakty")
    assert len(entries) == 20
    sane(entries, source="test")
    local = [e.published.astimezone(get_zone("Europe/Warsaw")).strftime("%H:%M") for e in entries if e.published]
    assert local == [
        "19:30",
        "19:17",
        "19:16",
        "19:14",
        "19:08",
        "19:06",
        "19:05",
        "19:04",
        "19:03",
        "18:45",
        "18:38",
        "18:37",
        "18:37",
        "18:36",
        "18:27",
        "18:23",
        "18:19",
        "18:18",
        "18:17",
        "18:05",
    ]
    assert all(e.published and e.published.date() == date(2020, 9, 28) for e in entries)  # from the SportsEvent
    assert entries[0].entry_id == "904241"
    assert entries[0].url == "https://example.org/live#904241"
    assert entries[0].body == "Piotr Protasiewicz pojedzie teraz po raz 2600. w biegu w PGE Ekstralidze w życiu!"
    assert {e.entry_id for e in entries if Flag.KEY_EVENT in e.flags} == {
        "904213",
        "904191",
        "904175",
        "904111",
        "904073",
    }
    assert not any("46:44" in e.body or "Bieg 14" in e.body for e in entries)  # video lengths, heat cards


# --------------------------------------------------------------------------- the seed live blog


_TIME_LINE = re.compile(r"^(?P<when>(?:\w+day \d{1,2} \w+ \d{4} )?\d{2}:\d{2}) , (?P<author>.+)$")
SEED_LAYOUT = Selectors(
    container="main.liveblog",
    entry="div.live-post",
    title="h2.live-post__title",
    time="time",
    author=".live-post__author",
    body="div.live-post__body",
    pinned=".live-post--pinned",
)


def seed_page(text: str) -> str:
    """The seed live blog (a text dump of a live-blog page) as a live-blog HTML page.

    The dump shows each post as "Title", "HH:MM , Author" (older posts: "Tuesday
    14 February 2023 10:30 , Author") and body paragraphs, separated by blank
    lines; the page header (title, intro, "Key Points" list) comes first.  So:

    * the block before each time line is the post title, the blocks after it up
      to the next title are the body: one ``<p>`` each; lines inside a block are
      joined with ``<br>``;
    * a block of identical lines is an image caption that the dump repeats: it
      becomes a ``<figure>`` with the caption twice, as the seed entries keep it;
    * the time is display text in ``<time>`` (no ``datetime`` attribute), as the
      dump gives nothing more;
    * the one post whose time-only stamp is earlier than the next post's is the
      pinned post the labels mention; it gets the template's pinned class;
    * the page carries ``article:modified_time``, as live-blog templates do.
    """
    blocks = [b.strip("\n") for b in re.split(r"\n[ \t]*\n", text) if b.strip()]
    starts = [i for i, b in enumerate(blocks) if _TIME_LINE.match(b.strip())]
    header = "".join(f"<p>{html.escape(b)}</p>" for b in blocks[1 : starts[0] - 1])
    posts = []
    for number, start in enumerate(starts):
        match = _TIME_LINE.match(blocks[start].strip())
        assert match
        end = starts[number + 1] - 1 if number + 1 < len(starts) else len(blocks)
        body = []
        for block in blocks[start + 1 : end]:
            lines = [line.strip() for line in block.split("\n")]
            if len(lines) > 1 and len(set(lines)) == 1:
                spans = "<br>".join(f"<span>{html.escape(line)}</span>" for line in lines)
                body.append(f'<figure class="live-post__image"><img src="x.jpg" alt="">{spans}</figure>')
            else:
                body.append("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>")
        when = match["when"]
        following = _TIME_LINE.match(blocks[starts[number + 1]].strip()) if number + 1 < len(starts) else None
        pinned = ":" in when[:3] and following is not None and ":" in following["when"][:3] and when < following["when"]
        posts.append(
            f'<div class="live-post{" live-post--pinned" if pinned else ""}">'
            f'<h2 class="live-post__title">{html.escape(blocks[start - 1])}</h2>'
            f'<p class="live-post__meta"><time>{html.escape(when)}</time> , '
            f'<span class="live-post__author">{html.escape(match["author"])}</span></p>'
            f'<div class="live-post__body">{"".join(body)}</div>'
            '<div class="live-post__share"><a href="#">Share</a></div></div>'
        )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(blocks[0])}</title>"
        '<meta property="article:modified_time" content="2023-02-15T15:20:00+00:00">'
        f"</head><body><header><h1>{html.escape(blocks[0])}</h1>{header}</header>"
        f'<main class="liveblog">{"".join(posts)}</main></body></html>'
    )


def test_seed_live_blog_gives_exactly_the_seed_entries(read_shared: Callable[[str], bytes]) -> None:
    text = read_shared("data/seed-liveblog-2023-02-15.txt").decode("utf-8")
    rows = [json.loads(line) for line in read_shared("data/seed-entries.jsonl").decode().splitlines()]
    entries = parse(seed_page(text).encode(), selectors=SEED_LAYOUT)
    assert len(entries) == len(rows) == 60
    assert len({e.entry_id for e in entries}) == 60
    for entry, row in zip(entries, rows, strict=True):
        assert entry.title == row["title"], row["id"]
        assert entry.author == row["author"], row["id"]
        assert entry.published == datetime.fromisoformat(row["published"]), row["id"]
        assert entry.published_from is TimeSource.TEXT
        assert entry.body == normalise(row["body"]), row["id"]
    # 00:45 (15 Feb) is followed by "Tuesday 14 February 2023 23:45": the day changes with the text.
    assert {e.entry_id for e in entries if Flag.PINNED in e.flags} == {entries[2].entry_id}
    assert entries[2].published == utc(2023, 2, 15, 4, 45)  # the pinned post keeps the page's day
    again = parse(seed_page(text).encode(), selectors=SEED_LAYOUT)
    assert [e.entry_id for e in again] == [e.entry_id for e in entries]


# --------------------------------------------------------------------------- inline layouts

POSTS = Selectors(entry="article.post", title="h3", time="time", author=".by", pinned=".pinned", id_attr="data-id")


def posts_page(*posts: str, head: str = "") -> bytes:
    return f"<html><head>{head}</head><body><div class='blog'>{''.join(posts)}</div></body></html>".encode()


def post(time: str, title: str, body: str = "text", *, pid: str = "", cls: str = "", by: str = "") -> str:
    pid_attr = f' data-id="{pid}"' if pid else ""
    return (
        f'<article class="post {cls}"{pid_attr}><h3>{title}</h3><time>{time}</time>'
        f'<p class="meta">by <span class="by">{by}</span></p><p>{body}</p></article>'
    )


def test_running_day_rolls_back_over_midnight_and_ignores_pinned_posts() -> None:
    data = posts_page(
        post("00:20", "A"),
        post("07:00", "Pinned old", cls="pinned"),
        post("00:05", "B"),
        post("23:50", "C"),
        post("23:10", "D"),
    )
    entries = parse(data, selectors=POSTS, day=date(2024, 3, 2))
    assert [e.published for e in entries] == [
        utc(2024, 3, 2, 0, 20),
        utc(2024, 3, 2, 7, 0),
        utc(2024, 3, 2, 0, 5),
        utc(2024, 3, 1, 23, 50),
        utc(2024, 3, 1, 23, 10),
    ]
    assert entries[1].flags == {Flag.PINNED}


def test_oldest_first_layout_rolls_forward() -> None:
    layout = Selectors(entry="article.post", title="h3", time="time", newest_first=False)
    entries = parse(posts_page(post("23:50", "A"), post("00:10", "B")), selectors=layout, day=date(2024, 3, 1))
    assert [e.published for e in entries] == [utc(2024, 3, 1, 23, 50), utc(2024, 3, 2, 0, 10)]


def test_page_modified_time_is_the_anchor_and_later_times_are_yesterday() -> None:
    head = '<meta property="article:modified_time" content="2024-03-02T00:30:00+01:00">'
    data = posts_page(post("00:25", "A"), post("23:40", "B"), head=head)
    layout = Selectors(entry="article.post", title="h3", time="time", tz="Europe/Paris")
    a, b = parse(data, selectors=layout)
    assert a.published == utc(2024, 3, 1, 23, 25)  # 00:25 Paris on 2 March
    assert b.published == utc(2024, 3, 1, 22, 40)  # 23:40 Paris on 1 March


def test_without_any_date_the_day_is_now_and_future_times_are_yesterday() -> None:
    entries = parse(posts_page(post("11:00", "A"), post("13:00", "B")), selectors=POSTS)  # NOW is 12:00 UTC
    assert [e.published for e in entries] == [utc(2026, 11, 25, 11, 0), utc(2026, 11, 24, 13, 0)]


def test_date_headings_following_and_preceding() -> None:
    following = (
        "<h4>Monday, 26 August 2024</h4>" + post("10:00", "A") + "<h4>Sunday, 25 August 2024</h4>" + post("22:00", "B")
    )
    layout = Selectors(entry="article.post", title="h3", time="time", date="h4")
    assert [e.published for e in parse(posts_page(following), selectors=layout)] == [
        utc(2024, 8, 26, 10),
        utc(2024, 8, 25, 22),
    ]
    preceding = post("10:00", "A") + "<h4>26.08.2024</h4>" + post("22:00", "B") + "<h4>25.08.2024</h4>"
    layout = Selectors(entry="article.post", title="h3", time="time", date="h4", date_scope="preceding")
    assert [e.published for e in parse(posts_page(preceding), selectors=layout)] == [
        utc(2024, 8, 26, 10),
        utc(2024, 8, 25, 22),
    ]


def test_split_layout_with_time_in_title_and_pattern() -> None:
    body = (
        "<div class='rt'><h2>Überblick</h2><p>not a post</p>"
        "<h2>12.31 Uhr: Erste Meldung</h2><p>Eins.</p><p>Zwei.</p>"
        "<h2>9.05 Uhr – Zweite Meldung</h2><p>Drei.</p><ul><li>Vier</li></ul>"
        "<h2>Mittwoch, 28. August 2024</h2></div>"
    )
    layout = Selectors(
        entry="div.rt h2",
        split=True,
        entry_pattern=r"^\d{1,2}\.\d{2} Uhr",
        time_in_title=True,
        date="div.rt h2",
        date_scope="preceding",
        tz="Europe/Berlin",
    )
    first, second = parse(posts_page(body), selectors=layout)
    assert (first.title, first.body, first.published) == ("Erste Meldung", "Eins.\n\nZwei.", utc(2024, 8, 28, 10, 31))
    assert (second.title, second.body, second.published) == ("Zweite Meldung", "Drei.\n\nVier", utc(2024, 8, 28, 7, 5))


def test_ids_links_authors_excludes_and_default_body() -> None:
    data = posts_page(
        '<article class="post" data-id="p-1"><h3>T1</h3><time datetime="2024-05-01T10:00:00+02:00">10:00</time>'
        '<p class="meta">by <span class="by">Ann</span> and <span class="by">Bob</span></p><p>Body one</p>'
        '<figure class="caption">Photo: agency</figure></article>'
        '<article class="post"><h3>T2</h3><a class="perma" href="/live/posts/2#p2">link</a><p>Body two</p></article>'
        '<article class="post"><h3>T3</h3><p>Body three</p></article>'
    )
    layout = Selectors(
        entry="article.post",
        title="h3",
        time="time",
        author=".by",
        id_attr="data-id",
        link="a.perma",
        exclude="figure.caption, a.perma, p.meta",
    )
    one, two, three = parse(data, selectors=layout)
    assert (one.entry_id, one.author, one.body) == ("p-1", "Ann, Bob", "Body one")
    assert (one.published, one.published_from) == (utc(2024, 5, 1, 8, 0), TimeSource.SOURCE)
    assert (two.entry_id, two.url, two.body) == ("p2", "https://example.org/live/posts/2#p2", "Body two")
    assert two.published == NOW and two.published_from is TimeSource.FIRST_SEEN
    assert three.entry_id.startswith("h-") and three.url == "https://example.org/live"


def test_require_time_drops_untimed_posts() -> None:
    layout = Selectors(entry="article.post", title="h3", time="time", require_time=True)
    entries = parse(posts_page(post("10:00", "A"), "<article class='post'><h3>Card</h3></article>"), selectors=layout)
    assert [e.title for e in entries] == ["A"]


def test_error_pages_and_empty_blogs() -> None:
    error = b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"
    with pytest.raises(ParseError, match=r"no element matches container 'div\.coveragelist'.*404 Not Found"):
        parse(error, preset="sportowefakty")
    with pytest.raises(ParseError, match=r"no element matches entry 'article\.post'"):
        parse(error, selectors=POSTS)
    with pytest.raises(ParseError, match="empty"):
        parse(b"", selectors=POSTS)
    empty_blog = Selectors(entry="article.post", container="div.blog")
    assert parse(posts_page(), selectors=empty_blog) == []


def test_configuration_errors() -> None:
    with pytest.raises(ValueError, match="bad CSS selector"):
        parse(posts_page(), selectors=Selectors(entry="article[[["))
    with pytest.raises(ValueError, match="unknown preset 'nope'"):
        parse(posts_page(), preset="nope")
    with pytest.raises(ValueError, match="needs selectors= or preset="):
        parse(posts_page())
    with pytest.raises(ValueError, match="unknown time zone"):
        parse(posts_page(post("10:00", "A")), selectors=Selectors(entry="article.post", tz="Nowhere/Land"))
    assert set(PRESETS) == {"br24", "sportowefakty"}


def test_default_body_is_the_post_without_its_parts() -> None:
    data = posts_page(
        '<article class="post"><h3>Title</h3><p class="meta"><time>10:00</time> | <span class="by">Ann</span></p>'
        "<p>First.</p><p>Second.</p></article>"
    )
    (entry,) = parse(data, selectors=Selectors(entry="article.post", title="h3", time="time", author=".by"))
    assert (entry.title, entry.author, entry.body) == ("Title", "Ann", "First.\n\nSecond.")


def test_selectors_from_a_config_table() -> None:
    page = b"""<html><body><div class="live">
    <article class="post" id="p2"><h3>Second</h3><time datetime="2024-03-07T10:05:00Z">10:05</time><p>Two.</p></article>
    <article class="post" id="p1"><h3>First</h3><time datetime="2024-03-07T09:00:00Z">09:00</time><p>One.</p></article>
    </div></body></html>"""
    config = {"entry": "article.post", "title": "h3", "time": "time", "body": "p", "id_attr": "id"}
    entries = html_selectors.parse(page, "https://x.test/live", source="s", now=NOW, selectors=config)
    assert [(e.entry_id, e.title, e.body) for e in entries] == [("p2", "Second", "Two."), ("p1", "First", "One.")]
    with pytest.raises(ValueError, match="unknown selector keys"):
        html_selectors.parse(page, "https://x.test/live", source="s", now=NOW, selectors={"entry": "a", "titel": "h3"})

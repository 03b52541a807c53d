"""Issue 14, points 13-16: feeds nobody here wrote -- dates that depend on the day you run it,
ids resolved against the fetch url, truncated documents, feeds inside XHTML, undeclared encodings."""

from __future__ import annotations

import time
import types
from datetime import UTC, datetime
from typing import Any

import pytest

from newsmon.connectors import rss
from newsmon.model import Entry, TimeSource

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def parse(data: bytes, url: str = "https://example.org/feed.xml", **options: Any) -> list[Entry]:
    return rss.parse(data, url, source="test", now=NOW, **options)


def feed(*items: str) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            + "".join(items) + "</channel></rss>").encode()


# -- 13: dates --------------------------------------------------------------------------


def _clock(monkeypatch: pytest.MonkeyPatch, when: datetime) -> None:
    """Set the clock feedparser's ISO 8601 fallback reads (it calls time.gmtime() for missing fields)."""
    import feedparser.datetimes.iso8601 as iso

    fixed = when.timestamp()
    fake = types.SimpleNamespace(gmtime=lambda *a: time.gmtime(*(a or (fixed,))),
                                 mktime=time.mktime, localtime=time.localtime)
    monkeypatch.setattr(iso, "time", fake)


DATED = feed('<item><title>A</title><guid>a</guid><pubDate>2020/1/10 14:33:00</pubDate></item>',
             '<item><title>B</title><guid>b</guid><pubDate>2020/01/11 09:05 +0200</pubDate></item>',
             '<item><title>C</title><guid>c</guid><pubDate>2020-03</pubDate></item>')


def test_dates_do_not_depend_on_the_day_newsmon_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    _clock(monkeypatch, datetime(2031, 7, 4, tzinfo=UTC))
    in_july = parse(DATED)
    _clock(monkeypatch, datetime(2029, 2, 20, tzinfo=UTC))
    in_february = parse(DATED)
    assert in_july == in_february
    a, b, c = in_july
    assert (a.published, a.published_from) == (datetime(2020, 1, 10, 14, 33, tzinfo=UTC), TimeSource.SOURCE)
    assert b.published == datetime(2020, 1, 11, 7, 5, tzinfo=UTC)
    # year and month only: feedparser would take the day from the clock; the date is unknown instead
    assert (c.published, c.published_from) == (NOW, TimeSource.FIRST_SEEN)


# -- 14: ids ------------------------------------------------------------------------------


MOVED = feed('<item><title>A</title><guid>1559104147038</guid><link>/news/a</link></item>',
             '<item><title>B</title><guid isPermaLink="false">tag-b</guid></item>')
ATOM = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        b'<entry><id>entry-7</id><title>A</title><link href="/news/7"/></entry></feed>')


def test_ids_are_the_publishers_guids_whatever_the_fetch_url() -> None:
    for data in (MOVED, ATOM):
        over_http = parse(data, "http://example.org/feeds/all.xml")
        over_https = parse(data, "https://example.org/feeds/all.xml")
        redirected = parse(data, "https://cdn.example.net/x/feed")
        assert [e.key for e in over_http] == [e.key for e in over_https] == [e.key for e in redirected]
    assert [e.entry_id for e in parse(MOVED)] == ["1559104147038", "tag-b"]
    assert [e.entry_id for e in parse(ATOM)] == ["entry-7"]
    # links are still made absolute, against the url the feed came from
    assert parse(MOVED, "https://example.org/feeds/all.xml")[0].url == "https://example.org/news/a"
    assert parse(ATOM, "https://example.org/feeds/all.xml")[0].url == "https://example.org/news/7"


# -- 15: broken documents -----------------------------------------------------------------------


def test_a_truncated_feed_gives_its_entries_and_a_warning() -> None:
    whole = feed('<item><title>A</title><guid>a</guid></item>', '<item><title>B</title><guid>b</guid></item>',
                 '<item><title>C</title><guid>c</guid></item>')
    notes: list[str] = []
    entries = parse(whole[: whole.rindex(b"<item>") + 12], notes=notes)
    assert [e.entry_id for e in entries] == ["a", "b"]
    assert len(notes) == 1 and notes[0].startswith("broken document: line 1, column ")
    clean: list[str] = []
    assert len(parse(whole, notes=clean)) == 3 and clean == []


# -- 16: feeds inside XHTML, undeclared encodings ---------------------------------------------


XHTML_WITH_ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Wire</title></head><body>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:wire</id>
<entry><id>urn:1</id><title>First</title><updated>2024-08-27T10:00:00Z</updated><summary>One</summary></entry>
<entry><id>urn:2</id><title>Second</title><updated>2024-08-27T11:00:00Z</updated><summary>Two</summary></entry>
</feed></body></html>"""


def test_kind_detection_finds_a_feed_inside_an_xhtml_page() -> None:
    from newsmon.connectors.detect_kind import Kind, detect_kind

    assert detect_kind(XHTML_WITH_ATOM, "application/xhtml+xml") is Kind.ATOM
    assert Kind.ATOM.source_kind == "rss"
    assert [e.entry_id for e in parse(XHTML_WITH_ATOM)] == ["urn:1", "urn:2"]  # and the rss parser reads it
    # a page that only links to its feed, or mentions one, is still a page
    page = (b'<html><head><title>x</title><link rel="alternate" type="application/atom+xml" href="/feed"/>'
            b"</head><body><p>Subscribe to our feed: &lt;rss&gt;</p></body></html>")
    assert detect_kind(page, "text/html") is Kind.HTML


RUSSIAN = ("Президент подписал указ о новых мерах поддержки",
           "В Москве состоялось заседание правительства, на котором обсуждались вопросы экономики.")


@pytest.mark.parametrize("codec", ["koi8-r", "cp1251"])
def test_an_undeclared_legacy_encoding_is_detected(codec: str) -> None:
    title, body = RUSSIAN
    data = (f'<rss version="2.0"><channel><title>Новости</title><item><guid>1</guid><title>{title}</title>'
            f"<description>{body}</description></item></channel></rss>").encode(codec)
    (entry,) = parse(data, content_type="text/xml")
    assert (entry.title, entry.body) == RUSSIAN


def test_an_undeclared_latin1_feed_still_reads_as_windows_1252(shared_dir: Any) -> None:
    data = (shared_dir / "realworld/feeds/uol-noticias-ultimas-2018-latin1-no-decl.rss").read_bytes()
    titles = [e.title for e in parse(data, "http://noticias.uol.com.br/")]
    assert titles[0] == "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno"
    assert "Apucarana garante continuidade do Pré Aprendiz; ano vai fechar com 13 mil pessoas qualificadas" in titles

"""Synthetic, well-formed bases for `bench/fuzz_docs.py`: one document of every shape a parser reads.

Each is small and valid, so that a mutation of it is "a real document of that
kind, damaged": an RSS 2.0, an Atom and an RDF feed, a JSON-LD and a microdata
live blog, a Guardian CAPI item response, replay JSON lines, pages in the
layouts of the ``br24`` and ``sportowefakty`` presets and of `GENERIC_SELECTORS`.
"""

from __future__ import annotations

import json

# the layout `bench/fuzz.py` gives the html parser besides the presets
GENERIC_SELECTORS = {"entry": "article.post", "title": "h2", "time": "time", "body": "div.body", "id_attr": "id",
                     "link": "a.permalink", "pinned": ".pinned", "author": ".by", "exclude": "aside"}

_TITLES = ["Russian forces claim breakthrough near Bakhmut", "Ukraine denies the claim: the line holds",
           "Drone attack on Kyiv overnight, officials say", "Talks in Istanbul & what comes next"]


def _rss() -> bytes:
    items = "".join(
        f'<item><title>{t.replace("&", "&amp;")}</title><link>https://example.org/a/{i}</link>'
        f'<guid isPermaLink="false">a{i}</guid><pubDate>Tue, 27 Aug 2024 1{i}:31:00 GMT</pubDate>'
        f"<description>&lt;p&gt;Body {i} &amp;amp; more&lt;/p&gt;</description>"
        f"<content:encoded><![CDATA[<p>Full body {i} &#039;quoted&#039;</p>]]></content:encoded>"
        f"<dc:creator>Reporter {i}</dc:creator></item>" for i, t in enumerate(_TITLES))
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Fuzz</title>'
            f"<link>https://example.org/</link><description>d</description>{items}</channel></rss>").encode()


def _atom() -> bytes:
    entries = "".join(
        f'<entry><id>urn:x:{i}</id><title type="html">{t.replace("&", "&amp;amp;")}</title>'
        f'<link href="/a/{i}"/><published>2024-08-27T1{i}:31:00+02:00</published>'
        f"<updated>2024-08-27T1{i}:40:00Z</updated><author><name>R{i}</name></author>"
        f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Body {i}</p></div></content></entry>'
        for i, t in enumerate(_TITLES))
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>'
            f'<id>urn:x</id><updated>2024-08-27T12:00:00Z</updated><link href="https://example.org/"/>{entries}'
            "</feed>").encode()


def _rdf() -> bytes:
    items = "".join(f'<item rdf:about="https://example.org/r/{i}"><title>{t.replace("&", "&amp;")}</title>'
                    f"<link>https://example.org/r/{i}</link><description>Body {i}</description>"
                    f"<dc:date>2024-08-27T1{i}:00:00+02:00</dc:date></item>" for i, t in enumerate(_TITLES))
    return ('<?xml version="1.0" encoding="iso-8859-1"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax'
            '-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<channel rdf:about="https://example.org/"><title>R\u00e9sum\u00e9</title></channel>{items}'
            "</rdf:RDF>").encode("iso-8859-1")


def _page(head: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Live</title>{head}</head>'
            f"<body>{body}</body></html>").encode()


def _jsonld() -> bytes:
    updates = [{"@type": "BlogPosting", "@id": f"https://example.org/live#p{i}", "headline": t,
                "articleBody": f"<p>Update {i} &amp; details</p>", "datePublished": f"2024-08-27T1{i}:31:00Z",
                "dateModified": f"2024-08-27T1{i}:35:00.000+01:00",
                "author": [{"@type": "Person", "name": f"R{i}"}, "Desk"]} for i, t in enumerate(_TITLES)]
    blog = [{"@context": "https://schema.org", "@type": ["LiveBlogPosting", "NewsArticle"], "headline": "Live",
             "coverageStartTime": "2024-08-27T08:00:00+0000", "liveBlogUpdate": updates},
            {"@type": "WebPage", "name": "x"}]
    script = json.dumps(blog).replace("</", "<\\/")
    articles = "".join(f'<article id="block-p{i}"><time datetime="2024-08-27T1{i}:31:00Z">1{i}.31 BST</time>'
                       f"<h2>{t}</h2></article>" for i, t in enumerate(_TITLES))
    return _page(f'<script type="application/ld+json">{script}</script>', articles)


def _microdata() -> bytes:
    posts = "".join(
        f'<div itemprop="liveBlogUpdate" itemscope itemtype="https://schema.org/BlogPosting">'
        f'<meta itemprop="headline" content="{t.replace("&", "&amp;")}"><meta itemprop="datePublished" '
        f"content='2024-08-27T1{i}:31:00+05:30'><meta itemprop=url content=https://example.org/m#{80 + i}>"
        f'<div itemprop="articleBody">Text&nbsp;{i}</div></div>' for i, t in enumerate(_TITLES))
    return _page('<script type="application/ld+json">{"@type": "NewsArticle", // comment\n "headline": "x"}'
                 "</script>", f'<div itemscope itemtype="https://schema.org/LiveBlogPosting">{posts}</div>')


def _guardian() -> bytes:
    blocks = [{"id": f"b{i}", "title": t if i % 2 else "", "bodyHtml": f"<p>Block {i}</p>", "bodyTextSummary":
               f"Block {i}", "attributes": {"keyEvent": i == 0, "pinned": "true" if i == 1 else "false",
                                            "summary": bool(i == 2)},
               "published": True, "createdDate": f"2024-08-27T1{i}:30:00Z",
               "firstPublishedDate": f"2024-08-27T1{i}:31:00.000+01:00", "publishedDate": f"2024-08-27T1{i}:32:00Z",
               "lastModifiedDate": f"2024-08-27T1{i}:33:00Z", "contributors": ["profile/r", {"webTitle": "Ed"}]}
              for i, t in enumerate(_TITLES)]
    content = {"id": "world/live/2024/aug/27/x", "webUrl": "https://www.theguardian.com/world/live/x",
               "tags": [{"id": "profile/r", "type": "contributor", "webTitle": "Reporter"}],
               "blocks": {"main": {"id": "main", "bodyHtml": "<p>head</p>"}, "body": blocks}}
    return json.dumps({"response": {"status": "ok", "content": content}}).encode()


def _replay() -> bytes:
    lines = [{"id": f"E{i}", "published": f"2024-08-27T1{i}:31:00Z", "title": t, "body": f"Body {i}",
              "author": "R", "source": "fuzz", "url": f"https://example.org/e{i}", "flags": ["pinned"] if i else []}
             for i, t in enumerate(_TITLES)]
    return ("\n".join(json.dumps(line) for line in lines) + "\n").encode()


def _br24() -> bytes:
    posts = "".join(f"<h2>1{i}.31 Uhr: {t}</h2><p>Text {i}.</p><p>Mehr.</p>" for i, t in enumerate(_TITLES))
    return _page('<meta property="article:modified_time" content="2024-08-27T18:00:00+02:00">',
                 '<section id="articlebody"><ul><li>Summary (05.19 Uhr)</li></ul>'
                 f"{posts}<h2>Dienstag, 27. August 2024</h2></section>")


def _sportowefakty() -> bytes:
    posts = "".join(f'<div class="coventry{" coventry--highlight" if i == 0 else ""}" id="c{i}">'
                    f'<aside class="coventry__aside"><time>1{8 - i % 2}:{5 * i:02d}</time></aside>'
                    f'<div class="coventry__body">{t}<script>x()</script></div></div>' for i, t in enumerate(_TITLES))
    return _page('<script type="application/ld+json">{"@type":"SportsEvent","startDate":"2020-09-28"}</script>',
                 f'<div class="coveragelist">{posts}<div class="coventry">5 : 1</div></div>')


def _generic() -> bytes:
    posts = "".join(f'<article class="post{" pinned" if i == 3 else ""}" id="p{i}"><h2>{t.replace("&", "&amp;")}'
                    f'</h2><time datetime="2024-08-27T1{i}:31:00+02:00">1{i}:31</time><span class="by">R{i}</span>'
                    f'<div class="body"><p>Body {i}</p><aside>ad</aside></div><a class="permalink" href="#p{i}">#</a>'
                    "</article>" for i, t in enumerate(_TITLES))
    return _page("", f"<main>{posts}</main>")


SYNTHETIC: dict[str, tuple[bytes, str]] = {
    "rss2": (_rss(), "application/rss+xml; charset=utf-8"),
    "atom": (_atom(), "application/atom+xml"),
    "rdf": (_rdf(), "text/xml"),
    "jsonld": (_jsonld(), "text/html; charset=utf-8"),
    "microdata": (_microdata(), "text/html"),
    "guardian": (_guardian(), "application/json"),
    "replay": (_replay(), "application/x-ndjson"),
    "br24": (_br24(), "text/html; charset=utf-8"),
    "sportowefakty": (_sportowefakty(), "text/html"),
    "generic": (_generic(), "text/html"),
}

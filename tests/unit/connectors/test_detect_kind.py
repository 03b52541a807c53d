"""Guessing the source kind of a document."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsmon.connectors.detect_kind import Kind, detect_kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("realworld/feeds/aljazeera-all-breaking-2026-09-10.rss", Kind.RSS),  # no <?xml?> declaration
        ("realworld/feeds/bbc-news-world-2026-09-10.rss", Kind.RSS),
        ("realworld/feeds/bbc-urdu.rss", Kind.RSS),
        ("realworld/feeds/guardian-us-2018-01-31.rss", Kind.RSS),
        ("realworld/feeds/heise-newsticker-rdf.xml", Kind.RDF),
        ("realworld/feeds/uol-noticias-ultimas-2018-latin1-no-decl.rss", Kind.RSS),
        ("realworld/guardian-blocks/guardian-capi-item-response-example-liveblog.json", Kind.GUARDIAN),
        ("realworld/guardian-blocks/guardian-capi-content-example-liveblog-mixed-attr-types.json", Kind.GUARDIAN),
        ("realworld/guardian-blocks/guardian-capi-item-response-2015-string-attrs.json", Kind.GUARDIAN),
        ("realworld/liveblogposting/theguardian-2023-05-15-russia-ukraine-war-live.html", Kind.LIVEBLOG_JSONLD),
        ("realworld/liveblogposting/independent-2023-08-14-womens-world-cup-live.html", Kind.LIVEBLOG_JSONLD),
        ("realworld/liveblogposting/express-2024-07-18-harry-meghan-live.html", Kind.LIVEBLOG_JSONLD),
        ("realworld/liveblogposting/corkbeo-2020-10-06-level-3-live.html", Kind.LIVEBLOG_JSONLD),
        ("realworld/liveblogposting/repubblica-2023-11-02-israele-hamas-diretta.html", Kind.LIVEBLOG_JSONLD),
        ("realworld/liveblogposting/timesofindia-2020-10-02-ipl-live-blog.html", Kind.LIVEBLOG_JSONLD),
        ("realworld/liveblogposting/ndtv-sports-2023-11-02-microdata-live-broken-jsonld.html", Kind.LIVEBLOG_MICRODATA),
        ("realworld/html/br-2024-08-27-nahost-news-ticker.html", Kind.HTML),
        # marks its list itemtype=LiveBlogPosting but no post as liveBlogUpdate: needs selectors
        ("realworld/html/sportowefakty-2020-09-28-zuzel-relacja-live.html", Kind.HTML),
        ("data/seed-entries.jsonl", Kind.REPLAY),
    ],
)
def test_real_files(read_shared: Callable[[str], bytes], name: str, kind: Kind) -> None:
    assert detect_kind(read_shared(name)) == kind


@pytest.mark.parametrize(
    ("data", "content_type", "kind"),
    [
        (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c --><rss version="2.0"><channel/></rss>', "", Kind.RSS),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "text/xml", Kind.ATOM),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>', "", Kind.RDF),
        (b"<!DOCTYPE html><html><body>503</body></html>", "application/rss+xml", Kind.HTML),  # content wins
        (
            b'<html><script type="application/ld+json">{"@type":"LiveBlogPosting","liveBlogUpdate":[]}</script></html>',
            "",
            Kind.LIVEBLOG_JSONLD,
        ),
        (b'<div itemprop="liveBlogUpdate" itemscope></div>', "text/html", Kind.LIVEBLOG_MICRODATA),
        (b'{"response": {"status": "ok", "content": {}}}', "application/json", Kind.GUARDIAN),
        (b'{"id": "1", "title": "x"}', "", Kind.REPLAY),
        (b'{"id": "1", "title": "x"}\n{"id": "2", "body": "y"}\n', "", Kind.REPLAY),
        (b'{"error": "nope"}', "", Kind.UNKNOWN),
        (b"", "", Kind.UNKNOWN),
        (b"plain text", "text/plain", Kind.UNKNOWN),
        (b"<unknown-root/>", "application/rss+xml", Kind.RSS),  # only then does the header decide
    ],
)
def test_inline(data: bytes, content_type: str, kind: Kind) -> None:
    assert detect_kind(data, content_type) == kind


def test_source_kinds_match_the_parser_registry() -> None:
    assert {k: k.source_kind for k in Kind} == {
        Kind.RSS: "rss",
        Kind.ATOM: "rss",
        Kind.RDF: "rss",
        Kind.LIVEBLOG_JSONLD: "liveblog",
        Kind.LIVEBLOG_MICRODATA: "liveblog",
        Kind.GUARDIAN: "guardian",
        Kind.REPLAY: "replay",
        Kind.HTML: "html",
        Kind.UNKNOWN: None,
    }
    kinds = pytest.importorskip("newsmon.connectors.kinds")  # the runner's registry (another module)
    for kind in Kind:
        if kind.source_kind is not None:
            assert callable(kinds.parser_for(kind.source_kind))

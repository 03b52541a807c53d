"""The documents of `bench/fuzz.py`: seeded mutations of real and synthetic documents.

`document(seed, index)` is a pure function of its arguments (and of the real
files present), so one document can be regenerated alone to reproduce a crash.
The real documents are read at run time from ``$NEWSMON_SHARED/realworld``
(default: ``shared/`` next to the checkout); they are never copied into the
repository.  Without them the synthetic bases are used alone.

Mutation families (document `index` takes family ``index % len(FAMILIES)``, and
a second random family one time in four):

truncate, flip (bytes replaced, deleted, repeated), junk (binary noise, NULs,
invalid UTF-8 in or instead of the document), encoding (transcoded to a legacy
or UTF-16/32 codec, lying declarations, charsets, byte-order marks), nesting
(markup or JSON nested thousands deep, closed or not), huge (a multi-megabyte
attribute or text, tens of thousands of attributes, items or blocks),
entities (entity expansion, external and undeclared entities, character
references out of range or to surrogates), illformed (the classes of
feedparser's ill-formed test cases: unclosed root, an HTML doctype on a feed,
high-bit bytes in a date, incomplete CDATA, undeclared namespace prefixes,
empty textinput, stray end tags, corrupted ampersands, links without href,
legacy CJK/Cyrillic/Hebrew/Thai bytes without declaration, empty document),
json (JSON values -- Guardian blocks, replay lines, JSON-LD -- swapped for
values of other types: null, huge numbers, NaN, lone surrogates, nested lists),
dates (dates replaced by impossible, extreme or non-ASCII-digit ones), splice
(a slice of another document inserted) and markup (unclosed comments, scripts
and CDATA, repeated declarations, lying ``<meta charset>``).
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fuzz_bases import SYNTHETIC

REPO = Path(__file__).resolve().parents[1]
MAX_SIZE = 6 * 1024 * 1024  # a mutation that would grow a document past this keeps it as it was


@dataclass(frozen=True)
class Doc:
    name: str  # what it was made from and how: "real:bbc-urdu.rss|truncate|dates"
    data: bytes
    content_type: str = ""


def shared_dir() -> Path:
    configured = os.environ.get("NEWSMON_SHARED")
    return Path(configured) if configured else REPO.parent / "shared"


@cache
def bases() -> tuple[Doc, ...]:
    """The real documents (sorted by path) and the synthetic ones."""
    real: list[Doc] = []
    root = shared_dir() / "realworld"
    if root.is_dir():
        types = {".rss": "application/rss+xml", ".xml": "text/xml", ".json": "application/json",
                 ".html": "text/html; charset=utf-8"}
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in types:
                content_type = "" if "no-decl" in path.name else types[path.suffix]
                real.append(Doc(f"real:{path.name}", path.read_bytes(), content_type))
    synthetic = [Doc(f"synthetic:{name}", data, ctype) for name, (data, ctype) in SYNTHETIC.items()]
    return (*real, *synthetic)


def real_count() -> int:
    return sum(1 for base in bases() if base.name.startswith("real:"))


# --------------------------------------------------------------------------- mutations

Mutation = Callable[[random.Random, Doc], Doc]


def _with(doc: Doc, data: bytes, content_type: str | None = None) -> Doc:
    if len(data) > MAX_SIZE:
        return doc
    return Doc(doc.name, data, doc.content_type if content_type is None else content_type)


def _at(rng: random.Random, data: bytes) -> int:
    """A position, biased towards markup: just after a '>' or a '{' half the time."""
    if data and rng.random() < 0.5:
        spot = rng.randrange(len(data))
        found = max(data.rfind(b">", 0, spot), data.rfind(b"{", 0, spot))
        if found >= 0:
            return found + 1
    return rng.randrange(len(data) + 1)


def truncate(rng: random.Random, doc: Doc) -> Doc:
    n = len(doc.data)
    cut = rng.choice([rng.randrange(n + 1), n - rng.randrange(min(n, 64) + 1), rng.randrange(min(n, 512) + 1)])
    return _with(doc, doc.data[: max(cut, 0)])


def flip(rng: random.Random, doc: Doc) -> Doc:
    data = bytearray(doc.data)
    for _ in range(rng.randint(1, 40)):
        if not data:
            break
        spot, op = rng.randrange(len(data)), rng.randrange(4)
        if op == 0:
            data[spot] = rng.randrange(256)
        elif op == 1:
            del data[spot : spot + rng.randint(1, 200)]
        elif op == 2:
            data[spot:spot] = data[spot : spot + rng.randint(1, 300)] * rng.randint(2, 20)
        else:
            data[spot] = rng.choice(b"<>&;\"'{}[]:,\\/\x00")
    return _with(doc, bytes(data))


_INVALID_UTF8 = [b"\x80", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xff", b"\xfe\xff", b"\xe2\x82",
                 b"\xef\xbb\xbf", b"\x00", b"\x1b[31m", b"\r", b"\x0c", b"\x85", "\u2028".encode()]


def junk(rng: random.Random, doc: Doc) -> Doc:
    choice = rng.randrange(5)
    if choice == 0:
        return _with(doc, rng.randbytes(rng.choice([0, 1, 7, 512, 65536])), rng.choice(["", doc.content_type]))
    if choice == 1:  # noise in front: a gzip or PNG header, NULs, a UTF-16 BOM
        head = rng.choice([b"\x1f\x8b\x08\x00", b"\x89PNG\r\n\x1a\n", b"\x00" * 1000, b"\xff\xfe", rng.randbytes(64)])
        return _with(doc, head + doc.data)
    data = bytearray(doc.data)
    for _ in range(rng.randint(1, 200)):
        spot = _at(rng, bytes(data))
        data[spot:spot] = rng.choice(_INVALID_UTF8) * rng.randint(1, 8)
    if choice == 3:
        data = data.replace(b" ", b"\x00", rng.randint(1, 500))
    if choice == 4:
        data[rng.randrange(len(data) + 1):] = rng.randbytes(rng.randint(1, 4096))
    return _with(doc, bytes(data))


_CODECS = ["utf-16-le", "utf-16-be", "utf-16", "utf-32", "cp1251", "koi8-r", "shift_jis", "euc-jp", "big5",
           "gb2312", "euc-kr", "iso-8859-7", "cp1255", "tis-620", "cp1252", "latin-1", "utf-7", "cp037"]
_LABELS = ["utf-8", "UTF-16", "utf-32", "iso-8859-1", "windows-1251", "koi8-r", "shift_jis", "x-bogus-charset",
           "utf-7", "ebcdic-cp-us", "", "unicode-1-1-utf-8", "ascii", "\u00e9t\u00e9"]


def encoding(rng: random.Random, doc: Doc) -> Doc:
    text = doc.data.decode("utf-8", errors="replace")
    codec = rng.choice(_CODECS)
    data = text.encode(codec, errors=rng.choice(["replace", "ignore", "xmlcharrefreplace"]))
    label = rng.choice(_LABELS)
    style = rng.randrange(5)
    if style == 0:  # the declaration lies: keep the document's, or put another in
        data = re.sub(rb"encoding\s*=\s*[\"'][^\"']*[\"']", b'encoding="' + label.encode("utf-8") + b'"', data, count=1)
    elif style == 1:  # the server lies
        return _with(doc, data, f"{doc.content_type.split(';')[0] or 'text/xml'}; charset={label}")
    elif style == 2:  # a byte-order mark that is not the codec's
        data = rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"]) + data
    elif style == 3:  # half in one codec, half in another
        half = len(text) // 2
        data = text[:half].encode("utf-8") + text[half:].encode(codec, errors="replace")
    else:  # a <meta charset> that lies
        data = re.sub(rb"<head>", b'<head><meta charset="' + label.encode("utf-8") + b'">', data, count=1)
    return _with(doc, data, "" if rng.random() < 0.5 else None)


def nesting(rng: random.Random, doc: Doc) -> Doc:
    depth = rng.choice([1_000, 10_000, 50_000, 200_000])
    data = doc.data
    spot = _at(rng, data)
    tag = rng.choice([b"div", b"item", b"entry", b"article", b"b", b"x:y", b"script", b"section"])
    closed = rng.random() < 0.5
    if rng.random() < 0.4:  # JSON, where a JSON block starts if there is one
        start = max(data.find(b"{"), data.find(b"["))
        spot = start + 1 if start >= 0 else spot
        opener, closer = rng.choice([(b'{"a":', b"}"), (b"[", b"]"), (b'{"@graph":[', b"]}")])
        inner = opener * depth + b"1" + (closer * depth if closed else b"")
    else:
        inner = (b"<" + tag + b">") * depth + b"x"
        inner += (b"</" + tag + b">") * depth if closed else b""
    return _with(doc, data[:spot] + inner + data[spot:])


def huge(rng: random.Random, doc: Doc) -> Doc:
    data = doc.data
    size = rng.choice([100_000, 1_000_000, 4_000_000])
    choice = rng.randrange(5)
    match = re.search(rb"<([A-Za-z][\w:.-]*)", data[_at(rng, data):]) or re.search(rb"<([A-Za-z][\w:.-]*)", data)
    if choice == 0 and match:  # one huge attribute
        start = data.find(match.group(0))
        insert = b' data-x="' + b"A" * size + b'"'
    elif choice == 1 and match:  # very many attributes
        start = data.find(match.group(0))
        insert = b"".join(b' a%d="%d"' % (i, i) for i in range(size // 20))
    elif choice == 2:  # a huge text or string
        start, insert = _at(rng, data), rng.choice([b"word ", b"&amp;", b"\\u00e9", b"\xd0\x96"]) * (size // 5)
        return _with(doc, data[:start] + insert + data[start:])
    else:  # thousands of items, blocks, updates or lines copied from the document's own
        unit = re.search(rb"<(item|entry)\b.*?</\1>|<article\b.*?</article>|\{\"id\":[^\n]*?\}(?=,\s*\{)|[^\n]+\n",
                         data, re.DOTALL)
        if not unit:
            return _with(doc, data + b"x" * size)
        copies = max(2, size // max(len(unit.group(0)), 1))
        return _with(doc, data[: unit.end()] + (b"," if unit.group(0).startswith(b"{") else b"").join(
            [unit.group(0)] * copies) + data[unit.end():])
    if not match:
        return doc
    at = start + len(match.group(0))
    return _with(doc, data[:at] + insert + data[at:])


_LAUGHS = b"".join(b'<!ENTITY l%d "%s">' % (i, (b"&l%d;" % (i - 1) if i > 1 else b"lol") * 10) for i in range(1, 10))
_DOCTYPES = [
    b"<!DOCTYPE r [" + _LAUGHS + b"]>",
    b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:1/evil.dtd"> %p;]>',
    b'<!DOCTYPE r [<!ENTITY a "&b;"><!ENTITY b "&a;">]>',
    b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://site.invalid/">',
]
_REFS = [b"&l9;", b"&x;", b"&a;", b"&nbsp;", b"&eacute;", b"&#x110000;", b"&#xD800;", b"&#0;", b"&#99999999999999;",
         b"&#x;", b"&amp;amp;amp;", b"&", b"&lt;script&gt;", b"&#65", b"&nosuchentity;", b"\\u0026amp;"]


def entities(rng: random.Random, doc: Doc) -> Doc:
    data = doc.data
    if rng.random() < 0.5:
        decl = re.match(rb"\s*(<\?xml[^>]*\?>)?", data)
        at = decl.end() if decl else 0
        data = data[:at] + rng.choice(_DOCTYPES) + data[at:]
    out = bytearray(data)
    for _ in range(rng.randint(1, 60)):
        spot = _at(rng, bytes(out))
        out[spot:spot] = rng.choice(_REFS) * rng.choice([1, 1, 5, 1000])
    return _with(doc, bytes(out))


_ILLFORMED: list[tuple[bytes, str]] = [
    (b'<rss version="2.0">\n</rss', ""),  # the root never closes
    (b'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
     b'"http://site.invalid/"><rss><channel><title>found</title><item><title>t</title></item></channel></rss>', ""),
    ('<?xml version="1.0" encoding="iso-8859-7"?><rss version="2.0"><channel><pubDate>\u039a\u03c5\u03c1, 29 '
     '\u0391\u03c5\u03b3 2004 12:53:00 GMT</pubDate><item><title>t</title><pubDate>\u039a\u03c5\u03c1, 29 '
     '\u0391\u03c5\u03b3 2004 12:53:00 GMT</pubDate></item></channel></rss>'.encode("iso-8859-7"), "text/xml"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title><![CD', ""),
    (b'<rss version="2.0"><channel><itunes:subtitle>Foo</itunes:subtitle><item><dc:date>x</dc:date>'
     b"<title>t</title></item></channel></rss>", ""),
    (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
     b'xmlns="http://purl.org/rss/1.0/"><channel rdf:about="http://example.com/"><textinput rdf:resource='
     b'"http://example.com/" /></channel><item rdf:about="http://example.com/1"><title>crashes here</title></item>'
     b'<textinput rdf:about="http://example.com/"></textinput></rdf:RDF', ""),
    (b'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:georss="http://www.georss.org/georss"><entry><title>t'
     b"</title><georss:polygon>33.3 52.5 32.5</georss:polygon><link rel=\"enclosure\"/><link/></entry></feed>", ""),
    (b'<rss version="2.0"><channel><image><height>1</height></height><width>2</width></width></image><item>'
     b"<link>http://link/get?a=1&b=2&amp;c=3&#38d=4</link><textinput><textinput><title>n</title></textinput>"
     b"</textinput></item></channel></rss>", ""),
    (b"", ""),
    (b"<rss version=\"2.0\"><channel><item><title>\x00\x01\x02</title><description>\x0b\x0c</description>"
     b"</item></channel></rss>", "application/rss+xml"),
]
_LEGACY = [("big5", "\u65b0\u805e\u5feb\u8a0a\u6230\u722d"), ("euc-jp", "\u65b0\u805e\u901f\u5831"),
           ("shift_jis", "\u30cb\u30e5\u30fc\u30b9\u901f\u5831"), ("euc-kr", "\ub274\uc2a4 \uc18d\ubcf4"),
           ("gb2312", "\u65b0\u95fb\u5feb\u8baf"), ("koi8-r", "\u041d\u043e\u0432\u043e\u0441\u0442\u0438"),
           ("tis-620", "\u0e02\u0e48\u0e32\u0e27"), ("cp1255", "\u05d7\u05d3\u05e9\u05d5\u05ea")]


def illformed(rng: random.Random, doc: Doc) -> Doc:
    if rng.random() < 0.3:  # legacy bytes, no declaration anywhere
        codec, word = rng.choice(_LEGACY)
        items = "".join(f"<item><title>{word} {i}</title><description>{word * 3}</description></item>"
                        for i in range(rng.randint(1, 5)))
        text = f'<rss version="2.0"><channel><title>{word}</title>{items}</channel></rss>'
        return Doc(doc.name, text.encode(codec), "")
    data, content_type = rng.choice(_ILLFORMED)
    return Doc(doc.name, data, content_type)


_NASTY: list[Any] = [None, True, False, 0, -1, 2**63, 10**40, 1e308, float("nan"), float("inf"), "", " ", "\x00",
                     "x" * 100_000, [], {}, [[[[]]]], {"@type": "LiveBlogPosting"}, ["a", 1, None],
                     "\ud800", "a\udfffb", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00",
                     "2023-13-45T99:99:99Z", {"id": {"id": []}}, [{"@type": "BlogPosting"}] * 50]


def _mutate_json(rng: random.Random, value: Any, count: int) -> Any:
    nodes: list[tuple[Any, Any]] = []  # (container, key)
    stack = [value]
    while stack and len(nodes) < 20_000:
        item = stack.pop()
        keys = list(item) if isinstance(item, dict) else range(len(item)) if isinstance(item, list) else []
        for key in keys:
            nodes.append((item, key))
            stack.append(item[key])
    for _ in range(count):
        if not nodes:
            return rng.choice(_NASTY)
        container, key = rng.choice(nodes)
        if isinstance(container, dict) and rng.random() < 0.15:
            container.pop(key, None)
        elif isinstance(container, list) and key >= len(container):
            continue
        else:
            container[key] = rng.choice(_NASTY)
    return value


_SCRIPT = re.compile(rb"(<script[^>]*ld\+json[^>]*>)(.*?)(</script)", re.DOTALL | re.IGNORECASE)


def json_values(rng: random.Random, doc: Doc) -> Doc:
    def mutated(raw: bytes) -> bytes:
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError):
            return raw
        return json.dumps(_mutate_json(rng, value, rng.randint(1, 12))).encode()

    data = doc.data
    if data.lstrip()[:1] in (b"{", b"["):
        lines = data.split(b"\n")
        if len(lines) > 2:  # JSON lines
            return _with(doc, b"\n".join(mutated(line) if rng.random() < 0.5 else line for line in lines))
        return _with(doc, mutated(data))
    if _SCRIPT.search(data):
        return _with(doc, _SCRIPT.sub(lambda m: m.group(1) + mutated(m.group(2)) + m.group(3), data))
    return flip(rng, doc)


_DATE = re.compile(rb"\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?|[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} "
                   rb"[\d:]+ (?:GMT|[+-]\d{4})|\b\d{1,2}[.:]\d{2}(?= ?Uhr\b)|(?<=>)\d{1,2}:\d{2}(?=<)")
_BAD_DATES = ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "0000-00-00T00:00:00Z", "2023-02-30T25:61:61Z",
              "Mon, 32 Foo 99999 99:99:99 +9999", "1e400", "", "-62135596800", "\uff12\uff10\uff12\uff13-01-01",
              "\u0662\u0660\u0662\u0663-\u0660\u0661-\u0660\u0661T10:00:00Z", "99.99", "24:00", "23:59", "00:00",
              "Tue, 31 Dec 9999 23:59:59 -2359", "2024-08-27T12:00:00+99:99", "Dienstag, 31. Dezember 9999",
              "1.1.1 Uhr", "\u00a012.31\u00a0Uhr", "12:30pm +14:00", "2024-W35-2", "P1D"]


def dates(rng: random.Random, doc: Doc) -> Doc:
    def bad(match: re.Match[bytes]) -> bytes:
        return rng.choice(_BAD_DATES).encode() if rng.random() < 0.7 else match.group(0)

    data = _DATE.sub(bad, doc.data)
    return _with(doc, data if data != doc.data else flip(rng, doc).data)


def splice(rng: random.Random, doc: Doc) -> Doc:
    other = rng.choice(bases()).data
    start = rng.randrange(len(other) + 1)
    piece = other[start : start + rng.choice([100, 5000, 100_000])]
    spot = _at(rng, doc.data)
    return _with(doc, doc.data[:spot] + piece + doc.data[spot:])


_MARKUP = [b"<!--", b"<![CDATA[", b"<script>", b"<?xml version='1.0'?>", b"<!DOCTYPE", b"</html>", b"<html>",
           b"<body><body>", b"</channel></rss>", b'<rss version="2.0">', b"<\x00item>", b'<a href="x>', b"<a b=c d>",
           b'<meta charset="utf-16">', b"<style>", b"<title>", b"<feed xmlns=\"http://www.w3.org/2005/Atom\">",
           b'<script type="application/ld+json">{"@type":"LiveBlogPosting","liveBlogUpdate":[{"headline":1}]}',
           b"<?php ?>", b"]]>", b"-->", b"<textarea>", b"<plaintext>"]


def markup(rng: random.Random, doc: Doc) -> Doc:
    out = bytearray(doc.data)
    for _ in range(rng.randint(1, 10)):
        spot = _at(rng, bytes(out))
        out[spot:spot] = rng.choice(_MARKUP)
    return _with(doc, bytes(out))


FAMILIES: dict[str, Mutation] = {
    "truncate": truncate, "flip": flip, "junk": junk, "encoding": encoding, "nesting": nesting, "huge": huge,
    "entities": entities, "illformed": illformed, "json": json_values, "dates": dates, "splice": splice,
    "markup": markup,
}


def document(seed: int, index: int) -> Doc:
    """Document `index` of the run with `seed` (deterministic)."""
    rng = random.Random(f"newsmon-fuzz:{seed}:{index}")
    names = list(FAMILIES)
    family = names[index % len(names)]
    all_bases = bases()
    real = [b for b in all_bases if b.name.startswith("real:")]
    base = rng.choice(real if real and rng.random() < 0.6 else all_bases)
    chain = [family]
    if rng.random() < 0.25:
        chain.append(rng.choice(names))
    doc = base
    for name in chain:
        doc = FAMILIES[name](rng, doc)
    return Doc(f"{base.name}|{'|'.join(chain)}", doc.data, doc.content_type)

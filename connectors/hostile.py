r"""Markup defused before third-party parsers see it: what makes them crash or take hours.

Pure functions on text, used by `rss` (before feedparser) and by
`parsing.html_document` (before lxml).  Each undoes one class of hostile
input found by ``bench/fuzz.py``; a document without it comes back unchanged
(the very same object).

* An element with tens of thousands of attributes: feedparser's strict parser
  looks each attribute up by name in a list, libxml2's HTML parser checks each
  new attribute against the earlier ones, so both take quadratic time (200,000
  attributes: hours).  Attributes after an element's first 1,000 are dropped;
  no feed or page element has that many.
* For feedparser only (`defuse_feed`):
  - a numeric character reference to no Unicode character (``&#xD800;``, a
    surrogate; ``&#x110000;``; ``&#99999999999999999;``): its loose parser
    calls ``chr()`` on it and raises ValueError, OverflowError or
    UnicodeEncodeError.  It becomes ``&#xFFFD;``, the replacement character, as
    in HTML;
  - a prolog (what comes before the first element) with long runs of
    blank lines: feedparser's doctype regex (``^\s*<!ENTITY``, multi-line)
    scans the rest of the run from every line start, quadratic time (100 KB
    of blank lines before ``<?xml``: 15 s).  Whitespace runs there become one
    newline;
  - a stray ``</width>`` or ``</height>`` end tag: its loose parser converts
    what it pops, None, with ``int()`` and raises TypeError (fixed upstream in
    kurtmckee/feedparser 2d7eed1, not in a release as of 6.0.14).  The
    ``width``/``height`` tags (an RSS image's size, which newsmon does not read)
    are taken out, their text stays.
"""

from __future__ import annotations

import re

__all__ = ["MAX_ATTRIBUTES", "defuse_charrefs", "defuse_feed", "limit_attributes"]

MAX_ATTRIBUTES = 1000
_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s"'<>]*)"""
# a start tag: runs of anything but quotes and angle brackets, and quoted values (a ">" inside one does
# not end it), up to ">", or up to a "<" or the end of the text that cut it off (libxml2 reads the
# attributes of those all the same); junk between attributes (a stray "/", "=" or control character)
# does not end it either, and a quote never closed runs to the end (as in libxml2).  Atomic, so it runs
# in linear time.
_TAG = re.compile(r"""<[A-Za-z][^\s<>/]*(?>[^<>"']+|"[^"]*"?|'[^']*'?)*+(?:>|(?=<)|\Z)""")
_ATTRIBUTE = re.compile(rf"[^\s=<>/]+(?:\s*=\s*{_VALUE})?")
_CHARREF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_SIZE_TAG = re.compile(r"</?(?:width|height)\s*>", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(r"<\w")  # where feedparser's prolog ends
_BLANKS = re.compile(r"\s{2,}")
_LONG_PROLOG = 1024


def limit_attributes(text: str) -> str:
    """`text` with every element's attributes after its first `MAX_ATTRIBUTES` dropped."""
    if text.count("=") <= MAX_ATTRIBUTES:
        return text
    fixed = _TAG.sub(_fewer_attributes, text)
    return text if fixed == text else fixed


def _fewer_attributes(match: re.Match[str]) -> str:
    tag = match.group(0)
    if tag.count("=") <= MAX_ATTRIBUTES:
        return tag
    name = re.match(r"<[^\s<>/]+", tag)
    assert name is not None  # _TAG starts so
    closing = "/>" if tag.endswith("/>") else ">" if tag.endswith(">") else ""
    kept = _ATTRIBUTE.findall(tag, name.end(), len(tag) - len(closing))[:MAX_ATTRIBUTES]
    return f"{name.group(0)} {' '.join(kept)}{closing}"


def defuse_feed(text: str) -> str:
    """`text` (a feed) without what crashes feedparser or takes it hours (see the module doc)."""
    fixed = defuse_charrefs(text)
    first = _FIRST_ELEMENT.search(fixed)
    prolog = first.start() if first else len(fixed)
    if prolog > _LONG_PROLOG:
        fixed = _BLANKS.sub("\n", fixed[:prolog]) + fixed[prolog:]
    if "</width" in fixed or "</height" in fixed or "</WIDTH" in fixed or "</HEIGHT" in fixed:
        fixed = _SIZE_TAG.sub("", fixed)
    fixed = limit_attributes(fixed)
    return text if fixed == text else fixed


def defuse_charrefs(text: str) -> str:
    """`text` with character references to no character made ``&#xFFFD;`` (the same object when none)."""
    if "&#" not in text:
        return text
    fixed = _CHARREF.sub(_charref, text)
    return text if fixed == text else fixed


def _charref(match: re.Match[str]) -> str:
    digits = match.group(1) or match.group(2)
    if len(digits) > 8:  # more than 0x10FFFF either way (and int() refuses 4,300 digits)
        return "&#xFFFD;"
    value = int(digits, 16 if match.group(1) else 10)
    return "&#xFFFD;" if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF else match.group(0)

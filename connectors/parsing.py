"""Helpers shared by the connector parsers: errors, decoding, dates, ids, entries.

Everything here is pure (no I/O) and deterministic, so parsing the same bytes
twice gives equal entries.

Dates
    `parse_datetime` reads ISO 8601 (``Z``, ``+01:00``, ``+0000``, milliseconds),
    RFC 822 dates, also with Portuguese/German/… day and month names
    (``Seg, 24 Set 2018 19:42:40 -0300``), and loose text dates such as
    ``Tuesday 14 February 2023 10:30`` or ``27.08.2024, 12:32 Uhr``.
    `parse_time_of_day` reads a time of day alone (``15:20``, ``12.50 BST``,
    ``12.31 Uhr``, ``3.20pm``); `parse_day` reads a calendar day alone
    (``Dienstag, 27. August 2024``).  Results are tz-aware and in UTC; a time
    without zone is read in the zone the caller gives (UTC by default).

Ids
    Connectors prefer the publisher's ids (guid, block id, ``@id``, url
    fragment).  When there is none, `fallback_id` hashes the most stable fields
    the caller has (e.g. the raw publication time and the title); and
    `dedupe_ids` makes ids unique within one document (see there).
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, NamedTuple
from urllib.parse import urldefrag, urljoin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import lxml.etree
import lxml.html

from newsmon.model import Entry, Flag, TimeSource
from newsmon.text import content_hash, html_to_text, normalise

__all__ = [
    "ParseError",
    "TimeOfDay",
    "absolute_url",
    "at_time_of_day",
    "build_entry",
    "charset_from_content_type",
    "clean_body",
    "clean_title",
    "decode_bytes",
    "dedupe_ids",
    "describe_document",
    "fallback_id",
    "flags_from_attributes",
    "get_zone",
    "guess_encoding",
    "html_document",
    "json_types",
    "jsonld_blocks",
    "load_json",
    "loads_lenient",
    "parse_datetime",
    "parse_day",
    "parse_time_of_day",
    "root_element",
    "split_time_prefix",
    "to_utc",
    "truthy",
    "url_fragment",
    "walk_json",
]


class ParseError(ValueError):
    """The bytes are not a document of the expected kind (error page, garbage, empty).

    Raised instead of returning ``[]``: an empty list means "a valid document
    with no entries", never "could not read it".
    """


# --------------------------------------------------------------------------- encodings

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_XML_DECL_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# Browsers (WHATWG) read these labels as windows-1252, a superset of the printable latin-1.
_WINDOWS_1252_ALIASES = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii"})


def charset_from_content_type(content_type: str) -> str | None:
    """The ``charset=`` parameter of a Content-Type header value, if any."""
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", content_type or "", re.IGNORECASE)
    return match.group(1) if match else None


def _codec(label: str | None) -> str | None:
    """A Python codec name for an encoding label, or None when unknown."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _WINDOWS_1252_ALIASES:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def guess_encoding(data: bytes, content_type: str = "") -> str:
    """The codec to decode `data` with.

    Order: byte-order mark; valid UTF-8 with non-ASCII bytes (multi-byte
    UTF-8 sequences do not occur by chance in legacy-encoded text, while
    servers often label UTF-8 as ISO-8859-1); the Content-Type charset; the
    document's own declaration (``<?xml encoding=…?>``, ``<meta charset=…>``);
    UTF-8.  A declared codec is used only if it decodes the bytes without
    error.  Bytes that are not UTF-8 and declare nothing usable (e.g. a latin-1
    feed without an XML declaration) are read as windows-1252, the encoding
    browsers assume; that matches ISO-8859-1 for every printable character.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    if not data.isascii() and _decodes(data, "utf-8"):
        return "utf-8"
    head = data[:4096]
    candidates = [charset_from_content_type(content_type)]
    xml_decl = _XML_DECL_ENCODING.match(head)
    candidates.append(xml_decl.group(1).decode("ascii") if xml_decl else None)
    meta = _META_CHARSET.search(head)
    candidates.append(meta.group(1).decode("ascii") if meta else None)
    for label in candidates:
        found = _codec(label)
        # A UTF-16/32 label on bytes that passed as ASCII so far is a lie (the
        # declaration itself was readable as ASCII): ignore it.
        if found and not found.startswith(("utf-16", "utf-32")) and _decodes(data, found):
            return found
    if _decodes(data, "utf-8"):
        return "utf-8"
    return "cp1252" if _decodes(data, "cp1252") else "latin-1"


def decode_bytes(data: bytes, content_type: str = "") -> str:
    """`data` as text, decoded with `guess_encoding`; never raises."""
    return data.decode(guess_encoding(data, content_type), errors="replace")


# --------------------------------------------------------------------------- documents


_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def describe_document(text: str, limit: int = 80) -> str:
    """A short human description of a document, for error messages."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        return "an empty document"
    lower = stripped[:2000].lower()
    if "<html" in lower or "<!doctype html" in lower or "<body" in lower or "<head" in lower:
        match = _TITLE_RE.search(stripped[:20000])
        title = " ".join(html_to_text(match.group(1)).split()) if match else ""
        return f"an HTML page titled {title[:limit]!r}" if title else "an HTML page without title"
    if stripped[0] in "{[":
        return f"JSON starting {stripped[:limit]!r}"
    if stripped.startswith("<"):
        match = re.match(r"<(?:\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<?([A-Za-z_][\w:.-]*)", stripped, re.DOTALL)
        return f"XML with root element <{match.group(1)}>" if match else "markup"
    return f"text starting {stripped[:limit]!r}"


_PROLOG = re.compile(r"^(?:\s+|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(r"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


def root_element(text: str) -> str:
    """The lower-case local name of a markup document's first element ("" when it has none)."""
    text = text.lstrip("\ufeff \t\r\n")
    prolog = _PROLOG.match(text)
    root = _ROOT.match(text, prolog.end() if prolog else 0)
    return root.group(2).lower() if root else ""


# --------------------------------------------------------------------------- json


def _strip_js_comments(text: str) -> str:
    """Remove ``//`` and ``/* */`` comments and trailing commas outside strings."""
    out: list[str] = []
    i, n = 0, len(text)
    quote = ""
    while i < n:
        char = text[i]
        if quote:
            out.append(char)
            if char == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if char == quote:
                quote = ""
            i += 1
            continue
        if char in "\"'":
            quote = char
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        elif char in "}]":
            k = len(out) - 1
            while k >= 0 and out[k].isspace():
                k -= 1
            if k >= 0 and out[k] == ",":
                del out[k]
        out.append(char)
        i += 1
    return "".join(out)


def loads_lenient(text: str) -> Any:
    """JSON as embedded in pages: tolerates raw control characters in strings,
    HTML comment/CDATA wrappers, ``//`` and ``/* */`` comments and trailing commas.

    Raises ``ValueError`` when the text is still not JSON (see `load_json`).
    """
    text = text.strip()
    for prefix, suffix in (("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>")):
        if text.startswith(prefix) and text.endswith(suffix):
            text = text[len(prefix) : -len(suffix)].strip()
    try:
        return load_json(text, strict=False)
    except json.JSONDecodeError:
        if text[:1] not in ("{", "[", "/"):
            raise  # markup or text: comments and commas are not what is wrong (and megabytes take seconds)
        return load_json(_strip_js_comments(text), strict=False)


def load_json(text: str, *, strict: bool = True) -> Any:
    """``json.loads`` for text from outside: JSON nested deeper than Python's parser can go
    (a hostile ``[[[[...`` block) is a ``ValueError`` like any other bad JSON, not a
    ``RecursionError`` that would escape the handlers of bad JSON."""
    try:
        return json.loads(text, strict=strict)
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def html_document(text: str, what: str = "page") -> Any:
    """An lxml HTML document for `text`; `ParseError` when there is nothing to parse."""
    text = _XML_DECL.sub("", text.replace("\x00", ""), count=1)
    if not text.strip():
        raise ParseError(f"{what}: empty document")
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ParseError(f"{what}: not parseable as HTML ({error})") from error


def jsonld_blocks(doc: Any) -> list[Any]:
    """The parsed ``application/ld+json`` scripts of a page, in page order.

    Blocks that are not JSON even after `loads_lenient` (comments, trailing
    commas, control characters) are skipped: one broken block must not hide
    the others.
    """
    blocks: list[Any] = []
    for script in doc.iter("script"):
        if "ld+json" not in str(script.get("type") or "").lower():
            continue
        try:
            blocks.append(loads_lenient(str(script.text or "")))
        except ValueError:
            continue
    return blocks


def walk_json(value: Any) -> Iterable[dict[str, Any]]:
    """Every JSON object inside `value` (itself included), depth first, in document order."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def json_types(node: Mapping[str, Any]) -> set[str]:
    """Lower-case schema.org type names of a JSON-LD node.

    Reads ``@type`` (or a bare ``type``), given as a string or a list, with or
    without a ``https://schema.org/`` prefix.
    """
    raw = node.get("@type", node.get("type"))
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).rstrip("/").rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str) and v}


# --------------------------------------------------------------------------- dates

# Zone abbreviations seen next to times of day.  "IST" is read as India
# Standard Time (+05:30), as on Indian live blogs; Irish pages write "GMT"/"IST"
# rarely next to times.
_ZONE_ABBREVIATIONS: dict[str, timedelta] = {
    "UTC": timedelta(0),
    "GMT": timedelta(0),
    "Z": timedelta(0),
    "WET": timedelta(0),
    "BST": timedelta(hours=1),
    "WEST": timedelta(hours=1),
    "CET": timedelta(hours=1),
    "MEZ": timedelta(hours=1),
    "CEST": timedelta(hours=2),
    "MESZ": timedelta(hours=2),
    "EET": timedelta(hours=2),
    "EEST": timedelta(hours=3),
    "MSK": timedelta(hours=3),
    "IST": timedelta(hours=5, minutes=30),
    "PKT": timedelta(hours=5),
    "HKT": timedelta(hours=8),
    "SGT": timedelta(hours=8),
    "JST": timedelta(hours=9),
    "AEST": timedelta(hours=10),
    "AEDT": timedelta(hours=11),
    "BRT": timedelta(hours=-3),
    "EST": timedelta(hours=-5),
    "EDT": timedelta(hours=-4),
    "CST": timedelta(hours=-6),
    "CDT": timedelta(hours=-5),
    "MST": timedelta(hours=-7),
    "MDT": timedelta(hours=-6),
    "PST": timedelta(hours=-8),
    "PDT": timedelta(hours=-7),
}

# Month names and abbreviations (lower case, accents kept) in the languages of
# the feeds we read: English, German, Portuguese, Spanish, Italian, French, Polish.
_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "januar",
        "jänner",
        "janeiro",
        "enero",
        "ene",
        "gennaio",
        "gen",
        "janvier",
        "janv",
        "styczeń",
        "stycznia",
        "sty",
    ),
    2: (
        "february",
        "feb",
        "februar",
        "fevereiro",
        "fev",
        "febrero",
        "febbraio",
        "février",
        "févr",
        "fevr",
        "luty",
        "lutego",
        "lut",
    ),
    3: ("march", "mar", "märz", "mär", "maerz", "mrz", "março", "marco", "marzo", "mars", "marzec", "marca"),
    4: ("april", "apr", "abril", "abr", "aprile", "avril", "avr", "kwiecień", "kwietnia", "kwi"),
    5: ("may", "mai", "maio", "mayo", "maggio", "mag", "maj", "maja"),
    6: ("june", "jun", "juni", "junho", "junio", "giugno", "giu", "juin", "czerwiec", "czerwca", "cze"),
    7: ("july", "jul", "juli", "julho", "julio", "luglio", "lug", "juillet", "juil", "lipiec", "lipca", "lip"),
    8: ("august", "aug", "agosto", "ago", "août", "aout", "sierpień", "sierpnia", "sie"),
    9: (
        "september",
        "sep",
        "sept",
        "setembro",
        "set",
        "septiembre",
        "settembre",
        "septembre",
        "wrzesień",
        "września",
        "wrz",
    ),
    10: (
        "october",
        "oct",
        "oktober",
        "okt",
        "outubro",
        "out",
        "octubre",
        "ottobre",
        "ott",
        "octobre",
        "październik",
        "października",
        "paź",
        "paz",
    ),
    11: ("november", "nov", "novembro", "noviembre", "novembre", "listopad", "listopada", "lis"),
    12: (
        "december",
        "dec",
        "dezember",
        "dez",
        "dezembro",
        "diciembre",
        "dic",
        "dicembre",
        "décembre",
        "déc",
        "grudzień",
        "grudnia",
        "gru",
    ),
}
_MONTHS: dict[str, int] = {word: number for number, words in _MONTH_WORDS.items() for word in words}
_MONTH_ALT = "|".join(sorted((re.escape(word) for word in _MONTHS), key=len, reverse=True))

_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}")
_ISO_FIXES = (
    (re.compile(r"[Zz]$"), "+00:00"),
    (re.compile(r"\s*(UTC|GMT)$"), "+00:00"),
    (re.compile(r"(\.\d{6})\d+"), r"\1"),  # nanoseconds
    (re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d)"), r"\1T\2"),
)
_WEEKDAY_PREFIX = re.compile(r"^\s*[^\W\d_]+\.?\s*,\s*")
_RFC822_LIKE = re.compile(
    rf"^\s*(?:[^\W\d_]+\.?,?\s+)?(\d{{1,2}})\s+({_MONTH_ALT})\.?\s+(\d{{2,4}})\s+(\d{{1,2}}:\d{{2}}(?::\d{{2}})?)\s*(.*)$",
    re.IGNORECASE,
)
_DAY_PATTERNS = (
    # 2024-08-27
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"), ("y", "m", "d")),
    # 27.08.2024 (German, Polish), 27/08/2024 is ambiguous with US order: not read.
    (re.compile(r"(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?!\d)"), ("d", "m", "y")),
    # 27. August 2024, 14 February 2023, 24 Set 2018, 28 września 2020
    (
        re.compile(
            rf"(?<!\d)(\d{{1,2}})\.?\s+(?:de\s+)?({_MONTH_ALT})\.?,?\s+(?:de\s+)?(\d{{4}})(?!\d)", re.IGNORECASE
        ),
        ("d", "M", "y"),
    ),
    # February 15, 2023
    (
        re.compile(rf"(?<![^\W\d_])({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE),
        ("M", "d", "y"),
    ),
)
_TIME_RE = re.compile(
    r"(?<![\d:.,])(?P<h>[01]?\d|2[0-3])[:.h](?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?(?![\d:]|\.\d)"
    r"(?:\s*(?P<ampm>[aApP]\.?[mM]\.?)(?![^\W\d_]))?"
    r"(?:\s*(?:Uhr|hrs|h)(?![^\W\d_]))?"
    r"(?:\s*\(?\s*(?P<tz>(?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?\d{2})?|[A-Z]{1,5})\s*\)?(?![^\W\d_]))?"
)
_OFFSET_TOKEN = re.compile(r"^(?:UTC|GMT)?\s*([+-])\s*(\d{1,2}):?(\d{2})?$")


class TimeOfDay(NamedTuple):
    """A time of day read from text, with its zone when the text named one."""

    hour: int
    minute: int
    second: int = 0
    tz: tzinfo | None = None
    start: int = 0  # span of the match in the text it was read from
    end: int = 0

    @property
    def minutes(self) -> int:
        return self.hour * 60 + self.minute


def get_zone(name: str) -> tzinfo:
    """An IANA zone ("Europe/Berlin"), a fixed offset ("+05:30") or an abbreviation ("BST")."""
    zone = _zone_token(name)
    if zone is not None:
        return zone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r}") from error


def _zone_token(token: str) -> tzinfo | None:
    token = token.strip()
    if token.upper() in _ZONE_ABBREVIATIONS:
        offset = _ZONE_ABBREVIATIONS[token.upper()]
        return timezone(offset, token.upper()) if offset else UTC
    match = _OFFSET_TOKEN.match(token.upper())
    if match:
        sign = -1 if match.group(1) == "-" else 1
        return timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0)))
    return None


def to_utc(value: datetime, default_tz: tzinfo = UTC) -> datetime:
    """`value` in UTC; a naive value is taken to be in `default_tz`."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        value = value.replace(tzinfo=default_tz)
    return value.astimezone(UTC)


def _parse_iso(text: str, default_tz: tzinfo) -> datetime | None:
    for pattern, replacement in _ISO_FIXES:
        text = pattern.sub(replacement, text)
    try:
        return to_utc(datetime.fromisoformat(text), default_tz)
    except ValueError:
        return None


def _parse_rfc822_like(text: str, default_tz: tzinfo) -> datetime | None:
    match = _RFC822_LIKE.match(text)
    if not match:
        return None
    day, month_word, year_text, clock, zone_text = match.groups()
    month = _MONTHS.get(month_word.lower())
    zone_text = zone_text.strip()
    zone = _zone_token(zone_text) if zone_text else default_tz
    if month is None or zone is None:
        return None
    year = int(year_text)
    if year < 100:
        year += 2000 if year < 50 else 1900
    hour, minute, *rest = (int(part) for part in clock.split(":"))
    try:
        naive = datetime(year, month, int(day), hour, minute, rest[0] if rest else 0)
    except ValueError:
        return None
    return to_utc(naive, zone)


def parse_datetime(value: object, *, default_tz: tzinfo = UTC) -> datetime | None:
    """A tz-aware UTC datetime from what publishers put in date fields, or None.

    Accepts ISO 8601 (also ``+0000`` offsets, ``Z``, fractions), RFC 822 with
    English or other-language names, Unix times (seconds or milliseconds), and
    loose text with a day and a time ("Tuesday 14 February 2023 10:30",
    "27.08.2024, 12:32 Uhr").  A date without a time is midnight; text without
    a day is None (see `parse_time_of_day`).  Values without zone are in `default_tz`.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return to_utc(value, default_tz)
    if isinstance(value, (int, float)):
        seconds = value / 1000 if abs(value) > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = normalise(html.unescape(value))
    if not text:
        return None
    if text.isdigit() and len(text) >= 9:
        return parse_datetime(int(text), default_tz=default_tz)
    if _ISO_START.match(text):
        parsed = _parse_iso(text, default_tz)
        if parsed is not None:
            return parsed
    parsed = _parse_rfc822_like(text, default_tz)
    if parsed is not None:
        return parsed
    day = parse_day(text)
    if day is None:
        return None
    clock = parse_time_of_day(text)
    if clock is None:
        return to_utc(datetime.combine(day, time()), default_tz)
    return at_time_of_day(day, clock, default_tz)


def parse_day(text: str) -> date | None:
    """The first calendar day written in `text` ("Dienstag, 27. August 2024"), or None."""
    best: tuple[int, date] | None = None
    for pattern, order in _DAY_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        fields = dict(zip(order, match.groups(), strict=True))
        month = _MONTHS.get(fields["M"].lower()) if "M" in fields else int(fields["m"])
        if month is None:
            continue
        try:
            found = date(int(fields["y"]), month, int(fields["d"]))
        except ValueError:
            continue
        if best is None or match.start() < best[0]:
            best = (match.start(), found)
    return best[1] if best else None


def parse_time_of_day(text: str) -> TimeOfDay | None:
    """The first time of day in `text`: "15:20", "12.50 BST", "12.31 Uhr", "19:02(IST)", "3.20pm".

    Hours are 0–23 and minutes two digits, so "57:33", "5 : 1" or "2.5" are not
    times; still, call this on text meant to hold a time (a time element, a
    heading prefix), not on running text.
    """
    text = normalise(text)
    for match in _TIME_RE.finditer(text):
        hour, minute = int(match.group("h")), int(match.group("m"))
        second = int(match.group("s") or 0)
        ampm = (match.group("ampm") or "").lower().replace(".", "")
        if ampm:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        zone_text = match.group("tz") or ""
        zone = _zone_token(zone_text) if zone_text else None
        end = match.end() if zone is not None or not zone_text else match.start("tz")
        return TimeOfDay(hour, minute, second, zone, match.start(), end)
    return None


_PREFIX_SEPARATORS = " \t:–—-|,"


def split_time_prefix(title: str, *, strict: bool = True) -> tuple[TimeOfDay | None, str]:
    """Split a leading time off a headline: "12.31 Uhr: Text" -> (12:31, "Text").

    With `strict`, the time must be followed by a zone, "Uhr", a separator
    (":", "–", "|") or the end, so "10.30 million…" keeps its number.
    """
    text = normalise(title)
    clock = parse_time_of_day(text)
    if clock is None or clock.start != 0:
        return None, text
    rest = text[clock.end :]
    matched = text[: clock.end]
    if strict and not (
        clock.tz is not None
        or "uhr" in matched.lower()
        or not rest.strip()
        or rest.lstrip(" \t")[:1] in {":", "–", "—", "|", "-"}
    ):
        return None, text
    return clock, rest.lstrip(_PREFIX_SEPARATORS)


def at_time_of_day(day: date, clock: TimeOfDay, default_tz: tzinfo = UTC) -> datetime:
    """`day` at `clock`, in the clock's own zone or else `default_tz`, as UTC."""
    local = datetime.combine(day, time(clock.hour, clock.minute, clock.second))
    return to_utc(local, clock.tz or default_tz)


# --------------------------------------------------------------------------- ids


def url_fragment(url: str) -> str:
    """The fragment of `url` ("…#block-1" -> "block-1"), or ""."""
    return urldefrag(url or "")[1]


def fallback_id(*parts: str) -> str:
    """A stable id hashed from normalised text parts, for entries without any id.

    Callers pass the most stable fields they have (raw publication time and
    title; title and body when there is no time).  The id changes when one of
    those fields is edited, so an edited entry then looks new; that is the
    price of a publisher giving no id.
    """
    digest = hashlib.blake2b(digest_size=8)
    for part in parts:
        digest.update(" ".join(normalise(part).casefold().split()).encode())
        digest.update(b"\x1f")
    return f"h-{digest.hexdigest()}"


def dedupe_ids(entries: Sequence[Entry]) -> list[Entry]:
    """Make ``entry_id`` unique within one document, deterministically.

    The first entry (in document order) with an id keeps it; a later entry with
    the same id gets ``<id>~<hash of its title and url>`` (and ``~2``, ``~3``
    … on top when even that repeats).  The suffix does not depend on the
    entry's position, so items that keep their content keep their ids when
    the feed rotates.
    """
    seen: set[str] = set()
    result: list[Entry] = []
    for entry in entries:
        entry_id = entry.entry_id
        if entry_id in seen:
            base = f"{entry_id}~{fallback_id(entry.title, entry.url, entry.body if not entry.title else '')[2:10]}"
            entry_id, counter = base, 1
            while entry_id in seen:
                counter += 1
                entry_id = f"{base}~{counter}"
            entry = dataclasses.replace(entry, entry_id=entry_id)
        seen.add(entry_id)
        result.append(entry)
    return result


# --------------------------------------------------------------------------- entries


def clean_title(text: str | None) -> str:
    """A title as one line: tags stripped, entities decoded, whitespace collapsed."""
    return " ".join(html_to_text(text or "").split())


def clean_body(text: str | None) -> str:
    """A body: tags stripped, entities decoded, paragraphs kept (`html_to_text`)."""
    return html_to_text(text or "")


_TRUE_STRINGS = frozenset({"true", "1", "yes", "y", "on"})


def truthy(value: object) -> bool:
    """Booleans as publishers send them: True, "true", "True", 1, "1"…; "false" is False."""
    if isinstance(value, str):
        return value.strip().lower() in _TRUE_STRINGS
    if isinstance(value, (bool, int, float)):
        return bool(value)
    return False


def flags_from_attributes(attributes: Mapping[str, object] | None) -> frozenset[Flag]:
    """Flags from Guardian-style block attributes ``{"keyEvent": true, "pinned": "false", …}``."""
    if not isinstance(attributes, Mapping):
        return frozenset()
    names = {"pinned": Flag.PINNED, "keyevent": Flag.KEY_EVENT, "summary": Flag.SUMMARY}
    lowered = {name.lower(): value for name, value in attributes.items()}
    return frozenset(flag for key, flag in names.items() if truthy(lowered.get(key)))


def build_entry(
    *,
    source: str,
    entry_id: str,
    title: str,
    body: str,
    now: datetime,
    url: str = "",
    author: str = "",
    published: datetime | None = None,
    published_from: TimeSource = TimeSource.SOURCE,
    modified: datetime | None = None,
    flags: Iterable[Flag] = (),
) -> Entry:
    """An `Entry` with cleaned-up fields and its content hash.

    `title` and `body` must already be plain text (see `clean_title`,
    `clean_body`); they are normalised again here.  Without `published` the
    entry is dated `now` and marked ``TimeSource.FIRST_SEEN``.
    """
    title = " ".join(normalise(title).split())
    body = normalise(body)
    if published is None:
        published, published_from = to_utc(now), TimeSource.FIRST_SEEN
    else:
        published = to_utc(published)
    if modified is not None:
        modified = to_utc(modified)
        if modified == published:
            modified = None
    return Entry(
        source=source,
        entry_id=entry_id,
        title=title,
        body=body,
        url=url,
        author=" ".join(normalise(author).split()),
        published=published,
        published_from=published_from,
        modified=modified,
        content_hash=content_hash(title, body),
        flags=frozenset(flags),
    )


def absolute_url(base: str, link: str | None) -> str:
    """`link` resolved against `base` (kept as is when it is already absolute or base is empty)."""
    if not link:
        return ""
    link = link.strip()
    return urljoin(base, link) if base else link

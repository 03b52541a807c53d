"""Dates and times of day as publishers write them (split from `parsing`, which re-exports them).

`parse_datetime` reads ISO 8601 (``Z``, ``+01:00``, ``+0000``, milliseconds),
RFC 822 dates, also with Portuguese/German/… day and month names
(``Seg, 24 Set 2018 19:42:40 -0300``), and loose text dates such as
``Tuesday 14 February 2023 10:30`` or ``27.08.2024, 12:32 Uhr``.
`parse_time_of_day` reads a time of day alone (``15:20``, ``12.50 BST``,
``12.31 Uhr``, ``3.20pm``); `parse_day` reads a calendar day alone
(``Dienstag, 27. August 2024``).  Results are tz-aware and in UTC; a time
without zone is read in the zone the caller gives (UTC by default).
Zone names and tokens are read by `newsmon.zones` (core, so the configuration check
reads a `tz` the same way); `get_zone` is re-exported from here.
Pure and deterministic: nothing here reads the clock.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, time, tzinfo
from typing import NamedTuple

from newsmon.text import normalise
from newsmon.zones import get_zone as get_zone  # re-exported: `parsing` and callers import it from here
from newsmon.zones import zone_token as _zone_token

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
    # 2024-08-27, also year first with one-digit parts or other separators: 2020/1/10, 2020.01.10
    # (feedparser reads those with its ISO 8601 fallback, which takes month and day from the clock)
    (re.compile(r"(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/.-]?\d)"), ("y", "m", "d")),
    (re.compile(r"(?<![\d/.-])(\d{4})/(\d{1,2})/(\d{1,2})(?![\d/.-]?\d)"), ("y", "m", "d")),
    (re.compile(r"(?<![\d/.-])(\d{4})\.(\d{1,2})\.(\d{1,2})(?![\d/.-]?\d)"), ("y", "m", "d")),
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
    r"(?:\s*\(?\s*(?P<tz>(?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}(?!\d)|[A-Z]{1,5})\s*\)?(?![^\W\d_]))?"
)
# Publication dates outside these years are not dates but damage ("0000-00-00", "9999-12-31"): read as
# unknown.  It also keeps every date read far from datetime's limits (years 1 and 9999), where a zone
# shift or a day's step back overflows.
_YEARS = range(1900, 3000)


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
    A date before 1900 or after 2999 is None: damage, not a publication date.
    """
    try:
        parsed = _parse_datetime(value, default_tz)
    except OverflowError:  # out of datetime's range once in UTC ("0001-01-01T00:00+14:00")
        return None
    return parsed if parsed is not None and parsed.year in _YEARS else None


def _parse_datetime(value: object, default_tz: tzinfo) -> datetime | None:
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
    """The first calendar day (1900-2999) written in `text` ("Dienstag, 27. August 2024"), or None."""
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
        if found.year not in _YEARS:
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



"""Shared helpers of the connectors: dates, encodings, JSON, ids, entries."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from newsmon.connectors.parsing import (
    ParseError,
    build_entry,
    decode_bytes,
    dedupe_ids,
    describe_document,
    fallback_id,
    flags_from_attributes,
    get_zone,
    guess_encoding,
    loads_lenient,
    parse_datetime,
    parse_day,
    parse_time_of_day,
    split_time_prefix,
    truthy,
)
from newsmon.model import Flag, TimeSource

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-05-15T11:50:54+0000", utc(2023, 5, 15, 11, 50, 54)),  # offset without colon (Guardian)
        ("2023-05-15T11:50:54.000Z", utc(2023, 5, 15, 11, 50, 54)),
        ("2020-10-06T21:22:53.212+01:00", utc(2020, 10, 6, 20, 22, 53, 212000)),  # CorkBeo local time with ms
        ("2024-08-27T10:32:25.386913+00:00", utc(2024, 8, 27, 10, 32, 25, 386913)),
        ("2023-11-02T10:14:29&#x2B;05:30", utc(2023, 11, 2, 4, 44, 29)),  # entity-escaped "+" (NDTV microdata)
        ("2023-11-02 10:14:29", utc(2023, 11, 2, 10, 14, 29)),  # naive: UTC by default
        ("2020-09-28", utc(2020, 9, 28)),
        ("Thu, 10 Sep 2026 07:57:23 +0000", utc(2026, 9, 10, 7, 57, 23)),
        ("Wed, 31 Jan 2018 07:26:05 GMT", utc(2018, 1, 31, 7, 26, 5)),
        ("Seg, 24 Set 2018 19:42:40 -0300", utc(2018, 9, 24, 22, 42, 40)),  # Portuguese (UOL)
        ("Sáb, 06 Out 2018 09:00:00 -0300", utc(2018, 10, 6, 12, 0, 0)),
        ("Qua, 19 Dez 2018 23:59:59 -0200", utc(2018, 12, 20, 1, 59, 59)),
        ("Di, 27 Aug 2024 12:31:00 +0200", utc(2024, 8, 27, 10, 31)),  # German short names
        ("10 Sep 2026 07:57 BST", utc(2026, 9, 10, 6, 57)),
        ("Tuesday 14 February 2023 10:30", utc(2023, 2, 14, 10, 30)),
        ("27.08.2024, 12:32 Uhr", utc(2024, 8, 27, 12, 32)),
        (1684148428000, utc(2023, 5, 15, 11, 0, 28)),  # epoch milliseconds
        (1684148428, utc(2023, 5, 15, 11, 0, 28)),
        ("garbage", None),
        ("", None),
        (None, None),
        (True, None),
        ("32 Jan 2020 10:00 GMT", None),
    ],
)
def test_parse_datetime(text: object, expected: datetime | None) -> None:
    parsed = parse_datetime(text)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is not None and parsed.utcoffset() == timedelta(0)


def test_parse_datetime_reads_naive_values_in_the_given_zone() -> None:
    assert parse_datetime("2024-08-27 12:31", default_tz=get_zone("Europe/Berlin")) == utc(2024, 8, 27, 10, 31)
    assert parse_datetime("27.08.2024 12:31", default_tz=get_zone("+05:30")) == utc(2024, 8, 27, 7, 1)


@pytest.mark.parametrize(
    ("text", "hour", "minute", "offset"),
    [
        ("15:20", 15, 20, None),
        ("12.50\u00a0BST", 12, 50, timedelta(hours=1)),  # Guardian display time with NBSP
        ("12.31 Uhr", 12, 31, None),
        ("19:02(IST) TOSS", 19, 2, timedelta(hours=5, minutes=30)),
        ("20:19 (IST)", 20, 19, timedelta(hours=5, minutes=30)),
        ("3.20pm BST", 15, 20, timedelta(hours=1)),
        ("12:05am", 0, 5, None),
        ("12:05 GMT+2", 12, 5, timedelta(hours=2)),
        ("Tuesday 14 February 2023 23:45", 23, 45, None),
    ],
)
def test_parse_time_of_day(text: str, hour: int, minute: int, offset: timedelta | None) -> None:
    clock = parse_time_of_day(text)
    assert clock is not None
    assert (clock.hour, clock.minute) == (hour, minute)
    assert (clock.tz.utcoffset(None) if clock.tz else None) == offset


@pytest.mark.parametrize(
    "text", ["57:33", "46:44", "5 : 1", "98:70", "65.25 sek.", "10.000 Tote", "2.5 million", "no time"]
)
def test_parse_time_of_day_rejects_non_times(text: str) -> None:
    assert parse_time_of_day(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dienstag, 27. August 2024", date(2024, 8, 27)),
        ("Tuesday 14 February 2023 10:30", date(2023, 2, 14)),
        ("February 15, 2023", date(2023, 2, 15)),
        ("28.09.2020", date(2020, 9, 28)),
        ("poniedziałek, 28 września 2020", date(2020, 9, 28)),
        ("24 de setembro de 2018", date(2018, 9, 24)),
        ("2023-02-15T15:20:00Z", date(2023, 2, 15)),
        ("31. Februar 2024", None),
        ("Live updates", None),
    ],
)
def test_parse_day(text: str, expected: date | None) -> None:
    assert parse_day(text) == expected


@pytest.mark.parametrize(
    ("title", "time", "rest"),
    [
        ("12.31 Uhr: Ultraorthodoxe Zeitung", (12, 31), "Ultraorthodoxe Zeitung"),
        ("19:02(IST) TOSS: Sunrisers win toss", (19, 2), "TOSS: Sunrisers win toss"),
        ("18:32(IST) \u200bHello and welcome", (18, 32), "Hello and welcome"),
        ("15:20 – Headline", (15, 20), "Headline"),
        ("10.30 million people evacuated", None, "10.30 million people evacuated"),
        ("Headline at 15:20", None, "Headline at 15:20"),
    ],
)
def test_split_time_prefix(title: str, time: tuple[int, int] | None, rest: str) -> None:
    clock, remainder = split_time_prefix(title)
    assert ((clock.hour, clock.minute) if clock else None) == time
    assert remainder == rest


def test_get_zone() -> None:
    assert get_zone("Europe/Berlin").utcoffset(datetime(2024, 8, 27)) == timedelta(hours=2)
    assert get_zone("+05:30").utcoffset(None) == timedelta(hours=5, minutes=30)
    assert get_zone("BST").utcoffset(None) == timedelta(hours=1)
    with pytest.raises(ValueError, match="unknown time zone"):
        get_zone("Mars/Olympus")


# --------------------------------------------------------------------------- encodings

_PT = "Notícias: São Paulo, ação, é"


@pytest.mark.parametrize(
    ("data", "content_type", "codec"),
    [
        (_PT.encode("latin-1"), "", "cp1252"),  # latin-1 without any declaration
        (_PT.encode("utf-8"), "", "utf-8"),
        (b"\xef\xbb\xbf" + _PT.encode("utf-8"), "", "utf-8-sig"),
        (_PT.encode("utf-16"), "", "utf-16"),
        (_PT.encode("latin-1"), "text/html; charset=ISO-8859-1", "cp1252"),
        (_PT.encode("utf-8"), "text/html; charset=iso-8859-1", "utf-8"),  # UTF-8 mislabelled as latin-1
        (b'<?xml version="1.0" encoding="utf-8"?>' + _PT.encode("latin-1"), "", "cp1252"),  # lying declaration
        (b'<meta charset="windows-1250">' + "Łódź".encode("cp1250"), "", "cp1250"),
        (b'<?xml version="1.0" encoding="x-unknown"?><a/>', "", "utf-8"),
    ],
)
def test_guess_encoding(data: bytes, content_type: str, codec: str) -> None:
    assert guess_encoding(data, content_type) == codec


def test_decode_bytes_never_garbles_latin1_without_declaration() -> None:
    assert decode_bytes(_PT.encode("latin-1")) == _PT
    assert decode_bytes("“quoted”".encode("cp1252")) == "“quoted”"
    assert decode_bytes(b"\xff\xfe\xfa") is not None  # always decodes


def test_decode_bytes_does_not_trust_a_wrong_charset() -> None:
    assert decode_bytes("é".encode(), "text/html; charset=iso-8859-1") == "é"
    assert decode_bytes("é".encode("latin-1"), "text/html; charset=utf-8") == "é"


# --------------------------------------------------------------------------- json


def test_loads_lenient_strips_comments_and_trailing_commas_outside_strings() -> None:
    text = """
    { "@type": "NewsArticle", // a comment
      "url": "https://example.org/a//b", /* block */
      "list": [1, 2, ],
      "text": "line\nbreak // not a comment",
    }
    """
    assert loads_lenient(text) == {
        "@type": "NewsArticle",
        "url": "https://example.org/a//b",
        "list": [1, 2],
        "text": "line\nbreak // not a comment",
    }


def test_loads_lenient_unwraps_comment_and_cdata() -> None:
    assert loads_lenient('<!-- {"a": 1} -->') == {"a": 1}
    assert loads_lenient('//<![CDATA[\n{"a": 1}\n//]]>') == {"a": 1}
    with pytest.raises(json.JSONDecodeError):
        loads_lenient("{not json")


def test_loads_lenient_leaves_markup_to_the_first_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # comment stripping walks the text in Python (seconds for a page of megabytes) and cannot make
    # JSON of markup: only text that starts like JSON or a comment goes through it
    from newsmon.connectors import parsing

    def stripper(text: str) -> str:
        raise AssertionError(f"comment stripping ran on {text[:20]!r}")

    monkeypatch.setattr(parsing, "_strip_js_comments", stripper)
    for text in ("<html><body>" + "<div>" * 1000, "Service unavailable", "<!-- not json -->"):
        with pytest.raises(json.JSONDecodeError):
            loads_lenient(text)
    with pytest.raises(AssertionError, match="comment stripping ran"):
        loads_lenient('// a comment\n{"a": 1}')


def test_describe_document() -> None:
    assert describe_document("<html><head><title>503 &amp; down</title></head></html>") == (
        "an HTML page titled '503 & down'"
    )
    assert describe_document("   ") == "an empty document"
    assert describe_document('{"error": 1}').startswith("JSON")
    assert describe_document("<?xml version='1.0'?><foo/>") == "XML with root element <foo>"
    assert issubclass(ParseError, ValueError)


# --------------------------------------------------------------------------- ids, flags, entries


def test_fallback_id_is_stable_and_ignores_whitespace_and_case() -> None:
    assert fallback_id("2023-11-02T15:56:32Z", "Oms: A Gaza") == fallback_id("2023-11-02T15:56:32Z", " oms:  a gaza\n")
    assert fallback_id("a", "b") != fallback_id("ab", "")
    assert fallback_id("x").startswith("h-")


def test_dedupe_ids_suffixes_by_content_not_position() -> None:
    a, b, c = (build_entry(source="s", entry_id="dup", title=t, body="", now=NOW) for t in ("A", "B", "C"))
    first = dedupe_ids([a, b, c])
    assert first[0].entry_id == "dup"
    assert len({e.entry_id for e in first}) == 3
    # B keeps its id when an item before it disappears and the order changes.
    rotated = dedupe_ids([c, b])
    assert {e.title: e.entry_id for e in rotated}["B"] == {e.title: e.entry_id for e in first}["B"]
    # exact repeats still get distinct ids
    twins = dedupe_ids([a, a, a])
    assert len({e.entry_id for e in twins}) == 3


def test_truthy_and_flags_from_attributes() -> None:
    assert [truthy(v) for v in (True, "true", "True", 1, "1", "yes")] == [True] * 6
    falsy: tuple[object, ...] = (False, "false", "False", 0, "", None, "no", [])
    assert [truthy(v) for v in falsy] == [False] * 8
    assert flags_from_attributes({"keyEvent": "true", "pinned": "false", "summary": True}) == {
        Flag.KEY_EVENT,
        Flag.SUMMARY,
    }
    assert flags_from_attributes({"title": "x"}) == frozenset()
    assert flags_from_attributes(None) == frozenset()


def test_build_entry_first_seen_and_normalisation() -> None:
    entry = build_entry(
        source="s", entry_id="1", title=" A \n title ", body="x\u200by\n\n\n\nz", author=" Jo  Bloggs ", now=NOW
    )
    assert entry.title == "A title"
    assert entry.body == "xy\n\nz"
    assert entry.author == "Jo Bloggs"
    assert entry.published == NOW and entry.published_from is TimeSource.FIRST_SEEN
    dated = build_entry(
        source="s",
        entry_id="1",
        title="t",
        body="",
        published=datetime(2024, 1, 1, 12, tzinfo=timezone(timedelta(hours=2))),
        modified=datetime(2024, 1, 1, 10, tzinfo=UTC),
        now=NOW,
    )
    assert dated.published == utc(2024, 1, 1, 10) and dated.published_from is TimeSource.SOURCE
    assert dated.modified is None  # same instant as published: not a modification

"""Connectors: turn what a publisher serves (feeds, live-blog pages, APIs) into `Entry` values.

The modules here are the pure parsing half: each source kind has a
``parse(data: bytes, url: str, *, source: str, now: datetime, **options) -> list[Entry]``
that does no I/O.  Shared helpers (dates, encodings, ids) live in ``parsing``;
``detect_kind`` guesses which parser fits a document.
"""

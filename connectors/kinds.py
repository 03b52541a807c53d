"""Which pure parser reads which source kind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from newsmon.model import Entry


class Parser(Protocol):
    def __call__(self, data: bytes, url: str, *, source: str, now: datetime, **options: Any) -> list[Entry]: ...


def parser_for(kind: str) -> Callable[..., list[Entry]]:
    """The `parse(bytes, url, *, source, now, **options)` function of a source kind."""
    if kind == "rss":
        from newsmon.connectors import rss

        return rss.parse
    if kind == "liveblog":
        from newsmon.connectors import liveblog

        return liveblog.parse
    if kind == "guardian":
        from newsmon.connectors import guardian

        return guardian.parse
    if kind == "html":
        from newsmon.connectors import html_selectors

        return html_selectors.parse
    if kind == "replay":
        from newsmon.connectors import replay

        return replay.parse
    raise ValueError(f"unknown source kind {kind!r}")

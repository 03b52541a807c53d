"""The layouts of plain-HTML live blogs: `Selectors`, the built-in `PRESETS`, and CSS matching.

`Selectors` says where a layout keeps its posts and their parts (see
`newsmon.connectors.html_selectors` for what each option is for); `layout_of`
turns what a source configured (a ``selectors`` table or a ``preset`` name)
into one; `css_select` applies one of its CSS selectors to an element (compiled
once per selector and cached).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any, Literal

import lxml.etree
from cssselect import HTMLTranslator, SelectorError

__all__ = ["PRESETS", "Selectors", "css_select", "layout_of"]


@dataclass(frozen=True, slots=True)
class Selectors:
    """How to find posts and their parts on one HTML layout.

    All selectors are CSS (as understood by ``cssselect``).  ``entry`` and
    ``container`` and ``date`` apply to the whole page; the others apply inside
    one post.  ``None`` means "the layout has no such part".
    """

    entry: str  # one match per post; with split=True, the heading that starts a post
    title: str | None = None  # in split mode, None means the post heading itself
    time: str | None = None  # value from @datetime, else @content, else the text
    author: str | None = None  # all matches, joined with ", "
    body: str | None = None  # all matches joined; None = the post minus title/time/author
    pinned: str | None = None  # post is PINNED when it matches or contains a match
    key_event: str | None = None  # likewise for KEY_EVENT
    id_attr: str | None = None  # attribute of the post element holding a stable id
    link: str | None = None  # permalink element (an <a href>) inside the post
    date: str | None = None  # page-level day headings ("Dienstag, 27. August 2024")
    date_scope: Literal["following", "preceding"] = "following"
    container: str | None = None  # must exist on a real page of this layout
    exclude: str | None = None  # removed before the body is read (bylines, captions, widgets)
    split: bool = False
    entry_pattern: str | None = None  # regex the post element's text must match (search)
    time_in_title: bool = False
    require_time: bool = False
    tz: str = "UTC"  # zone of times without offset: IANA name, "+05:30" or "BST"
    newest_first: bool = True


PRESETS: dict[str, Selectors] = {
    # BR24 "News-Ticker" (br.de/nachrichten): posts are <h2>HH.MM Uhr: Headline</h2>
    # followed by <p>s inside the article body; the day is an <h2> heading that,
    # in the capture we have, comes after the day's posts.  The summary list at
    # the top ("… (05.19 Uhr)") is not a post.
    "br24": Selectors(
        container="section#articlebody",
        entry="section#articlebody h2",
        split=True,
        entry_pattern=r"^\s*\d{1,2}[.:]\d{2}\s*Uhr\s*:",
        time_in_title=True,
        date="section#articlebody h2",
        date_scope="preceding",
        tz="Europe/Berlin",
    ),
    # WP SportoweFakty "Relacja na żywo": each post is a div.coventry with its time
    # in aside > time.  Heat-result cards and pre-match notes have no time and are
    # dropped (require_time); times elsewhere on the page (fixtures, video
    # lengths) are outside the posts.  Highlighted posts (results) are key events.
    "sportowefakty": Selectors(
        container="div.coveragelist",
        entry="div.coveragelist > div.coventry",
        time="aside.coventry__aside > time",
        body="div.coventry__body",
        id_attr="id",
        key_event=".coventry--highlight",
        exclude="script, style, .emotions",
        require_time=True,
        tz="Europe/Warsaw",
    ),
}


def layout_of(selectors: Selectors | Mapping[str, Any] | None, preset: str | None) -> Selectors:
    """The layout given as `selectors` (a `Selectors` or a config table), else the `preset` named."""
    if isinstance(selectors, Mapping):  # a `selectors = {...}` table from the config file
        known = {f.name for f in fields(Selectors)}
        unknown = sorted(set(selectors) - known)
        if unknown:
            raise ValueError(f"unknown selector keys {unknown}; known: {', '.join(sorted(known))}")
        if "entry" not in selectors:
            raise ValueError("selectors need at least 'entry' (the CSS selector of one post)")
        return Selectors(**selectors)
    if selectors is not None:
        return selectors
    if preset is None:
        raise ValueError("html_selectors.parse needs selectors= or preset=")
    try:
        return PRESETS[preset]
    except KeyError:
        raise ValueError(f"unknown preset {preset!r}; known: {', '.join(sorted(PRESETS))}") from None


@lru_cache(maxsize=256)
def _xpath(css: str, prefix: str) -> Any:
    try:
        expression = HTMLTranslator().css_to_xpath(css, prefix=prefix)
    except SelectorError as error:
        raise ValueError(f"bad CSS selector {css!r}: {error}") from error
    return lxml.etree.XPath(expression)


def css_select(element: Any, css: str | None, *, self_too: bool = False) -> list[Any]:
    """Elements under `element` (and `element` itself with `self_too`) matching `css`; none for no selector."""
    if not css:
        return []
    return list(_xpath(css, "descendant-or-self::" if self_too else "descendant::")(element))

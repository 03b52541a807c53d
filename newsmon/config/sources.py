"""`[[sources]]`: the source table and the options of each kind.

Every key a source may carry is declared here, with its type, so that a typo
(``intervall``) or a bad value (``host_spacing = "soon"``) is a configuration
error with its line instead of a source that silently never polls.  The
connectors read the options (`newsmon.connectors.poller`, the parsers); a unit
test keeps these lists equal to theirs.  Values the html connector would only
reject at its first poll are checked here too: the preset name, each CSS
selector (translated as the connector translates it) and the zone ``tz``.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from cssselect import HTMLTranslator, SelectorError

from newsmon.config.reader import Reader, did_you_mean
from newsmon.settings import SOURCE_KINDS, SourceSettings
from newsmon.zones import ZONE_ABBREVIATIONS, get_zone

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
CORE_KEYS = frozenset({"id", "kind", "url", "path", "interval", "min_interval", "max_interval", "speedup", "scope"})

Check = Callable[[Reader, str, Any], object]


def _duration(zero_ok: bool) -> Check:
    return lambda reader, where, value: reader.duration(where, value, zero_ok=zero_ok)


def _count(reader: Reader, where: str, value: Any) -> object:
    return reader.count(where, value)


def _bool(reader: Reader, where: str, value: Any) -> object:
    return reader.typed(where, value, bool)


# read by the poller, for every kind fetched over HTTP
POLLER_OPTIONS: dict[str, Check] = {
    "host_spacing": _duration(zero_ok=True),
    "host_concurrency": _count,
    "max_bytes": _count,
    "timeout": _duration(zero_ok=False),
    "max_backoff": _duration(zero_ok=False),
    "remember": _count,
    "max_entries": _count,
}

# fields of `newsmon.connectors.html_selectors.Selectors`: CSS selectors, other strings, flags and choices
_SELECTOR_CSS = ("entry", "title", "time", "author", "body", "pinned", "key_event", "link", "date", "container",
                 "exclude")
_SELECTOR_STRINGS = (*_SELECTOR_CSS, "id_attr", "entry_pattern", "tz")
_SELECTOR_FLAGS = ("split", "time_in_title", "require_time", "newest_first")
SELECTOR_KEYS = frozenset({*_SELECTOR_STRINGS, *_SELECTOR_FLAGS, "date_scope"})
# the keys of `newsmon.connectors.html_selectors.PRESETS`
HTML_PRESETS = ("br24", "sportowefakty")
_TZ_FORMS = "give an IANA name such as 'Europe/Berlin', an offset such as '+05:30' or an abbreviation such as 'BST'"


def _css(reader: Reader, where: str, value: str) -> None:
    if not value:  # the connector reads an empty selector as "no such part"
        return
    try:
        HTMLTranslator().css_to_xpath(value)
    except SelectorError as error:
        raise reader.fail(where, f"bad CSS selector {value!r}: {error}") from None


def _zone(reader: Reader, where: str, value: str) -> None:
    try:
        get_zone(value)
    except ValueError as error:
        close = difflib.get_close_matches(value, [*zoneinfo.available_timezones(), *ZONE_ABBREVIATIONS], n=1)
        hint = f"did you mean {close[0]!r}?" if close else _TZ_FORMS
        raise reader.fail(where, f"{error} ({hint})") from None


def _selectors(reader: Reader, where: str, value: Any) -> object:
    table = reader.typed(where, value, dict)
    reader.known(where, table, SELECTOR_KEYS)
    if "entry" not in table:
        raise reader.fail(where, "missing required key 'entry' (the CSS selector of one post)")
    for key, item in table.items():
        if key in _SELECTOR_FLAGS:
            reader.typed(f"{where}.{key}", item, bool)
        elif key == "date_scope":
            reader.choice(f"{where}.{key}", item, ("following", "preceding"))
        else:
            reader.typed(f"{where}.{key}", item, str)
            if key in _SELECTOR_CSS:
                _css(reader, f"{where}.{key}", item)
            elif key == "tz":
                _zone(reader, f"{where}.{key}", item)
    return table


def _preset(reader: Reader, where: str, value: Any) -> object:
    name = reader.typed(where, value, str)
    if name not in HTML_PRESETS:
        hint = did_you_mean(name, HTML_PRESETS)
        if "(known:" not in hint:
            hint += f"; known presets: {', '.join(sorted(HTML_PRESETS))}"
        raise reader.fail(where, f"unknown preset {name!r}{hint}")
    return name


KIND_OPTIONS: dict[str, dict[str, Check]] = {
    "rss": {},
    "liveblog": {},
    "guardian": {},
    "html": {"selectors": _selectors, "preset": _preset},
    "replay": {"keep_source": _bool},
}


def allowed_keys(kind: str) -> set[str]:
    """Every key a source of `kind` may have."""
    web = POLLER_OPTIONS if kind != "replay" else {}
    return set(CORE_KEYS) | set(web) | set(KIND_OPTIONS.get(kind, {}))


def _path(base: Path, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base / path).resolve()


def read_source(reader: Reader, n: int, table: Mapping[str, Any], base: Path) -> SourceSettings:
    where = f"sources[{n}]"
    reader.typed(where, table, dict)
    for key in ("id", "kind"):
        if key not in table:
            raise reader.fail(where, f"missing required key '{key}'")
    source_id = reader.typed(f"{where}.id", table["id"], str)
    if not ID.match(source_id):
        raise reader.fail(f"{where}.id", f"use letters, digits, '.', '_' or '-' (got {source_id!r})")
    kind = reader.typed(f"{where}.kind", table["kind"], str)
    if kind not in SOURCE_KINDS:
        raise reader.fail(f"{where}.kind", f"unknown source kind {kind!r}{did_you_mean(kind, SOURCE_KINDS)}")
    reader.known(where, table, allowed_keys(kind))
    url = reader.typed(f"{where}.url", table.get("url", ""), str)
    path = reader.typed(f"{where}.path", table.get("path", ""), str)
    if kind == "replay" and not path:
        raise reader.fail(where, "a replay source needs 'path' (a JSON-lines file)")
    if kind != "replay" and not url.startswith(("http://", "https://")):
        raise reader.fail(f"{where}.url", f"a {kind} source needs an http(s) url")
    if kind == "html" and not ("selectors" in table or "preset" in table):
        raise reader.fail(where, "an html source needs a 'selectors' table (entry, title, time, ...) or a 'preset'")
    if path:
        path = "demo:" + path[5:] if path.startswith("demo:") else str(_path(base, path))
    interval = reader.duration(f"{where}.interval", table.get("interval", 60))
    lo = reader.duration(f"{where}.min_interval", table.get("min_interval", min(15.0, interval)))
    hi = reader.duration(f"{where}.max_interval", table.get("max_interval", max(900.0, interval)))
    if not lo <= interval <= hi:
        raise reader.fail(f"{where}.interval", f"must lie between min_interval ({lo}s) and max_interval ({hi}s)")
    speedup = reader.number(f"{where}.speedup", table.get("speedup", 1.0), positive=True)
    scope = reader.typed(f"{where}.scope", table.get("scope", ""), str)
    if scope and not ID.match(scope):
        raise reader.fail(f"{where}.scope", f"use letters, digits, '.', '_' or '-' (got {scope!r})")
    checks = {**(POLLER_OPTIONS if kind != "replay" else {}), **KIND_OPTIONS[kind]}
    options = {k: v for k, v in table.items() if k not in CORE_KEYS}
    for key, value in options.items():
        checks[key](reader, f"{where}.{key}", value)
    return SourceSettings(source_id, kind, url, path, interval, lo, hi, speedup, options, scope)
